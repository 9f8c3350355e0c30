import Foundation
import Glibc
import TLMCLI
import TLMRecorder
import TLMTestSupport
import Testing

/// `tlm export otlp` in both OTLP/HTTP encodings, end to end, against the receiver of
/// Fixtures/otlp_receiver.py: protobuf (the default) read by opentelemetry-proto's
/// `ParseFromString`, JSON by its JSON parser, both recorded in one form so that the
/// spans of the same log sent both ways compare line for line (every field, with its
/// type, as Python's json writes it: `true`, `2`, `2.0` and `"2"` differ). Then gzip,
/// where the protocol and compression come from, and a collector's partial_success.
@Suite("export otlp: protobuf and JSON, gzip, partial_success", .serialized)
struct ExportProtocolTests {
    let sandbox = Sandbox()

    static let protobuf = "application/x-protobuf"
    static let json = "application/json"

    func export(
        _ receiver: OTLPReceiver, _ extra: [String] = [], environment: [String: String] = [:], in other: Sandbox? = nil
    ) throws -> Spawned {
        try (other ?? sandbox).tlm(
            ["export", "otlp", "--endpoint", receiver.endpoint] + extra, environment: environment)
    }

    /// Another sandbox holding the same log, to send the same events again (a span's ids
    /// are in its line, or derived from it).
    func twin() throws -> Sandbox {
        let other = Sandbox()
        try other.on()
        other.folder.write("tlm-home/usage.jsonl", sandbox.folder.text("tlm-home/usage.jsonl") ?? "")
        return other
    }

    /// Adds lines to the log as they are.
    func append(_ lines: [String]) {
        let before = sandbox.folder.text("tlm-home/usage.jsonl") ?? ""
        sandbox.folder.write("tlm-home/usage.jsonl", before + lines.joined())
    }

    /// A line with every field tlm writes, a signal, a negative exit code and non-ASCII text.
    static let everyField = EventEncoder.line(
        Event(
            timestamp: Timestamp(millisecondsSinceEpoch: 1_771_065_000_123), target: "déployer→prod",
            domain: "web «eu»", durationSeconds: 12.25, exitCode: -1, command: "make", signal: "SIGINT",
            cpuUserSeconds: 0.25, cpuSystemSeconds: 2, maxRSSKilobytes: 81234, timedOut: false, attempts: 3,
            traceID: "0af7651916cd43dd8448eb211c80319c", spanID: "b7ad6b7169203331",
            parentSpanID: "00f067aa0ba902b7", ci: "gitlab"))

    /// `count` events of the shape `tlm run` writes, all different.
    static func runLines(_ count: Int) -> [String] {
        (0..<count).map { index in
            let hex = String(index, radix: 16)
            let id = String(repeating: "0", count: 16 - hex.count) + hex
            return EventEncoder.line(
                Event(
                    timestamp: Timestamp(millisecondsSinceEpoch: 1_771_065_000_000 + Int64(index) * 1_500),
                    target: "apply-\(index % 7)", domain: "web", durationSeconds: Double(index) / 8,
                    exitCode: index % 5 == 0 ? 2 : 0, command: "make", cpuUserSeconds: 0.5, cpuSystemSeconds: 0.125,
                    maxRSSKilobytes: 40_000 + index, timedOut: false, attempts: 1,
                    traceID: "4bf92f3577b34da6a3ce929d" + String(id.suffix(8)), spanID: "1" + String(id.dropFirst())))
        }
    }

