import TLMRecorder

/// One event reduced to what the aggregator uses, names as `NameTable` ids.
struct EventRecord {
    var timestamp: Int64
    var target: Int32
    /// -1 for none.
    var domain: Int32
    /// -1 for none.
    var command: Int32
    var durationSeconds: Double
    var exitCode: Int
    var signalled: Bool
    /// `tlm run --timeout` ended it (a failure, exit 124).
    var timedOut = false

    /// Cancelled (died of a signal) takes precedence over the exit code.
    var isCancelled: Bool { signalled }
    var isFailure: Bool { !signalled && exitCode != 0 }
    var isSuccess: Bool { !signalled && exitCode == 0 }
}

/// Running counts and a duration sketch for one group: constant size whatever the number of events.
struct GroupAccumulator {
    var runs = 0
    var successes = 0
    var failures = 0
    var cancelled = 0
    var timeouts = 0
    var totalSeconds = 0.0
    var first = Int64.max
    var last = Int64.min
    var sketch = QuantileSketch()

    @inline(__always)
    mutating func add(_ record: EventRecord) {
        runs += 1
        if record.signalled {
            cancelled += 1
        } else if record.exitCode == 0 {
            successes += 1
        } else {
            failures += 1
            if record.timedOut { timeouts += 1 }
        }
        totalSeconds += record.durationSeconds
        if record.timestamp < first { first = record.timestamp }
        if record.timestamp > last { last = record.timestamp }
        sketch.add(record.durationSeconds)
    }

    mutating func merge(_ other: GroupAccumulator) {
        runs += other.runs
        successes += other.successes
        failures += other.failures
        cancelled += other.cancelled
        timeouts += other.timeouts
        totalSeconds += other.totalSeconds
        first = min(first, other.first)
        last = max(last, other.last)
        sketch.merge(other.sketch)
    }

    var outcomes: OutcomeCounts {
        OutcomeCounts(runs: runs, successes: successes, failures: failures, cancelled: cancelled, timeouts: timeouts)
    }

    /// Nil when empty.
    var durations: DurationStatistics? {
        guard runs > 0 else { return nil }
        return DurationStatistics(
            total: totalSeconds, mean: totalSeconds / Double(runs), minimum: sketch.minimum, maximum: sketch.maximum,
            p50: sketch.quantile(0.50)!, p95: sketch.quantile(0.95)!, p99: sketch.quantile(0.99)!)
    }
}

/// Runs, failures and a duration sketch for one target in one what-changed window.
struct WindowAccumulator {
    var runs = 0
    var failures = 0
    var sketch = QuantileSketch()

    mutating func add(_ record: EventRecord) {
        runs += 1
        if record.isFailure { failures += 1 }
        sketch.add(record.durationSeconds)
    }

    mutating func merge(_ other: WindowAccumulator) {
        runs += other.runs
        failures += other.failures
        sketch.merge(other.sketch)
    }

    var statistics: WindowStatistics {
        WindowStatistics(runs: runs, failures: failures, p50: sketch.quantile(0.5))
    }
}

/// Runs per UTC day.
struct DayCounter {
    var day: Int64
    var runs = 0
    var failures = 0
    var cancelled = 0
}
