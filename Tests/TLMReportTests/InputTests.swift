import TLMRecorder
import TLMSystem
import TLMTestSupport
import Testing

@testable import TLMReport

@Suite("Reading logs: anklume's, tlm's, rotated, broken")
struct InputTests {
    let valid =
        #"{"timestamp":"2026-02-14T10:30:00.000+00:00","target":"apply","domain":"web","duration_seconds":45.012,"exit_code":0,"command":"make","signal":null,"cpu_user_seconds":12.300,"cpu_system_seconds":1.100,"max_rss_kb":81234}"#

    func read(_ sources: [ReportSource], _ query: ReportQuery = query()) throws -> ReportSummary {
        try Report.summarize(query, sources: sources)
    }

    @Test("anklume's lines: five fields, domain null, whole seconds, any timestamp form")
    func anklume() throws {
        let tmp = TemporaryFolder()
        tmp.write(
            "anklume.jsonl",
            """
            {"timestamp": "2026-02-14T10:30:00+00:00", "target": "apply", "domain": null, "duration_seconds": 45, "exit_code": 0}
            {"timestamp": "2026-02-14T10:31:00.123456+00:00", "target": "apply", "domain": "web", "duration_seconds": 30, "exit_code": 2}
            {"timestamp": "2026-02-14T10:32:00Z", "target": "sync", "domain": null, "duration_seconds": 5, "exit_code": 0}
            {"timestamp": "2026-02-14T10:33:00", "target": "sync", "domain": null, "duration_seconds": 7.5, "exit_code": 130}
            {"timestamp": "2026-02-14T12:34:00+02:00", "target": "apply", "domain": null, "duration_seconds": 1, "exit_code": 0}

            """)
        let summary = try read([.file(tmp.path + "/anklume.jsonl")])
        #expect(summary.totals.events == 5 && summary.totals.malformedLines == 0)
        #expect(summary.totals.outcomes == OutcomeCounts(runs: 5, successes: 3, failures: 2, cancelled: 0))
        #expect(summary.groups.map(\.label) == ["apply", "sync"])
        #expect(summary.groups[0].durations.total == 76 && summary.groups[0].durations.maximum == 45)
        #expect(summary.totals.firstEvent?.iso8601 == "2026-02-14T10:30:00.000+00:00")
        #expect(summary.totals.lastEvent?.iso8601 == "2026-02-14T10:34:00.000+00:00")
        let byDomain = try read([.file(tmp.path + "/anklume.jsonl")], query(grouping: .domain))
        #expect(byDomain.groups.map(\.key) == [nil, "web"])
        let byCommand = try read([.file(tmp.path + "/anklume.jsonl")], query(grouping: .command))
        #expect(byCommand.groups.map(\.key) == [nil])
        #expect(summary.sources == [tmp.path + "/anklume.jsonl"])
    }

