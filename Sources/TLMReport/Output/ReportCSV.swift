import TLMRecorder

/// Writes a `ReportSummary`'s groups as CSV (`tlm report --format csv`): a header row, then one row per group,
/// and one for the groups beyond `top`.
///
/// Columns (schema 1, in this order):
///
/// ```text
/// group,runs,successes,failures,cancelled,success_rate,failure_rate,cancelled_rate,
/// total_seconds,mean_seconds,min_seconds,max_seconds,p50_seconds,p95_seconds,p99_seconds,
/// first_event,last_event
/// ```
///
/// `group` is the target, domain, command, day (`2026-01-31`) or week
/// (`2026-W05`), empty for the events without a domain (or command). Rows are
/// `summary.groups`, in its order (the query's `top` applies: 0 for every group),
/// then, when there are more groups than `top`, one row that adds the others up,
/// named as in the text report: `(12 more)`.
/// Seconds to the millisecond, rates as fractions with 4 decimals, instants in
/// ISO 8601 UTC. The group is quoted as RFC 4180 says (when it holds a comma, a
/// double quote, CR or LF; quotes doubled) and, when it starts with `=`, `+`,
/// `-`, `@`, TAB or CR, begins with a `'` so that a spreadsheet never runs it
/// as a formula (`Escaping.csvField`); numbers are tlm's own and stay numbers.
/// Lines end with LF, as Unix tools expect.
public enum ReportCSV {
    /// The header row's column names.
    public static let columns = [
        "group", "runs", "successes", "failures", "cancelled", "success_rate", "failure_rate", "cancelled_rate",
        "total_seconds", "mean_seconds", "min_seconds", "max_seconds", "p50_seconds", "p95_seconds", "p99_seconds",
        "first_event", "last_event",
    ]

    /// The header and one row per group, each ending in a newline.
    public static func encode(_ summary: ReportSummary) -> String {
        var out = columns.joined(separator: ",") + "\n"
        for group in summary.groups {
            out += row(field(group.key ?? ""), group.outcomes, group.durations, group.firstEvent, group.lastEvent)
        }
        // As the text report: the groups beyond top added up in one row, not dropped.
        if let other = summary.otherGroups {
            out += row(field(other.label), other.outcomes, other.durations, other.firstEvent, other.lastEvent)
        }
        return out
    }

    private static func row(
        _ group: String, _ outcomes: OutcomeCounts, _ durations: DurationStatistics, _ first: Timestamp,
        _ last: Timestamp
    ) -> String {
        let fields = [
            group, String(outcomes.runs), String(outcomes.successes), String(outcomes.failures),
            String(outcomes.cancelled), JSONWriter.fixed(outcomes.successRate, places: 4),
            JSONWriter.fixed(outcomes.failureRate, places: 4), JSONWriter.fixed(outcomes.cancelledRate, places: 4),
            EventEncoder.milliseconds(durations.total), EventEncoder.milliseconds(durations.mean),
            EventEncoder.milliseconds(durations.minimum), EventEncoder.milliseconds(durations.maximum),
            EventEncoder.milliseconds(durations.p50), EventEncoder.milliseconds(durations.p95),
            EventEncoder.milliseconds(durations.p99), first.iso8601, last.iso8601,
        ]
        return fields.joined(separator: ",") + "\n"
    }

    /// A text field: quoted when RFC 4180 requires it, guarded against formulas (`Escaping.csvField`).
    public static func field(_ value: String) -> String { Escaping.csvField(value) }
}
