import Glibc
import TLMRecorder
import TLMTestSupport
import Testing

@testable import TLMExport

/// Runs a Python script with the official opentelemetry-proto module; a missing python3 or
/// module fails the test with what to do, never skips it.
enum OfficialProto {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let preamble = """
        import sys, json, base64
        try:
            from opentelemetry.proto.collector.trace.v1 import trace_service_pb2 as service
            from google.protobuf import json_format
        except ImportError as error:
            print("missing module:", error, file=sys.stderr)
            sys.exit(3)

        """

    static func run(_ script: String, _ arguments: [String] = []) throws -> String {
        let environment = ["PATH": getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"]
        let process: Spawned
        do {
            process = try Spawned.run(["python3", "-c", preamble + script] + arguments, environment: environment)
        } catch {
            throw Failure(description: "python3 is missing (\(error)): run .ci/deps.sh")
        }
        if process.errorText.hasPrefix("missing module:") {
            throw Failure(
                description: "the opentelemetry-proto module is missing (\(process.errorText)): run .ci/deps.sh")
        }
        guard process.errorText.isEmpty, !process.text.isEmpty else {
            throw Failure(description: "the official parser failed: \(process.errorText)")
        }
        return process.text
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8.filter { $0 != 0x0A })
        return stride(from: 0, to: digits.count, by: 2).map {
            UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)!
        }
    }
}

@Suite("OTLP traces protobuf: the official parser reads what the JSON says")
struct OTLPProtobufTests {
    static let resource = OTLPTraces.Resource(serviceName: "builds", serviceVersion: "9.9")

