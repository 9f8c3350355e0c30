import TLMRecorder
import TLMTestSupport
import Testing

@testable import TLMReport

/// The text report's sentences as a reader would write them, and as README.md
/// quotes them.
@Suite("Text report: its wording, and README's quotes of it")
struct ReportWordingTests {
    /// The line of the text report (80 columns, plain) that names the busiest period.
    static func busiestLine(_ events: [Event]) throws -> String {
        let text = TextReport(summary: summarize(events, query()), style: .plain).render()
        let line = text.split(separator: "\n").first { $0.contains("; busiest ") }
        return String(try #require(line, "no busiest line in:\n\(text)"))
    }

    @Test("one run on the busiest day: '(1 run)'")
    func busiestOneRun() throws {
        let line = try Self.busiestLine([
            event("build", at: februaryFourteenth - 2 * day), event("build", at: februaryFourteenth),
        ])
        #expect(line.hasSuffix("; busiest 2026-02-12 (1 run)"), "\(line)")
    }

    @Test("two runs on the busiest day: '(2 runs)'")
    func busiestTwoRuns() throws {
        let line = try Self.busiestLine([
            event("build", at: februaryFourteenth - 2 * day), event("build", at: februaryFourteenth - hour),
            event("build", at: februaryFourteenth),
        ])
        #expect(line.hasSuffix("; busiest 2026-02-14 (2 runs)"), "\(line)")
    }

    @Test("README's 'what changed' example is the sentence the report writes for it")
    func readmeChangeExample() throws {
        // apply: a p50 of 41 s in the previous 7 days, 87 s in the last 7, 4 runs in each.
        let previous = [41.0, 41, 40, 42].enumerated().map {
            event("apply", at: februaryFourteenth - Int64(9 + $0) * day, duration: $1)
        }
        let recent = [87.0, 87, 86, 88].enumerated().map {
            event("apply", at: februaryFourteenth - Int64(1 + $0) * day, duration: $1)
        }
        let changes = summarize(previous + recent, query()).changes.targets
        let sentence = try #require(changes.first { $0.target == "apply" }).sentence()
        #expect(sentence == "apply: p50 41s → 1m27s, 2.1× slower")
        var readme = #filePath
        for _ in 0..<3 { readme = String(readme[..<readme.lastIndex(of: "/")!]) }
        let text = String(decoding: try #require(readFile(readme + "/README.md")), as: UTF8.self)
        let quoted = text.contains("`\(sentence)`")  // not in the #expect: it would print all of README
        #expect(quoted, "README.md should quote `\(sentence)`")
    }
}
