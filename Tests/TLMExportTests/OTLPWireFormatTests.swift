import Glibc
import TLMRecorder
import TLMTestSupport
import Testing

@testable import TLMExport

/// A compressor that notes what it was given and answers from a script.
final class FakeCompressor: BodyCompressor, @unchecked Sendable {
    var inputs: [[UInt8]] = []
    let failure: TransportFailure?

    init(failing failure: TransportFailure? = nil) { self.failure = failure }

    /// Not gzip: a marker then the bytes, so that a test sees the body went through it.
    func gzip(_ bytes: [UInt8]) -> Result<[UInt8], TransportFailure> {
        inputs.append(bytes)
        if let failure { return .failure(failure) }
        return .success([0x1F, 0x8B] + bytes)
    }
}

@Suite("OTLP protocol and compression: where each comes from, what is refused")
struct OTLPWireFormatTests {
    static let protocolVariables = [
        "TLM_EXPORT_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL",
    ]
    static let compressionVariables = [
        "TLM_EXPORT_COMPRESSION", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "OTEL_EXPORTER_OTLP_COMPRESSION",
    ]

    /// The format resolved from these options, variables and config.json text (none: no file).
    static func resolve(
        _ variables: [String: String], protocol protocolOption: String? = nil, compression: String? = nil,
        config: String? = nil
    ) -> Result<OTLPWireFormat, ExportError> {
        let folder = TemporaryFolder()
        if let config { folder.write("config.json", config) }
        let environment = Environment(variables)
        let settings = Settings.load(home: TelemetryHome(folder: folder.path), environment: environment)
        return OTLPWireFormat.resolve(
            protocol: protocolOption, compression: compression, environment: environment, settings: settings)
    }

    static func refusal(_ result: Result<OTLPWireFormat, ExportError>) -> String? {
        guard case .failure(.usage(let text)) = result else { return nil }
        return text
    }

    @Test("the default: http/protobuf, no compression")
    func defaults() throws {
        let format = try Self.resolve([:]).get()
        #expect(format == OTLPWireFormat(encoding: .protobuf, encodingSource: "default", compression: .none))
        #expect(format.description == "http/protobuf (default), compression none (default)")
        #expect(ConfigKey.exportProtocol.defaultText == "http/protobuf")
        #expect(ConfigKey.exportCompression.defaultText == "none")
    }

