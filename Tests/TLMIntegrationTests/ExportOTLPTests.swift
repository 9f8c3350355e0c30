import Foundation
import Glibc
import TLMCLI
import TLMRecorder
import TLMTestSupport
import Testing

/// `tlm export otlp` against a real OTLP receiver that parses each body with
/// opentelemetry-proto (Fixtures/otlp_receiver.py): what arrives, the retries,
/// the cursor that makes each event arrive exactly once, and automatic export.
@Suite("export otlp", .serialized)
struct ExportOTLPTests {
    let sandbox = Sandbox()

    /// Records `count` runs with `tlm log` (target t0, t1, …, exit code i % 3).
    func record(_ count: Int, prefix: String = "t") throws {
        for index in 0..<count {
            try sandbox.tlm([
                "log", "--target", "\(prefix)\(index)", "--duration", "0.5", "--exit-code", String(index % 3),
            ])
        }
    }

    func export(_ receiver: OTLPReceiver, _ extra: [String] = [], environment: [String: String] = [:]) throws -> Spawned
    {
        try sandbox.tlm(["export", "otlp", "--endpoint", receiver.endpoint] + extra, environment: environment)
    }

    /// An anklume-format line (its five fields only) starting at second `second` of a day.
    static func anklumeLine(_ second: Int, target: String = "apply") -> String {
        let time = String(format: "2026-02-14T%02d:%02d:%02d+00:00", second / 3600, second / 60 % 60, second % 60)
        return "{\"timestamp\": \"\(time)\", \"target\": \"\(target)\", \"domain\": \"web\", "
            + "\"duration_seconds\": 1.5, \"exit_code\": 0}\n"
    }

    @Test("spans arrive as recorded: names, attributes, status, resource, and nested runs as one tree")
    func spans() throws {
        try sandbox.on()
        let tlm = TLMBinary.path
        let nested = "\(tlm) run -- sh -c '\(tlm) run -- true'"
        #expect(try sandbox.tlm(["run", "--", "sh", "-c", nested]).status == .exited(0))
        #expect(
            try sandbox.tlm(["run", "--target", "apply", "--domain", "web", "--", "sh", "-c", "exit 2"]).status
                == .exited(2))
        let receiver = try OTLPReceiver()
        let result = try export(receiver)
        #expect(result.status == .exited(0), "\(result.errorText)")
        #expect(result.errorText.contains("exported 4 events"))
        #expect(receiver.requests.map { $0["status"] as? Int } == [200])
        let spans = receiver.spans
        #expect(spans.count == 4)

        let failing = try #require(spans.first { $0["name"] as? String == "apply" })
        let attributes = try #require(failing["attributes"] as? [String: Any])
        #expect(failing["kind"] as? Int == 3)
        #expect(failing["status"] as? Int == 2)
        #expect(attributes["process.exit.code"] as? Int == 2)
        #expect(attributes["error.type"] as? String == "2")
        #expect(attributes["process.executable.name"] as? String == "sh")
        #expect(attributes["tlm.target"] as? String == "apply")
        #expect(attributes["tlm.domain"] as? String == "web")
        #expect(attributes["tlm.timed_out"] as? Bool == false)
        #expect(attributes["tlm.attempts"] as? Int == 1)
        #expect(attributes["tlm.memory.max_rss_kb"] as? Int != nil)
        #expect(attributes["cicd.pipeline.task.name"] == nil)  // not in CI
        let start = try #require(failing["start"] as? Int)
        let end = try #require(failing["end"] as? Int)
        #expect(end >= start && start > 1_700_000_000_000_000_000)

        let resource = try #require(failing["resource"] as? [String: Any])
        #expect(resource["service.name"] as? String == "tlm")
        #expect(resource["service.version"] as? String == CommandCatalog.version)
        #expect(resource["os.type"] as? String == "linux")
        #expect(resource["host.arch"] != nil)
        #expect(Set(resource.keys) == ["service.name", "service.version", "os.type", "host.arch"])