    @Test("malformed lines are skipped and counted: garbage, invalid UTF-8, a truncated last line; blank lines are not")
    func malformed() throws {
        let tmp = TemporaryFolder()
        var bytes = Array((valid + "\n\n   \n").utf8)
        bytes += Array("not json\n{\"timestamp\":\"2026-02-14T10:30:00Z\"}\n".utf8)
        bytes += [0x00, 0xFF, 0x13, 0x7B, 0x22, 0x0A]  // binary garbage, then a newline
        bytes += Array(#"{"timestamp":"2026-02-14T10:30:00Z","target":"caf"#.utf8) + [0xC3, 0x28]
        bytes += Array(#"","duration_seconds":1,"exit_code":0}"#.utf8) + [0x0A]  // invalid UTF-8 in a string
        bytes += Array((valid + "\r\n").utf8)  // CRLF is fine
        bytes += Array(valid.utf8.prefix(60))  // truncated last line, no newline
        tmp.write("log.jsonl", bytes)
        let summary = try read([.file(tmp.path + "/log.jsonl")])
        #expect(summary.totals.events == 2)
        #expect(summary.totals.malformedLines == 5)
    }

    @Test("a 10 MB line is skipped and counted, the lines around it are read")
    func hugeLine() throws {
        let tmp = TemporaryFolder()
        var bytes = Array((valid + "\n").utf8)
        bytes += Array(#"{"timestamp":"2026-02-14T10:30:00Z","target":""#.utf8)
        bytes += [UInt8](repeating: 0x61, count: 10 << 20)
        bytes += Array(#"","duration_seconds":1,"exit_code":0}"#.utf8) + [0x0A]
        bytes += Array((valid + "\n").utf8)
        tmp.write("log.jsonl", bytes)
        let summary = try read([.file(tmp.path + "/log.jsonl")])
        #expect(summary.totals.events == 2 && summary.totals.malformedLines == 1)
    }

    @Test("an empty file and a missing log read as nothing")
    func empty() throws {
        let tmp = TemporaryFolder()
        tmp.write("empty.jsonl", "")
        let summary = try read([.file(tmp.path + "/empty.jsonl")])
        #expect(summary.logIsEmpty && summary.totals.events == 0 && summary.groups.isEmpty)
        #expect(summary.totals.durations == nil && summary.activity.days.isEmpty && summary.changes.targets.isEmpty)
        let home = TelemetryHome(folder: tmp.path + "/none")
        let missing = try read(ReportSource.logFiles(in: home))
        #expect(missing.logIsEmpty && missing.sources.isEmpty)
        let onlyBlank = TemporaryFolder()
        onlyBlank.write("usage.jsonl", "\n\n")
        #expect(try read(ReportSource.logFiles(in: TelemetryHome(folder: onlyBlank.path))).logIsEmpty)
    }

    @Test("a file named on the command line must exist and be readable")
    func unreadable() throws {
        let tmp = TemporaryFolder()
        #expect(throws: ReportError.cannotRead(path: tmp.path + "/nope", errno: ENOENT)) {
            try read([.file(tmp.path + "/nope")])
        }
        #expect(throws: ReportError.cannotRead(path: tmp.path, errno: EISDIR)) { try read([.file(tmp.path)]) }
        // tlm's own log must be a regular file, as for `tlm status`.
        mkdir(tmp.path + "/usage.jsonl", 0o700)
        #expect(throws: ReportError.notARegularFile(path: tmp.path + "/usage.jsonl")) {
            try read(ReportSource.logFiles(in: TelemetryHome(folder: tmp.path)))
        }
    }

    @Test("rotated logs are read oldest first, gaps and all; other names are left alone")
    func rotated() throws {
        let tmp = TemporaryFolder()
        func line(_ target: String) -> String {
            EventEncoder.line(event(target, at: februaryFourteenth))
        }
        tmp.write("usage.jsonl", line("current"))
        tmp.write("usage.jsonl.1", line("one"))
        tmp.write("usage.jsonl.3", line("three"))
        tmp.write("usage.jsonl.12", line("twelve"))
        for ignored in [
            "usage.jsonl.0", "usage.jsonl.02", "usage.jsonl.2.gz", "usage.jsonl.x", "usage.jsonl.", "other.1",
        ] {
            tmp.write(ignored, line("ignored"))
        }
        let sources = ReportSource.logFiles(in: TelemetryHome(folder: tmp.path))
        #expect(
            sources.map(\.displayName) == ["12", "3", "1"].map { tmp.path + "/usage.jsonl." + $0 } + [
                tmp.path + "/usage.jsonl"
            ])
        let summary = try read(sources, query(top: 0))
        #expect(summary.totals.events == 4)
        #expect(Set(summary.groups.map(\.label)) == ["current", "one", "three", "twelve"])
    }

    @Test("several files add up; - is standard input")
    func severalFiles() throws {
        let tmp = TemporaryFolder()
        tmp.write("a.jsonl", valid + "\n")
        tmp.write("b.jsonl", valid + "\nbroken\n")
        let summary = try read([.file(tmp.path + "/a.jsonl"), .file(tmp.path + "/b.jsonl")])
        #expect(summary.totals.events == 2 && summary.totals.malformedLines == 1)
        #expect(summary.sources.count == 2)
        #expect(ReportSource(fileArgument: "-") == .standardInput)
        #expect(ReportSource(fileArgument: "x") == .file("x"))
        #expect(ReportSource.standardInput.displayName == "-")
    }
}