    @Test("precedence: the option, TLM_*, OTEL_*_TRACES_*, OTEL_*, config.json, the default; the source named")
    func precedence() throws {
        // Each source set to a value the next would not give, then removed in turn.
        var variables = [
            "TLM_EXPORT_PROTOCOL": "http/protobuf", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/json",
            "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
            "TLM_EXPORT_COMPRESSION": "none", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION": "gzip",
            "OTEL_EXPORTER_OTLP_COMPRESSION": "none",
        ]
        let config = "{\"export.protocol\": \"http/json\", \"export.compression\": \"gzip\"}"
        let option = try Self.resolve(variables, protocol: "http/json", compression: "gzip", config: config).get()
        #expect(
            option
                == OTLPWireFormat(
                    encoding: .json, encodingSource: "--protocol", compression: .gzip,
                    compressionSource: "--compression"))
        var expected: [(OTLPEncoding, String, OTLPCompression, String)] = [
            (.protobuf, "TLM_EXPORT_PROTOCOL", .none, "TLM_EXPORT_COMPRESSION"),
            (.json, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", .gzip, "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION"),
            (.protobuf, "OTEL_EXPORTER_OTLP_PROTOCOL", .none, "OTEL_EXPORTER_OTLP_COMPRESSION"),
            (.json, "config.json export.protocol", .gzip, "config.json export.compression"),
        ]
        for index in 0..<3 {
            let (encoding, encodingSource, compression, compressionSource) = expected.removeFirst()
            let format = try Self.resolve(variables, config: config).get()
            #expect(format.encoding == encoding && format.encodingSource == encodingSource, "\(format)")
            #expect(format.compression == compression && format.compressionSource == compressionSource, "\(format)")
            variables[Self.protocolVariables[index]] = nil
            variables[Self.compressionVariables[index]] = nil
        }
        let fromConfig = try Self.resolve(variables, config: config).get()
        #expect(
            fromConfig
                == OTLPWireFormat(
                    encoding: .json, encodingSource: "config.json export.protocol",
                    compression: .gzip, compressionSource: "config.json export.compression"))
        #expect(try Self.resolve(variables).get() == OTLPWireFormat())
        // An empty variable is not set, as for the endpoint.
        #expect(try Self.resolve(["OTEL_EXPORTER_OTLP_PROTOCOL": ""]).get() == OTLPWireFormat())
    }

    @Test("grpc is refused from every source with one line naming it; so is any other value")
    func refused() throws {
        let grpc = "OTLP over gRPC is not supported: use http/protobuf (the default) or http/json"
        #expect(Self.refusal(Self.resolve([:], protocol: "grpc")) == grpc + " (from --protocol)")
        for name in Self.protocolVariables {
            #expect(Self.refusal(Self.resolve([name: "grpc"])) == grpc + " (from \(name))")
            #expect(
                Self.refusal(Self.resolve([name: "http/xml"]))
                    == "protocol 'http/xml' is not supported: use http/protobuf (the default) or http/json (from \(name))"
            )
        }
        // A config.json tlm config set would refuse, written by hand: still named.
        #expect(
            Self.refusal(Self.resolve([:], config: "{\"export.protocol\": \"grpc\"}"))
                == grpc + " (from config.json export.protocol)")
        // An earlier source that is valid wins over a later one that is not.
        #expect(
            try Self.resolve(["TLM_EXPORT_PROTOCOL": "http/json", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"]).get().encoding
                == .json)
        for name in Self.compressionVariables {
            #expect(
                Self.refusal(Self.resolve([name: "br"]))
                    == "compression 'br' is not supported: use none (the default) or gzip (from \(name))")
        }
        #expect(
            Self.refusal(Self.resolve([:], compression: "zstd"))
                == "compression 'zstd' is not supported: use none (the default) or gzip (from --compression)")
        // Control characters in the value are shown, not sent to the terminal.
        #expect(Self.refusal(Self.resolve([:], protocol: "a\u{1b}]0;x"))?.contains("a\\x1b]0;x") == true)
        // The destination refuses it first, whatever else is wrong.
        guard
            case .failure(.usage(let text)) = OTLPDestination.resolve(
                endpoint: nil, headers: [], timeout: nil, protocol: "grpc", environment: Environment([:]),
                settings: Settings())
        else {
            Issue.record("grpc resolved to a destination")
            return
        }
        #expect(text == grpc + " (from --protocol)")
    }

    @Test("the config keys take only the listed values, as text and in config.json")
    func configKeys() throws {
        let key = ConfigKey.exportProtocol
        #expect(key.parse(text: "http/protobuf") == .string("http/protobuf"))
        #expect(key.parse(text: "http/json") == .string("http/json"))
        for bad in ["grpc", "", "HTTP/JSON", "http/protobuf "] { #expect(key.parse(text: bad) == nil, "\(bad)") }
        #expect(key.forms == "http/protobuf or http/json")
        #expect(ConfigKey.exportCompression.forms == "gzip or none")
        #expect(ConfigKey.exportCompression.parse(text: "gzip") == .string("gzip"))
        #expect(ConfigKey.exportCompression.parse(text: "deflate") == nil)
        #expect(key.parse(json: .string("http/json")) == .string("http/json"))
        #expect(key.parse(json: .bool(true)) == nil)
        #expect(ConfigKey.named("export.protocol") == key)
        #expect(ConfigKey.named("export.compression")?.environment == "TLM_EXPORT_COMPRESSION")

        let folder = TemporaryFolder()
        folder.write("config.json", "{\"export.protocol\": \"grpc\"}")
        let settings = Settings.load(home: TelemetryHome(folder: folder.path), environment: Environment([:]))
        #expect(
            settings.configError?.description
                == "\(folder.path)/config.json: 'export.protocol' must be \"http/protobuf\" or \"http/json\"")
        folder.write("config.json", "{\"export.protocol\": \"http/json\", \"export.compression\": \"gzip\"}")
        let good = Settings.load(
            home: TelemetryHome(folder: folder.path), environment: Environment(["TLM_EXPORT_COMPRESSION": "none"]))
        #expect(good.text(of: .exportProtocol) == "http/json" && good.source(of: .exportProtocol) == .config)
        #expect(good.text(of: .exportCompression) == "none" && good.source(of: .exportCompression) == .environment)
        // tlm's variable with a value no key takes: set aside, as for every key (export refuses it).
        let bad = Settings.load(home: nil, environment: Environment(["TLM_EXPORT_PROTOCOL": "grpc"]))
        #expect(
            bad.problems == [
                "TLM_EXPORT_PROTOCOL='grpc' is not http/protobuf or http/json: ignored "
                    + "(using the default: http/protobuf)"
            ])
    }
}

