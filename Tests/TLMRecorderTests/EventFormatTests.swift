import Testing

@testable import TLMRecorder

@Suite("The event line: writing and reading")
struct EventFormatTests {
    let full = Event(
        timestamp: Timestamp(millisecondsSinceEpoch: 1_771_065_000_000), target: "apply", domain: "web",
        durationSeconds: 45.012, exitCode: 0, command: "make", signal: nil, cpuUserSeconds: 12.3,
        cpuSystemSeconds: 1.1, maxRSSKilobytes: 81234, timedOut: false, attempts: 2,
        traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7", parentSpanID: "b7ad6b7169203331",
        ci: "github-actions")

    @Test("writes the documented line, keys in order, anklume's five first")
    func encodes() {
        #expect(
            EventEncoder.line(full)
                == "{\"timestamp\":\"2026-02-14T10:30:00.000+00:00\",\"target\":\"apply\",\"domain\":\"web\","
                + "\"duration_seconds\":45.012,\"exit_code\":0,\"command\":\"make\",\"signal\":null,"
                + "\"cpu_user_seconds\":12.300,\"cpu_system_seconds\":1.100,\"max_rss_kb\":81234,"
                + "\"timed_out\":false,\"attempts\":2,\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
                + "\"span_id\":\"00f067aa0ba902b7\",\"parent_span_id\":\"b7ad6b7169203331\",\"ci\":\"github-actions\"}\n"
        )
    }

    @Test("unknown values are null")
    func nulls() {
        let event = Event(
            timestamp: Timestamp(millisecondsSinceEpoch: 0), target: "sync", durationSeconds: 1.5, exitCode: 2)
        #expect(
            EventEncoder.line(event)
                == "{\"timestamp\":\"1970-01-01T00:00:00.000+00:00\",\"target\":\"sync\",\"domain\":null,"
                + "\"duration_seconds\":1.500,\"exit_code\":2,\"command\":null,\"signal\":null,"
                + "\"cpu_user_seconds\":null,\"cpu_system_seconds\":null,\"max_rss_kb\":null,"
                + "\"timed_out\":null,\"attempts\":null,\"trace_id\":null,\"span_id\":null,"
                + "\"parent_span_id\":null,\"ci\":null}\n")
    }

    @Test(
        "durations are written to the millisecond",
        arguments: [
            (0.0, "0.000"), (1.5, "1.500"), (45.0124, "45.012"), (45.0125, "45.013"), (0.0004, "0.000"),
            (0.0006, "0.001"), (123456.789, "123456.789"), (-1.25, "-1.250"), (Double.nan, "0.000"),
            (Double.infinity, "0.000"),
        ])
    func milliseconds(value: Double, text: String) {
        #expect(EventEncoder.milliseconds(value) == text)
    }

    @Test("what is written reads back the same")
    func roundTrip() throws {
        let line = EventEncoder.line(full)
        let parsed = try #require(EventParser.parse(String(line.dropLast())))
        #expect(parsed == full)
        var signalled = full
        signalled.signal = "SIGTERM"
        signalled.exitCode = 143
        signalled.domain = nil
        #expect(EventParser.parse(EventEncoder.line(signalled)) == signalled)
    }

    @Test("strings with quotes, controls and non-ASCII survive the round trip")
    func escaping() throws {
        var event = full
        event.target = "a\"b\\c\nd\u{01}é😀"
        let line = EventEncoder.line(event)
        #expect(!line.dropLast().contains("\n"))
        #expect(line.contains("\\u0001"))
        #expect(EventParser.parse(line)?.target == event.target)
    }

    @Test(
        "reads anklume's lines",
        arguments: [
            #"{"timestamp": "2026-02-14T10:30:00+00:00", "target": "apply", "domain": null, "duration_seconds": 45.0, "exit_code": 0}"#,
            #"{"timestamp":"2026-02-14T10:30:00.000000+00:00","target":"apply","domain":null,"duration_seconds":45,"exit_code":0}"#,
            #"{"exit_code": 0, "duration_seconds": 4.5e1, "domain": null, "target": "apply", "timestamp": "2026-02-14T10:30:00Z"}"#,
            #"  {"timestamp":"2026-02-14T10:30:00+00:00","target":"apply","duration_seconds":45.0,"exit_code":0,"extra":{"a":[1,2,{"b":null}],"c":true}}  "#,
            "{\"timestamp\":\"2026-02-14T10:30:00+00:00\",\"target\":\"apply\",\"duration_seconds\":45.0,\"exit_code\":0}\r",
            #"{"timestamp":"2026-02-14T10:30:00+00:00","t\u0061rget":"apply","duration_seconds":45.0,"exit_code":0}"#,
        ])
    func anklume(line: String) throws {
        let event = try #require(EventParser.parse(line))
        #expect(event.target == "apply")
        #expect(event.domain == nil)
        #expect(event.durationSeconds == 45.0)
        #expect(event.exitCode == 0)
        #expect(event.timestamp.millisecondsSinceEpoch == 1_771_065_000_000)
        #expect(event.command == nil && event.cpuUserSeconds == nil && event.maxRSSKilobytes == nil)
    }

    @Test(
        "refuses malformed lines",
        arguments: [
            "", "null", "[]", "{", "{}", "not json",
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"apply","duration_seconds":45.0}"#,
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"apply","exit_code":0}"#,
            #"{"timestamp":"yesterday","target":"apply","duration_seconds":1,"exit_code":0}"#,
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":null,"duration_seconds":1,"exit_code":0}"#,
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"a","duration_seconds":"1","exit_code":0}"#,
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"a","duration_seconds":-1,"exit_code":0}"#,
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"a","duration_seconds":1,"exit_code":1.5}"#,
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"a","duration_seconds":1,"exit_code":true}"#,
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"a","duration_seconds":1,"exit_code":99999999999999999999}"#,
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"a","duration_seconds":01,"exit_code":0}"#,
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"a","duration_seconds":1.,"exit_code":0}"#,
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"a","duration_seconds":1,"exit_code":0,}"#,
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"a","duration_seconds":1,"exit_code":0} x"#,
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"a","duration_seconds":1,"exit_code":0}{}"#,
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"a\x","duration_seconds":1,"exit_code":0}"#,
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"\ud800","duration_seconds":1,"exit_code":0}"#,
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"a","domain":5,"duration_seconds":1,"exit_code":0}"#,
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"a","duration_seconds":1,"exit_code":0,"x":[1,}"#,
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"a","duration_seconds":1,"exit_code":0,"x":tru}"#,
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"a","duration_seconds":1e999,"exit_code":0}"#,
            "{\"timestamp\":\"2026-02-14T10:30:00+00:00\",\"target\":\"a\tb\",\"duration_seconds\":1,\"exit_code\":0}",
        ])
    func malformed(line: String) {
        #expect(EventParser.parse(line) == nil)
    }

    @Test("refuses invalid UTF-8 in a string")
    func invalidUTF8() {
        var bytes = Array(
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"a?","duration_seconds":1,"exit_code":0}"#.utf8)
        bytes[bytes.firstIndex(of: UInt8(ascii: "?"))!] = 0xFF
        #expect(bytes.withUnsafeBytes { EventParser.parse($0) } == nil)
    }

    @Test("refuses nesting deeper than it will follow, without crashing")
    func deepNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let line =
            #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"a","duration_seconds":1,"exit_code":0,"x":"#
            + deep + "}"
        #expect(EventParser.parse(line) == nil)
    }

    @Test("numbers read exactly as a full parser reads them")
    func numbers() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let value = Double.random(in: 0..<100_000, using: &generator)
            for text in [String(value), EventEncoder.milliseconds(value), String(Int(value))] {
                let line =
                    #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"a","duration_seconds":"# + text
                    + #","exit_code":0}"#
                #expect(EventParser.parse(line)?.durationSeconds == Double(text), "\(text)")
            }
        }
        for text in [
            "0.1", "0.000001", "5e-324", "0.30000000000000004", "315360000", "123456789012345678901234567890",
            "1.7976931348623157e308",
        ] {
            let line =
                #"{"timestamp":"2026-02-14T10:30:00+00:00","target":"a","duration_seconds":"# + text
                + #","exit_code":0}"#
            // Above 10 years, the line is refused (EventParser.maximumDurationSeconds).
            let expected = Double(text)! <= EventParser.maximumDurationSeconds ? Double(text) : nil
            #expect(EventParser.parse(line)?.durationSeconds == expected, "\(text)")
        }
    }

    @Test("random damage to a line never crashes the reader, and what it accepts is a real event")
    func mutations() {
        var generator = SystemRandomNumberGenerator()
        let seeds = [
            EventEncoder.line(full).dropLast(),
            #"{"timestamp": "2026-02-14T10:30:00+00:00", "target": "apply", "domain": null, "duration_seconds": 45.0, "exit_code": 0}"#,
        ].map { Array($0.utf8) }
        let alphabet = Array(#"{}[]",:\-+.0123456789eEtruefalsnl "#.utf8) + [0x00, 0x7F, 0xC3, 0xA9, 0xFF]
        var accepted = 0
        for round in 0..<20_000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0...Int.random(in: 0..<4, using: &generator) {
                let position = Int.random(in: 0...bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0 where position < bytes.count: bytes.remove(at: position)
                case 1: bytes.insert(alphabet.randomElement(using: &generator)!, at: position)
                default:
                    if position < bytes.count { bytes[position] = alphabet.randomElement(using: &generator)! }
                }
            }
            guard let event = bytes.withUnsafeBytes({ EventParser.parse($0) }) else { continue }
            accepted += 1
            // Whatever is accepted survives a round trip through the writer.
            let again = EventParser.parse(EventEncoder.line(event))
            #expect(again?.target == event.target && again?.exitCode == event.exitCode)
            #expect(event.durationSeconds >= 0 && event.durationSeconds.isFinite)
        }
        #expect(accepted > 0)
    }
}
