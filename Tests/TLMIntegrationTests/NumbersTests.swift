import Foundation
import Glibc
import TLMRecorder
import TLMTestSupport
import Testing

/// Hostile numbers end to end: durations and timestamps no conversion can hold,
/// a limit below the clock's resolution, and a log with many targets.
@Suite("numbers and sizes", .serialized)
struct NumbersTests {
    let sandbox = Sandbox()

    /// A tlm line at `timestamp` lasting `duration` (the text as written in the line).
    static func line(_ timestamp: String, _ target: String = "apply", duration: String = "1.5") -> String {
        "{\"timestamp\":\"\(timestamp)\",\"target\":\"\(target)\",\"domain\":null,"
            + "\"duration_seconds\":\(duration),\"exit_code\":0}\n"
    }

    /// Writes `lines` as the sandbox's log.
    func log(_ lines: [String]) throws {
        try sandbox.on()
        sandbox.folder.write("tlm-home/usage.jsonl", lines.joined())
    }

    @Test("report on a duration of 1e19 and on 11 × 9e17: no crash, the lines counted as malformed")
    func reportOnHugeDurations() throws {
        let huge = [Self.line("2026-02-14T10:00:00+00:00", duration: "1e19")]
        let many = (0..<11).map { Self.line("2026-02-14T10:00:0\($0 % 10)+00:00", duration: "9e17") }
        let fine = Self.line("2026-02-14T11:00:00+00:00", duration: "2.5")
        for (lines, malformed) in [(huge, 1), (many, 11)] {
            try log(lines + [fine])
            for format in ["text", "json", "csv"] {
                let run = try sandbox.tlm(["report", "--format", format, "--since", "2026-01-01"])
                #expect(run.status == .exited(0), "\(format): \(run.errorText)")
                if format == "json" {
                    let object = try JSONSerialization.jsonObject(with: Data(run.stdout)) as? [String: Any]
                    let totals = try #require(object?["totals"] as? [String: Any])
                    #expect(totals["events"] as? Int == 1)
                    #expect(totals["malformed_lines"] as? Int == malformed)
                }
            }
            let html = sandbox.folder.path + "/report.html"
            let page = try sandbox.tlm(["report", "--html", html, "--since", "2026-01-01"])
            #expect(page.status == .exited(0), "\(page.errorText)")
        }
    }

    @Test("report: min ≤ max at the longest duration accepted, and just above it the line is refused")
    func minimumNotAboveMaximum() throws {
        let longest = String(Int(EventParser.maximumDurationSeconds))
        try log([
            Self.line("2026-02-14T10:00:00+00:00", duration: "0.5"),
            Self.line("2026-02-14T10:00:01+00:00", duration: longest),
            Self.line("2026-02-14T10:00:02+00:00", duration: longest + ".001"),
            Self.line("2026-02-14T10:00:03+00:00", duration: "9.2e15"),
        ])
        let run = try sandbox.tlm(["report", "--format", "json", "--since", "2026-01-01"])
        #expect(run.status == .exited(0), "\(run.errorText)")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout)) as? [String: Any]
        let totals = try #require(object?["totals"] as? [String: Any])
        #expect(totals["events"] as? Int == 2)
        #expect(totals["malformed_lines"] as? Int == 2)
        let durations = try #require(totals["duration_seconds"] as? [String: Double])
        #expect(durations["min"] == 0.5)
        #expect(durations["max"] == EventParser.maximumDurationSeconds)
        #expect(try #require(durations["min"]) <= (try #require(durations["max"])))
    }

