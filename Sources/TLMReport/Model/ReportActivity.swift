import TLMRecorder

/// Runs, failures and cancellations over one span of days: a day or an ISO week.
public struct ActivityBucket: Sendable, Equatable {
    /// The span's first day (a Monday for a week).
    public var firstDay: CalendarDay
    /// 1 for a day, 7 for a week.
    public var dayCount: Int
    /// `2026-01-31` for a day, `2026-W05` for a week.
    public var label: String
    /// Runs that started in the span.
    public var runs: Int
    /// Those that failed (not counting cancelled ones).
    public var failures: Int
    /// Those that died of a signal.
    public var cancelled: Int

    public init(firstDay: CalendarDay, dayCount: Int, label: String, runs: Int, failures: Int, cancelled: Int) {
        self.firstDay = firstDay
        self.dayCount = dayCount
        self.label = label
        self.runs = runs
        self.failures = failures
        self.cancelled = cancelled
    }
}

/// Activity over time: how many runs (and failures) started each UTC day.
///
/// Only days with runs are stored, so memory is bounded by the days with
/// activity whatever the span; `daily()` and `weekly()` give series without
/// gaps for charts. The renderer picks: `daily()` for short spans, `weekly()`
/// for long ones (`spanDays` says which).
public struct ReportActivity: Sendable, Equatable {
    /// The days with at least one run, oldest first.
    public var days: [ActivityBucket]

    public init(days: [ActivityBucket]) {
        self.days = days
    }

    /// Days from the first active day to the last, both included; 0 without runs.
    public var spanDays: Int {
        guard let first = days.first, let last = days.last else { return 0 }
        return Int(last.firstDay.daysSinceEpoch - first.firstDay.daysSinceEpoch) + 1
    }

    /// Every day from the first active day to the last, days without runs as zeros;
    /// only the last `limit` of them, so that two runs centuries apart cannot fill memory.
    public func daily(limit: Int = .max) -> [ActivityBucket] {
        guard let first = days.first, let last = days.last, limit > 0 else { return [] }
        var next = first.firstDay
        if spanDays > limit { next = last.firstDay.addingDays(-Int64(limit - 1)) }
        var out: [ActivityBucket] = []
        out.reserveCapacity(min(spanDays, limit))
        for day in days where day.firstDay >= next {
            while next < day.firstDay {
                out.append(
                    ActivityBucket(firstDay: next, dayCount: 1, label: next.iso8601, runs: 0, failures: 0, cancelled: 0)
                )
                next = next.addingDays(1)
            }
            out.append(day)
            next = day.firstDay.addingDays(1)
        }
        return out
    }

    /// Every ISO week (Monday to Sunday) from the first active day's to the last's, weeks without
    /// runs as zeros; only the last `limit` of them.
    public func weekly(limit: Int = .max) -> [ActivityBucket] {
        guard let first = days.first, let last = days.last, limit > 0 else { return [] }
        let lastMonday = last.firstDay.week.monday
        var earliest = first.firstDay.week.monday
        var out: [ActivityBucket] = []
        if (lastMonday.daysSinceEpoch - earliest.daysSinceEpoch) / 7 + 1 > Int64(limit) {
            earliest = lastMonday.addingDays(-7 * Int64(limit - 1))
            out.append(Self.emptyWeek(earliest))
        }
        for day in days where day.firstDay >= earliest {
            let monday = day.firstDay.week.monday
            while let last = out.last, last.firstDay < monday {
                let following = last.firstDay.addingDays(7)
                if following == monday { break }
                out.append(Self.emptyWeek(following))
            }
            if out.last?.firstDay != monday { out.append(Self.emptyWeek(monday)) }
            out[out.count - 1].runs += day.runs
            out[out.count - 1].failures += day.failures
            out[out.count - 1].cancelled += day.cancelled
        }
        return out
    }

    private static func emptyWeek(_ monday: CalendarDay) -> ActivityBucket {
        ActivityBucket(firstDay: monday, dayCount: 7, label: monday.week.iso8601, runs: 0, failures: 0, cancelled: 0)
    }
}
