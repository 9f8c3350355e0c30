import Glibc
import TLMExport
import TLMRecorder
import TLMTestSupport
import Testing

@testable import tlm_export

/// tlm-export's gzip (the system's libz.so.1): what it writes, read back by
/// Python's gzip module, which checks the header, the CRC-32 and the size.
@Suite("ZlibCompressor: gzip bodies through the system's zlib")
struct ZlibCompressorTests {
    /// Bytes that do not compress, the same at every run (xorshift64).
    static func noise(_ count: Int) -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state >> 32)
        }
    }

    /// Real OTLP request bodies, in both of export's encodings: trees of two spans and anklume events.
    static let otlpBodies: [[UInt8]] = {
        let at = Timestamp(millisecondsSinceEpoch: 1_771_065_000_123)
        let events = [
            Event(
                timestamp: at, target: "deploy", domain: "web", durationSeconds: 12.25, exitCode: 0, command: "make",
                timedOut: false, traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7"),
            Event(
                timestamp: at, target: "apply", domain: "web", durationSeconds: 1.5, exitCode: 124, command: "make",
                timedOut: true, traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "b7ad6b7169203331",
                parentSpanID: "00f067aa0ba902b7"),
            Event(timestamp: at, target: "sync", durationSeconds: 3, exitCode: 0),
        ]
        // A batch of 150 spans, as export sends them: the three events again and again.
        let batch = (0..<150).map { PendingEvent(event: events[$0 % 3], lineHash: (UInt64($0), 7)) }
        let resource = OTLPTraces.Resource(serviceName: "builds", serviceVersion: "9.9")
        return [
            OTLPProtobuf(resource: resource).request(batch),
            Array(OTLPTraces(resource: resource).request(batch).utf8),
        ]
    }()

    /// What Python's `gzip.decompress` makes of `stream` (it fails on a bad header, CRC-32 or size).
    static func pythonGunzip(_ stream: [UInt8]) throws -> [UInt8] {
        let script = "import gzip, sys; sys.stdout.buffer.write(gzip.decompress(sys.stdin.buffer.read()))"
        let process: Spawned
        do {
            process = try Spawned.run(
                ["python3", "-c", script], environment: ["PATH": ShippedFileTool.searchPath], stdin: .bytes(stream))
        } catch {
            throw ShippedFileTool.MissingTool(name: "python3 (\(error))")
        }
        guard process.status == .exited(0), process.stderr.isEmpty else {
            throw PeerFailure(description: "gzip.decompress refused the stream: \(process.errorText)")
        }
        return process.stdout
    }

    @Test("empty, one byte, 1 MB of random bytes, real OTLP bodies: Python's gzip.decompress gives them back")
    func roundTrip() throws {
        for input in [[], [0x2A], Self.noise(1 << 20)] + Self.otlpBodies {
            let stream = try ZlibCompressor().gzip(input).get()
            #expect(try Self.pythonGunzip(stream) == input, "\(input.count) bytes")
        }
        // OTLP repeats its keys: gzip earns its place on real bodies.
        for body in Self.otlpBodies {
            let stream = try ZlibCompressor().gzip(body).get()
            #expect(stream.count * 4 < body.count, "\(body.count) bytes gzipped to \(stream.count)")
        }
    }

    @Test("the header: magic 1f 8b, deflate, no flags (no name), time 0, Unix; CRC-32 and size at the end")
    func header() throws {
        let stream = try ZlibCompressor().gzip(Array("hello".utf8)).get()
        #expect(Array(stream.prefix(10)) == [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03])
        // CRC-32 of "hello" is 0x3610a686, then the size, both little-endian.
        #expect(Array(stream.suffix(8)) == [0x86, 0xA6, 0x10, 0x36, 0x05, 0x00, 0x00, 0x00])
        // No time and no name: the same body always gives the same bytes.
        #expect(try ZlibCompressor().gzip(Self.otlpBodies[0]).get() == ZlibCompressor().gzip(Self.otlpBodies[0]).get())
        // The empty stream: header, an empty final block, CRC-32 0 and size 0.
        #expect(try ZlibCompressor().gzip([]).get().count == 20)
    }

    /// zlib fails only when it cannot allocate its state (256 KiB and a little at these settings, zlib.h says) or
    /// when it is called wrongly: a level out of range is the one failure a test can cause.
    @Test("zlib refusing the call: a sentence saying so, permanent; out of memory: worth a retry")
    func failure() {
        // The reason alone: the exporter says `cannot gzip the request: REASON`.
        #expect(
            ZlibCompressor(level: 42).gzip([1, 2, 3])
                == .failure(TransportFailure("zlib refused the call (Z_STREAM_ERROR)", isPermanent: true)))
        #expect(ZlibCompressor.failure(-4) == TransportFailure("out of memory (zlib: Z_MEM_ERROR)", isPermanent: false))
    }

    @Test("tlm-export needs libz.so.1; tlm links no zlib (nor libcurl)")
    func linkage() throws {
        let tlm = TLMBinary.path
        let export = String(tlm.dropLast("tlm".count)) + "tlm-export"
        func needed(_ path: String) throws -> [String] {
            let run = try ShippedFileTool.run("readelf", ["--dynamic", "--wide", path])
            #expect(run.status == .exited(0), "readelf: \(run.errorText)")
            // `0x…01 (NEEDED)  Shared library: [libz.so.1]`; a static executable has no such line.
            return run.text.split(separator: "\n").filter { $0.contains("(NEEDED)") }.compactMap { line in
                line.split(separator: "[").last.map { String($0.dropLast()) }
            }
        }
        #expect(try needed(export).contains("libz.so.1"))
        let tlmNeeds = try needed(tlm)
        #expect(!tlmNeeds.contains { $0.hasPrefix("libz.") || $0.hasPrefix("libcurl") }, "\(tlmNeeds)")
    }
}
