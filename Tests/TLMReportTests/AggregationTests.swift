import TLMRecorder
import Testing

@testable import TLMReport

@Suite("Aggregation: totals, groups, filters, activity")
struct AggregationTests {
    /// A small varied log: three targets, two domains and none, failures and a cancellation, over three days.
    let log: [Event] = [
        event("apply", at: februaryFourteenth - 2 * day, duration: 40, domain: "web"),
        event("apply", at: februaryFourteenth - 2 * day + hour, duration: 50, exit: 2, domain: "web"),
        event("apply", at: februaryFourteenth - day, duration: 60, domain: "db"),
        event("apply", at: februaryFourteenth, duration: 90, exit: 130, domain: nil, signal: "SIGINT"),
        event("lint", at: februaryFourteenth - day, duration: 2, domain: "web", command: "npm"),
        event("lint", at: februaryFourteenth, duration: 4, exit: 1, command: "npm"),
        event("sync", at: februaryFourteenth - 2 * day, duration: 0, command: nil),
    ]

    @Test("totals: counts, outcomes, durations, first and last")
    func totals() throws {
        let summary = summarize(log, query())
        let totals = summary.totals
        #expect(totals.events == 7 && totals.eventsRead == 7 && totals.malformedLines == 0)
        #expect(totals.uniqueTargets == 3 && totals.groupCount == 3)
        #expect(totals.outcomes == OutcomeCounts(runs: 7, successes: 4, failures: 2, cancelled: 1))
        #expect(totals.outcomes.failureRate == 2.0 / 7)
        #expect(totals.trackedSeconds == 246)
        let durations = try #require(totals.durations)
        #expect(durations.minimum == 0 && durations.maximum == 90 && durations.mean == 246.0 / 7)
        #expect(durations.p50 == durations.p50)
        #expect(abs(durations.p50 - 40) <= 40 * QuantileSketch.relativeAccuracy)
        #expect(totals.firstEvent?.millisecondsSinceEpoch == februaryFourteenth - 2 * day)
        #expect(totals.lastEvent?.millisecondsSinceEpoch == februaryFourteenth)
        #expect(!summary.logIsEmpty)
    }

    @Test("a signal death is cancelled, not failed, whatever its exit code; 130 without a signal is a failure")
    func cancelled() {
        let summary = summarize(
            [
                event("a", exit: 130, signal: "SIGINT"), event("a", exit: 0, signal: "SIGTERM"),
                event("a", exit: 130, command: nil), event("a", exit: 143),
            ], query())
        #expect(summary.groups[0].outcomes == OutcomeCounts(runs: 4, successes: 0, failures: 2, cancelled: 2))
    }

    @Test("groups by target: by runs, then by name; each with its own numbers")
    func byTarget() throws {
        let summary = summarize(log, query())
        #expect(summary.groups.map(\.label) == ["apply", "lint", "sync"])
        let apply = summary.groups[0]
        #expect(apply.key == "apply")
        #expect(apply.outcomes == OutcomeCounts(runs: 4, successes: 2, failures: 1, cancelled: 1))
        #expect(apply.durations.total == 240 && apply.durations.minimum == 40 && apply.durations.maximum == 90)
        #expect(apply.durations.mean == 60)
        #expect(abs(apply.durations.p50 - 50) <= 50 * QuantileSketch.relativeAccuracy)
        #expect(apply.durations.p99 == 90)
        #expect(apply.firstEvent.millisecondsSinceEpoch == februaryFourteenth - 2 * day)
        #expect(apply.lastEvent.millisecondsSinceEpoch == februaryFourteenth)
        #expect(summary.groups[2].durations.p50 == 0)
        #expect(summary.otherGroups == nil)
    }

    @Test("groups by domain and by command, with a group for events that have none")
    func byDomainAndCommand() {
        let domains = summarize(log, query(grouping: .domain))
        #expect(domains.groups.map(\.key) == ["web", nil, "db"])
        #expect(domains.groups.map(\.outcomes.runs) == [3, 3, 1])
        #expect(domains.groups[1].label == "(none)")
        let commands = summarize(log, query(grouping: .command))
        #expect(commands.groups.map(\.key) == ["make", "npm", nil])
        #expect(commands.groups.map(\.outcomes.runs) == [4, 2, 1])
    }

    @Test("groups by UTC day and by ISO week, in date order")
    func byTime() {
        let days = summarize(log, query(grouping: .day))
        #expect(days.groups.map(\.label) == ["2026-02-12", "2026-02-13", "2026-02-14"])
        #expect(days.groups.map(\.outcomes.runs) == [3, 2, 2])
        // Saturday 14th and Sunday 15th are in week 7, Monday 16th starts week 8; Monday 5 January starts week 2.
        let weekLog = [
            event("a", at: februaryFourteenth), event("a", at: februaryFourteenth + day),
            event("a", at: februaryFourteenth + 2 * day), event("a", at: februaryFourteenth - 40 * day),
        ]
        let weeks = summarize(weekLog, query(grouping: .week))
        #expect(weeks.groups.map(\.label) == ["2026-W02", "2026-W07", "2026-W08"])
        #expect(weeks.groups.map(\.outcomes.runs) == [1, 2, 1])
    }

