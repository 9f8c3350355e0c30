import Foundation  // Tests only: writes the golden files again when TLM_UPDATE_GOLDEN is set.
import TLMRecorder
import TLMTestSupport
import Testing

@testable import TLMReport

/// The text and HTML reports of a small fixed log, against golden files.
///
/// "Now" is fixed (2026-02-14T10:30Z, `query()`) and the terminal is a value,
/// so nothing here depends on the clock, the locale or the terminal the tests
/// run in. To write the golden files again after a deliberate change, run the
/// suite with `TLM_UPDATE_GOLDEN=1`, then read the diff.
@Suite("Text and HTML output against golden files")
struct RenderingTests {
    /// Tests/TLMReportTests/Fixtures/: read by path, as a user's files would be.
    static let fixtures: String = {
        let path = #filePath
        return String(path[..<path.lastIndex(of: "/")!]) + "/Fixtures/"
    }()

    /// The fixture: two weeks of deploy and test runs (deploy twice as slow in
    /// the last 7 days), a failure, a timeout, a signal death, a target with a
    /// terminal escape and one with markup, a malformed line.
    static func summary(grouping: ReportGrouping = .target) throws -> ReportSummary {
        try Report.summarize(
            query(grouping: grouping), sources: [ReportSource(fileArgument: fixtures + "events.jsonl")])
    }

    static let colourUnicode = TerminalStyle(width: 80, colour: true, unicode: true)

    /// Compares `text` with the golden file `name`, or writes it with `TLM_UPDATE_GOLDEN=1`.
    static func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        let path = fixtures + name
        if ProcessInfo.processInfo.environment["TLM_UPDATE_GOLDEN"] == "1" {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let golden = try #require(readFile(path), "cannot read \(path)", sourceLocation: sourceLocation)
        #expect(text == String(decoding: golden, as: UTF8.self), sourceLocation: sourceLocation)
    }

    @Test("text, 80 columns, no colour, ASCII: the golden output")
    func plainText() throws {
        let text = TextReport(summary: try Self.summary(), style: .plain).render()
        try Self.expectGolden(text, "report-plain.txt")
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(!text.contains("\u{1B}"))
        // The log's escape character is shown, not sent to the terminal.
        #expect(text.contains(#"lint\x1b[31m"#))
    }

    @Test("text, 80 columns, colour and Unicode: the golden output")
    func colourText() throws {
        let summary = try Self.summary()
        let text = TextReport(summary: summary, style: Self.colourUnicode).render()
        try Self.expectGolden(text, "report-colour.txt")
        #expect(text.contains("\u{1B}[1mtlm report: 14 runs"))
        #expect(text.contains("█") && text.contains("→"))
        // Not sent to the terminal: shown as text, outside any colour of its own.
        #expect(text.contains(#"lint\x1b[31m"#) && !text.contains("\u{1B}[31mlint"))
        // Colour changes colours only: without its SGR sequences, the page is the uncoloured
        // one, the duration table's bars included (they were lost in colour, the table's width
        // measured on the dimmed header with its SGR bytes).
        let uncoloured = TextReport(summary: summary, style: TerminalStyle(width: 80, colour: false, unicode: true))
        #expect(uncoloured.render().contains("total  avg\n"))
        #expect(Self.withoutSGR(text) == uncoloured.render())
        // A zero in the failures column is not painted red (the padded cell was compared with "0").
        let painted = text.split(separator: "\u{1B}[31m").dropFirst().map { $0.prefix { $0 != "\u{1B}" } }
        #expect(!painted.isEmpty)
        #expect(!painted.contains { $0.drop(while: { $0 == " " }) == "0" })
    }

    /// `text` without its SGR sequences (ESC [ … m): what the terminal shows of it.
    static func withoutSGR(_ text: String) -> String {
        var out = ""
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\u{1B}" else {
                out.unicodeScalars.append(scalar)
                continue
            }
            // Only tlm's own sequences are raw ESC: the log's are shown as \x1b text.
            while let next = scalars.next(), next != "m" {}
        }
        return out
    }

    @Test("text, grouped by domain in 40 columns: the golden output")
    func narrowByDomain() throws {
        let style = TerminalStyle(width: 40, colour: false, unicode: true)
        let text = TextReport(summary: try Self.summary(grouping: .domain), style: style).render()
        try Self.expectGolden(text, "report-domain-40.txt")
        #expect(text.contains("Invocations per domain"))
    }

    @Test("HTML: the golden page, the generator as given, names from the log escaped")
    func html() throws {
        let page = HTMLReport(summary: try Self.summary(), generator: "tlm 0.0.0-test").render()
        try Self.expectGolden(page, "report.html")
        #expect(page.contains(#"<meta name="generator" content="tlm 0.0.0-test"/>"#))
        #expect(!page.contains("<b>") && !page.contains("\u{1B}"))
        #expect(page.contains("&lt;b&gt;&amp;"))
        #expect(page.components(separatedBy: "<svg ").count - 1 == 6)
    }

    @Test(
        "the report's numbers in words",
        arguments: [
            (NumberText.percent(0.975), "97.5%"), (NumberText.percent(1), "100.0%"), (NumberText.percent(0), "0.0%"),
            (NumberText.wholePercent(0.354), "35%"), (NumberText.count(1_234_567), "1,234,567"),
            (NumberText.count(-1234), "-1,234"), (NumberText.count(0), "0"), (NumberText.duration(0.85), "850ms"),
            (NumberText.duration(87), "1m27s"), (NumberText.oneDecimal(2.14), "2.1"),
            (NumberText.percent(.nan), "-"), (NumberText.percent(1e300), "-"),
        ])
    func numbers(text: String, expected: String) {
        #expect(text == expected)
    }
}
