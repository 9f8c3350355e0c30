import TLMRecorder
import TLMTestSupport
import Testing

@testable import TLMReport

/// `tlm report --format markdown`: GFM tables that parse (every row as many
/// cells as its header), names from the log that stay text, and a golden file.
@Suite("Markdown report")
struct MarkdownTests {
    static func summary(_ file: String = "events.jsonl", top: Int = 15) throws -> ReportSummary {
        try Report.summarize(
            query(top: top), sources: [ReportSource(fileArgument: RenderingTests.fixtures + file)])
    }

    /// The cells of a table row, split at the `|` no backslash escapes, without the outer pipes.
    static func cells(_ line: Substring) -> [String] {
        var cells: [String] = []
        var cell = ""
        var escaped = false
        for scalar in line.unicodeScalars {
            if escaped {
                cell.unicodeScalars.append(scalar)
                escaped = false
            } else if scalar == "\\" {
                cell.unicodeScalars.append(scalar)
                escaped = true
            } else if scalar == "|" {
                cells.append(cell)
                cell = ""
            } else {
                cell.unicodeScalars.append(scalar)
            }
        }
        cells.append(cell)
        // "| a | b |" splits into "", " a ", " b ", "": the outer two are the row's edges.
        return cells.dropFirst().dropLast().map {
            String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        }
    }

    /// What a cell shows: backslash escapes (before ASCII punctuation only, as CommonMark
    /// reads them) and the three entities undone.
    static func shown(_ cell: String) -> String {
        var out = ""
        let scalars = Array(cell.unicodeScalars)
        var index = 0
        while index < scalars.count {
            if scalars[index] == "\\", index + 1 < scalars.count,
                ##"!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"##.unicodeScalars.contains(scalars[index + 1])
            {
                index += 1
            }
            out.unicodeScalars.append(scalars[index])
            index += 1
        }
        return out.replacing("&lt;", with: "<").replacing("&gt;", with: ">").replacing("&amp;", with: "&")
    }

    /// The GFM tables of `markdown`, each as its rows of cells (the header first, the delimiter row checked and left out).
    static func tables(_ markdown: String, sourceLocation: SourceLocation = #_sourceLocation) -> [[[String]]] {
        var tables: [[[String]]] = []
        var current: [[String]] = []
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            guard line.hasPrefix("|") else {
                if !current.isEmpty { tables.append(current) }
                current = []
                continue
            }
            #expect(line.hasSuffix(" |"), "a row ends with its pipe: \(line)", sourceLocation: sourceLocation)
            let cells = Self.cells(line)
            if current.isEmpty {
                // A header needs its delimiter row next: left-aligned names, right-aligned numbers.
                let delimiter = Self.cells(lines[index + 1])
                #expect(delimiter.count == cells.count, sourceLocation: sourceLocation)
                #expect(delimiter.first == ":---", sourceLocation: sourceLocation)
                #expect(delimiter.dropFirst().allSatisfy { $0 == "---:" }, sourceLocation: sourceLocation)
                current.append(cells)
            } else if current.count == 1 && cells.allSatisfy({ $0.hasPrefix(":---") || $0 == "---:" }) {
                continue
            } else {
                #expect(
                    cells.count == current[0].count, "\(cells.count) cells under \(current[0].count): \(line)",
                    sourceLocation: sourceLocation)
                current.append(cells)
            }
        }
        if !current.isEmpty { tables.append(current) }
        return tables
    }

    @Test("the golden Markdown of the fixture log; tables that parse, one per section but activity and changes")
    func golden() throws {
        let summary = try Self.summary()
        let markdown = ReportMarkdown(summary: summary).render()
        try RenderingTests.expectGolden(markdown, "report.md")
        let tables = Self.tables(markdown)
        #expect(tables.map(\.count) == [5, 5, 5, 6])
        #expect(tables.map { $0[0].count } == [3, 7, 8, 2])
        #expect(tables[1][0] == ["target", "runs", "ok", "failed", "timed out", "cancelled", "success"])
        #expect(tables[1][2] == ["test", "6", "5", "1", "1", "0", "83.3%"])
        #expect(tables[2][0][2] == "p50" && tables[2][0][3] == "p95")
        #expect(markdown.hasPrefix("## tlm report: 14 runs, 2026-02-01 → 2026-02-13 (UTC)\n"))
        #expect(markdown.contains("**Overall:** 11 succeeded (78.6%), 2 failed (14.3%, 1 timed out)"))
        #expect(
            markdown.contains("### What changed (the 7 days from 2026-02-07 against the 7 before)\n\n- deploy: p50"))
        // The log's ESC and markup are text: shown, not sent or rendered.
        #expect(!markdown.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(markdown.contains(#"lint\x1b\[31m"#) && markdown.contains("&lt;b&gt;&amp;\"html\""))
        #expect(!markdown.contains("<"))
    }

    @Test("hostile names stay inert: no cell, link, image, HTML or line of their own")
    func hostileNames() throws {
        let summary = try Self.summary("hostile.jsonl")
        let markdown = ReportMarkdown(summary: summary).render()
        for forbidden in [
            "<", "](", "http://", "https://", "www.", "**b", "~~", "`c`", ":x:", "\n# h", "\n|  c", "\u{1B}",
            "\u{202E}",
        ] {
            #expect(!markdown.contains(forbidden), "\(forbidden) in the report")
        }
        let tables = Self.tables(markdown)
        #expect(tables.count == 4)
        // Each name shows as itself (its controls in visible forms, cut to 40 columns), in one cell.
        let names = Set(summary.groups.map { Escaping.terminal(Charts.fit($0.label, 40, unicode: true)) })
        #expect(names.count == 7)
        for table in tables.prefix(3) {
            #expect(Set(table.dropFirst().map { Self.shown($0[0]) }) == names)
        }
        #expect(names.contains("a|b<script>[x](http://e)") && names.contains(#"x\x0a| c | d |\x0a# h"#))
        #expect(names.contains("deploy-a-very-long-target-name-that-goe…"))
        // Outside tables, no line wider than a page.
        for line in markdown.split(separator: "\n") where !line.hasPrefix("|") {
            #expect(Charts.columns(line) <= 120, "\(line)")
        }
    }

    @Test("groups beyond --top are added up in a (N more) row, in every table")
    func otherGroupsRow() throws {
        let summary = try Self.summary(top: 2)
        let tables = Self.tables(ReportMarkdown(summary: summary).render())
        for table in tables.prefix(3) {
            #expect(table.count == 4)
            #expect(table.last?.first == #"\(2 more\)"#)
        }
        #expect(tables[0][3] == [#"\(2 more\)"#, "2", "14.3%"])
    }

    @Test("no event matches the filters: one line that says so, the filter's name escaped")
    func noMatch() throws {
        var query = query()
        query.targets = ["nope|<b>"]
        let summary = try Report.summarize(
            query, sources: [ReportSource(fileArgument: RenderingTests.fixtures + "events.jsonl")])
        #expect(ReportMarkdown(summary: summary).render() == "No runs match: target nope\\|&lt;b&gt;.\n")
    }

    @Test("long paragraphs break at spaces under 120 columns, list items indented")
    func paragraphs() throws {
        let report = ReportMarkdown(summary: try Self.summary())
        let words = Array(repeating: "word", count: 60).joined(separator: " ")
        let text = report.paragraph(words, prefix: "- ")
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3 && lines.allSatisfy { $0.count <= 120 })
        #expect(lines[0].hasPrefix("- word") && lines[1].hasPrefix("  word"))
        #expect(text.replacing("\n  ", with: " ") == "- " + words + "\n")
    }
}