    /// Every field tlm sets: ids and a parent, a tree of two, a timeout with every
    /// optional field, a signal, a success, an anklume event with no ids or options,
    /// a negative exit code (a ten-byte varint) and a long non-ASCII name (two-byte lengths).
    static let events: [PendingEvent] = {
        let at = Timestamp(millisecondsSinceEpoch: 1_771_065_000_123)
        let parent = Event(
            timestamp: at, target: "deploy", domain: "web", durationSeconds: 12.25, exitCode: 0, command: "make",
            timedOut: false, traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7", ci: "github")
        let child = Event(
            timestamp: Timestamp(millisecondsSinceEpoch: 1_771_065_000_200), target: "apply", domain: "web",
            durationSeconds: 1.5, exitCode: 124, command: "make", cpuUserSeconds: 0.25, cpuSystemSeconds: 0.125,
            maxRSSKilobytes: 81234, timedOut: true, attempts: 2, traceID: "4bf92f3577b34da6a3ce929d0e0e4736",
            spanID: "b7ad6b7169203331", parentSpanID: "00f067aa0ba902b7", ci: "gitlab")
        let signalled = Event(
            timestamp: at, target: "watch", durationSeconds: 0.001, exitCode: 130, command: "tail", signal: "SIGINT")
        let anklume = Event(timestamp: at, target: "sync", durationSeconds: 3, exitCode: 0)
        let negative = Event(timestamp: at, target: "odd", durationSeconds: 0, exitCode: -1)
        let long = Event(
            timestamp: Timestamp(millisecondsSinceEpoch: 0), target: String(repeating: "é→", count: 80),
            durationSeconds: 86_400, exitCode: 2, command: "bâtir")
        return [parent, child, signalled, anklume, negative, long].enumerated().map {
            PendingEvent(event: $0.element, lineHash: (UInt64($0.offset) &* 0x9E37_79B9_7F4A_7C15, 42))
        }
    }()

    /// Parses the protobuf body with `ParseFromString` and the JSON body with `json_format`
    /// (ids turned from OTLP's hex into the mapping's base64), fails unless both give the same
    /// request, and prints the request as `MessageToDict` with ids back in hex.
    static let compare = """
        binary = service.ExportTraceServiceRequest()
        binary.ParseFromString(bytes.fromhex(sys.argv[1]))
        document = json.loads(sys.argv[2])
        def ids(node, convert):
            if isinstance(node, dict):
                for key, value in node.items():
                    if key in ("traceId", "spanId", "parentSpanId"):
                        node[key] = convert(value)
                    else:
                        ids(value, convert)
            elif isinstance(node, list):
                for value in node:
                    ids(value, convert)
        ids(document, lambda text: base64.b64encode(bytes.fromhex(text)).decode())
        textual = json_format.ParseDict(document, service.ExportTraceServiceRequest())
        if binary != textual:
            print("protobuf:", binary, "json:", textual, file=sys.stderr)
            sys.exit(1)
        out = json_format.MessageToDict(binary)
        ids(out, lambda text: base64.b64decode(text).hex())
        print(json.dumps(out, separators=(",", ":"), ensure_ascii=False))
        """

    @Test("every field tlm sets: the official parser reads the same request from protobuf and from JSON")
    func sameRequest() throws {
        let binary = OTLPProtobuf(resource: Self.resource).request(Self.events)
        let json = OTLPTraces(resource: Self.resource).request(Self.events)
        let decoded = try OfficialProto.run(Self.compare, [OfficialProto.hex(binary), json])
        // What the protobuf says, read back by the official parser.
        #expect(decoded.contains(#"{"key":"service.name","value":{"stringValue":"builds"}}"#))
        #expect(decoded.contains(#"{"key":"os.type","value":{"stringValue":"linux"}}"#))
        #expect(decoded.contains(#""scope":{"name":"tlm","version":"9.9"}"#))
        #expect(
            decoded.contains(
                #"{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"b7ad6b7169203331","#
                    + #""parentSpanId":"00f067aa0ba902b7","name":"apply","kind":"SPAN_KIND_CLIENT","#
                    + #""startTimeUnixNano":"1771065000200000000","endTimeUnixNano":"1771065001700000000""#))
        #expect(decoded.contains(#""status":{"message":"timed out (exit code 124)","code":"STATUS_CODE_ERROR"}"#))
        #expect(decoded.contains(#"{"key":"process.exit.code","value":{"intValue":"124"}}"#))
        #expect(decoded.contains(#"{"key":"process.exit.code","value":{"intValue":"-1"}}"#))
        #expect(decoded.contains(#"{"key":"tlm.timed_out","value":{"boolValue":true}}"#))
        #expect(decoded.contains(#"{"key":"tlm.timed_out","value":{"boolValue":false}}"#))
        #expect(decoded.contains(#"{"key":"tlm.cpu.user_seconds","value":{"doubleValue":0.25}}"#))
        #expect(decoded.contains(#"{"key":"tlm.signal","value":{"stringValue":"SIGINT"}}"#))
        #expect(decoded.contains(#""name":""# + String(repeating: "é→", count: 80) + #"""#))
        #expect(decoded.contains(#""endTimeUnixNano":"86400000000000""#))
        // Six spans; the parent (a success) and the anklume event have no status.
        #expect(decoded.components("\"spanId\"") == 6)
        #expect(decoded.components("\"status\"") == 4)
    }

    @Test("an empty batch and an event OTLP cannot hold: the resource and scope alone, as in JSON")
    func emptyBatch() throws {
        let early = PendingEvent(
            event: Event(
                timestamp: Timestamp(millisecondsSinceEpoch: -1), target: "t", durationSeconds: 1, exitCode: 0),
            lineHash: (1, 2))
        for batch in [[], [early]] {
            let binary = OTLPProtobuf(resource: Self.resource).request(batch)
            let json = OTLPTraces(resource: Self.resource).request(batch)
            let decoded = try OfficialProto.run(Self.compare, [OfficialProto.hex(binary), json])
            #expect(!decoded.contains("spans\":[{"))
            #expect(decoded.contains(#""scope":{"name":"tlm","version":"9.9"}"#))
        }
    }

    @Test("the wire format: varints, a length inserted before its message, fixed64 little-endian, raw ids")
    func wireFormat() {
        var writer = ProtobufWriter()
        writer.int(1, 300)
        writer.int(2, -1)
        writer.fixed64(3, 0x0102_0304_0506_0708)
        writer.message(4) { $0.string(1, String(repeating: "a", count: 200)) }
        writer.id(5, hex: "00f067aa0ba902b7")
        let bytes = writer.bytes
        #expect(Array(bytes[0..<3]) == [0x08, 0xAC, 0x02])
        #expect(Array(bytes[3..<14]) == [0x10] + Array(repeating: 0xFF, count: 9) + [0x01])
        #expect(Array(bytes[14..<23]) == [0x19, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01])
        #expect(Array(bytes[23..<29]) == [0x22, 0xCB, 0x01, 0x0A, 0xC8, 0x01])
        #expect(Array(bytes[(29 + 200)...]) == [0x2A, 0x08, 0x00, 0xF0, 0x67, 0xAA, 0x0B, 0xA9, 0x02, 0xB7])
    }
}

@Suite("OTLP answers: partial_success in protobuf and JSON, hostile input refused")
struct OTLPResponseTests {
    @Test("a real partial_success, built by the official module, in both encodings")
    func partialSuccess() throws {
        let script = """
            answer = service.ExportTraceServiceResponse()
            answer.partial_success.rejected_spans = 3
            answer.partial_success.error_message = "3 spans too old: dropped"
            print(answer.SerializeToString().hex())
            print(json_format.MessageToJson(answer, indent=None))
            """
        let lines = try OfficialProto.run(script).split(separator: "\n").map(String.init)
        try #require(lines.count == 2)
        let expected = OTLPPartialSuccess(rejectedSpans: 3, errorMessage: "3 spans too old: dropped")
        #expect(try OTLPPartialSuccess.decode(protobuf: OfficialProto.bytes(hex: lines[0])) == expected)
        #expect(try OTLPPartialSuccess.decode(json: Array(lines[1].utf8)) == expected)
        #expect(
            try OTLPPartialSuccess.decode(json: Array(#"{"partialSuccess":{"rejectedSpans":7}}"#.utf8))
                == .init(rejectedSpans: 7, errorMessage: ""))
    }

    @Test("an empty answer is a full success; unknown fields are skipped by wire type")
    func emptyAndUnknown() throws {
        #expect(try OTLPPartialSuccess.decode(protobuf: []) == nil)
        #expect(try OTLPPartialSuccess.decode(json: []) == nil)
        #expect(try OTLPPartialSuccess.decode(json: Array(" {}\n".utf8)) == nil)
        #expect(try OTLPPartialSuccess.decode(json: Array(#"{"other":[1,{"a":2}]}"#.utf8)) == nil)
        // Unknown fields of every wire type around and inside partial_success: 9 varint,
        // 10 fixed64, 11 length-delimited and fixed32; then a warning with no rejected span.
        let inner: [UInt8] = [0x48, 0x96, 0x01, 0x12, 0x02, 0x6F, 0x6B, 0x5D, 1, 2, 3, 4]
        let answer: [UInt8] =
            [0x48, 0x01, 0x51, 1, 2, 3, 4, 5, 6, 7, 8, 0x5A, 0x01, 0x00, 0x0A, UInt8(inner.count)] + inner
        #expect(try OTLPPartialSuccess.decode(protobuf: answer) == .init(rejectedSpans: 0, errorMessage: "ok"))
        // The same field with the wrong wire type is an unknown field, as protobuf parsers treat it.
        #expect(try OTLPPartialSuccess.decode(protobuf: [0x08, 0x05]) == nil)
    }

    @Test("truncated and hostile answers end in an error that says where, never a trap")
    func hostile() throws {
        var whole: [UInt8] = [0x0A, 0x09, 0x08, 0x03, 0x12, 0x05]
        whole += Array("hello".utf8)
        #expect(try OTLPPartialSuccess.decode(protobuf: whole) == .init(rejectedSpans: 3, errorMessage: "hello"))
        for cut in 1..<whole.count {
            #expect(throws: OTLPResponseError.self) { try OTLPPartialSuccess.decode(protobuf: Array(whole[..<cut])) }
        }
        let cases: [([UInt8], String)] = [
            ([0x0A] + Array(repeating: 0xFF, count: 9) + [0x01], "length 18446744073709551615 past the end at byte 11"),
            ([0x0A, 0x7F, 0x00], "length 127 past the end at byte 2"),
            ([0x08] + Array(repeating: 0xFF, count: 10) + [0x01], "varint longer than 64 bits at byte 11"),
            ([0x08] + Array(repeating: 0x80, count: 9) + [0x02], "varint longer than 64 bits at byte 11"),
            ([0x0B], "wire type 3 at byte 1"),
            ([0x0C], "wire type 4 at byte 1"),
            ([0x0E], "wire type 6 at byte 1"),
            ([0x0F], "wire type 7 at byte 1"),
            ([0x00, 0x00], "field number 0 at byte 1"),
            ([0x09, 1, 2, 3], "truncated fixed-size field at byte 1"),
            ([0x0A, 0x02, 0x08], "length 2 past the end at byte 2"),
            ([0x0A, 0x01, 0x08], "truncated varint at byte 3"),
        ]
        for (bytes, problem) in cases {
            #expect(throws: OTLPResponseError(description: "malformed protobuf answer: " + problem)) {
                try OTLPPartialSuccess.decode(protobuf: bytes)
            }
        }
        for (json, message) in [
            ("[1]", "the answer is not a JSON object"),
            (#"{"partialSuccess":3}"#, "partialSuccess is not an object"),
            (#"{"partialSuccess":{"rejectedSpans":"x"}}"#, "rejectedSpans is not an integer: x"),
            (#"{"partialSuccess":{"rejectedSpans":1.5}}"#, "rejectedSpans is not an integer: 1.5"),
            (#"{"partialSuccess":{"rejectedSpans":true}}"#, "rejectedSpans is not an integer"),
            (#"{"partialSuccess":{"errorMessage":1}}"#, "errorMessage is not a string"),
        ] {
            #expect(throws: OTLPResponseError(description: message)) {
                try OTLPPartialSuccess.decode(json: Array(json.utf8))
            }
        }
        #expect(throws: OTLPResponseError.self) { try OTLPPartialSuccess.decode(json: Array("{".utf8)) }
    }
}

extension String {
    fileprivate func components(_ needle: String) -> Int { ranges(of: needle).count }
}