@Suite("OTLP requests: encoding, compression and the collector's partial_success")
struct OTLPRequestTests {
    static func destination(_ protocolName: String, compression: String = "none") throws -> OTLPDestination {
        try OTLPDestination.resolve(
            endpoint: "http://127.0.0.1:4318", headers: ["X-Key=secret"], timeout: nil, protocol: protocolName,
            compression: compression, environment: Environment([:]), settings: Settings()
        ).get()
    }

    static func exporter(_ home: TelemetryHome, _ compressor: (any BodyCompressor)? = nil) -> OTLPExporter {
        OTLPExporter(
            home: home, encoder: OTLPTraces(resource: .init(serviceName: "tlm", serviceVersion: "0.0.0")),
            batchSize: 512, userAgent: "tlm/0.0.0", compressor: compressor)
    }

    static func answer(_ contentType: String?, _ body: [UInt8]) -> Result<HTTPResponse, TransportFailure> {
        .success(HTTPResponse(status: 200, headers: contentType.map { [("content-type", $0)] } ?? [], body: body))
    }

    /// `ExportTraceServiceResponse { partial_success { rejected_spans, error_message } }` in protobuf.
    static func protobufPartial(_ rejected: UInt8, _ message: String) -> [UInt8] {
        let inner: [UInt8] = [0x08, rejected, 0x12, UInt8(message.utf8.count)] + Array(message.utf8)
        return [0x0A, UInt8(inner.count)] + inner
    }

