import TLMRecorder
import TLMTestSupport
import Testing

@Suite("Many tlm at once")
struct ConcurrencyTests {
    @Test("16 concurrent writers × 100 runs: exactly 1,600 whole, valid lines")
    func concurrentAppends() throws {
        let box = Sandbox()
        try box.on()
        let loop = "i=0; while [ $i -lt 100 ]; do \"$0\" run --target t$1 -- true || exit 1; i=$((i+1)); done"
        let writers = try (0..<16).map { index in
            try Spawned(["sh", "-c", loop, TLMBinary.path, String(index)], environment: box.environment)
        }
        for writer in writers {
            try writer.finish(timeout: 300)
            #expect(writer.status == .exited(0), "\(writer.errorText)")
        }
        let lines = box.logLines
        #expect(lines.count == 1600)
        let events = lines.compactMap { EventParser.parse($0) }
        #expect(events.count == 1600)
        for index in 0..<16 {
            #expect(events.filter { $0.target == "t\(index)" }.count == 100)
        }
    }
}
