import Foundation  // Tests only: JSONSerialization checks that the hand-written JSON is valid.
import TLMRecorder
import Testing

@testable import TLMReport

@Suite("JSON and CSV output")
struct OutputTests {
    /// A small fixed log: anklume's lines and tlm's, a failure, a signal death, a zero duration,
    /// a target that needs escaping and quoting, a malformed line.
    static let fixture = #"""
        {"timestamp": "2026-02-02T09:00:00+00:00", "target": "apply", "domain": null, "duration_seconds": 40, "exit_code": 0}
        {"timestamp": "2026-02-03T09:00:00+00:00", "target": "apply", "domain": "web", "duration_seconds": 41, "exit_code": 0}
        {"timestamp": "2026-02-04T09:00:00Z", "target": "apply", "domain": "web", "duration_seconds": 42, "exit_code": 2}
        {"timestamp":"2026-02-10T09:00:00.000+00:00","target":"apply","domain":"web","duration_seconds":85.000,"exit_code":0,"command":"make","signal":null,"cpu_user_seconds":12.300,"cpu_system_seconds":1.100,"max_rss_kb":81234}
        {"timestamp":"2026-02-11T09:00:00.000+00:00","target":"apply","domain":"web","duration_seconds":87.250,"exit_code":0,"command":"make","signal":null,"cpu_user_seconds":12.300,"cpu_system_seconds":1.100,"max_rss_kb":81234}
        {"timestamp":"2026-02-12T09:00:00.000+00:00","target":"apply","domain":"db","duration_seconds":90.500,"exit_code":130,"command":"make","signal":"SIGINT","cpu_user_seconds":null,"cpu_system_seconds":null,"max_rss_kb":null}
        {"timestamp":"2026-02-12T10:00:00.000+00:00","target":"lint, \"quick\"","domain":null,"duration_seconds":0.000,"exit_code":1,"command":"npm","signal":null,"cpu_user_seconds":null,"cpu_system_seconds":null,"max_rss_kb":null}
        not a line
        {"timestamp":"2026-02-13T10:00:00.000+00:00","target":"sync","domain":null,"duration_seconds":1.500,"exit_code":0,"command":"rsync","signal":null,"cpu_user_seconds":null,"cpu_system_seconds":null,"max_rss_kb":null}

        """#

    static let goldenJSON = #"""
        {
          "schema_version": 1,
          "generated_at": "2026-02-14T10:30:00.000+00:00",
          "query": {
            "since": null,
            "until": null,
            "targets": [],
            "domains": [],
            "failed_only": false,
            "command": null,
            "group_by": "target",
            "top": 2
          },
          "totals": {
            "events": 8,
            "events_read": 8,
            "malformed_lines": 1,
            "unique_targets": 3,
            "groups": 3,
            "first_event": "2026-02-02T09:00:00.000+00:00",
            "last_event": "2026-02-13T10:00:00.000+00:00",
            "successes": 5,
            "failures": 2,
            "cancelled": 1,
            "timeouts": 0,
            "success_rate": 0.6250,
            "failure_rate": 0.2500,
            "cancelled_rate": 0.1250,
            "duration_seconds": {"total": 387.250, "mean": 48.406, "min": 0.000, "max": 90.500, "p50": 41.000, "p95": 90.500, "p99": 90.500}
          },
          "groups": [
            {
              "key": "apply",
              "label": "apply",
              "runs": 6,
              "successes": 4,
              "failures": 1,
              "cancelled": 1,
              "timeouts": 0,
              "success_rate": 0.6667,
              "failure_rate": 0.1667,
              "cancelled_rate": 0.1667,
              "duration_seconds": {"total": 385.750, "mean": 64.292, "min": 40.000, "max": 90.500, "p50": 42.000, "p95": 90.500, "p99": 90.500},
              "first_event": "2026-02-02T09:00:00.000+00:00",
              "last_event": "2026-02-12T09:00:00.000+00:00"
            },
            {
              "key": "lint, \"quick\"",
              "label": "lint, \"quick\"",
              "runs": 1,
              "successes": 0,
              "failures": 1,
              "cancelled": 0,
              "timeouts": 0,
              "success_rate": 0.0000,
              "failure_rate": 1.0000,
              "cancelled_rate": 0.0000,
              "duration_seconds": {"total": 0.000, "mean": 0.000, "min": 0.000, "max": 0.000, "p50": 0.000, "p95": 0.000, "p99": 0.000},
              "first_event": "2026-02-12T10:00:00.000+00:00",
              "last_event": "2026-02-12T10:00:00.000+00:00"
            }
          ],
          "other_groups": {
            "groups": 1,
            "runs": 1,
            "successes": 1,
            "failures": 0,
            "cancelled": 0,
            "timeouts": 0,
            "success_rate": 1.0000,
            "failure_rate": 0.0000,
            "cancelled_rate": 0.0000,
            "duration_seconds": {"total": 1.500, "mean": 1.500, "min": 1.500, "max": 1.500, "p50": 1.500, "p95": 1.500, "p99": 1.500},
            "first_event": "2026-02-13T10:00:00.000+00:00",
            "last_event": "2026-02-13T10:00:00.000+00:00"
          },
          "activity": {
            "days": [
              {"date": "2026-02-02", "runs": 1, "failures": 0, "cancelled": 0},
              {"date": "2026-02-03", "runs": 1, "failures": 0, "cancelled": 0},
              {"date": "2026-02-04", "runs": 1, "failures": 1, "cancelled": 0},
              {"date": "2026-02-10", "runs": 1, "failures": 0, "cancelled": 0},
              {"date": "2026-02-11", "runs": 1, "failures": 0, "cancelled": 0},
              {"date": "2026-02-12", "runs": 2, "failures": 1, "cancelled": 1},
              {"date": "2026-02-13", "runs": 1, "failures": 0, "cancelled": 0}
            ]
          },
          "changes": {
            "reference": "2026-02-14T10:30:00.000+00:00",
            "recent_start": "2026-02-07T10:30:00.000+00:00",
            "previous_start": "2026-01-31T10:30:00.000+00:00",
            "window_days": 7,
            "target_count": 3,
            "compared_count": 1,
            "targets": [
              {
                "target": "apply",
                "notable": true,
                "slower": true,
                "faster": false,
                "fails_more": false,
                "fails_less": true,
                "previous": {"runs": 3, "failures": 1, "failure_rate": 0.3333, "p50_seconds": 41.000},
                "recent": {"runs": 3, "failures": 0, "failure_rate": 0.0000, "p50_seconds": 87.250},
                "p50_ratio": 2.128,
                "failure_rate_change": -0.3333,
                "sentence": "apply: p50 41s → 1m27s, 2.1× slower; failures 33% → 0% (-33 points)"
              },
              {
                "target": "lint, \"quick\"",
                "notable": false,
                "slower": false,
                "faster": false,
                "fails_more": false,
                "fails_less": false,
                "previous": {"runs": 0, "failures": 0, "failure_rate": null, "p50_seconds": null},
                "recent": {"runs": 1, "failures": 1, "failure_rate": 1.0000, "p50_seconds": 0.000},
                "p50_ratio": null,
                "failure_rate_change": null,
                "sentence": "lint, \"quick\": 0 runs before, 1 since"
              }
            ]
          }
        }