    /// Records one of each shape: a tree of three nested runs (TRACEPARENT), a failure, a
    /// timeout with every option (retried, in CI, under a parent), a death by signal, three
    /// anklume lines (no optional field), and a line with every field; returns the count.
    func recordEveryShape() throws -> Int {
        try sandbox.on()
        let tlm = TLMBinary.path
        let nested = "\(tlm) run -- sh -c '\(tlm) run -- true'"
        #expect(try sandbox.tlm(["run", "--", "sh", "-c", nested]).status == .exited(0))
        let failing = try sandbox.tlm(["run", "--target", "apply", "--domain", "web", "--", "sh", "-c", "exit 2"])
        #expect(failing.status == .exited(2))
        let slow = try sandbox.tlm(
            [
                "run", "--target", "slow", "--domain", "db", "--timeout", "0.3s", "--retries", "1", "--retry-delay",
                "0.1s", "--retry-on-timeout", "--quiet", "--", "sleep", "10",
            ],
            environment: [
                "GITHUB_ACTIONS": "true", "TRACEPARENT": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            ])
        #expect(slow.status == .exited(124), "\(slow.errorText)")
        let killed = try sandbox.tlm(["run", "--", "sh", "-c", "kill -TERM $$"])
        #expect(killed.status == .signaled(SIGTERM) || killed.status == .exited(143))
        append(
            [
                ExportOTLPTests.anklumeLine(10, target: "plan"), ExportOTLPTests.anklumeLine(20, target: "sync"),
                ExportOTLPTests.anklumeLine(30, target: "destroy"), Self.everyField,
            ])
        #expect(sandbox.logLines.count == 10)
        return sandbox.logLines.count
    }

    // MARK: - The default: protobuf, the same spans as JSON

    @Test("by default the spans go as protobuf, which ParseFromString reads as the same spans as JSON, every shape")
    func protobufByDefault() throws {
        let count = try recordEveryShape()
        let binary = try OTLPReceiver()
        let result = try export(binary)
        #expect(result.status == .exited(0), "\(result.errorText)")
        #expect(result.errorText.contains("exported \(count) events"), "\(result.errorText)")
        #expect(binary.requests.map { $0["contentType"] as? String } == [Self.protobuf])
        #expect(binary.requests.map { $0["status"] as? Int } == [200])
        #expect(binary.requests.allSatisfy { $0["contentEncoding"] is NSNull })
        #expect(binary.spans.count == count)

        let textual = try OTLPReceiver()
        let again = try export(textual, ["--protocol", "http/json"], in: twin())
        #expect(again.status == .exited(0), "\(again.errorText)")
        #expect(textual.requests.map { $0["contentType"] as? String } == [Self.json])
        // Field by field, with their types: ids, times, kind, status and its message, every
        // attribute, the resource, the scope and its version.
        #expect(binary.spanLines == textual.spanLines)
        try Self.checkShapes(binary.spans)
    }

