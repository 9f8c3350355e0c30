import TLMRecorder
import TLMReport
import TLMTestSupport
import Testing

/// The README's "Swift API" example for the report, run as written, against a
/// home filled by the recorder module (the environment injected instead of the
/// process's own).
@Suite("The README's report API example")
struct APIExampleTests {
    @Test("recorded events come back through Report.summarize, filtered, as JSON and CSV")
    func readmeExample() throws {
        let folder = TemporaryFolder()
        let environment = Environment(["TLM_HOME": folder.path + "/tlm", "TLM_TELEMETRY": "1"])
        let recorder = Recorder(environment: environment)
        for (target, seconds, exit) in [("apply", 40.0, 0), ("apply", 80.0, 2), ("sync", 5.0, 0)] {
            #expect(try recorder.record(target: target, domain: "web", durationSeconds: seconds, exitCode: exit))
        }

        let home = try TelemetryHome.resolve(environment)
        var query = ReportQuery(targets: ["apply"])
        query.since = try ReportQuery.parseSince("7d", now: query.now)
        let summary = try Report.summarize(query, sources: ReportSource.logFiles(in: home))

        #expect(summary.totals.events == 2)
        #expect(summary.totals.eventsRead == 3)
        #expect(summary.totals.outcomes.failures == 1)
        #expect(summary.totals.durations?.p95 == 80)
        #expect(summary.groups.map(\.label) == ["apply"])
        #expect(ReportJSON.encode(summary).contains("\"events\": 2,"))
        #expect(ReportCSV.encode(summary).split(separator: "\n").dropFirst().first?.hasPrefix("apply,2,1,1,0,") == true)
    }
}
