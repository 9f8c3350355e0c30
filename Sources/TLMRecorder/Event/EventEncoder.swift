/// Writes an event as one line of JSON, keys in a fixed order:
///
/// `{"timestamp":…,"target":…,"domain":…,"duration_seconds":…,"exit_code":…,
///   "command":…,"signal":…,"cpu_user_seconds":…,"cpu_system_seconds":…,"max_rss_kb":…,
///   "timed_out":…,"attempts":…,"trace_id":…,"span_id":…,"parent_span_id":…,"ci":…}`
///
/// Every key is always written, `null` when unknown, so that every line of a
/// log has the same shape.
///
/// Hand-written rather than `JSONEncoder`, so that `tlm run` does not load
/// Foundation: start-up time is most of its overhead. And written as literal runs
/// rather than through `JSONWriter`, which the logbook, status and report use: the
/// writer's per-key punctuation made a line 1.8 times slower to write (measured on a
/// million events), and this line is written on every run and every export.
public enum EventEncoder {
    /// The event as one JSON line, ending in a newline.
    public static func line(_ event: Event) -> String {
        var out = ""
        out.reserveCapacity(384)
        out += "{\"timestamp\":"
        appendString(&out, event.timestamp.iso8601)
        out += ",\"target\":"
        appendString(&out, event.target)
        out += ",\"domain\":"
        appendOptionalString(&out, event.domain)
        out += ",\"duration_seconds\":"
        JSONWriter.appendMilliseconds(&out, event.durationSeconds)
        out += ",\"exit_code\":"
        out += String(event.exitCode)
        out += ",\"command\":"
        appendOptionalString(&out, event.command)
        out += ",\"signal\":"
        appendOptionalString(&out, event.signal)
        out += ",\"cpu_user_seconds\":"
        if let seconds = event.cpuUserSeconds { JSONWriter.appendMilliseconds(&out, seconds) } else { out += "null" }
        out += ",\"cpu_system_seconds\":"
        if let seconds = event.cpuSystemSeconds { JSONWriter.appendMilliseconds(&out, seconds) } else { out += "null" }
        out += ",\"max_rss_kb\":"
        out += event.maxRSSKilobytes.map { String($0) } ?? "null"
        out += ",\"timed_out\":"
        out += event.timedOut.map { $0 ? "true" : "false" } ?? "null"
        out += ",\"attempts\":"
        out += event.attempts.map { String($0) } ?? "null"
        out += ",\"trace_id\":"
        appendOptionalString(&out, event.traceID)
        out += ",\"span_id\":"
        appendOptionalString(&out, event.spanID)
        out += ",\"parent_span_id\":"
        appendOptionalString(&out, event.parentSpanID)
        out += ",\"ci\":"
        appendOptionalString(&out, event.ci)
        out += "}\n"
        return out
    }

    /// A number of seconds rounded to the millisecond, as a JSON number: `45.012`.
    /// Non-finite values (which JSON cannot hold) are written as 0.
    public static func milliseconds(_ seconds: Double) -> String {
        var out = ""
        JSONWriter.appendMilliseconds(&out, seconds)
        return out
    }

    /// A JSON string literal, escaped as RFC 8259 requires (`Escaping.appendJSONString`).
    public static func appendString(_ out: inout String, _ value: String) { Escaping.appendJSONString(&out, value) }

    private static func appendOptionalString(_ out: inout String, _ value: String?) {
        if let value { appendString(&out, value) } else { out += "null" }
    }
}