    /// What the protobuf said, read back: not only the same as JSON, but right.
    static func checkShapes(_ spans: [[String: Any]]) throws {
        func attributes(_ span: [String: Any]) -> [String: Any] { span["attributes"] as? [String: Any] ?? [:] }
        for span in spans {
            #expect(span["kind"] as? Int == 3)
            #expect(span["scope"] as? String == "tlm" && span["scopeVersion"] as? String == CommandCatalog.version)
            let resource = span["resource"] as? [String: Any] ?? [:]
            #expect(Set(resource.keys) == ["service.name", "service.version", "os.type", "host.arch"])
            #expect(resource["service.name"] as? String == "tlm")
            #expect((span["traceId"] as? String)?.count == 32 && (span["spanId"] as? String)?.count == 16)
            #expect((span["end"] as? Int ?? 0) >= (span["start"] as? Int ?? 1))
        }
        // The tree: one trace, each run the parent of the next.
        let tree = spans.filter {
            ["sh", "true"].contains($0["name"] as? String) && attributes($0)["tlm.signal"] == nil
        }
        #expect(tree.count == 3 && Set(tree.map { $0["traceId"] as? String }).count == 1)
        let outer = try #require(tree.first { $0["parentSpanId"] as? String == "" })
        let middle = try #require(tree.first { $0["parentSpanId"] as? String == outer["spanId"] as? String })
        let inner = try #require(tree.first { $0["parentSpanId"] as? String == middle["spanId"] as? String })
        #expect(inner["name"] as? String == "true" && inner["status"] as? Int == 0)

        let failing = try #require(spans.first { $0["name"] as? String == "apply" })
        #expect(failing["status"] as? Int == 2 && attributes(failing)["error.type"] as? String == "2")

        let slow = try #require(spans.first { $0["name"] as? String == "slow" })
        #expect(slow["traceId"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(slow["parentSpanId"] as? String == "00f067aa0ba902b7")
        #expect(slow["status"] as? Int == 2)
        #expect((slow["statusMessage"] as? String)?.hasPrefix("timed out") == true, "\(slow)")
        #expect(attributes(slow)["tlm.timed_out"] as? Bool == true)
        #expect(attributes(slow)["tlm.attempts"] as? Int == 2)
        #expect(attributes(slow)["tlm.ci"] as? String == "github-actions")
        #expect(attributes(slow)["cicd.pipeline.task.name"] as? String == "slow")

        let killed = try #require(spans.first { attributes($0)["tlm.signal"] as? String == "SIGTERM" })
        #expect(killed["status"] as? Int == 2 && killed["statusMessage"] as? String == "killed by SIGTERM")
        #expect(attributes(killed)["process.exit.code"] as? Int == 143)

        // The anklume lines: their five fields only, ids derived from the line.
        let anklume = spans.filter { ["plan", "sync", "destroy"].contains($0["name"] as? String) }
        #expect(anklume.count == 3)
        for span in anklume {
            #expect(Set(attributes(span).keys) == ["process.exit.code", "tlm.target", "tlm.domain"])
            #expect(span["parentSpanId"] as? String == "" && span["status"] as? Int == 0)
        }
        let sync = try #require(spans.first { $0["name"] as? String == "sync" })
        #expect(sync["statusMessage"] as? String == "")
        #expect(sync["end"] as? Int == (sync["start"] as? Int ?? 0) + 1_500_000_000)

        let full = try #require(spans.first { $0["name"] as? String == "déployer→prod" })
        #expect(
            full["spanId"] as? String == "b7ad6b7169203331" && full["parentSpanId"] as? String == "00f067aa0ba902b7")
        #expect(full["start"] as? Int == 1_771_065_000_123_000_000)
        #expect(full["end"] as? Int == 1_771_065_012_373_000_000)
        let every = attributes(full)
        #expect(every["process.exit.code"] as? Int == -1)
        #expect(every["tlm.domain"] as? String == "web «eu»")
        #expect(every["tlm.signal"] as? String == "SIGINT")
        #expect(every["tlm.cpu.user_seconds"] as? Double == 0.25)
        #expect(every["tlm.cpu.system_seconds"] as? Double == 2)
        #expect(every["tlm.memory.max_rss_kb"] as? Int == 81234)
        #expect(every["tlm.timed_out"] as? Bool == false)
        #expect(every["tlm.attempts"] as? Int == 3)
        #expect(every["tlm.ci"] as? String == "gitlab")
    }

    @Test("the fuzz corpus's events reach ParseFromString as protobuf, the same spans as in JSON")
    func fuzzCorpus() throws {
        // The fuzz target checks the wire format by hand (libFuzzer cannot call Python);
        // here its seeds, hostile ones included, go through the official parser.
        try sandbox.on()
        var lines: [String] = []
        for folder in ["event", "protobuf"] {
            let path = ShippedFile.path("Tests/Fuzz/corpus/" + folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: path).sorted() {
                let text = String(decoding: readFile(path + "/" + name) ?? [], as: UTF8.self)
                lines += text.split(separator: "\n").map { $0 + "\n" }
            }
        }
        append(lines)
        let binary = try OTLPReceiver()
        let result = try export(binary)
        #expect(result.status == .exited(0), "\(result.errorText)")
        #expect(binary.requests.allSatisfy { $0["contentType"] as? String == Self.protobuf })
        #expect(binary.requests.allSatisfy { $0["status"] as? Int == 200 }, "\(binary.requests)")
        // The seeds' events OTLP can hold (not those of year 0 or 9999, nor a lone surrogate).
        #expect(binary.spans.count >= 10, "\(binary.spans.count) of \(lines.count) lines")
        let textual = try OTLPReceiver()
        #expect(try export(textual, ["--protocol", "http/json"], in: twin()).status == .exited(0))
        #expect(binary.spanLines == textual.spanLines)
    }

    // MARK: - gzip

    @Test(
        "gzip, from each source, in both encodings: Content-Encoding: gzip, fewer bytes, the same body and spans",
        arguments: [
            "--compression", "OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION",
            "TLM_EXPORT_COMPRESSION", "export.compression",
        ],
        ["http/protobuf", "http/json"])
    func gzip(source: String, encoding: String) throws {
        try sandbox.on()
        append(Self.runLines(100))
        let plain = try OTLPReceiver()
        #expect(try export(plain, ["--protocol", encoding], in: twin()).status == .exited(0))
        var options = ["--protocol", encoding]
        var environment: [String: String] = [:]
        switch source {
        case "--compression": options += ["--compression", "gzip"]
        case "export.compression":
            #expect(try sandbox.tlm(["config", "set", "export.compression", "gzip"]).status == .exited(0))
        case "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION":
            // The more specific variable wins.
            environment = [source: "gzip", "OTEL_EXPORTER_OTLP_COMPRESSION": "none"]
        default: environment = [source: "gzip"]
        }
        let receiver = try OTLPReceiver()
        let result = try export(receiver, options, environment: environment)
        #expect(result.status == .exited(0), "\(result.errorText)")
        let type = encoding == "http/json" ? Self.json : Self.protobuf
        let sent = receiver.requests
        let uncompressed = plain.requests
        #expect(sent.count == 1 && uncompressed.count == 1)
        #expect(sent.first?["contentType"] as? String == type)
        #expect(sent.first?["contentEncoding"] as? String == "gzip")
        #expect(uncompressed.first?["contentEncoding"] is NSNull)
        let wire = try #require(sent.first?["bytes"] as? Int)
        let body = try #require(uncompressed.first?["bytes"] as? Int)
        // The receiver gunzipped exactly the body sent without gzip, and it was smaller on the wire.
        #expect(sent.first?["decompressedBytes"] as? Int == body)
        #expect(wire < body, "\(wire) bytes gzipped, \(body) plain")
        #expect(receiver.spans.count == 100)
        #expect(receiver.spanLines == plain.spanLines)
    }

    @Test("--compression none beats OTEL_EXPORTER_OTLP_COMPRESSION=gzip; none is the default")
    func compressionNone() throws {
        try sandbox.on()
        append(Self.runLines(3))
        let receiver = try OTLPReceiver()
        let result = try export(
            receiver, ["--compression", "none"], environment: ["OTEL_EXPORTER_OTLP_COMPRESSION": "gzip"])
        #expect(result.status == .exited(0), "\(result.errorText)")
        #expect(receiver.requests.first?["contentEncoding"] is NSNull)
        let other = try OTLPReceiver()
        #expect(try export(other, in: twin()).status == .exited(0))
        #expect(other.requests.first?["contentEncoding"] is NSNull)
        #expect(receiver.spans.count == 3 && other.spans.count == 3)
    }

    // MARK: - Where the protocol comes from

    /// One way of choosing the protocol, and the content type that must arrive.
    struct Choice: Sendable, CustomTestStringConvertible {
        var options: [String] = []
        var environment: [String: String] = [:]
        var config: String? = nil
        var expected: String
        let testDescription: String
    }

    static let choices: [Choice] = [
        Choice(expected: protobuf, testDescription: "nothing set: protobuf"),
        Choice(
            environment: ["OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"], expected: json,
            testDescription: "OTEL_EXPORTER_OTLP_PROTOCOL=http/json"),
        Choice(
            environment: [
                "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/protobuf", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
            ],
            expected: protobuf, testDescription: "the TRACES variable wins over OTEL_EXPORTER_OTLP_PROTOCOL (protobuf)"),
        Choice(
            environment: [
                "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/json", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
            ],
            expected: json, testDescription: "the TRACES variable wins over OTEL_EXPORTER_OTLP_PROTOCOL (json)"),
        Choice(
            options: ["--protocol", "http/protobuf"],
            environment: [
                "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/json", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
            ],
            config: "http/json", expected: protobuf, testDescription: "--protocol wins over everything (protobuf)"),
        Choice(
            options: ["--protocol", "http/json"],
            environment: [
                "TLM_EXPORT_PROTOCOL": "http/protobuf", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/protobuf",
            ], expected: json, testDescription: "--protocol wins over everything (json)"),
        Choice(
            environment: ["TLM_EXPORT_PROTOCOL": "http/json", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/protobuf"],
            expected: json, testDescription: "TLM_EXPORT_PROTOCOL wins over OTEL_*"),
        Choice(config: "http/json", expected: json, testDescription: "config.json export.protocol alone"),
        Choice(
            environment: ["OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"], config: "http/json", expected: protobuf,
            testDescription: "OTEL_EXPORTER_OTLP_PROTOCOL wins over config.json"),
    ]

    @Test(
        "the protocol: the option, TLM_EXPORT_PROTOCOL, OTEL_*_TRACES_*, OTEL_*, config.json, then protobuf",
        arguments: choices)
    func precedence(choice: Choice) throws {
        try sandbox.on()
        append(Self.runLines(2))
        if let value = choice.config {
            #expect(try sandbox.tlm(["config", "set", "export.protocol", value]).status == .exited(0))
        }
        let receiver = try OTLPReceiver()
        let result = try export(receiver, choice.options, environment: choice.environment)
        #expect(result.status == .exited(0), "\(result.errorText)")
        #expect(receiver.requests.map { $0["contentType"] as? String } == [choice.expected])
        #expect(receiver.spans.count == 2)
    }

    @Test(
        "grpc, from the option or the environment: exit 64, one line naming the source, nothing sent, cursor unmoved",
        arguments: [
            (["--protocol", "grpc"], [:], "--protocol"),
            ([], ["OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"], "OTEL_EXPORTER_OTLP_PROTOCOL"),
            (
                [], ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"],
                "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"
            ),
        ] as [([String], [String: String], String)])
    func grpc(options: [String], environment: [String: String], source: String) throws {
        try sandbox.on()
        append(Self.runLines(2))
        let receiver = try OTLPReceiver()
        let result = try export(receiver, options, environment: environment)
        #expect(result.status == .exited(64))
        // The contract's line, with the hint to the help that ends every usage error of tlm's.
        #expect(
            result.errorLines
                == [
                    "tlm export: OTLP over gRPC is not supported: use http/protobuf (the default) or http/json "
                        + "(from \(source)) (try 'tlm export --help')"
                ])
        #expect(result.text.isEmpty)
        #expect(receiver.requests.isEmpty)
        #expect(!sandbox.folder.exists("tlm-home/export.cursor"))
    }

    @Test(
        "an unknown protocol or compression: exit 64, one line naming the source and what is accepted",
        arguments: [
            (["--protocol", "http/xml"], [:], ["--protocol", "http/xml", "http/protobuf", "http/json"]),
            (
                [], ["OTEL_EXPORTER_OTLP_PROTOCOL": "json"],
                ["OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf", "http/json"]
            ),
            (["--compression", "brotli"], [:], ["--compression", "brotli", "gzip", "none"]),
        ] as [([String], [String: String], [String])])
    func unknownValue(options: [String], environment: [String: String], named: [String]) throws {
        try sandbox.on()
        append(Self.runLines(2))
        let receiver = try OTLPReceiver()
        let result = try export(receiver, options, environment: environment)
        #expect(result.status == .exited(64))
        #expect(result.errorLines.count == 1, "\(result.errorText)")
        #expect(result.errorText.hasPrefix("tlm export: "))
        for word in named { #expect(result.errorText.contains(word), "\(word): \(result.errorText)") }
        #expect(receiver.requests.isEmpty)
        #expect(!sandbox.folder.exists("tlm-home/export.cursor"))
    }

    // MARK: - partial_success

    @Test(
        "partial_success in both encodings: one line, exit 1, not counted as sent, the cursor moves",
        arguments: ["http/protobuf", "http/json"])
    func partialSuccess(encoding: String) throws {
        try sandbox.on()
        append(Self.runLines(5))
        let receiver = try OTLPReceiver(["--partial", "2,too old"])
        let result = try export(receiver, ["--protocol", encoding])
        #expect(result.status == .exited(1), "\(result.errorText)")
        #expect(
            receiver.requests.map { $0["contentType"] as? String } == [
                encoding == "http/json" ? Self.json : Self.protobuf
            ])
        #expect(
            result.errorLines.filter { $0.contains("rejected") && !$0.contains("sent") } == [
                "tlm export: the collector rejected 2 of 5 spans: too old"
            ])
        #expect(result.errorText.contains("sent 3 of 5 events (2 rejected by the collector)"), "\(result.errorText)")
        #expect(!result.errorText.contains("exported 5 events"))
        // The specification says not to send rejected spans again.
        let again = try export(receiver, ["--protocol", encoding])
        #expect(again.status == .exited(0), "\(again.errorText)")
        #expect(again.errorText.contains("nothing to export"))
        #expect(receiver.requests.count == 1)
    }

    @Test("partial_success on every batch: one line per batch, the rejected spans summed, exit 1")
    func partialEachBatch() throws {
        try sandbox.on()
        append(Self.runLines(5))
        let receiver = try OTLPReceiver(["--partial", "1,old"])
        let result = try export(receiver, ["--batch-size", "2"])
        #expect(result.status == .exited(1), "\(result.errorText)")
        #expect(receiver.requests.count == 3)
        #expect(
            result.errorLines.filter { $0.hasPrefix("tlm export: the collector rejected") } == [
                "tlm export: the collector rejected 1 of 2 spans: old",
                "tlm export: the collector rejected 1 of 2 spans: old",
                "tlm export: the collector rejected 1 of 1 span: old",
            ])
        #expect(result.errorText.contains("sent 2 of 5 events (3 rejected by the collector)"), "\(result.errorText)")
        #expect(try export(receiver).errorText.contains("nothing to export"))
    }

    @Test("a partial_success with a message and no rejected span is reported too, exit 1")
    func partialMessageOnly() throws {
        try sandbox.on()
        append(Self.runLines(3))
        let receiver = try OTLPReceiver(["--partial", "0,attribute tlm.ci is deprecated"])
        let result = try export(receiver)
        #expect(result.status == .exited(1), "\(result.errorText)")
        #expect(
            result.errorLines.filter { $0.hasPrefix("tlm export: the collector rejected") } == [
                "tlm export: the collector rejected 0 of 3 spans: attribute tlm.ci is deprecated"
            ])
        #expect(receiver.spans.count == 3)
        #expect(try export(receiver).errorText.contains("nothing to export"))
    }

    @Test(
        "an answer that cannot be read is not a rejection: one warning, the events delivered, exit 0",
        arguments: [("http/protobuf", "\n\u{7F}"), ("http/json", "{\"partialSuccess\":")])
    func unreadableAnswer(encoding: String, body: String) throws {
        try sandbox.on()
        append(Self.runLines(3))
        let receiver = try OTLPReceiver(["--answer", body])
        let result = try export(receiver, ["--protocol", encoding])
        #expect(result.status == .exited(0), "\(result.errorText)")
        #expect(result.errorLines.filter { $0.contains("the collector's answer could not be read: ") }.count == 1)
        #expect(!result.errorText.contains("rejected"))
        #expect(result.errorText.contains("exported 3 events"), "\(result.errorText)")
        #expect(receiver.spans.count == 3)
        #expect(try export(receiver).errorText.contains("nothing to export"))
    }

    @Test("a hostile partial_success message: escaped, cut, on one line", arguments: ["http/protobuf", "http/json"])
    func hostileMessage(encoding: String) throws {
        try sandbox.on()
        append(Self.runLines(3))
        let message = "\u{1B}[31mred\u{1B}]0;title\u{07}\nforged line\r" + String(repeating: "x", count: 10_000)
        let receiver = try OTLPReceiver(["--partial", "1," + message])
        let result = try export(receiver, ["--protocol", encoding])
        #expect(result.status == .exited(1), "\(result.errorText)")
        #expect(!result.stderr.contains(0x1B) && !result.stderr.contains(0x07) && !result.stderr.contains(0x0D))
        let lines = result.errorLines.filter { $0.contains("the collector rejected") }
        #expect(lines.count == 1, "\(result.errorText)")
        let line = try #require(lines.first)
        let prefix = "tlm export: the collector rejected 1 of 3 spans: "
        #expect(line.hasPrefix(prefix + "\\x1b[31mred"), "\(line)")
        #expect(line.contains("forged line"), "\(line)")
        // Cut at 200 bytes of message (escapes and a mark of the cut aside).
        #expect(line.utf8.count < prefix.utf8.count + 300, "\(line.utf8.count) bytes")
        #expect(!result.errorLines.contains { $0.hasPrefix("forged line") || $0.hasPrefix("xxx") })
    }

    // MARK: - --output, --dry-run, automatic export

    @Test("--output writes OTLP/JSON lines whatever the protocol and compression, which opentelemetry-proto parses")
    func outputIsJSON() throws {
        try sandbox.on()
        append(Self.runLines(5))
        let file = sandbox.folder.path + "/traces.jsonl"
        let result = try sandbox.tlm(
            ["export", "otlp", "--output", file, "--batch-size", "2"],
            environment: ["OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf", "OTEL_EXPORTER_OTLP_COMPRESSION": "gzip"])
        #expect(result.status == .exited(0), "\(result.errorText)")
        let text = try #require(sandbox.folder.text("traces.jsonl"))
        #expect(text.split(separator: "\n").count == 3)
        #expect(text.split(separator: "\n").allSatisfy { $0.hasPrefix("{\"resourceSpans\":") })
        let check = try Spawned.run(
            ["python3", OTLPReceiver.script, "--check", file], environment: ["PATH": ShippedFileTool.searchPath])
        #expect(check.status == .exited(0), "\(check.errorText)")
        #expect(check.text == "5\n")
    }

    @Test("--dry-run names the protocol and compression it would use, and where each came from")
    func dryRun() throws {
        try sandbox.on()
        append(Self.runLines(2))
        let receiver = try OTLPReceiver()
        let plain = try export(receiver, ["--dry-run"])
        #expect(plain.status == .exited(0), "\(plain.errorText)")
        #expect(plain.text.contains("http/protobuf"), "\(plain.text)")
        let chosen = try export(
            receiver, ["--dry-run"],
            environment: ["OTEL_EXPORTER_OTLP_PROTOCOL": "http/json", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION": "gzip"])
        #expect(chosen.status == .exited(0), "\(chosen.errorText)")
        for word in ["http/json", "OTEL_EXPORTER_OTLP_PROTOCOL", "gzip", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION"] {
            #expect(chosen.text.contains(word), "\(word): \(chosen.text)")
        }
        #expect(receiver.requests.isEmpty)
    }

    @Test(
        "export.auto: the automatic export after tlm run sends in the configured protocol and compression",
        arguments: [nil, "http/json"] as [String?])
    func automatic(configured: String?) throws {
        try sandbox.on()
        let receiver = try OTLPReceiver()
        var settings = [("export.endpoint", receiver.endpoint), ("export.auto", "true"), ("export.interval", "0s")]
        if let configured { settings += [("export.protocol", configured), ("export.compression", "gzip")] }
        for (key, value) in settings {
            #expect(try sandbox.tlm(["config", "set", key, value]).status == .exited(0))
        }
        #expect(try sandbox.tlm(["run", "--", "sh", "-c", "exit 3"]).status == .exited(3))
        #expect(OTLPReceiver.wait { receiver.spans.count == 1 })
        let request = try #require(receiver.requests.first)
        #expect(request["contentType"] as? String == (configured == nil ? Self.protobuf : Self.json))
        #expect(request["contentEncoding"] as? String == (configured == nil ? nil : "gzip"))
        #expect(receiver.spans.first?["name"] as? String == "sh")
    }
}

extension OTLPReceiver {
    /// The recorded spans as the receiver wrote them (Python's json: types kept), sorted.
    var spanLines: [String] {
        guard let bytes = readFile(spansPath) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init).sorted()
    }
}