    @Test("each protocol's Content-Type and body; gzip through the compressor, with Content-Encoding")
    func requests() throws {
        for (protocolName, compression) in [
            ("http/protobuf", "none"), ("http/json", "none"), ("http/protobuf", "gzip"), ("http/json", "gzip"),
        ] {
            let folder = TemporaryFolder()
            let home = TelemetryHome(folder: folder.path)
            ExportDriverTests.events(folder, 1...3)
            let transport = ScriptedTransport([])
            let compressor = FakeCompressor()
            let destination = try Self.destination(protocolName, compression: compression)
            let outcome = try Self.exporter(home, compressor).run(
                .send(destination, ExportDriverTests.delivery(transport)))
            guard case .exported(let summary) = outcome else {
                Issue.record("\(protocolName) \(compression): \(outcome)")
                continue
            }
            #expect(summary.sent == 3)
            let request = try #require(transport.requests.first)
            let headers = request.headers.map { "\($0.name): \($0.value)" }
            let contentType = protocolName == "http/json" ? "application/json" : "application/x-protobuf"
            #expect(
                headers
                    == ["Content-Type: \(contentType)", "User-Agent: tlm/0.0.0"]
                    + (compression == "gzip" ? ["Content-Encoding: gzip"] : []) + ["X-Key: secret"])
            let pending = try PendingEvents(home: home, cursor: nil)
            var events: [PendingEvent] = []
            try pending.forEachBatch(size: 512, exportedBefore: 0) { batch, _ in
                events += batch
                return true
            }
            let resource = OTLPTraces.Resource(serviceName: "tlm", serviceVersion: "0.0.0")
            let plain =
                protocolName == "http/json"
                ? Array(OTLPTraces(resource: resource).request(events).utf8)
                : OTLPProtobuf(resource: resource).request(events)
            if compression == "gzip" {
                #expect(compressor.inputs == [plain])
                #expect(request.body == [0x1F, 0x8B] + plain)
            } else {
                #expect(compressor.inputs.isEmpty)
                #expect(request.body == plain)
            }
        }
    }

    @Test("a compressor that fails stops the export: nothing sent, nothing counted, the cursor stays")
    func compressorFailure() throws {
        let folder = TemporaryFolder()
        let home = TelemetryHome(folder: folder.path)
        ExportDriverTests.events(folder, 1...3)
        let transport = ScriptedTransport([])
        let outcome = try Self.exporter(home, FakeCompressor(failing: TransportFailure("deflate failed (-2)")))
            .run(
                .send(try Self.destination("http/protobuf", compression: "gzip"), ExportDriverTests.delivery(transport))
            )
        #expect(outcome == .stopped(reason: "cannot gzip the request: deflate failed (-2)", sent: 0))
        #expect(transport.requests.isEmpty)
        #expect(try ExportCursor.load(home) == nil)
        // No compressor at all (tlm, not tlm-export): the same.
        let bare = try Self.exporter(home).run(
            .send(try Self.destination("http/json", compression: "gzip"), ExportDriverTests.delivery(transport)))
        guard case .stopped(let reason, 0, _) = bare else {
            Issue.record("\(bare)")
            return
        }
        #expect(reason.hasPrefix("cannot gzip the request: "))
        #expect(transport.requests.isEmpty)
    }

    @Test("a partial_success in either encoding: one line per batch, not counted as sent, the cursor moves")
    func partialSuccess() throws {
        let json = Array(#"{"partialSuccess":{"rejectedSpans":"2","errorMessage":"too old"}}"#.utf8)
        let jsonNumber = Array(#"{"partialSuccess":{"rejectedSpans":2,"errorMessage":"too old"}}"#.utf8)
        for (protocolName, answer) in [
            ("http/protobuf", Self.answer("application/x-protobuf", Self.protobufPartial(2, "too old"))),
            ("http/json", Self.answer("application/json; charset=utf-8", json)),
            ("http/json", Self.answer("application/json", jsonNumber)),
            // No Content-Type: read in the request's encoding.
            ("http/protobuf", Self.answer(nil, Self.protobufPartial(2, "too old"))),
        ] {
            let folder = TemporaryFolder()
            let home = TelemetryHome(folder: folder.path)
            ExportDriverTests.events(folder, 1...5)
            let exporter = OTLPExporter(
                home: home, encoder: OTLPTraces(resource: .init(serviceName: "tlm", serviceVersion: "0.0.0")),
                batchSize: 3, userAgent: "tlm/0.0.0")
            let transport = ScriptedTransport([answer, ScriptedTransport.status(200)])
            let outcome = try exporter.run(
                .send(try Self.destination(protocolName), ExportDriverTests.delivery(transport)))
            guard case .exported(let summary) = outcome else {
                Issue.record("\(protocolName): \(outcome)")
                continue
            }
            #expect(summary.answers.rejections == ["the collector rejected 2 of 3 spans: too old"])
            #expect(summary.answers.rejectedSpans == 2 && summary.answers.hasRejections)
            #expect(summary.answers.unreadable == nil)
            #expect(summary.sent == 3 && summary.requests == 2)
            #expect(
                outcome.message
                    == "sent 3 of 5 events (2 rejected by the collector) to http://127.0.0.1:4318/v1/traces in 2 requests"
            )
            #expect(try ExportCursor.load(home)?.exported == 5)  // not sent again, as the specification says
        }
    }

    @Test("partial_success: a message alone is reported; counts out of range are bounded; hostile text shown")
    func partialSuccessEdges() throws {
        var answers = CollectorAnswers()
        let warning = HTTPResponse(
            status: 200, headers: [("content-type", "application/json")],
            body: Array(#"{"partialSuccess":{"errorMessage":"slow down"}}"#.utf8))
        #expect(answers.read(warning, of: 4, sent: .json) == 0)
        #expect(answers.rejections == ["the collector rejected 0 of 4 spans: slow down"])
        #expect(answers.hasRejections)
        let tooMany = HTTPResponse(status: 200, headers: [], body: OTLPRequestTests.protobufPartial(9, ""))
        #expect(answers.read(tooMany, of: 1, sent: .protobuf) == 1)
        #expect(answers.rejections.last == "the collector rejected 1 of 1 span: no reason given")
        #expect(answers.rejectedSpans == 1)
        let long = String(repeating: "é", count: 150) + "\u{1b}[2J"
        let hostile = HTTPResponse(
            status: 200, headers: [("content-type", "application/json")],
            body: Array(#"{"partialSuccess":{"rejectedSpans":"1","errorMessage":"\u001b[2Jx"}}"#.utf8))
        _ = answers.read(hostile, of: 2, sent: .json)
        #expect(answers.rejections.last == "the collector rejected 1 of 2 spans: \\x1b[2Jx")
        #expect(CollectorAnswers.shown(long) == String(repeating: "é", count: 100) + "…")
        // An empty answer, or one without partial_success, or an empty one: a full success.
        var none = CollectorAnswers()
        for body in ["", "{}", #"{"partialSuccess":{}}"#] {
            let response = HTTPResponse(
                status: 200, headers: [("content-type", "application/json")], body: Array(body.utf8))
            #expect(none.read(response, of: 3, sent: .json) == 0)
        }
        #expect(none.read(HTTPResponse(status: 200, headers: [], body: []), of: 3, sent: .protobuf) == 0)
        #expect(none == CollectorAnswers())
    }

    @Test("an answer that cannot be read is no rejection: one warning, the batch delivered, the cursor moved")
    func unreadableAnswer() throws {
        let folder = TemporaryFolder()
        let home = TelemetryHome(folder: folder.path)
        ExportDriverTests.events(folder, 1...2)
        let transport = ScriptedTransport([Self.answer("application/x-protobuf", [0x0A, 0x05, 0x08])])
        let outcome = try Self.exporter(home).run(
            .send(try Self.destination("http/protobuf"), ExportDriverTests.delivery(transport)))
        guard case .exported(let summary) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(summary.sent == 2 && !summary.answers.hasRejections)
        #expect(summary.answers.unreadable == "malformed protobuf answer: length 5 past the end at byte 2")
        #expect(
            summary.answers.unreadableWarning
                == "the collector's answer could not be read: malformed protobuf answer: length 5 past the end "
                + "at byte 2 (its request counts as delivered)")
        #expect(outcome.message == "exported 2 events to http://127.0.0.1:4318/v1/traces in 1 request")
        #expect(try ExportCursor.load(home)?.exported == 2)
        // A JSON answer that is not JSON.
        var answers = CollectorAnswers()
        let html = HTTPResponse(
            status: 200, headers: [("content-type", "application/json")], body: Array("<html>".utf8))
        #expect(answers.read(html, of: 1, sent: .json) == 0)
        #expect(answers.unreadable?.hasPrefix("the answer is not JSON") == true)
    }

    @Test("a refusal in protobuf: the google.rpc.Status message is shown, not its bytes")
    func protobufStatus() {
        // Status { code: 3, message: "bad span" }
        let body: [UInt8] = [0x08, 0x03, 0x12, 0x08] + Array("bad span".utf8)
        let refusal = HTTPResponse(status: 400, headers: [("content-type", "application/x-protobuf")], body: body)
        #expect(DeliveryPolicy.describe(refusal) == "400: bad span")
        let broken = HTTPResponse(
            status: 400, headers: [("content-type", "application/x-protobuf")], body: [0x12, 0x09])
        #expect(DeliveryPolicy.describe(broken) == "400")
        // Not protobuf by its Content-Type: read as before.
        let text = HTTPResponse(status: 400, headers: [("content-type", "text/plain")], body: Array("no\nmore".utf8))
        #expect(DeliveryPolicy.describe(text) == "400: no")
    }

    @Test("--dry-run names the protocol and compression and their sources, and the bytes in that encoding")
    func dryRun() throws {
        let folder = TemporaryFolder()
        let home = TelemetryHome(folder: folder.path)
        ExportDriverTests.events(folder, 1...2)
        let destination = try Self.destination("http/protobuf", compression: "gzip")
        guard case .planned(let report) = try Self.exporter(home).run(.dryRun(destination)) else {
            Issue.record("no plan")
            return
        }
        #expect(report.contains("protocol      http/protobuf (--protocol)\n"))
        #expect(report.contains("compression   gzip (--compression)\n"))
        #expect(report.contains(" bytes of http/protobuf, before gzip)\n"))
        #expect(report.contains("first request body, as http/json:\n{\"resourceSpans\""))
    }
}
