import TLMRecorder

/// Writes a `ReportSummary` as JSON (`tlm report --format json`): every number
/// the text report shows, under stable snake_case keys.
///
/// Schema version 1 (a key is only ever added within a version; a renamed or
/// removed key bumps `schema_version`). Durations are seconds rounded to the
/// millisecond (`45.012`); rates are fractions from 0 to 1 with 4 decimals
/// (`0.9000`); instants are ISO 8601 UTC strings (`2026-02-14T10:30:00.000+00:00`);
/// absent values are `null`. Indented two spaces, leaf objects on one line.
///
/// ```text
/// {
///   "schema_version": 1,
///   "generated_at": instant,                  // the query's "now"
///   "query": {
///     "since": instant|null, "until": instant|null,   // since included, until excluded
///     "targets": [string], "domains": [string],       // empty: no filter
///     "failed_only": bool, "command": string|null,
///     "group_by": "target"|"domain"|"command"|"day"|"week", "top": int   // top 0: every group
///   },
///   "totals": {
///     "events": int,             // events that matched the query
///     "events_read": int,        // valid events read, before filtering
///     "malformed_lines": int,    // lines skipped (blank lines are not counted)
///     "unique_targets": int, "groups": int,   // groups: including those beyond top
///     "first_event": instant|null, "last_event": instant|null,
///     "successes": int, "failures": int, "cancelled": int,
///     "timeouts": int,           // of the failures, those --timeout ended (added in tlm 0.2)
///     "success_rate": rate, "failure_rate": rate, "cancelled_rate": rate,
///     "duration_seconds": DURATIONS|null      // null without events
///   },
///   "groups": [GROUP],           // at most top; by runs then key, or by date for day/week
///   "other_groups": {"groups": int, OUTCOMES, "duration_seconds": DURATIONS,
///                    "first_event": instant, "last_event": instant} | null,
///   "activity": {"days": [{"date": "2026-01-31", "runs": int, "failures": int, "cancelled": int}]},
///                                // only days with runs, oldest first
///   "changes": {
///     "reference": instant, "recent_start": instant, "previous_start": instant, "window_days": 7,
///     "target_count": int,       // targets with runs in either window, including those beyond top
///     "compared_count": int,     // of them, those with enough runs in both windows to compare
///     "targets": [{
///       "target": string, "notable": bool,
///       "slower": bool, "faster": bool, "fails_more": bool, "fails_less": bool,
///       "previous": WINDOW, "recent": WINDOW,
///       "p50_ratio": number|null,            // recent p50 / previous p50, 3 decimals
///       "failure_rate_change": number|null,  // recent − previous failure rate, 4 decimals
///       "sentence": string                   // "apply: p50 41s → 87s, 2.1× slower"
///     }]                         // at most top; notable first, strongest first, then by target
///   }
/// }
/// GROUP     = {"key": string|null, "label": string, OUTCOMES, "duration_seconds": DURATIONS,
///              "first_event": instant, "last_event": instant}
///              // key null: the events without a domain (or command); label "(none)"
/// OUTCOMES  = "runs": int, "successes": int, "failures": int, "cancelled": int, "timeouts": int,
///             "success_rate": rate, "failure_rate": rate, "cancelled_rate": rate
/// DURATIONS = {"total": s, "mean": s, "min": s, "max": s, "p50": s, "p95": s, "p99": s}
///             // nearest-rank percentiles: exact up to 32 runs, else within 0.4%
/// WINDOW    = {"runs": int, "failures": int, "failure_rate": rate|null, "p50_seconds": s|null}
/// ```
public enum ReportJSON {
    /// The current schema version.
    public static let schemaVersion = 1

    /// The summary as a JSON document, ending in a newline.
    public static func encode(_ summary: ReportSummary) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.integer("schema_version", schemaVersion)
        json.timestamp("generated_at", summary.query.now)
        query(&json, summary.query)
        totals(&json, summary.totals)

        json.beginArray("groups")
        for group in summary.groups {
            json.beginObject()
            json.string("key", group.key)
            json.string("label", group.label)
            outcomes(&json, group.outcomes)
            durations(&json, group.durations)
            json.timestamp("first_event", group.firstEvent)
            json.timestamp("last_event", group.lastEvent)
            json.endObject()
        }
        json.endArray()

        if let other = summary.otherGroups {
            json.beginObject("other_groups")
            json.integer("groups", other.groupCount)
            outcomes(&json, other.outcomes)
            durations(&json, other.durations)
            json.timestamp("first_event", other.firstEvent)
            json.timestamp("last_event", other.lastEvent)
            json.endObject()
        } else {
            json.null("other_groups")
        }

