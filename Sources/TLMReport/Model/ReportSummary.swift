import TLMRecorder

/// Everything a report shows, computed in one streaming pass over the log:
/// the Swift API behind `tlm report` (text, JSON, CSV and HTML are renderings
/// of this value).
///
/// Units: durations in seconds (`Double`), rates as fractions from 0 to 1,
/// instants as `Timestamp` (UTC). Outcomes: a run *succeeded* (`exit_code` 0),
/// *failed* (any other exit code), or was *cancelled* (`signal` is set: it died
/// of a signal, shown apart from failures). Only the `signal` field marks a
/// cancellation: anklume's lines, which have none, count exit codes 130 or 143
/// as failures, since a command may exit with those codes on its own.
public struct ReportSummary: Sendable, Equatable {
    /// The query the summary answers.
    public var query: ReportQuery
    /// Counts over every matching event.
    public var totals: ReportTotals
    /// The first `query.top` groups (all when `top` is 0): by run count, most first, then by key,
    /// for target, domain and command; by date, most recent last, for day and week (keeping the latest).
    public var groups: [ReportGroup]
    /// The groups beyond `query.top`, added up; nil when every group is in `groups`.
    public var otherGroups: OtherGroups?
    /// Runs per UTC day.
    public var activity: ReportActivity
    /// Per target, the last 7 days against the 7 before.
    public var changes: ReportChanges
    /// What was read, in order: paths, `-` for standard input. A missing log is not listed.
    public var sources: [String]

    public init(
        query: ReportQuery, totals: ReportTotals, groups: [ReportGroup], otherGroups: OtherGroups?,
        activity: ReportActivity, changes: ReportChanges, sources: [String]
    ) {
        self.query = query
        self.totals = totals
        self.groups = groups
        self.otherGroups = otherGroups
        self.activity = activity
        self.changes = changes
        self.sources = sources
    }

    /// Whether nothing at all was read: no event and no malformed line (a missing or empty log).
    /// The CLI then prints a hint (`tlm on` to start) rather than an empty report.
    public var logIsEmpty: Bool { totals.eventsRead == 0 && totals.malformedLines == 0 }
}

/// How runs ended: counts and rates.
public struct OutcomeCounts: Sendable, Equatable {
    /// Every run counted.
    public var runs: Int
    /// Runs that exited 0 (and were not killed by a signal).
    public var successes: Int
    /// Runs that exited with another code (and were not killed by a signal).
    public var failures: Int
    /// Runs that died of a signal (`signal` set), whatever their exit code.
    public var cancelled: Int
    /// Of the failures, those `tlm run --timeout` ended (`timed_out` true).
    public var timeouts: Int

    public init(runs: Int = 0, successes: Int = 0, failures: Int = 0, cancelled: Int = 0, timeouts: Int = 0) {
        self.runs = runs
        self.successes = successes
        self.failures = failures
        self.cancelled = cancelled
        self.timeouts = timeouts
    }

    /// `successes / runs`, 0 without runs.
    public var successRate: Double { rate(successes) }
    /// `failures / runs`, 0 without runs.
    public var failureRate: Double { rate(failures) }
    /// `cancelled / runs`, 0 without runs.
    public var cancelledRate: Double { rate(cancelled) }

    private func rate(_ count: Int) -> Double { runs == 0 ? 0 : Double(count) / Double(runs) }
}

/// Durations of a set of runs, every value in seconds.
///
/// `total`, `mean`, `minimum` and `maximum` are exact. The percentiles are
/// nearest-rank (the value of rank ⌈p·n⌉ among the n durations sorted), from a
/// `QuantileSketch`: exact for at most 32 runs, else within 0.4% (relative).
public struct DurationStatistics: Sendable, Equatable {
    /// Sum of the durations: the time tracked.
    public var total: Double
    /// `total / runs`.
    public var mean: Double
    /// The shortest run.
    public var minimum: Double
    /// The longest run.
    public var maximum: Double
    /// The median.
    public var p50: Double
    /// The 95th percentile.
    public var p95: Double
    /// The 99th percentile.
    public var p99: Double

