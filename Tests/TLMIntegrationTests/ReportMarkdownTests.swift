import Foundation
import Glibc
import TLMTestSupport
import Testing

/// `tlm report --format markdown` end to end: what a CI step appends to its job
/// summary, alone or beside `--html`, on an empty log and on a hostile one.
@Suite("tlm report --format markdown")
struct ReportMarkdownTests {
    @Test("the fixture's report as GFM on stdout, exit 0, nothing on stderr, no ANSI")
    func markdown() throws {
        let run = try ReportTests.report(["--format", "markdown"])
        #expect(run.status == .exited(0))
        #expect(run.errorText.isEmpty)
        #expect(run.text.hasPrefix("## tlm report: 17 runs, 2026-01-18 → "))
        #expect(run.text.contains("\n### Success and failure\n\n**Overall:** "))
        #expect(run.text.contains("| target | runs | ok | failed | timed out | cancelled | success |\n"))
        #expect(run.text.contains("| :--- | ---: | ---: | ---: | ---: | ---: | ---: |\n"))
        #expect(run.text.contains("### What changed (the 7 days from 2026-01-25 against the 7 before)\n\n- apply: "))
        #expect(!run.text.contains("\u{1B}"))
        // --ascii draws the terminal's report; Markdown is the same with it.
        #expect(try ReportTests.report(["--format", "markdown", "--ascii"]).text == run.text)
    }

    @Test("--format markdown with --html FILE: the page to the file and the Markdown to stdout, as json and csv do")
    func withHTML() throws {
        let box = Sandbox()
        let path = box.folder.path + "/report.html"
        let run = try box.tlm(
            ["report", "--file", ReportTests.fixture, "--until", "2026-01-31", "--format", "markdown", "--html", path])
        #expect(run.status == .exited(0))
        #expect(run.errorLines == ["tlm: report written to \(path)"])
        #expect(run.text == (try ReportTests.report(["--format", "markdown"])).text)
        #expect(String(decoding: try #require(readFile(path)), as: UTF8.self).hasPrefix("<!DOCTYPE html>"))
    }

    @Test("an empty log, or filters that match nothing: one escaped line, exit 0")
    func oneLine() throws {
        let box = Sandbox()
        let empty = try box.tlm(["report", "--format", "markdown"])
        #expect(empty.status == .exited(0))
        #expect(
            empty.text == #"No events recorded yet\: 'tlm on' starts recording, then 'tlm run \-\- COMMAND'\."# + "\n")
        let none = try ReportTests.report(["--format", "markdown", "--target", "a|b<i>"])
        #expect(none.status == .exited(0))
        #expect(none.text.hasPrefix("No runs match: until 2026"))
        #expect(none.text.hasSuffix("; target a\\|b&lt;i&gt;.\n"))
        #expect(none.text.split(separator: "\n").count == 1)
    }

    @Test("a log's names cannot add a table cell, a link or HTML to the summary")
    func hostileLog() throws {
        let box = Sandbox()
        let line =
            #"{"timestamp":"2026-02-01T09:00:00Z","target":"a|b<script>[x](http://e)","domain":"d\n|x|","#
            + #""duration_seconds":1,"exit_code":0}"#
        box.folder.write("hostile.jsonl", line + "\n")
        let run = try box.tlm(["report", "--file", box.folder.path + "/hostile.jsonl", "--format", "markdown"])
        #expect(run.status == .exited(0))
        #expect(run.text.contains(#"| a\|b&lt;script&gt;\[x\]\(http\://e\) | 1 | 100.0% |"#))
        #expect(!run.text.contains("<") && !run.text.contains("http://"))
        let byDomain = try box.tlm(
            ["report", "--file", box.folder.path + "/hostile.jsonl", "--format", "markdown", "--by", "domain"])
        #expect(byDomain.text.contains(#"| d\x0a\|x\| | 1 | 100.0% |"#))
    }
}