        json.beginObject("activity")
        json.beginArray("days")
        for day in summary.activity.days {
            json.beginObject(inline: true)
            json.string("date", day.label)
            json.integer("runs", day.runs)
            json.integer("failures", day.failures)
            json.integer("cancelled", day.cancelled)
            json.endObject()
        }
        json.endArray()
        json.endObject()

        changes(&json, summary.changes)
        json.endObject()
        return json.out
    }

    private static func query(_ json: inout JSONWriter, _ query: ReportQuery) {
        json.beginObject("query")
        json.timestamp("since", query.since)
        json.timestamp("until", query.until)
        json.beginArray("targets", inline: true)
        for target in query.targets { json.string(nil, target) }
        json.endArray()
        json.beginArray("domains", inline: true)
        for domain in query.domains { json.string(nil, domain) }
        json.endArray()
        json.bool("failed_only", query.failedOnly)
        json.string("command", query.command)
        json.string("group_by", query.grouping.rawValue)
        json.integer("top", query.top)
        json.endObject()
    }

    private static func totals(_ json: inout JSONWriter, _ totals: ReportTotals) {
        json.beginObject("totals")
        json.integer("events", totals.events)
        json.integer("events_read", totals.eventsRead)
        json.integer("malformed_lines", totals.malformedLines)
        json.integer("unique_targets", totals.uniqueTargets)
        json.integer("groups", totals.groupCount)
        json.timestamp("first_event", totals.firstEvent)
        json.timestamp("last_event", totals.lastEvent)
        counts(&json, totals.outcomes)
        if let durations = totals.durations {
            self.durations(&json, durations)
        } else {
            json.null("duration_seconds")
        }
        json.endObject()
    }

    private static func outcomes(_ json: inout JSONWriter, _ outcomes: OutcomeCounts) {
        json.integer("runs", outcomes.runs)
        counts(&json, outcomes)
    }

    /// Outcomes without the runs, which `totals` writes as `events`.
    private static func counts(_ json: inout JSONWriter, _ outcomes: OutcomeCounts) {
        json.integer("successes", outcomes.successes)
        json.integer("failures", outcomes.failures)
        json.integer("cancelled", outcomes.cancelled)
        json.integer("timeouts", outcomes.timeouts)
        json.decimal("success_rate", outcomes.successRate, places: 4)
        json.decimal("failure_rate", outcomes.failureRate, places: 4)
        json.decimal("cancelled_rate", outcomes.cancelledRate, places: 4)
    }

    private static func durations(_ json: inout JSONWriter, _ durations: DurationStatistics) {
        json.beginObject("duration_seconds", inline: true)
        json.seconds("total", durations.total)
        json.seconds("mean", durations.mean)
        json.seconds("min", durations.minimum)
        json.seconds("max", durations.maximum)
        json.seconds("p50", durations.p50)
        json.seconds("p95", durations.p95)
        json.seconds("p99", durations.p99)
        json.endObject()
    }

    private static func changes(_ json: inout JSONWriter, _ changes: ReportChanges) {
        json.beginObject("changes")
        json.timestamp("reference", changes.reference)
        json.timestamp("recent_start", changes.recentStart)
        json.timestamp("previous_start", changes.previousStart)
        json.integer("window_days", ReportChanges.windowDays)
        json.integer("target_count", changes.targetCount)
        json.integer("compared_count", changes.comparedCount)
        json.beginArray("targets")
        for change in changes.targets {
            json.beginObject()
            json.string("target", change.target)
            json.bool("notable", change.isNotable)
            json.bool("slower", change.isSlower)
            json.bool("faster", change.isFaster)
            json.bool("fails_more", change.failsMore)
            json.bool("fails_less", change.failsLess)
            window(&json, "previous", change.previous)
            window(&json, "recent", change.recent)
            json.decimal("p50_ratio", change.p50Ratio, places: 3)
            json.decimal("failure_rate_change", change.failureRateChange, places: 4)
            json.string("sentence", change.sentence())
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }

    private static func window(_ json: inout JSONWriter, _ key: String, _ window: WindowStatistics) {
        json.beginObject(key, inline: true)
        json.integer("runs", window.runs)
        json.integer("failures", window.failures)
        json.decimal("failure_rate", window.failureRate, places: 4)
        json.seconds("p50_seconds", window.p50)
        json.endObject()
    }
}