    @Test("export otlp skips years 1600 and 2300 with a count, moves the cursor past them, then exports fine")
    func exportSkipsInexpressibleTimestamps() throws {
        try log([
            Self.line("1600-01-01T00:00:00+00:00", "old"),
            Self.line("2026-02-14T10:00:00+00:00", "now"),
            Self.line("2300-01-01T00:00:00+00:00", "late"),
        ])
        let dry = try sandbox.tlm(["export", "otlp", "--dry-run", "--endpoint", "http://127.0.0.1:9"])
        #expect(dry.status == .exited(0), "\(dry.errorText)")
        #expect(dry.text.contains("pending       1 event in 1 request"))
        #expect(dry.text.contains("skipped       2 events OTLP cannot express"))

        let file = sandbox.folder.path + "/traces.jsonl"
        let first = try sandbox.tlm(["export", "otlp", "--output", file])
        #expect(first.status == .exited(0), "\(first.errorText)")
        #expect(first.errorText.contains("exported 1 event"))
        #expect(first.errorText.contains("skipped 2 events OTLP cannot express"))
        #expect(first.errorText.split(separator: "\n").count == 1)
        let body = try #require(sandbox.folder.text("traces.jsonl"))
        #expect(body.contains("\"name\":\"now\""))
        #expect(!body.contains("\"name\":\"old\"") && !body.contains("\"name\":\"late\""))

        // The cursor is past the last line: nothing pending, nothing skipped again.
        let again = try sandbox.tlm(["export", "otlp", "--dry-run", "--endpoint", "http://127.0.0.1:9"])
        #expect(again.text.contains("pending       0 events"))
        #expect(!again.text.contains("skipped"))

        // A new event after them exports as usual.
        let log = try #require(sandbox.folder.text("tlm-home/usage.jsonl"))
        sandbox.folder.write("tlm-home/usage.jsonl", log + Self.line("2026-02-15T10:00:00+00:00", "next"))
        let next = try sandbox.tlm(["export", "otlp", "--output", file])
        #expect(next.status == .exited(0), "\(next.errorText)")
        #expect(next.errorText.contains("exported 1 event"))
        #expect(!next.errorText.contains("skipped"))
        #expect(sandbox.folder.text("traces.jsonl")?.contains("\"name\":\"next\"") == true)
    }

    @Test("export json writes only timestamps EventParser reads back, at both ends of the years accepted")
    func exportJSONRoundTrip() throws {
        let stamps = [
            "0000-01-01T00:00:00+00:00", "0000-01-01T00:30:00+01:00", "1600-02-29T12:00:00.5-05:00",
            "2300-01-01T00:00:00Z", "9999-12-31T23:59:59.999+00:00", "9999-12-31T23:30:00-01:00",
        ]
        try log(stamps.map { Self.line($0) })
        let run = try sandbox.tlm(["export", "json"])
        #expect(run.status == .exited(0), "\(run.errorText)")
        let lines = run.text.split(separator: "\n").map(String.init)
        // The two whose offset carries them out of years 0000–9999 are refused when read.
        #expect(lines.count == 4)
        for line in lines {
            let event = try #require(EventParser.parse(line), "\(line)")
            #expect(Timestamp(iso8601: event.timestamp.iso8601) == event.timestamp)
        }
    }

    @Test("--timeout below the clock's resolution is the shortest limit, not none: exit 124")
    func timeoutBelowResolution() throws {
        let run = try sandbox.tlm(["run", "--timeout", "0.0000000001", "--", "sleep", "5"])
        #expect(run.status == .exited(124), "\(run.errorText)")
    }

    @Test("JSON and HTML on a log of many targets honour --top in every section")
    func manyTargetsHonourTop() throws {
        // 300 targets, 3 runs each in both weeks of "what changed", twice as slow recently: all notable.
        var lines: [String] = []
        for target in 0..<300 {
            for day in [1, 2, 3] {
                lines.append(Self.line("2026-01-1\(day)T10:00:00+00:00", "t\(target)", duration: "1.0"))
                lines.append(Self.line("2026-01-2\(day)T10:00:00+00:00", "t\(target)", duration: "3.0"))
            }
        }
        try log(lines)
        let window = ["--since", "2026-01-01", "--until", "2026-01-27", "--top", "5"]
        let run = try sandbox.tlm(["report", "--format", "json"] + window)
        #expect(run.status == .exited(0), "\(run.errorText)")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout)) as? [String: Any]
        #expect((object?["groups"] as? [Any])?.count == 5)
        let changes = try #require(object?["changes"] as? [String: Any])
        #expect((changes["targets"] as? [Any])?.count == 5)
        #expect(changes["target_count"] as? Int == 300)

        let html = sandbox.folder.path + "/report.html"
        let page = try sandbox.tlm(["report", "--html", html] + window)
        #expect(page.status == .exited(0), "\(page.errorText)")
        let text = try #require(sandbox.folder.text("report.html"))
        // Each target's name appears in a row or a bar only if shown: at most the top 5 of each section.
        let shown = (0..<300).filter { text.contains(">t\($0)<") }
        #expect(shown.count <= 10, "\(shown.count) targets shown")
    }
}
