import TLMRecorder

/// The recorded runs as Prometheus metrics, in the text exposition format
/// (version 0.0.4) that node_exporter's textfile collector and the Pushgateway read:
///
/// - `tlm_runs_total{target,domain,result}`: a counter; `result` is `success`,
///   `failure` (timeouts included) or `cancelled` (died of a signal), as
///   `tlm report` counts them;
/// - `tlm_run_duration_seconds{target}`: a histogram of wall-clock durations;
/// - `tlm_last_run_timestamp_seconds{target}` and `tlm_last_exit_code{target}`:
///   gauges of each target's latest run (by start time).
///
/// Counters cover the events in the log and its rotated files: when rotation
/// drops a file, they go down, which Prometheus reads as a counter reset.
public struct PrometheusExposition: Sendable {
    /// The histogram's upper bounds, in seconds: from a quick command to a long build.
    public static let buckets: [Double] = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600]

    struct RunKey: Hashable, Comparable {
        let target: String
        let domain: String
        let result: String
        static func < (a: RunKey, b: RunKey) -> Bool {
            (a.target, a.domain, a.result) < (b.target, b.domain, b.result)
        }
    }

    struct TargetFigures {
        var bucketCounts = [Int](repeating: 0, count: PrometheusExposition.buckets.count)
        var count = 0
        var sum = 0.0
        var lastStart = Int64.min
        var lastExitCode = 0
    }

    private var runs: [RunKey: Int] = [:]
    private var targets: [String: TargetFigures] = [:]
    public private(set) var events = 0

    public init() {}

    /// `success`, `failure` or `cancelled`, as the report classifies a run.
    public static func result(of event: Event) -> String {
        if event.signal != nil { return "cancelled" }
        return event.exitCode == 0 ? "success" : "failure"
    }

    public mutating func add(_ event: Event) {
        events += 1
        runs[RunKey(target: event.target, domain: event.domain ?? "", result: Self.result(of: event)), default: 0] += 1
        var figures = targets[event.target] ?? TargetFigures()
        let duration = event.durationSeconds.isFinite ? max(0, event.durationSeconds) : 0
        for (index, bound) in Self.buckets.enumerated() where duration <= bound { figures.bucketCounts[index] += 1 }
        figures.count += 1
        figures.sum += duration
        if event.timestamp.millisecondsSinceEpoch >= figures.lastStart {
            figures.lastStart = event.timestamp.millisecondsSinceEpoch
            figures.lastExitCode = event.exitCode
        }
        targets[event.target] = figures
    }

    /// The exposition text, sorted by labels, with HELP and TYPE lines.
    public func text() -> String {
        var out = "# HELP tlm_runs_total Runs recorded by tlm, by target, domain and result.\n"
        out += "# TYPE tlm_runs_total counter\n"
        for key in runs.keys.sorted() {
            out += "tlm_runs_total{target=\"\(Self.escape(key.target))\",domain=\"\(Self.escape(key.domain))\","
            out += "result=\"\(key.result)\"} \(runs[key]!)\n"
        }
        let names = targets.keys.sorted()
        out += "# HELP tlm_run_duration_seconds Wall-clock duration of the runs recorded by tlm, by target.\n"
        out += "# TYPE tlm_run_duration_seconds histogram\n"
        for name in names {
            let figures = targets[name]!
            let label = "target=\"\(Self.escape(name))\""
            for (index, bound) in Self.buckets.enumerated() {
                out += "tlm_run_duration_seconds_bucket{\(label),le=\"\(Self.number(bound))\"} "
                out += "\(figures.bucketCounts[index])\n"
            }
            out += "tlm_run_duration_seconds_bucket{\(label),le=\"+Inf\"} \(figures.count)\n"
            out += "tlm_run_duration_seconds_sum{\(label)} \(Self.number(figures.sum))\n"
            out += "tlm_run_duration_seconds_count{\(label)} \(figures.count)\n"
        }
        out += "# HELP tlm_last_run_timestamp_seconds When the latest run of each target started (Unix time).\n"
        out += "# TYPE tlm_last_run_timestamp_seconds gauge\n"
        for name in names {
            let start = targets[name]!.lastStart
            let seconds = start >= 0 ? start / 1000 : (start - 999) / 1000
            let millis = start - seconds * 1000
            let fraction = String(millis)
            out += "tlm_last_run_timestamp_seconds{target=\"\(Self.escape(name))\"} \(seconds)."
            out += String(repeating: "0", count: 3 - fraction.count) + fraction + "\n"
        }
        out += "# HELP tlm_last_exit_code The exit code of the latest run of each target.\n"
        out += "# TYPE tlm_last_exit_code gauge\n"
        for name in names {
            out += "tlm_last_exit_code{target=\"\(Self.escape(name))\"} \(targets[name]!.lastExitCode)\n"
        }
        return out
    }

    /// A label value escaped as the format requires (`Escaping.prometheusLabelValue`).
    public static func escape(_ value: String) -> String { Escaping.prometheusLabelValue(value) }

    /// A sample value: whole numbers without a fraction (`10`), others as Swift writes them.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
