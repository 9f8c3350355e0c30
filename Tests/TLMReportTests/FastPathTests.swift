import TLMRecorder
import Testing

@testable import TLMReport

/// Makes log lines of every shape: tlm's and anklume's layouts, other key orders,
/// odd spacing, escapes, non-ASCII and invalid UTF-8, every kind of number, truncation.
struct LineGenerator {
    var random: SeededGenerator

    mutating func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &random)] }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &random) < p }

    static let timestamps = [
        "2026-02-14T10:30:00+00:00", "2026-02-14T10:30:00.123+00:00", "2026-02-14T10:30:00Z",
        "2026-02-14T10:30:00.5Z", "2026-02-14T10:30:00.123456+00:00", "2026-02-14T10:30:00", "2026-02-14 10:30:00",
        "2026-02-14T10:30:00z", "2026-02-14t10:30:00Z", "2026-02-14T12:30:00+02:00", "2026-02-14T05:30:00-0500",
        "2026-02-14T10:30:00,25Z", "2026-02-15T00:00:00.000+00:00", "2026-02-13T23:59:59.999+00:00",
        "2024-02-29T01:02:03Z", "2026-02-30T10:30:00Z", "2026-02-14T24:00:00Z", "2026-02-14T10:60:00Z",
        "2026-02-14T10:30:60Z", "2026-02-14T10:30:00.Z", "2026-02-14T10:30:00.1234567891Z", "2026-02-14T10:30",
        "2026-02-14", "", "2026-02-14T10:30:00+00:00 ", "1969-12-31T23:59:59.999Z", "2026-02-14T10:30:00+0000",
        "2026\\u002d02-14T10:30:00Z", "2026-02-14T10:30:00.000+00:0",
    ]
    static let names = [
        "apply", "sync", "test-generator", "a", "", "x.y:z_w-1", String(repeating: "n", count: 64),
        "a\\\"b", "back\\\\slash", "tab\\there", "\\u00e9t\\u00e9", "é", "😀", "caf\\u00e9", "\\ud83d\\ude00",
        "slash\\/", "bad\\x", "\\ud800", "ctl\u{01}", "sp ace", "apply",
    ]
    static let durations = [
        "45", "45.0", "45.012", "0", "0.0", "0.000", "-0", "-1.5", "1e3", "1E-2", "1.5e+2", "01", "1.", ".5",
        "123456789012345", "1234567890123456", "12345678901234567890123", "0.1234567890123456789",
        "0.000000000000000000001", "0.0000000000000000000000001", "1e999", "9007199254740993", "7.758", "3.14159",
        "NaN", "true", "null", "\"45\"", "1.0e", "99999999999999999999", "0.30000000000000004", "1e-400",
        "570.259", "0.001", "100000", "2.5E3", "315360000", "315360000.000", "315360000.001", "9e17", "1e19",
    ]
    static let exitCodes = [
        "0", "1", "2", "130", "137", "143", "-1", "-0", "1.0", "1e2", "007", "99999999999999999999",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "null", "\"0\"", "255",
        "123456789012345678",
        "1234567890123456789",
    ]
    static let signals = ["null", "\"SIGINT\"", "\"SIGTERM\"", "\"\"", "1", "\"SIG\\u0049NT\"", "\"é\""]
    static let cpus = ["null", "12.300", "0", "1e2", "-1.5", "\"x\"", "1.5e-3", "0.000", "3"]
    static let rss = ["null", "81234", "0", "1.5", "-3", "\"k\"", "12345678901234567890"]
    static let booleans = ["null", "true", "false", "0", "\"true\"", "True", "fals", "truee"]
    static let ids = ["null", "\"generic\"", "\"\"", "3", "\"a\\u0062\"", "\"é\"", "true", "\"00f067aa0ba902b7\""]

    mutating func string(_ content: String) -> String { "\"" + content + "\"" }

    /// A usual value most of the time, else any value of the pool (valid or not).
    mutating func field(_ usual: [String], _ pool: [String]) -> String {
        chance(0.85) ? pick(usual) : pick(pool)
    }

    /// One line, as bytes.
    mutating func line() -> [UInt8] {
        let colon = chance(0.9) ? pick([":", ": "]) : pick([" :", ":  ", ":\t"])
        let comma = chance(0.9) ? pick([",", ", "]) : pick([" ,", ",  "])
        let timestamp = string(field(["2026-02-14T10:30:00+00:00", "2026-02-14T10:30:00.123+00:00"], Self.timestamps))
        let target = string(field(["apply", "sync", "test-generator"], Self.names))
        let domain = chance(0.4) ? "null" : chance(0.05) ? "3" : string(field(["web", "db"], Self.names))
        let duration = field(["45", "45.012", "7.758", "0.000", "570.259"], Self.durations)
        let exitCode = field(["0", "0", "1", "130"], Self.exitCodes)
        var fields: [(String, String)] = [
            ("timestamp", timestamp), ("target", target), ("domain", domain), ("duration_seconds", duration),
            ("exit_code", exitCode),
        ]
        if chance(0.6) {
            fields += [
                ("command", chance(0.3) ? "null" : string(field(["make"], Self.names))),
                ("signal", field(["null", "null", "\"SIGINT\""], Self.signals)),
                ("cpu_user_seconds", field(["null", "12.300"], Self.cpus)),
                ("cpu_system_seconds", field(["null", "1.100"], Self.cpus)),
                ("max_rss_kb", field(["null", "81234"], Self.rss)),
            ]
            if chance(0.6) {
                let id = "\"4bf92f3577b34da6a3ce929d0e0e4736\""
                let span = "\"00f067aa0ba902b7\""
                fields += [
                    ("timed_out", field(["false", "true"], Self.booleans)),
                    ("attempts", field(["1", "3"], Self.rss)),
                    ("trace_id", field([id], Self.ids)),
                    ("span_id", field([span], Self.ids)),
                    ("parent_span_id", field(["null", span], Self.ids)),
                    ("ci", field(["null", "\"github-actions\""], Self.ids)),
                ]
            }
        }
        if chance(0.05) { fields.shuffle(using: &random) }
        if chance(0.05) { fields.insert(("extra", pick(["1", "{\"a\":[1,2]}", "null", "\"x\""])), at: 2) }
        if chance(0.03) { fields.removeLast() }
        if chance(0.02) { fields.append(fields[1]) }  // a duplicate key
        if chance(0.02) { fields[0].0 = "time\\u0073tamp" }  // an escaped key
        var text = chance(0.02) ? " {" : "{"
        text += fields.map { "\"\($0.0)\"" + colon + $0.1 }.joined(separator: comma)
        text += chance(0.9) ? "}" : pick(["} ", "}\r", " }", "}x", "},"])
        var bytes = Array(text.utf8)
        if chance(0.03) {
            // Invalid UTF-8 inside the line.
            bytes.insert(pick([0xFF, 0xC3, 0x80, 0xED, 0xFE]), at: Int.random(in: 1..<bytes.count, using: &random))
        }
        if chance(0.05) { bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random))) }
        return bytes
    }
}

