import TLMRecorder
import Testing

@testable import TLMReport

/// The text report fits the terminal: no line wider than `TerminalStyle.width`,
/// counted in terminal columns (a CJK character takes two, an SGR sequence
/// none), at every width, in colour or not, in Unicode or ASCII.
@Suite("Text report: every line within the terminal's width")
struct WidthTests {
    /// The columns a terminal gives `line`: SGR sequences take none, a wide
    /// (CJK) character two, a combining mark none. Written apart from
    /// `Charts.columns`, so that the test does not check the code with itself.
    static func columns(_ line: Substring) -> Int {
        var total = 0
        var inSequence = false
        for scalar in line.unicodeScalars {
            if inSequence {
                if scalar == "m" { inSequence = false }
                continue
            }
            switch scalar.value {
            case 0x1B: inSequence = true
            case 0x300...0x36F: break
            case 0x3000...0x9FFF, 0xAC00...0xD7A3, 0xFF00...0xFF60: total += 2
            default: total += 1
            }
        }
        return total
    }

    /// Long names, a CJK one, failures, and two weeks in which every target
    /// changes notably: every section has long lines to fold.
    static func longNames() -> ReportSummary {
        let names = [
            String(repeating: "a", count: 64), "deploy-production-cluster-eu-west-1-with-a-long-target-name",
            "测试目标名称很长的名字", "x", "build",
        ]
        var events: [Event] = []
        for (index, name) in names.enumerated() {
            for days in 1...13 {
                let recent = days <= 6
                events.append(
                    event(
                        name, at: februaryFourteenth - Int64(days) * day, duration: recent ? 9_000 : 40,
                        exit: recent && days % 2 == 0 ? 1 : 0, domain: "domain-of-" + name,
                        command: index == 0 ? "a-command-with-a-rather-long-name" : "make"))
            }
        }
        return summarize(events, query(top: 3))
    }

    static let summaries: [ReportSummary] = {
        var all = [longNames()]
        for grouping in [ReportGrouping.target, .domain, .command, .day, .week] {
            all.append(try! RenderingTests.summary(grouping: grouping))
        }
        return all
    }()

    @Test("at 40 to 120 columns, in colour or not, Unicode or ASCII, no line is wider than the terminal")
    func everyWidth() {
        for summary in Self.summaries {
            for width in 40...120 {
                for (colour, unicode) in [(false, false), (true, true), (false, true)] {
                    let style = TerminalStyle(width: width, colour: colour, unicode: unicode)
                    let text = TextReport(summary: summary, style: style).render()
                    for line in text.split(separator: "\n") where Self.columns(line) > width {
                        Issue.record("\(Self.columns(line)) columns at \(width) (colour \(colour)): \(line)")
                    }
                }
            }
        }
    }

    @Test("the columns counted: two for a CJK character, none for an SGR sequence")
    func counting() {
        #expect(Charts.columns("测试") == 4 && Self.columns("测试") == 4)
        #expect(Charts.columns("e\u{301}") == 1)
        #expect(Self.columns("\u{1B}[1mbold\u{1B}[0m") == 4)
        #expect(Charts.fit("测试目标", 5, unicode: true) == "测试…")
        #expect(Charts.right("测", 3) == " 测")
    }

    @Test("a long line folds at a space, its colour kept, the next lines indented")
    func folding() {
        let style = TerminalStyle(width: 40, colour: true, unicode: true)
        let report = TextReport(summary: Self.summaries[1], style: style)
        let text = report.flow(
            [
                ("11\u{A0}succeeded", style.green), ("(78.6%),", { $0 }),
                ("2\u{A0}failed (14.3%, 1 timed out),", style.red),
            ],
            prefix: "  overall: ", continuation: 4)
        #expect(
            text
                == "  overall: \u{1B}[32m11 succeeded\u{1B}[0m (78.6%),\n    \u{1B}[31m2 failed (14.3%, 1 timed out),\u{1B}[0m\n"
        )
    }

    @Test("a filter that matches nothing: one line naming the filters; JSON and CSV keep their shape")
    func nothingMatches() throws {
        let summary = try Report.summarize(
            query(since: februaryFourteenth - 30 * day, targets: ["nosuch"]),
            sources: [ReportSource(fileArgument: RenderingTests.fixtures + "events.jsonl")])
        #expect(summary.totals.events == 0 && summary.totals.eventsRead > 0)
        for style in [TerminalStyle.plain, TerminalStyle(width: 120, colour: true, unicode: true)] {
            #expect(
                TextReport(summary: summary, style: style).render()
                    == "no runs match: since 2026-01-15T10:30:00.000+00:00; target nosuch\n")
        }
        #expect(ReportCSV.encode(summary) == ReportCSV.columns.joined(separator: ",") + "\n")
        let json = ReportJSON.encode(summary)
        #expect(
            json.contains("\"groups\": []") && json.contains("\"other_groups\": null") && json.contains("\"changes\""))
    }
}