    public init(
        total: Double, mean: Double, minimum: Double, maximum: Double, p50: Double, p95: Double, p99: Double
    ) {
        self.total = total
        self.mean = mean
        self.minimum = minimum
        self.maximum = maximum
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
    }
}

/// Counts over every event that matched the query.
public struct ReportTotals: Sendable, Equatable {
    /// Events that matched the query (equal to `outcomes.runs`).
    public var events: Int
    /// Valid events read, before filtering.
    public var eventsRead: Int
    /// Lines skipped: not a JSON event, a missing or mistyped field, invalid UTF-8, longer than 1 MiB,
    /// a truncated last line. Blank lines are not counted.
    public var malformedLines: Int
    /// Distinct targets among the matching events.
    public var uniqueTargets: Int
    /// Number of groups, including those beyond `query.top`.
    public var groupCount: Int
    /// The earliest and latest start time among the matching events; nil without events.
    public var firstEvent: Timestamp?
    public var lastEvent: Timestamp?
    /// How the matching runs ended.
    public var outcomes: OutcomeCounts
    /// Their durations; nil without events.
    public var durations: DurationStatistics?

    public init(
        events: Int = 0, eventsRead: Int = 0, malformedLines: Int = 0, uniqueTargets: Int = 0, groupCount: Int = 0,
        firstEvent: Timestamp? = nil, lastEvent: Timestamp? = nil, outcomes: OutcomeCounts = OutcomeCounts(),
        durations: DurationStatistics? = nil
    ) {
        self.events = events
        self.eventsRead = eventsRead
        self.malformedLines = malformedLines
        self.uniqueTargets = uniqueTargets
        self.groupCount = groupCount
        self.firstEvent = firstEvent
        self.lastEvent = lastEvent
        self.outcomes = outcomes
        self.durations = durations
    }

    /// Total time tracked, in seconds (the sum of every matching duration).
    public var trackedSeconds: Double { durations?.total ?? 0 }
}

/// One group of events: one target, domain, command, day or week.
public struct ReportGroup: Sendable, Equatable {
    /// The label shown for the group of events that have no domain (or no command).
    public static let noneLabel = "(none)"

    /// The target, domain or command; the day (`2026-01-31`) or week (`2026-W05`);
    /// nil for the events that have no domain (or no command).
    public var key: String?
    /// How its runs ended.
    public var outcomes: OutcomeCounts
    /// Their durations.
    public var durations: DurationStatistics
    /// Its earliest and latest start time.
    public var firstEvent: Timestamp
    public var lastEvent: Timestamp

    public init(
        key: String?, outcomes: OutcomeCounts, durations: DurationStatistics, firstEvent: Timestamp,
        lastEvent: Timestamp
    ) {
        self.key = key
        self.outcomes = outcomes
        self.durations = durations
        self.firstEvent = firstEvent
        self.lastEvent = lastEvent
    }

    /// The key, or `(none)`.
    public var label: String { key ?? Self.noneLabel }
}

/// The groups a summary leaves out (beyond `query.top`), added up.
public struct OtherGroups: Sendable, Equatable {
    /// How many groups.
    public var groupCount: Int
    /// How their runs ended.
    public var outcomes: OutcomeCounts
    /// Their durations, all together.
    public var durations: DurationStatistics
    /// The earliest and latest start time among them.
    public var firstEvent: Timestamp
    public var lastEvent: Timestamp

    /// Their row's name in the text, HTML and CSV reports: `(12 more)` (never a
    /// group's own: a recorded name has no space or parenthesis).
    public var label: String { "(\(groupCount) more)" }

    public init(
        groupCount: Int, outcomes: OutcomeCounts, durations: DurationStatistics, firstEvent: Timestamp,
        lastEvent: Timestamp
    ) {
        self.groupCount = groupCount
        self.outcomes = outcomes
        self.durations = durations
        self.firstEvent = firstEvent
        self.lastEvent = lastEvent
    }
}