        """#

    static let goldenCSV = #"""
        group,runs,successes,failures,cancelled,success_rate,failure_rate,cancelled_rate,total_seconds,mean_seconds,min_seconds,max_seconds,p50_seconds,p95_seconds,p99_seconds,first_event,last_event
        apply,6,4,1,1,0.6667,0.1667,0.1667,385.750,64.292,40.000,90.500,42.000,90.500,90.500,2026-02-02T09:00:00.000+00:00,2026-02-12T09:00:00.000+00:00
        "lint, ""quick""",1,0,1,0,0.0000,1.0000,0.0000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,2026-02-12T10:00:00.000+00:00,2026-02-12T10:00:00.000+00:00
        (1 more),1,1,0,0,1.0000,0.0000,0.0000,1.500,1.500,1.500,1.500,1.500,1.500,1.500,2026-02-13T10:00:00.000+00:00,2026-02-13T10:00:00.000+00:00

        """#

    static func fixtureSummary(_ query: ReportQuery = query(top: 2)) -> ReportSummary {
        summarize(lines: fixture.split(separator: "\n", omittingEmptySubsequences: false).map(String.init), query)
    }

    @Test("JSON: the documented document for the fixed log, byte for byte")
    func goldenJSONOutput() {
        let json = ReportJSON.encode(Self.fixtureSummary())
        #expect(json == Self.goldenJSON)
        if json != Self.goldenJSON {
            // Show the first differing line, which #expect on two long strings does not.
            let got = json.split(separator: "\n", omittingEmptySubsequences: false)
            let want = Self.goldenJSON.split(separator: "\n", omittingEmptySubsequences: false)
            if let index = zip(got, want).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                Issue.record("line \(index + 1): got \(got[index]), want \(want[index])")
            }
        }
    }

    @Test("CSV: a header and one row per group, quoted as RFC 4180 says")
    func goldenCSVOutput() {
        #expect(ReportCSV.encode(Self.fixtureSummary()) == Self.goldenCSV)
        #expect(ReportCSV.field("plain") == "plain")
        #expect(ReportCSV.field("a,b") == "\"a,b\"")
        #expect(ReportCSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(ReportCSV.field("two\nlines") == "\"two\nlines\"")
        #expect(ReportCSV.field("-x") == "\"'-x\"")
        let byDomain = ReportCSV.encode(Self.fixtureSummary(query(grouping: .domain, top: 0)))
        #expect(byDomain.split(separator: "\n").map { $0.prefix(while: { $0 != "," }) } == ["group", "web", "", "db"])
    }

    @Test("CSV, JSON and text add up the groups beyond --top in one row, the same in each; none when all are shown")
    func othersInEveryFormat() throws {
        let summary = Self.fixtureSummary(query(top: 1))
        let other = try #require(summary.otherGroups)
        #expect(other.groupCount == 2 && other.label == "(2 more)")
        let rows = ReportCSV.encode(summary).split(separator: "\n").map(String.init)
        #expect(rows.count == 3)  // the header, apply, the others
        #expect(
            rows.last
                == "(2 more),2,1,1,0,0.5000,0.5000,0.0000,1.500,0.750,0.000,1.500,0.000,1.500,1.500,"
                + "2026-02-12T10:00:00.000+00:00,2026-02-13T10:00:00.000+00:00")
        // Every run is in exactly one row, as in the text report.
        let runs = rows.dropFirst().map { Int($0.split(separator: ",")[1])! }
        #expect(runs.reduce(0, +) == summary.totals.events)
        let json = ReportJSON.encode(summary)
        #expect(json.contains("\"other_groups\": {\n    \"groups\": 2,\n    \"runs\": 2,"))
        let text = TextReport(summary: summary, style: .plain).render()
        #expect(text.contains("\n  (2 more)  2  "), "\(text)")
        let all = Self.fixtureSummary(query(top: 0))
        #expect(!ReportCSV.encode(all).contains("more)") && ReportJSON.encode(all).contains("\"other_groups\": null"))
    }

    @Test("the JSON parses, for full, empty and filtered summaries, and holds what the summary holds")
    func jsonParses() throws {
        let summaries = [
            Self.fixtureSummary(), Self.fixtureSummary(query(top: 0)),
            Self.fixtureSummary(query(targets: ["nothing \"here\"\n"], domains: ["é"], failedOnly: true)),
            Self.fixtureSummary(query(since: 0, until: februaryFourteenth, grouping: .week)),
            summarize(lines: [], query()),
        ]
        for summary in summaries {
            let json = ReportJSON.encode(summary)
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
            let root = try #require(object as? [String: Any])
            #expect(root["schema_version"] as? Int == 1)
            let totals = try #require(root["totals"] as? [String: Any])
            #expect(totals["events"] as? Int == summary.totals.events)
            #expect(totals["malformed_lines"] as? Int == summary.totals.malformedLines)
            #expect((root["groups"] as? [Any])?.count == summary.groups.count)
            let changes = try #require(root["changes"] as? [String: Any])
            #expect((changes["targets"] as? [Any])?.count == summary.changes.targets.count)
            let query = try #require(root["query"] as? [String: Any])
            #expect(query["targets"] as? [String] == summary.query.targets)
            #expect(query["group_by"] as? String == summary.query.grouping.rawValue)
        }
        let empty = ReportJSON.encode(summarize(lines: [], query()))
        #expect(empty.contains("\"duration_seconds\": null") && empty.contains("\"first_event\": null"))
        #expect(empty.contains("\"groups\": []") && empty.contains("\"other_groups\": null"))
    }

    @Test("fixed-point numbers round half away from zero and never use an exponent")
    func fixed() {
        #expect(JSONWriter.fixed(0.5, places: 4) == "0.5000")
        #expect(JSONWriter.fixed(2.0 / 3, places: 4) == "0.6667")
        #expect(JSONWriter.fixed(-1.0 / 3, places: 4) == "-0.3333")
        #expect(JSONWriter.fixed(1e-9, places: 3) == "0.000")
        #expect(JSONWriter.fixed(123456.7891, places: 3) == "123456.789")
        #expect(JSONWriter.fixed(Double.nan, places: 2) == "0.00")
        #expect(JSONWriter.fixed(7, places: 0) == "7")
    }
}

/// `report --format csv` guards the group column as `export csv` guards its text.
@Suite("report CSV guard")
struct ReportCSVGuardTests {
    @Test("a target, domain or command that starts like a formula is quoted behind a '")
    func groupKeysGuarded() {
        let events = [
            event("-x", domain: "=HYPERLINK(\"http://x\")", command: "@cmd"),
            event("+1", domain: "\tweb", command: "ok"),
        ]
        let byTarget = ReportCSV.encode(summarize(events, query(grouping: .target, top: 0)))
        let groups = byTarget.split(separator: "\n").dropFirst().map { String($0.prefix(while: { $0 != "," })) }
        #expect(groups.sorted() == ["\"'+1\"", "\"'-x\""])
        let byDomain = ReportCSV.encode(summarize(events, query(grouping: .domain, top: 0)))
        #expect(byDomain.contains("\n\"'=HYPERLINK(\"\"http://x\"\")\",1,"))
        #expect(byDomain.contains("\n\"'\tweb\",1,"))
        let byCommand = ReportCSV.encode(summarize(events, query(grouping: .command, top: 0)))
        #expect(byCommand.contains("\n\"'@cmd\",1,"))
    }
}
