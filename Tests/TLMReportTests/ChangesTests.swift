import TLMRecorder
import Testing

@testable import TLMReport

@Suite("What changed: the last 7 days against the 7 before")
struct ChangesTests {
    /// `count` runs of `target`, `daysAgo` days before now, with these durations and exit codes.
    func runs(_ target: String, daysAgo: Int64, _ durations: [Double], failures: Int = 0) -> [Event] {
        durations.enumerated().map { index, duration in
            event(
                target, at: februaryFourteenth - daysAgo * day + Int64(index) * 60_000, duration: duration,
                exit: index < failures ? 1 : 0)
        }
    }

    @Test("a target twice as slow is notable, with a ready sentence")
    func slower() throws {
        let log = runs("apply", daysAgo: 10, [40, 41, 42]) + runs("apply", daysAgo: 2, [85, 87, 90])
        let changes = summarize(log, query()).changes
        let change = try #require(changes.targets.first)
        #expect(change.previous.runs == 3 && change.recent.runs == 3)
        #expect(change.isSlower && !change.isFaster && change.isNotable)
        #expect(abs(change.p50Ratio! - 87.0 / 41) < 0.02)
        #expect(change.sentence() == "apply: p50 41s → 1m27s, 2.1× slower")
        #expect(change.sentence(unicode: false) == "apply: p50 41s -> 1m27s, 2.1x slower")
        #expect(changes.notable.count == 1)
        #expect(changes.reference.millisecondsSinceEpoch == februaryFourteenth)
        #expect(changes.recentStart.millisecondsSinceEpoch == februaryFourteenth - 7 * day)
        #expect(changes.previousStart.millisecondsSinceEpoch == februaryFourteenth - 14 * day)
    }

    @Test("faster, failing more, failing less; small moves are not notable")
    func kinds() throws {
        let log =
            runs("build", daysAgo: 10, [100, 100, 100]) + runs("build", daysAgo: 3, [30, 31, 32])
            + runs("test", daysAgo: 9, [5, 5, 5, 5, 5]) + runs("test", daysAgo: 1, [5, 5, 5, 5, 5], failures: 2)
            + runs("lint", daysAgo: 8, [2, 2, 2], failures: 3) + runs("lint", daysAgo: 1, [2, 2, 2])
            + runs("sync", daysAgo: 8, [10, 10, 10]) + runs("sync", daysAgo: 1, [13, 13, 13], failures: 0)
        let changes = summarize(log, query()).changes
        let byTarget = Dictionary(uniqueKeysWithValues: changes.targets.map { ($0.target, $0) })
        let build = try #require(byTarget["build"])
        #expect(build.isFaster && !build.isSlower)
        #expect(build.sentence() == "build: p50 1m40s → 31s, 3.2× faster")
        let test = try #require(byTarget["test"])
        #expect(test.failsMore && !test.isSlower && test.failureRateChange == 0.4)
        #expect(test.sentence() == "test: p50 5s → 5s; failures 0% → 40% (+40 points)")
        let lint = try #require(byTarget["lint"])
        #expect(lint.failsLess)
        #expect(lint.sentence().hasSuffix("failures 100% → 0% (-100 points)"))
        let sync = try #require(byTarget["sync"])
        #expect(!sync.isNotable)
        #expect(sync.sentence() == "sync: p50 10s → 13s, about the same")
        // Notable first, strongest first (lint: 100 points = 5 thresholds), the rest by name.
        #expect(changes.targets.map(\.target) == ["lint", "build", "test", "sync"])
    }

    @Test("fewer than 3 runs in a window: shown, never notable")
    func tooFew() throws {
        let log = runs("apply", daysAgo: 10, [40, 41]) + runs("apply", daysAgo: 2, [400, 410, 420])
        let change = try #require(summarize(log, query()).changes.targets.first)
        #expect(!change.isComparable && !change.isNotable && change.p50Ratio == nil)
        #expect(change.sentence() == "apply: 2 runs before, 3 since")
        #expect(change.previous.p50 != nil && change.recent.failureRate == 0)
    }

    @Test("only runs within the two windows count; a historic query compares the weeks before --until")
    func windows() throws {
        let old = runs("apply", daysAgo: 30, [10, 10, 10]) + runs("apply", daysAgo: 23, [30, 30, 30])
        let recent = runs("apply", daysAgo: 15, [99, 99, 99]) + runs("apply", daysAgo: 5, [20, 20, 20])
        let now = summarize(old + recent, query()).changes
        let change = try #require(now.targets.first)
        #expect(change.previous.runs == 0 && change.recent.runs == 3)
        let historic = summarize(old + recent, query(until: februaryFourteenth - 16 * day)).changes
        #expect(historic.reference.millisecondsSinceEpoch == februaryFourteenth - 16 * day)
        let past = try #require(historic.targets.first)
        #expect(past.previous.runs == 3 && past.recent.runs == 3 && past.isSlower)
        #expect(past.sentence() == "apply: p50 10s → 30s, 3.0× slower")
    }

    @Test("the filters apply to what changed too")
    func filtered() {
        let log = runs("apply", daysAgo: 10, [40, 41, 42]) + runs("lint", daysAgo: 2, [1, 1, 1])
        #expect(summarize(log, query(targets: ["lint"])).changes.targets.map(\.target) == ["lint"])
        #expect(summarize(log, query(since: februaryFourteenth - 7 * day)).changes.targets.map(\.target) == ["lint"])
    }
}
