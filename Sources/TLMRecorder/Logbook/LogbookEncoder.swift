/// Writes a `Logbook` as JSON: two-space indentation, keys in a fixed order,
/// ending with a newline.
///
/// Schema version 1 (a key is only ever added within a version; a renamed or
/// removed key bumps `schema_version`); the JSON Schema is
/// `logbook-v1.schema.json` beside this file. Seconds to the millisecond,
/// instants in ISO 8601 UTC (`2026-02-14T10:30:00.000+00:00`), `null` when unknown:
///
/// ```text
/// {
///   "schema_version": 1,
///   "summary": {"status": "success"|"failure"|"timeout"|"cancelled", "exit_code": int,
///               "signal": string|null, "duration_seconds": s, "attempts": int,
///               "started_at": instant, "ended_at": instant},
///   "command": {"name": string, "target": string, "domain": string|null},
///   "host": {"os": string, "arch": string, "cpu_count": int, "memory_gb": number},
///   "attempts": [{"number": int (1-based), "started_at": instant, "duration_seconds": s,
///                 "exit_code": int, "signal": string|null, "timed_out": bool,
///                 "cpu_user_seconds": s|null, "cpu_system_seconds": s|null, "max_rss_kb": int|null}],
///   "retry_statistics": {"retry_attempts": int, "max_retries": int, "was_retried": bool,
///                        "retry_succeeded": bool}
/// }
/// ```
/// `retry_statistics` uses Ch-aOS's names.
public enum LogbookEncoder {
    public static let schemaVersion = 1

    /// The logbook as a JSON document, ending in a newline.
    public static func json(_ logbook: Logbook) -> String {
        var json = JSONWriter(.indented, capacity: 1024)
        json.beginObject()
        json.integer("schema_version", schemaVersion)
        json.beginObject("summary", inline: true)
        json.string("status", logbook.status.rawValue)
        json.integer("exit_code", logbook.exitCode)
        json.string("signal", logbook.signal)
        json.duration("duration_seconds", logbook.durationSeconds)
        json.integer("attempts", logbook.attempts.count)
        json.timestamp("started_at", logbook.startedAt)
        json.timestamp("ended_at", logbook.endedAt)
        json.endObject()
        json.beginObject("command", inline: true)
        json.string("name", logbook.command)
        json.string("target", logbook.target)
        json.string("domain", logbook.domain)
        json.endObject()
        json.beginObject("host", inline: true)
        json.string("os", logbook.host.os)
        json.string("arch", logbook.host.arch)
        json.integer("cpu_count", logbook.host.cpuCount)
        // A negative size (never measured) is written as 0.0, as NaN is.
        json.decimal("memory_gb", max(logbook.host.memoryGB, 0), places: 1)
        json.endObject()
        json.beginArray("attempts")
        for (index, attempt) in logbook.attempts.enumerated() {
            json.beginObject(inline: true)
            json.integer("number", index + 1)
            json.timestamp("started_at", attempt.startedAt)
            json.duration("duration_seconds", attempt.durationSeconds)
            json.integer("exit_code", attempt.exitCode)
            json.string("signal", attempt.signal)
            json.bool("timed_out", attempt.timedOut)
            json.duration("cpu_user_seconds", attempt.cpuUserSeconds)
            json.duration("cpu_system_seconds", attempt.cpuSystemSeconds)
            json.integer("max_rss_kb", attempt.maxRSSKilobytes)
            json.endObject()
        }
        json.endArray()
        json.beginObject("retry_statistics", inline: true)
        json.integer("retry_attempts", logbook.retryAttempts)
        json.integer("max_retries", logbook.maxRetries)
        json.bool("was_retried", logbook.wasRetried)
        json.bool("retry_succeeded", logbook.retrySucceeded)
        json.endObject()
        json.endObject()
        return json.out
    }
}
