import TLMRecorder
import TLMReport

/// A small seeded generator (SplitMix64), so that random tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// 2026-02-14T10:30:00Z, a Saturday.
let februaryFourteenth: Int64 = 1_771_065_000_000
let day: Int64 = 86_400_000
let hour: Int64 = 3_600_000

/// A query with a fixed "now".
func query(
    now: Int64 = februaryFourteenth, since: Int64? = nil, until: Int64? = nil, targets: [String] = [],
    domains: [String] = [], failedOnly: Bool = false, command: String? = nil, grouping: ReportGrouping = .target,
    top: Int = 15
) -> ReportQuery {
    ReportQuery(
        since: since.map(Timestamp.init(millisecondsSinceEpoch:)),
        until: until.map(Timestamp.init(millisecondsSinceEpoch:)),
        targets: targets, domains: domains, failedOnly: failedOnly, command: command, grouping: grouping, top: top,
        now: Timestamp(millisecondsSinceEpoch: now))
}

/// An event at `ms`.
func event(
    _ target: String, at ms: Int64 = februaryFourteenth, duration: Double = 1, exit: Int = 0, domain: String? = nil,
    command: String? = "make", signal: String? = nil
) -> Event {
    Event(
        timestamp: Timestamp(millisecondsSinceEpoch: ms), target: target, domain: domain, durationSeconds: duration,
        exitCode: exit, command: command, signal: signal)
}

/// The summary of `lines`, fed one by one as a log's lines.
func summarize(lines: [String], _ query: ReportQuery) -> ReportSummary {
    var aggregator = ReportAggregator(query: query)
    for line in lines { aggregator.add(line: line) }
    return aggregator.summary()
}

/// The summary of `events`, written as tlm writes them and read back as lines.
func summarize(_ events: [Event], _ query: ReportQuery) -> ReportSummary {
    summarize(lines: events.map { String(EventEncoder.line($0).dropLast()) }, query)
}