@Suite("The fast path reads exactly what the full parser reads")
struct FastPathTests {
    /// The fast path's result, with names as strings.
    struct Decoded: Equatable {
        var timestamp: Int64
        var target: String
        var domain: String?
        var durationBits: UInt64
        var exitCode: Int
        var command: String?
        var signalled: Bool
        var timedOut: Bool
    }

    static func fast(_ bytes: [UInt8], _ scanner: inout FastLineScanner) -> Decoded? {
        bytes.withUnsafeBytes { raw -> Decoded? in
            guard let fields = scanner.scan(raw) else { return nil }
            func text(_ range: Range<Int>) -> String { String(decoding: raw[range], as: UTF8.self) }
            return Decoded(
                timestamp: fields.timestamp, target: text(fields.target), domain: fields.domain.map(text),
                durationBits: fields.durationSeconds.bitPattern, exitCode: fields.exitCode,
                command: fields.command.map(text), signalled: fields.signalled, timedOut: fields.timedOut)
        }
    }

    static func full(_ bytes: [UInt8]) -> Decoded? {
        guard let event = bytes.withUnsafeBytes({ EventParser.parse($0) }) else { return nil }
        return Decoded(
            timestamp: event.timestamp.millisecondsSinceEpoch, target: event.target, domain: event.domain,
            durationBits: event.durationSeconds.bitPattern, exitCode: event.exitCode, command: event.command,
            signalled: event.signal != nil, timedOut: event.timedOut == true)
    }

