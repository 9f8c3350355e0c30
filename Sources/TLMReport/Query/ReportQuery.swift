import TLMRecorder

/// What a report groups its events by.
public enum ReportGrouping: String, Sendable, Equatable, CaseIterable {
    /// The event's `target` (the default).
    case target
    /// The event's `domain`; events without one form one group whose key is nil.
    case domain
    /// The event's `command` (tlm's field); anklume's events, which have none, form one group whose key is nil.
    case command
    /// The UTC day the event started, keys like `2026-01-31`.
    case day
    /// The ISO 8601 week (Monday to Sunday, UTC) the event started, keys like `2026-W05`.
    case week

    /// Whether groups are spans of time (sorted by date) rather than names (sorted by count).
    public var isTimeBased: Bool { self == .day || self == .week }

    /// Parses a `--by` value: `target`, `domain`, `command`, `day` or `week`.
    public init(parsing text: String) throws(ReportError) {
        guard let value = ReportGrouping(rawValue: text) else { throw .invalidGrouping(text) }
        self = value
    }
}

/// Which events a report covers and how it groups them: the report's options,
/// parsed and checked.
///
/// Every filter applies before aggregation, to every section of the report
/// (totals, groups, activity and what changed). A time range is half-open:
/// `since` is included, `until` is not.
public struct ReportQuery: Sendable, Equatable {
    /// The default number of groups shown.
    public static let defaultTop = 15

    /// Only events that started at or after this instant.
    public var since: Timestamp?
    /// Only events that started before this instant.
    public var until: Timestamp?
    /// Only events whose target is one of these (byte for byte); empty means every target.
    public var targets: [String]
    /// Only events whose domain is one of these; empty means every domain. An event
    /// without a domain never matches a domain filter.
    public var domains: [String]
    /// Only runs that did not succeed: failures and runs cancelled by a signal (`exit_code` ≠ 0 or `signal` set).
    public var failedOnly: Bool
    /// Only events whose `command` is this one (anklume's events, which have none, never match).
    public var command: String?
    /// What groups are made of.
    public var grouping: ReportGrouping
    /// How many groups the summary keeps, the rest being added up in `ReportSummary.otherGroups`; 0 keeps every group.
    public var top: Int
    /// The present, for relative times (`7d`) and for what changed (the last 7 days): injectable for tests.
    public var now: Timestamp

    public init(
        since: Timestamp? = nil, until: Timestamp? = nil, targets: [String] = [], domains: [String] = [],
        failedOnly: Bool = false, command: String? = nil, grouping: ReportGrouping = .target,
        top: Int = ReportQuery.defaultTop, now: Timestamp = .now()
    ) {
        self.since = since
        self.until = until
        self.targets = targets
        self.domains = domains
        self.failedOnly = failedOnly
        self.command = command
        self.grouping = grouping
        self.top = top
        self.now = now
    }

    /// Throws `ReportError.emptyRange` when `since` is not before `until`.
    public func validated() throws(ReportError) -> ReportQuery {
        if let since, let until, since >= until { throw .emptyRange(since: since, until: until) }
        return self
    }

    /// Parses a `--since` value: the first instant included.
    ///
    /// Accepted forms: an age counted back from `now` (`90s`, `30m`, `12h`, `7d`,
    /// `2w`: a whole number and one of `s m h d w`), a date (`2026-01-01`: that
    /// day's UTC midnight), or an ISO 8601 date-time (`2026-01-01T10:00:00Z`,
    /// `+00:00` or another offset, fractional seconds).
    public static func parseSince(_ text: String, now: Timestamp) throws(ReportError) -> Timestamp {
        try parseTime(text, option: "--since", now: now, dateMeansEndOfDay: false)
    }

    /// Parses an `--until` value: the first instant excluded.
    ///
    /// The same forms as `parseSince`, except that a date alone includes that
    /// whole day: `--until 2026-01-31` ends at `2026-02-01T00:00:00Z`, so that
    /// `--since 2026-01-01 --until 2026-01-31` is the whole of January.
    public static func parseUntil(_ text: String, now: Timestamp) throws(ReportError) -> Timestamp {
        try parseTime(text, option: "--until", now: now, dateMeansEndOfDay: true)
    }

    /// Parses a `--top` value: a whole number from 0 up (0 keeps every group).
    public static func parseTop(_ text: String) throws(ReportError) -> Int {
        guard !text.isEmpty, text.utf8.count <= 9, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = Int(text)
        else { throw .invalidTop(text) }
        return value
    }

    static func parseTime(
        _ text: String, option: String, now: Timestamp, dateMeansEndOfDay: Bool
    ) throws(ReportError) -> Timestamp {
        let bytes = Array(text.utf8)
        if let age = age(bytes) {
            let (value, overflow) = now.millisecondsSinceEpoch.subtractingReportingOverflow(age)
            // Not before year 1 (an age of 205000412h is 23,000 years): an instant tlm can print.
            guard !overflow, value >= earliest else { throw .invalidTime(option: option, value: text) }
            return Timestamp(millisecondsSinceEpoch: value)
        }
        if bytes.count == 10, let day = CalendarDay(iso8601: text) {
            return day.addingDays(dateMeansEndOfDay ? 1 : 0).start
        }
        guard let instant = Timestamp(iso8601: text) else { throw .invalidTime(option: option, value: text) }
        return instant
    }

    /// 0001-01-01T00:00:00Z, the earliest instant an age may reach (found by fuzzing:
    /// a larger age gave a date of year -21361, which no reader could take back).
    static let earliest: Int64 = -62_135_596_800_000

    /// `7d` → 7 days in milliseconds; nil when `bytes` is not an age.
    private static func age(_ bytes: [UInt8]) -> Int64? {
        guard bytes.count >= 2, bytes.count <= 10, let unit = bytes.last else { return nil }
        let unitMilliseconds: Int64
        switch unit {
        case UInt8(ascii: "s"): unitMilliseconds = 1000
        case UInt8(ascii: "m"): unitMilliseconds = 60_000
        case UInt8(ascii: "h"): unitMilliseconds = 3_600_000
        case UInt8(ascii: "d"): unitMilliseconds = 86_400_000
        case UInt8(ascii: "w"): unitMilliseconds = 604_800_000
        default: return nil
        }
        var count: Int64 = 0
        for byte in bytes.dropLast() {
            guard byte >= 48, byte <= 57 else { return nil }
            count = count * 10 + Int64(byte - 48)
        }
        return count * unitMilliseconds  // at most 9 digits × a week: no overflow
    }
}
