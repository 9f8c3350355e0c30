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

    public static func json(_ logbook: Logbook) -> String {
        var out = "{\n  \"schema_version\": \(schemaVersion),\n"
        out += "  \"summary\": {"
        out += "\"status\": \"\(logbook.status.rawValue)\", \"exit_code\": \(logbook.exitCode), \"signal\": "
        string(&out, logbook.signal)
        out += ", \"duration_seconds\": " + EventEncoder.milliseconds(logbook.durationSeconds)
        out += ", \"attempts\": \(logbook.attempts.count), \"started_at\": "
        string(&out, logbook.startedAt.iso8601)
        out += ", \"ended_at\": "
        string(&out, logbook.endedAt.iso8601)
        out += "},\n  \"command\": {\"name\": "
        string(&out, logbook.command)
        out += ", \"target\": "
        string(&out, logbook.target)
        out += ", \"domain\": "
        string(&out, logbook.domain)
        out += "},\n  \"host\": {\"os\": "
        string(&out, logbook.host.os)
        out += ", \"arch\": "
        string(&out, logbook.host.arch)
        out += ", \"cpu_count\": \(logbook.host.cpuCount), \"memory_gb\": " + tenths(logbook.host.memoryGB)
        out += "},\n  \"attempts\": ["
        for (index, attempt) in logbook.attempts.enumerated() {
            out += index == 0 ? "\n" : ",\n"
            out += "    {\"number\": \(index + 1), \"started_at\": "
            string(&out, attempt.startedAt.iso8601)
            out += ", \"duration_seconds\": " + EventEncoder.milliseconds(attempt.durationSeconds)
            out += ", \"exit_code\": \(attempt.exitCode), \"signal\": "
            string(&out, attempt.signal)
            out += ", \"timed_out\": \(attempt.timedOut)"
            out += ", \"cpu_user_seconds\": " + (attempt.cpuUserSeconds.map(EventEncoder.milliseconds) ?? "null")
            out += ", \"cpu_system_seconds\": " + (attempt.cpuSystemSeconds.map(EventEncoder.milliseconds) ?? "null")
            out += ", \"max_rss_kb\": " + (attempt.maxRSSKilobytes.map { String($0) } ?? "null") + "}"
        }
        out += logbook.attempts.isEmpty ? "],\n" : "\n  ],\n"
        out += "  \"retry_statistics\": {\"retry_attempts\": \(logbook.retryAttempts)"
        out += ", \"max_retries\": \(logbook.maxRetries), \"was_retried\": \(logbook.wasRetried)"
        out += ", \"retry_succeeded\": \(logbook.retrySucceeded)}\n}\n"
        return out
    }

    private static func string(_ out: inout String, _ value: String?) {
        if let value { EventEncoder.appendString(&out, value) } else { out += "null" }
    }

    /// A number to one decimal (`31.2`), as a JSON number.
    private static func tenths(_ value: Double) -> String {
        guard value.isFinite, value >= 0, value < 1e15 else { return "0.0" }
        let scaled = Int64((value * 10).rounded())
        return "\(scaled / 10).\(scaled % 10)"
    }
}