    @Test("on 200,000 varied lines, what the fast path accepts is what the full parser gives")
    func fastEqualsFull() {
        var generator = LineGenerator(random: SeededGenerator(seed: 2026))
        var scanner = FastLineScanner()
        var accepted = 0
        var rejectedValid = 0
        var invalid = 0
        for _ in 0..<200_000 {
            let line = generator.line()
            let full = Self.full(line)
            if let fast = Self.fast(line, &scanner) {
                accepted += 1
                #expect(fast == full, "\(String(decoding: line, as: UTF8.self))")
                if fast != full { return }
            } else if full != nil {
                rejectedValid += 1
            } else {
                invalid += 1
            }
        }
        // The test means something only if each outcome is common.
        #expect(accepted > 10_000)
        #expect(rejectedValid > 10_000)
        #expect(invalid > 10_000)
    }

    @Test("tlm's lines and anklume's are taken by the fast path")
    func usualLinesAreFast() {
        var scanner = FastLineScanner()
        let lines = [
            #"{"timestamp":"2026-02-14T10:30:00.000+00:00","target":"apply","domain":"web","duration_seconds":45.012,"exit_code":0,"command":"make","signal":null,"cpu_user_seconds":12.300,"cpu_system_seconds":1.100,"max_rss_kb":81234}"#,
            #"{"timestamp":"2026-02-14T10:30:00.000+00:00","target":"apply","domain":null,"duration_seconds":0.000,"exit_code":143,"command":null,"signal":"SIGTERM","cpu_user_seconds":null,"cpu_system_seconds":null,"max_rss_kb":null}"#,
            #"{"timestamp":"2026-02-14T10:30:00.000+00:00","target":"apply","domain":"web","duration_seconds":45.012,"exit_code":124,"command":"make","signal":null,"cpu_user_seconds":12.300,"cpu_system_seconds":1.100,"max_rss_kb":81234,"timed_out":true,"attempts":3,"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","parent_span_id":null,"ci":"github-actions"}"#,
            #"{"timestamp": "2026-02-14T10:30:00+00:00", "target": "apply", "domain": null, "duration_seconds": 45, "exit_code": 0}"#,
            #"{"timestamp": "2026-02-14T10:30:00.123456+00:00", "target": "apply", "domain": "web", "duration_seconds": 45.5, "exit_code": 2}"#,
            #"{"timestamp": "2026-02-14T10:30:00Z", "target": "apply", "domain": null, "duration_seconds": 45, "exit_code": 0}"#,
        ]
        for line in lines {
            let bytes = Array(line.utf8)
            let fast = Self.fast(bytes, &scanner)
            #expect(fast != nil, "\(line)")
            #expect(fast == Self.full(bytes))
        }
    }

    @Test("whatever the path, the summary is the one built from the parsed events")
    func samePathsSameSummary() {
        var generator = LineGenerator(random: SeededGenerator(seed: 7))
        let lines = (0..<30_000).map { _ in generator.line() }
        for grouping in ReportGrouping.allCases {
            let query = query(grouping: grouping, top: 0)
            var viaLines = ReportAggregator(query: query)
            var viaEvents = ReportAggregator(query: query)
            var malformed = 0
            for line in lines {
                line.withUnsafeBytes { viaLines.add(line: $0) }
                let blank = line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
                if let event = line.withUnsafeBytes({ EventParser.parse($0) }) {
                    viaEvents.add(event)
                } else if !blank {
                    malformed += 1
                }
            }
            let fromLines = viaLines.summary()
            var fromEvents = viaEvents.summary()
            fromEvents.totals.malformedLines = malformed
            #expect(fromLines == fromEvents)
            #expect(fromLines.totals.eventsRead > 5000 && malformed > 3000)
        }
    }
}
