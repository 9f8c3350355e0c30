import TLMTestSupport
import Testing

/// One rule for which files are tlm's logs, whichever command reads them: the
/// names rotation writes, `usage.jsonl.N` with N from 1 and no leading zero.
/// Report and status once listed the folder by two rules: status read
/// `usage.jsonl.01` as a second `usage.jsonl.1` (read twice), report did not.
@Suite("Which files are tlm's logs: one rule for report, status, export and clear")
struct LogFilesRuleTests {
    func line(_ target: String) -> String {
        #"{"timestamp":"2026-02-14T10:30:00.000+00:00","target":""# + target
            + #"","domain":"web","duration_seconds":1.0,"exit_code":0,"command":"make"}"# + "\n"
    }

    /// A folder holding the log, one rotated log, and two files that only look like rotated logs.
    func sandbox() throws -> Sandbox {
        let box = Sandbox()
        try box.on()
        box.folder.write("tlm-home/usage.jsonl", line("current"))
        box.folder.write("tlm-home/usage.jsonl.1", line("rotated"))
        box.folder.write("tlm-home/usage.jsonl.01", line("leading-zero") + line("leading-zero"))
        box.folder.write("tlm-home/usage.jsonl.2.gz", line("compressed") + line("compressed") + line("compressed"))
        return box
    }

    @Test("report, status and export see the same two logs; usage.jsonl.01 and usage.jsonl.2.gz are not tlm's")
    func sameEvents() throws {
        let box = try sandbox()
        let report = try box.tlm(["report", "--format", "json", "--top", "0"])
        #expect(report.status == .exited(0), "\(report.errorText)")
        #expect(report.text.contains(#""events": 2,"#), "\(report.text)")
        #expect(!report.text.contains("leading-zero") && !report.text.contains("compressed"))

        let status = try box.tlm(["status", "--json"])
        #expect(status.status == .exited(0), "\(status.errorText)")
        #expect(status.text.contains(#""events":2,"#), "\(status.text)")

        let export = try box.tlm(["export", "json"])
        #expect(export.status == .exited(0), "\(export.errorText)")
        let exported = export.text.split(separator: "\n")
        #expect(exported.count == 2, "\(export.text)")
        #expect(exported.first?.contains(#""target":"rotated""#) == true)
        #expect(exported.last?.contains(#""target":"current""#) == true)
    }

    @Test("clear removes tlm's logs and leaves the look-alikes, which are not tlm's")
    func clearKeepsLookAlikes() throws {
        let box = try sandbox()
        let clear = try box.tlm(["clear"])
        #expect(clear.status == .exited(0), "\(clear.errorText)")
        #expect(try box.folder.list("tlm-home") == ["usage.jsonl.01", "usage.jsonl.2.gz"])
    }
}