        // The three nested runs: one trace, each the parent of the next.
        let tree = spans.filter { $0["name"] as? String != "apply" }
        #expect(Set(tree.map { $0["traceId"] as? String }).count == 1)
        let outer = try #require(tree.first { ($0["parentSpanId"] as? String) == "" })
        let middle = try #require(tree.first { $0["parentSpanId"] as? String == outer["spanId"] as? String })
        let inner = try #require(tree.first { $0["parentSpanId"] as? String == middle["spanId"] as? String })
        #expect(inner["name"] as? String == "true")
        #expect(failing["status"] as? Int == 2 && inner["status"] as? Int == 0)

        // Nothing is sent twice.
        let again = try export(receiver)
        #expect(again.status == .exited(0))
        #expect(again.errorText.contains("nothing to export"))
        #expect(receiver.requests.count == 1)

        // tlm status says what export sent.
        let status = try sandbox.tlm(["status", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(status.text.utf8)) as? [String: Any])
        #expect(object["exported_events"] as? Int == 4)
        #expect(object["last_export"] is String)
        #expect(try sandbox.tlm(["status"]).text.contains("exported  4 events by tlm export otlp; last export 20"))
    }

    @Test("503 twice, then 200: every event arrives exactly once")
    func retriesOnUnavailable() throws {
        try sandbox.on()
        try record(7)
        let receiver = try OTLPReceiver(["--script", "503,503", "--retry-after", "0"])
        let result = try export(receiver, ["--batch-size", "3"])
        #expect(result.status == .exited(0), "\(result.errorText)")
        #expect(receiver.requests.map { $0["status"] as? Int } == [503, 503, 200, 200, 200])
        let spans = receiver.spans
        #expect(spans.count == 7)
        #expect(Set(spans.map { $0["spanId"] as? String }).count == 7)
        #expect(Set(spans.map { $0["name"] as? String }) == Set((0..<7).map { "t\($0)" }))
        #expect(result.errorLines.filter { $0.contains("retry") }.count == 2)
        #expect(try export(receiver).errorText.contains("nothing to export"))
    }

    @Test("a 5xx without Retry-After is retried after the backoff")
    func retriesWithBackoff() throws {
        try sandbox.on()
        try record(2)
        let receiver = try OTLPReceiver(["--script", "500"])
        let result = try export(receiver)
        #expect(result.status == .exited(0))
        #expect(result.errorText.contains("answered 500: scripted failure: retry 1/5 in"))
        #expect(receiver.spans.count == 2)
    }

    @Test("another 4xx is not retried: its message is shown, exit 1, and the events wait")
    func rejected() throws {
        try sandbox.on()
        try record(3)
        let refusing = try OTLPReceiver(["--script", "400"])
        let result = try export(refusing)
        #expect(result.status == .exited(1))
        #expect(refusing.requests.count == 1)
        #expect(result.errorText.contains("answered 400: scripted failure"))
        #expect(!result.errorText.contains("retry"))
        #expect(!sandbox.folder.exists("tlm-home/export.cursor"))
        let receiver = try OTLPReceiver()
        #expect(try export(receiver).status == .exited(0))
        #expect(receiver.spans.count == 3)
    }

    @Test("a receiver that is down: exit 1 with one clear line, events kept, the next export delivers them")
    func receiverDown() throws {
        try sandbox.on()
        try record(4)
        let dead = try OTLPReceiver()
        dead.stop()
        let result = try export(dead, ["--retries", "1"])
        #expect(result.status == .exited(1))
        let last = try #require(result.errorLines.last)
        #expect(last.hasPrefix("tlm: export stopped: http://127.0.0.1:\(dead.port)/v1/traces"))
        #expect(last.contains("after 1 retry"))
        #expect(last.contains("0 events sent, the rest wait for the next export"))
        #expect(!sandbox.folder.exists("tlm-home/export.cursor"))
        let receiver = try OTLPReceiver()
        #expect(try export(receiver).status == .exited(0))
        #expect(receiver.spans.count == 4)
    }

    @Test("the cursor survives rotation; anklume's lines get stable ids; a line being written waits")
    func cursorAcrossRotation() throws {
        try sandbox.on()
        let home = "tlm-home/"
        sandbox.folder.write(home + "usage.jsonl.2", (0..<250).map { Self.anklumeLine($0) }.joined())
        sandbox.folder.write(home + "usage.jsonl.1", (250..<500).map { Self.anklumeLine($0) }.joined())
        sandbox.folder.write(home + "usage.jsonl", (500..<600).map { Self.anklumeLine($0) }.joined())
        let receiver = try OTLPReceiver()
        let first = try export(receiver, ["--batch-size", "100"])
        #expect(first.status == .exited(0), "\(first.errorText)")
        #expect(receiver.requests.count == 6)
        #expect(receiver.spans.count == 600)
        #expect(Set(receiver.spans.map { $0["spanId"] as? String }).count == 600)

        // A rotation, then 30 new events and half of one more.
        for (from, to) in [
            ("usage.jsonl.2", "usage.jsonl.3"), ("usage.jsonl.1", "usage.jsonl.2"),
            ("usage.jsonl", "usage.jsonl.1"),
        ] {
            #expect(rename(sandbox.folder.path + "/" + home + from, sandbox.folder.path + "/" + home + to) == 0)
        }
        let torn = Self.anklumeLine(700, target: "late")
        let half = torn.utf8.count / 2
        sandbox.folder.write(
            home + "usage.jsonl",
            (600..<630).map { Self.anklumeLine($0, target: "new") }.joined() + String(torn.prefix(half)))
        #expect(try export(receiver, ["--batch-size", "100"]).status == .exited(0))
        #expect(receiver.spans.count == 630)
        #expect(receiver.spans.suffix(30).allSatisfy { $0["name"] as? String == "new" })

        // The line is finished: it is sent, once.
        let fd = open(sandbox.logPath, O_WRONLY | O_APPEND)
        defer { close(fd) }
        let rest = Array(torn.utf8.dropFirst(half))
        #expect(rest.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == rest.count)
        #expect(try export(receiver).status == .exited(0))
        #expect(receiver.spans.count == 631)
        #expect(receiver.spans.last?["name"] as? String == "late")

        // The same line always gives the same ids (a duplicate is the same span).
        #expect(receiver.spans.allSatisfy { ($0["traceId"] as? String)?.count == 32 })
    }

    @Test("https: a certificate the system does not trust is refused at once, not retried; the events wait")
    func untrustedCertificate() throws {
        try sandbox.on()
        try record(2)
        let folder = TemporaryFolder()
        let made = try Spawned.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-days", "1",
                "-keyout", folder.path + "/key.pem", "-out", folder.path + "/cert.pem",
            ], environment: ["PATH": ShippedFileTool.searchPath])
        #expect(made.status == .exited(0), "\(made.errorText)")
        let receiver = try OTLPReceiver(["--tls", folder.path + "/cert.pem", folder.path + "/key.pem"])
        let result = try sandbox.tlm(["export", "otlp", "--endpoint", "https://127.0.0.1:\(receiver.port)"])
        #expect(result.status == .exited(1))
        #expect(result.errorLines.count == 1, "\(result.errorText)")
        #expect(
            result.errorText.contains("https://127.0.0.1:\(receiver.port)/v1/traces failed: SSL certificate problem"))
        #expect(receiver.requests.isEmpty)
        #expect(!sandbox.folder.exists("tlm-home/export.cursor"))
    }

    @Test("--output writes the requests to a file, which opentelemetry-proto parses; the cursor moves")
    func output() throws {
        try sandbox.on()
        try record(5)
        let file = sandbox.folder.path + "/traces.jsonl"
        let result = try sandbox.tlm(["export", "otlp", "--output", file, "--batch-size", "2"])
        #expect(result.status == .exited(0), "\(result.errorText)")
        #expect(sandbox.folder.mode("traces.jsonl") == 0o600)
        #expect(sandbox.folder.text("traces.jsonl")?.split(separator: "\n").count == 3)
        let check = try Spawned.run(
            ["python3", OTLPReceiver.script, "--check", file], environment: ["PATH": ShippedFileTool.searchPath])
        #expect(check.status == .exited(0), "\(check.errorText)")
        #expect(check.text == "5\n")
        let dry = try sandbox.tlm(["export", "otlp", "--dry-run", "--endpoint", "http://127.0.0.1:9"])
        #expect(dry.text.contains("pending       0 events"))
        #expect(dry.text.contains("sent before   5"))
    }

    @Test("--dry-run shows the destination and what would be sent, and sends nothing")
    func dryRun() throws {
        try sandbox.on()
        try record(3)
        let receiver = try OTLPReceiver()
        let result = try sandbox.tlm(
            ["export", "otlp", "--dry-run", "--endpoint", receiver.endpoint, "--header", "Authorization=Bearer s3cret"])
        #expect(result.status == .exited(0))
        #expect(result.text.contains("endpoint      \(receiver.endpoint)/v1/traces (--endpoint)"))
        #expect(result.text.contains("headers       Authorization=<hidden> (--header)"))
        #expect(!result.text.contains("s3cret"))
        #expect(result.text.contains("pending       3 events in 1 request"))
        #expect(receiver.requests.isEmpty)
        #expect(!sandbox.folder.exists("tlm-home/export.cursor"))
        #expect(result.text.contains("protocol      http/protobuf (default)\n"))
        #expect(result.text.contains("compression   none (default)\n"))
        let json = try sandbox.tlm(
            ["export", "otlp", "--dry-run", "--endpoint", receiver.endpoint],
            environment: [
                "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/json", "OTEL_EXPORTER_OTLP_COMPRESSION": "gzip",
                "TLM_DEBUG": "1",
            ])
        #expect(json.status == .exited(0), "\(json.errorText)")
        #expect(
            json.errorText
                == "tlm: debug: export to \(receiver.endpoint)/v1/traces (--endpoint) as http/json "
                + "(OTEL_EXPORTER_OTLP_TRACES_PROTOCOL), compression gzip (OTEL_EXPORTER_OTLP_COMPRESSION)\n")
        #expect(json.text.contains("protocol      http/json (OTEL_EXPORTER_OTLP_TRACES_PROTOCOL)\n"))
        #expect(json.text.contains("compression   gzip (OTEL_EXPORTER_OTLP_COMPRESSION)\n"))
        // gRPC is refused, not ignored: sending HTTP to a gRPC port would reach nothing.
        let grpc = try sandbox.tlm(
            ["export", "otlp", "--dry-run", "--endpoint", receiver.endpoint],
            environment: ["OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"])
        #expect(grpc.status == .exited(64))
        #expect(
            grpc.errorText
                == "tlm export: OTLP over gRPC is not supported: use http/protobuf (the default) or http/json "
                + "(from OTEL_EXPORTER_OTLP_PROTOCOL) (try 'tlm export --help')\n")
        #expect(grpc.text.isEmpty)
    }

    @Test("OTEL_EXPORTER_OTLP_* and OTEL_SERVICE_NAME are read, above config.json")
    func environment() throws {
        try sandbox.on()
        try record(2)
        let receiver = try OTLPReceiver(["--path", "/custom/traces", "--header", "Authorization"])
        #expect(try sandbox.tlm(["config", "set", "export.endpoint", "http://127.0.0.1:9"]).status == .exited(0))
        let result = try sandbox.tlm(
            ["export", "otlp"],
            environment: [
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": receiver.endpoint + "/custom/traces",
                "OTEL_EXPORTER_OTLP_HEADERS": "Authorization=Bearer%20abc,x-extra=1",
                "OTEL_SERVICE_NAME": "ci-builds",
            ])
        #expect(result.status == .exited(0), "\(result.errorText)")
        #expect(receiver.requests.first?["authorization"] as? String == "Bearer abc")
        #expect(receiver.spans.count == 2)
        #expect((receiver.spans.first?["resource"] as? [String: Any])?["service.name"] as? String == "ci-builds")
    }

    @Test("export.auto: run starts a background export, never waits for it, and it delivers")
    func automatic() throws {
        try sandbox.on()
        let receiver = try OTLPReceiver(["--hold", "HOLD"])
        for (key, value) in [
            ("export.endpoint", receiver.endpoint), ("export.auto", "true"), ("export.interval", "0s"),
        ] {
            #expect(try sandbox.tlm(["config", "set", key, value]).status == .exited(0))
        }
        // The receiver holds every request until released: run ends (and its output
        // closes, which `Spawned.run` waits for) while the export is still waiting.
        let run = try sandbox.tlm(["run", "--", "sh", "-c", "exit 3"], timeout: 20)
        #expect(run.status == .exited(3))
        #expect(run.errorText.isEmpty)
        #expect(receiver.requests.isEmpty)
        receiver.folder.write("release", "")
        #expect(OTLPReceiver.wait { receiver.spans.count == 1 })
        #expect(receiver.spans.first?["name"] as? String == "sh")
    }

    @Test("export.interval: no second automatic export within it")
    func interval() throws {
        try sandbox.on()
        let receiver = try OTLPReceiver()
        for (key, value) in [
            ("export.endpoint", receiver.endpoint), ("export.auto", "true"), ("export.interval", "1h"),
        ] {
            #expect(try sandbox.tlm(["config", "set", key, value]).status == .exited(0))
        }
        #expect(try sandbox.tlm(["run", "--", "true"]).status == .exited(0))
        #expect(OTLPReceiver.wait { receiver.spans.count == 1 })
        #expect(try sandbox.tlm(["run", "--", "true"]).status == .exited(0))
        usleep(1_500_000)
        #expect(receiver.requests.count == 1)
        // A manual export is not bound by the interval.
        #expect(try export(receiver).status == .exited(0))
        #expect(receiver.spans.count == 2)
    }

    @Test(
        "bad usage: one line naming what is wrong, exit 64",
        arguments: [
            ["export"], ["export", "xml"], ["export", "json", "--endpoint", "http://x"], ["export", "otlp"],
            ["export", "otlp", "--endpoint", "ftp://x"],
            ["export", "otlp", "--endpoint", "http://x", "--batch-size", "0"],
            ["export", "otlp", "--endpoint", "http://x", "--timeout", "soon"],
            ["export", "otlp", "--dry-run", "--output", "f"], ["export", "prometheus"],
            ["export", "prometheus", "--textfile", "a.prom", "--job", "x"],
            ["export", "otlp", "--endpoint", "http://x", "--header", "no-equals"],
            ["export", "otlp", "--endpoint", "http://x", "--protocol", "grpc"],
            ["export", "otlp", "--endpoint", "http://x", "--protocol", "json"],
            ["export", "otlp", "--endpoint", "http://x", "--compression", "br"],
            ["export", "otlp", "--output", "f", "--protocol", "http/protobuf"],
            ["export", "json", "--protocol", "http/json"],
        ])
    func usage(arguments: [String]) throws {
        let result = try sandbox.tlm(arguments)
        #expect(result.status == .exited(64), "\(arguments): \(result.errorText)")
        #expect(result.errorLines.count == 1, "\(result.errorText)")
        #expect(result.errorText.hasPrefix("tlm export: "))
        #expect(result.text.isEmpty)
    }

    @Test("tlm without tlm-export beside it: one line saying how to install it, exit 1")
    func helperMissing() throws {
        let alone = TemporaryFolder()
        let copy = alone.path + "/tlm"
        #expect(try Spawned.run(["cp", TLMBinary.path, copy], environment: sandbox.environment).status == .exited(0))
        let result = try Spawned.run(
            [copy, "export", "otlp", "--endpoint", "http://127.0.0.1:9"], environment: sandbox.environment)
        #expect(result.status == .exited(1))
        #expect(result.errorText.contains("cannot start \(alone.path)/tlm-export, tlm's network half"))
        // The package split: whoever installed the tlm package alone learns which one to add.
        #expect(result.errorText.contains("(Debian: the tlm-export package;"), "\(result.errorText)")
        #expect(result.errorLines.count == 1, "\(result.errorText)")
    }
}
