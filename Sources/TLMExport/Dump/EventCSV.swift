import TLMRecorder
import TLMReport

/// Events as CSV (RFC 4180): a header row, then one row per event, with the
/// event format's field names and order. Unknown values are empty fields.
public enum EventCSV {
    public static let header =
        "timestamp,target,domain,duration_seconds,exit_code,command,signal,cpu_user_seconds,cpu_system_seconds,"
        + "max_rss_kb,timed_out,attempts,trace_id,span_id,parent_span_id,ci\n"

    public static func row(_ event: Event) -> String {
        func optional(_ value: Double?) -> String { value.map { EventEncoder.milliseconds($0) } ?? "" }
        let fields: [String] = [
            event.timestamp.iso8601, field(event.target), field(event.domain ?? ""),
            EventEncoder.milliseconds(event.durationSeconds), String(event.exitCode), field(event.command ?? ""),
            field(event.signal ?? ""), optional(event.cpuUserSeconds), optional(event.cpuSystemSeconds),
            event.maxRSSKilobytes.map(String.init) ?? "", event.timedOut.map { $0 ? "true" : "false" } ?? "",
            event.attempts.map(String.init) ?? "", field(event.traceID ?? ""), field(event.spanID ?? ""),
            field(event.parentSpanID ?? ""), field(event.ci ?? ""),
        ]
        return fields.joined(separator: ",") + "\n"
    }

    /// Every field of text from the log is quoted and guarded the same way
    /// (`Escaping.csvField`): a log from elsewhere can put anything in any of them.
    static func field(_ value: String) -> String { Escaping.csvField(value) }
}
