import Foundation
import Glibc
import TLMTestSupport
import Testing

/// What export must never do: follow a redirect (the body and an API key would
/// go where the user never pointed), print a secret (a header value, a URL's
/// user:password@ or query: CI logs keep them), or send without headers it could
/// not read. Each secret below is a canary that must appear in no output.
@Suite("export trust: redirects, secrets, headers", .serialized)
struct ExportTrustTests {
    let sandbox = Sandbox()
    static let canary = "CANARY-s3cret"

    func record(_ count: Int) throws {
        for index in 0..<count {
            try sandbox.tlm(["log", "--target", "t\(index)", "--duration", "0.5", "--exit-code", "0"])
        }
    }

    /// Records that neither output of `result` holds the canary.
    func expectNoCanary(_ result: Spawned, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            !result.text.contains(Self.canary) && !result.errorText.contains(Self.canary),
            "\(label) printed the secret: \(result.text) \(result.errorText)", sourceLocation: sourceLocation)
    }

    @Test(
        "a redirect is refused: its target receives nothing and nothing counts as sent",
        arguments: [301, 302, 303, 307, 308])
    func redirectIsNotFollowed(status: Int) throws {
        try sandbox.on()
        try record(2)
        let sink = try LoopbackPeer()
        let redirector = try LoopbackPeer(redirect: status, to: sink.endpoint + "/")
        let otlp = try sandbox.tlm(
            ["export", "otlp", "--endpoint", redirector.endpoint, "--header", "Authorization=Bearer \(Self.canary)"])
        #expect(otlp.status == .exited(1), "\(otlp.errorText)")
        #expect(redirector.requests.count == 1)
        #expect(sink.requests.isEmpty, "the redirect was followed: \(sink.requests)")
        #expect(!sandbox.folder.exists("tlm-home/export.cursor"))
        #expect(
            otlp.errorText.contains(
                "answered \(status), a redirect to http://127.0.0.1:\(sink.port)/v1/traces, not followed"))
        #expect(otlp.errorText.contains("0 events sent, the rest wait for the next export"))
        expectNoCanary(otlp, "export otlp")

        let push = try sandbox.tlm(["export", "prometheus", "--push", redirector.endpoint])
        #expect(push.status == .exited(1), "\(push.errorText)")
        #expect(sink.requests.isEmpty, "the redirect was followed: \(sink.requests)")
        #expect(push.errorText.contains("push stopped: \(redirector.endpoint)/metrics/job/tlm answered \(status)"))
    }

    @Test("run's warnings never print a header value, a user:password@ or a query")
    func runWarningsHideSecrets() throws {
        try sandbox.on()
        for (name, value) in [
            ("TLM_EXPORT_HEADERS", "Authorization: Bearer \(Self.canary)"),
            ("TLM_EXPORT_ENDPOINT", "https://user:\(Self.canary)@collector.example/otlp?token=\(Self.canary)"),
        ] {
            let run = try sandbox.tlm(["run", "--", "sh", "-c", "exit 3"], environment: [name: value])
            #expect(run.status == .exited(3))
            #expect(run.errorLines.count == 1, "\(run.errorText)")
            #expect(run.errorText.contains(name))
            expectNoCanary(run, "run with \(name)")
        }
    }

    @Test(
        "status, config list and config set show header names and URLs without their query; config get alone shows them"
    )
    func statusAndConfigHideSecrets() throws {
        try sandbox.on()
        let set = try sandbox.tlm([
            "config", "set", "export.headers", "Authorization=Bearer%20\(Self.canary),X-Tenant=a",
        ])
        #expect(set.status == .exited(0))
        #expect(set.text == "export.headers = Authorization=<hidden>,X-Tenant=<hidden>\n")
        let endpoint = try sandbox.tlm(
            ["config", "set", "export.endpoint", "https://collector.example/otlp?token=\(Self.canary)"])
        #expect(endpoint.status == .exited(0))
        #expect(endpoint.text == "export.endpoint = https://collector.example/otlp?…\n")

        for arguments in [["status"], ["status", "--json"], ["config", "list"]] {
            let result = try sandbox.tlm(arguments)
            #expect(result.status == .exited(0), "\(arguments): \(result.errorText)")
            #expect(result.text.contains("Authorization=<hidden>,X-Tenant=<hidden>"), "\(arguments): \(result.text)")
            #expect(result.text.contains("https://collector.example/otlp?…"), "\(arguments): \(result.text)")
            expectNoCanary(result, "\(arguments)")
        }
        // The same from the environment, and values that are not valid (status's problems).
        let environment = [
            "TLM_EXPORT_HEADERS": "Authorization: Bearer \(Self.canary)",
            "TLM_EXPORT_ENDPOINT": "https://u:\(Self.canary)@collector.example?token=\(Self.canary)",
        ]
        for arguments in [["status"], ["status", "--json"], ["config", "list"]] {
            let result = try sandbox.tlm(arguments, environment: environment)
            #expect(result.errorText.contains("TLM_EXPORT_HEADERS"), "\(arguments): \(result.errorText)")
            expectNoCanary(result, "\(arguments) with bad variables")
        }
        let shown = try sandbox.tlm(
            ["status"], environment: ["TLM_EXPORT_HEADERS": "Authorization=Bearer%20\(Self.canary)"])
        #expect(shown.text.contains("Authorization=<hidden>"))
        expectNoCanary(shown, "status with TLM_EXPORT_HEADERS")

        for (key, value) in [
            ("export.headers", "Authorization: Bearer \(Self.canary)"),
            ("export.endpoint", "https://user:\(Self.canary)@collector.example/otlp"),
        ] {
            let refused = try sandbox.tlm(["config", "set", key, value])
            #expect(refused.status == .exited(64), "\(key): \(refused.errorText)")
            #expect(refused.errorLines.count == 1)
            expectNoCanary(refused, "config set \(key)")
        }
        // The one way to read a secret back.
        #expect(
            try sandbox.tlm(["config", "get", "export.headers"]).text
                == "Authorization=Bearer%20\(Self.canary),X-Tenant=a\n")
    }

    @Test("export's errors, summary and --dry-run never print a header value, a user:password@ or a query")
    func exportMessagesHideSecrets() throws {
        try sandbox.on()
        try record(1)
        let down = LoopbackPeer.downEndpoint()
        let cases: [(arguments: [String], environment: [String: String], status: Int32)] = [
            (["--endpoint", "\(down)/otlp?token=\(Self.canary)", "--retries", "0"], [:], 1),
            (["--endpoint", "https://user:\(Self.canary)@collector.example"], [:], 64),
            (["--endpoint", down, "--header", "Authorization: Bearer \(Self.canary)"], [:], 64),
            ([], ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://u:\(Self.canary)@collector.example?k=\(Self.canary)"], 64),
            ([], ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "ftp://collector.example/?k=\(Self.canary)"], 64),
            (
                ["--dry-run", "--endpoint", "https://collector.example/otlp?token=\(Self.canary)"],
                ["TLM_EXPORT_HEADERS": "Authorization=Bearer%20\(Self.canary)"], 0
            ),
        ]
        for (arguments, environment, status) in cases {
            let result = try sandbox.tlm(["export", "otlp"] + arguments, environment: environment)
            #expect(result.status == .exited(status), "\(arguments) \(environment): \(result.errorText)")
            expectNoCanary(result, "export otlp \(arguments) \(environment)")
        }
        let dry = try sandbox.tlm(
            ["export", "otlp", "--dry-run", "--endpoint", "https://collector.example/otlp?token=\(Self.canary)"],
            environment: ["TLM_EXPORT_HEADERS": "Authorization=Bearer%20\(Self.canary)"])
        #expect(dry.text.contains("endpoint      https://collector.example/otlp/v1/traces?… (--endpoint)"))
        #expect(dry.text.contains("headers       Authorization=<hidden> (TLM_EXPORT_HEADERS)"))

        let sink = try LoopbackPeer()
        let sent = try sandbox.tlm(["export", "otlp", "--endpoint", "\(sink.endpoint)/?token=\(Self.canary)"])
        #expect(sent.status == .exited(0), "\(sent.errorText)")
        #expect(sent.errorText.contains("exported 1 event to \(sink.endpoint)/v1/traces?… in 1 request"))
        expectNoCanary(sent, "export otlp's summary")

        for push in ["http://u:\(Self.canary)@127.0.0.1:9", "\(down)/?token=\(Self.canary)"] {
            let result = try sandbox.tlm(["export", "prometheus", "--push", push, "--retries", "0"])
            #expect(result.status != .exited(0), "\(push): \(result.errorText)")
            #expect(result.errorLines.count == 1, "\(result.errorText)")
            expectNoCanary(result, "export prometheus --push")
        }
    }

    @Test("headers that cannot be read stop the export: exit 64, the expected form, nothing sent")
    func unreadableHeadersStopTheExport() throws {
        try sandbox.on()
        try record(2)
        let sink = try LoopbackPeer()
        let bad = "Authorization: Bearer \(Self.canary)"
        for name in ["TLM_EXPORT_HEADERS", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS"] {
            let result = try sandbox.tlm(["export", "otlp", "--endpoint", sink.endpoint], environment: [name: bad])
            #expect(result.status == .exited(64), "\(name): \(result.errorText)")
            #expect(result.errorLines.count == 1, "\(result.errorText)")
            #expect(result.errorText.contains("\(name) is not name=value pairs"))
            #expect(result.errorText.contains("Authorization=Bearer%20TOKEN"))
            expectNoCanary(result, name)
        }
        let option = try sandbox.tlm(["export", "otlp", "--endpoint", sink.endpoint, "--header", bad])
        #expect(option.status == .exited(64))
        #expect(option.errorText.contains("'Authorization=Bearer TOKEN'"))
        expectNoCanary(option, "--header")

        // The automatic export (what tlm run starts) gives up without a word, and run's status is the command's.
        let helper = String(TLMBinary.path.dropLast("tlm".count)) + "tlm-export"
        let auto = try Spawned.run(
            [helper, "export", "otlp", "--auto"],
            environment: sandbox.environment.merging(["TLM_EXPORT_ENDPOINT": sink.endpoint, "TLM_EXPORT_HEADERS": bad])
            {
                $1
            })
        #expect(auto.status == .exited(1))
        #expect(auto.text.isEmpty && auto.errorText.isEmpty, "\(auto.errorText)")

        // config.json's export.headers written by hand in the wrong form.
        sandbox.folder.write("tlm-home/config.json", "{\"export.headers\": \"\(bad)\"}\n")
        let fromFile = try sandbox.tlm(["export", "otlp", "--endpoint", sink.endpoint])
        #expect(fromFile.status == .exited(64), "\(fromFile.errorText)")
        #expect(fromFile.errorLines.count == 1, "\(fromFile.errorText)")
        #expect(fromFile.errorText.contains("export.headers cannot be read, so nothing is sent"))
        expectNoCanary(fromFile, "config.json")

        #expect(sink.requests.isEmpty, "sent without its headers: \(sink.requests)")
        #expect(!sandbox.folder.exists("tlm-home/export.cursor"))
    }

    @Test(
        "a base endpoint gets /v1/traces (a Pushgateway its grouping) on its path, before the query; the traces variable is used as is"
    )
    func endpointPathThenQuery() throws {
        try sandbox.on()
        let sink = try LoopbackPeer()
        try record(1)
        #expect(
            try sandbox.tlm(["export", "otlp", "--endpoint", sink.endpoint + "/otlp?tenant=a"]).status == .exited(0))
        try record(1)
        let traces = sink.endpoint + "/custom/traces?tenant=b"
        #expect(
            try sandbox.tlm(["export", "otlp"], environment: ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": traces]).status
                == .exited(0))
        // A base that already ends in /v1/traces still gets it: OTEL_EXPORTER_OTLP_ENDPOINT's rule.
        try record(1)
        #expect(try sandbox.tlm(["export", "otlp", "--endpoint", sink.endpoint + "/v1/traces"]).status == .exited(0))
        // The Pushgateway's grouping path too.
        #expect(try sandbox.tlm(["export", "prometheus", "--push", sink.endpoint + "/gw?k=1"]).status == .exited(0))
        #expect(
            sink.requests.map { $0["path"] as? String }
                == [
                    "/otlp/v1/traces?tenant=a", "/custom/traces?tenant=b", "/v1/traces/v1/traces",
                    "/gw/metrics/job/tlm?k=1",
                ])
    }
}
