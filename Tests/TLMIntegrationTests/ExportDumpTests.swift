import Glibc
import TLMRecorder
import TLMTestSupport
import Testing

/// `tlm export json` and `tlm export csv`: every event, with the report's filters.
@Suite("export json and csv")
struct ExportDumpTests {
    let sandbox = Sandbox()

    func record() throws {
        try sandbox.on()
        for (target, domain, code) in [("apply", "web", 0), ("apply", "db", 2), ("sync", "web", 0), ("check", "", 1)] {
            var arguments = ["log", "--target", target, "--duration", "2", "--exit-code", String(code)]
            if !domain.isEmpty { arguments += ["--domain", domain] }
            try sandbox.tlm(arguments)
        }
    }

    @Test("json: one event per line in tlm's format, rotated logs first, filters applied")
    func json() throws {
        try record()
        // An anklume line in a rotated log comes first, with every field.
        sandbox.folder.write(
            "tlm-home/usage.jsonl.1",
            "{\"timestamp\": \"2026-02-14T10:30:00+00:00\", \"target\": \"old\", \"domain\": null, "
                + "\"duration_seconds\": 1, \"exit_code\": 0}\nnot an event\n")
        let all = try sandbox.tlm(["export", "json"])
        #expect(all.status == .exited(0))
        let lines = all.text.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(
            lines.compactMap { EventParser.parse(String($0)) }.map(\.target) == [
                "old", "apply", "apply", "sync", "check",
            ])
        #expect(lines[0].hasPrefix("{\"timestamp\":\"2026-02-14T10:30:00.000+00:00\",\"target\":\"old\""))
        #expect(lines[0].contains("\"trace_id\":null"))
        #expect(all.errorText == "tlm: skipped 1 line that is not an event\n")

        let failed = try sandbox.tlm(["export", "json", "--failed", "--domain", "db", "--quiet"])
        #expect(failed.text.split(separator: "\n").compactMap { EventParser.parse(String($0)) }.map(\.exitCode) == [2])
        #expect(failed.errorText.isEmpty)
        let since = try sandbox.tlm(["export", "json", "--since", "1d", "--target", "apply", "--target", "check"])
        #expect(since.text.split(separator: "\n").count == 3)
    }

    @Test("csv: a header and one row per event; --file - reads standard input")
    func csv() throws {
        try record()
        let result = try sandbox.tlm(["export", "csv", "--target", "apply"])
        let rows = result.text.split(separator: "\n")
        #expect(
            rows.first
                == "timestamp,target,domain,duration_seconds,exit_code,command,signal,cpu_user_seconds,cpu_system_seconds,max_rss_kb,timed_out,attempts,trace_id,span_id,parent_span_id,ci"
        )
        #expect(rows.count == 3)
        #expect(
            rows[2].split(separator: ",", omittingEmptySubsequences: false)[1...4] == ["apply", "db", "2.000", "2"])

        let log = try #require(sandbox.folder.text("tlm-home/usage.jsonl"))
        let piped = try sandbox.tlm(["export", "csv", "--file", "-"], stdin: .bytes(Array(log.utf8)))
        #expect(piped.text.split(separator: "\n").count == 5)
        let missing = try sandbox.tlm(["export", "csv", "--file", sandbox.folder.path + "/none.jsonl"])
        #expect(missing.status == .exited(1))
        #expect(missing.errorText.hasPrefix("tlm: cannot read"))
    }

    @Test("nothing recorded: json prints nothing, csv only its header")
    func empty() throws {
        #expect(try sandbox.tlm(["export", "json"]).text.isEmpty)
        #expect(try sandbox.tlm(["export", "csv"]).text.split(separator: "\n").count == 1)
    }
}