    @Test("top keeps the first groups and adds up the rest; for days, the latest")
    func top() throws {
        let summary = summarize(log, query(top: 2))
        #expect(summary.groups.map(\.label) == ["apply", "lint"])
        #expect(summary.totals.groupCount == 3)
        let other = try #require(summary.otherGroups)
        #expect(other.groupCount == 1 && other.outcomes.runs == 1 && other.durations.total == 0)
        let days = summarize(log, query(grouping: .day, top: 2))
        #expect(days.groups.map(\.label) == ["2026-02-13", "2026-02-14"])
        #expect(days.otherGroups?.outcomes.runs == 3)
        #expect(summarize(log, query(top: 0)).groups.count == 3)
        #expect(summarize(log, query(top: 3)).otherGroups == nil)
    }

    @Test("ties in run count are broken by name, the group without a name last")
    func ties() {
        let summary = summarize(
            [event("b", domain: nil), event("b", domain: "zz"), event("a", domain: "aa")], query(grouping: .domain))
        #expect(summary.groups.map(\.key) == ["aa", "zz", nil])
    }

    @Test("--since includes its instant, --until excludes its own")
    func timeRange() {
        let summary = summarize(log, query(since: februaryFourteenth - day, until: februaryFourteenth))
        #expect(summary.totals.events == 2)
        #expect(summary.totals.eventsRead == 7)
        #expect(Set(summary.groups.map(\.label)) == ["apply", "lint"])
        #expect(summary.totals.firstEvent?.millisecondsSinceEpoch == februaryFourteenth - day)
    }

    @Test("--target and --domain keep any of their values; a domain filter never keeps events without one")
    func targetAndDomain() {
        #expect(summarize(log, query(targets: ["lint"])).totals.events == 2)
        #expect(summarize(log, query(targets: ["lint", "sync"])).totals.events == 3)
        #expect(summarize(log, query(targets: ["nothing"])).totals.events == 0)
        #expect(summarize(log, query(domains: ["web"])).totals.events == 3)
        #expect(summarize(log, query(domains: ["web", "db"])).totals.events == 4)
        let both = summarize(log, query(targets: ["apply"], domains: ["web"]))
        #expect(both.totals.events == 2 && both.totals.uniqueTargets == 1)
    }

    @Test("--failed keeps failures and cancellations; --command matches the command field")
    func failedAndCommand() {
        let failed = summarize(log, query(failedOnly: true))
        #expect(failed.totals.outcomes == OutcomeCounts(runs: 3, successes: 0, failures: 2, cancelled: 1))
        #expect(summarize(log, query(command: "npm")).totals.events == 2)
        #expect(summarize(log, query(command: "make")).totals.events == 4)
        let none = summarize(log, query(command: "cargo"))
        #expect(none.totals.events == 0 && none.totals.durations == nil && none.groups.isEmpty)
        #expect(none.totals.firstEvent == nil && !none.logIsEmpty)
    }

    @Test("activity: runs, failures and cancellations per day; daily and weekly series without gaps")
    func activity() {
        let summary = summarize(log + [event("a", at: februaryFourteenth + 10 * day, exit: 1)], query())
        let days = summary.activity.days
        #expect(days.map(\.label) == ["2026-02-12", "2026-02-13", "2026-02-14", "2026-02-24"])
        #expect(days.map(\.runs) == [3, 2, 2, 1])
        #expect(days.map(\.failures) == [1, 0, 1, 1])
        #expect(days.map(\.cancelled) == [0, 0, 1, 0])
        #expect(summary.activity.spanDays == 13)
        let daily = summary.activity.daily()
        #expect(daily.count == 13 && daily.map(\.runs).reduce(0, +) == 8)
        #expect(daily[3].label == "2026-02-15" && daily[3].runs == 0)
        let weekly = summary.activity.weekly()
        #expect(weekly.map(\.label) == ["2026-W07", "2026-W08", "2026-W09"])
        #expect(weekly.map(\.runs) == [7, 0, 1])
        #expect(weekly.allSatisfy { $0.dayCount == 7 && $0.firstDay.weekday == 1 })
        #expect(ReportActivity(days: []).daily().isEmpty && ReportActivity(days: []).weekly().isEmpty)
    }

    @Test("events out of order give the same summary")
    func order() {
        let query = query(top: 0)
        #expect(summarize(log, query).totals == summarize(log.reversed(), query).totals)
        #expect(summarize(log, query).activity == summarize(log.reversed(), query).activity)
    }

    @Test("events given directly are summarized as their lines are")
    func eventsAPI() {
        #expect(Report.summarize(query(), events: log) == summarize(log, query()))
    }

    @Test("a timed-out run is a failure, and counted among the timeouts, by either path")
    func timeouts() {
        var timedOut = event("apply", duration: 10, exit: 124)
        timedOut.timedOut = true
        var inTime = event("apply", duration: 1, exit: 2)
        inTime.timedOut = false
        let summary = summarize([timedOut, inTime, event("sync")], query())
        #expect(summary.totals.outcomes == OutcomeCounts(runs: 3, successes: 1, failures: 2, cancelled: 0, timeouts: 1))
        #expect(summary.groups.first { $0.key == "apply" }?.outcomes.timeouts == 1)
        #expect(Report.summarize(query(), events: [timedOut, inTime]).totals.outcomes.timeouts == 1)
    }
}
