import TLMRecorder
import TLMSystem

/// Per target, the last 7 days against the 7 days before: is it slower, or failing more?
///
/// The windows end at `reference`: the query's `until` when one is given (a
/// report about the past compares the last two weeks of that past), else
/// `now`. Recent is `[reference − 7 d, reference)`, previous is
/// `[reference − 14 d, reference − 7 d)`. The query's other filters apply.
///
/// A change is notable when both windows have at least `minimumRuns` runs and
/// either the median duration moved by a factor of at least `durationFactor`
/// (1.5× slower or faster), or the failure rate moved by at least
/// `failureRatePoints` (20 percentage points).
public struct ReportChanges: Sendable, Equatable {
    /// The length of each window, in days.
    public static let windowDays = 7
    /// The fewest runs in each window for a comparison to count.
    public static let minimumRuns = 3
    /// The median ratio (or its inverse) from which a duration change is notable.
    public static let durationFactor = 1.5
    /// The move in failure rate (as a fraction: 0.2 is 20 points) from which a change is notable.
    public static let failureRatePoints = 0.2

    /// The end of the recent window (excluded).
    public var reference: Timestamp
    /// The targets with runs in either window, notable changes first, strongest first, then the
    /// others by name; at most the query's `top` of them (all when `top` is 0).
    public var targets: [TargetChange]
    /// How many targets had runs in either window, including those beyond `top`.
    public var targetCount: Int
    /// How many of them had enough runs in both windows to compare (`isComparable`).
    public var comparedCount: Int

    /// `targetCount` and `comparedCount` default to what `targets` holds.
    public init(reference: Timestamp, targets: [TargetChange], targetCount: Int? = nil, comparedCount: Int? = nil) {
        self.reference = reference
        self.targets = targets
        self.targetCount = targetCount ?? targets.count
        self.comparedCount = comparedCount ?? targets.filter(\.isComparable).count
    }

    /// The start of the recent window: `reference` − 7 days.
    public var recentStart: Timestamp {
        Timestamp(millisecondsSinceEpoch: reference.millisecondsSinceEpoch - Int64(Self.windowDays) * 86_400_000)
    }

    /// The start of the previous window: `reference` − 14 days.
    public var previousStart: Timestamp {
        Timestamp(millisecondsSinceEpoch: reference.millisecondsSinceEpoch - Int64(2 * Self.windowDays) * 86_400_000)
    }

    /// Only the notable changes among `targets`, strongest first.
    public var notable: [TargetChange] { targets.filter(\.isNotable) }
}

/// One target's runs within one 7-day window.
public struct WindowStatistics: Sendable, Equatable {
    /// Runs in the window.
    public var runs: Int
    /// Failed runs (not counting cancelled ones).
    public var failures: Int
    /// The median duration in seconds (exact up to 32 runs, else within 0.4%); nil without runs.
    public var p50: Double?

    public init(runs: Int, failures: Int, p50: Double?) {
        self.runs = runs
        self.failures = failures
        self.p50 = p50
    }

    /// `failures / runs`; nil without runs.
    public var failureRate: Double? { runs == 0 ? nil : Double(failures) / Double(runs) }
}

/// How one target moved between the two windows.
public struct TargetChange: Sendable, Equatable {
    /// The target.
    public var target: String
    /// The 7 days before the recent window.
    public var previous: WindowStatistics
    /// The last 7 days.
    public var recent: WindowStatistics

    public init(target: String, previous: WindowStatistics, recent: WindowStatistics) {
        self.target = target
        self.previous = previous
        self.recent = recent
    }

    /// Whether both windows have enough runs (`ReportChanges.minimumRuns`) to compare.
    public var isComparable: Bool {
        previous.runs >= ReportChanges.minimumRuns && recent.runs >= ReportChanges.minimumRuns
    }

    /// Recent median over previous median (2.0: twice as slow); nil when not comparable or a median is 0.
    public var p50Ratio: Double? {
        guard isComparable, let before = previous.p50, let after = recent.p50, before > 0, after > 0 else { return nil }
        return after / before
    }

    /// Recent failure rate minus previous (0.35: 35 points more); nil when not comparable.
    public var failureRateChange: Double? {
        guard isComparable, let before = previous.failureRate, let after = recent.failureRate else { return nil }
        return after - before
    }

    /// The median is at least 1.5× longer.
    public var isSlower: Bool { (p50Ratio ?? 1) >= ReportChanges.durationFactor }
    /// The median is at least 1.5× shorter.
    public var isFaster: Bool { (p50Ratio ?? 1) <= 1 / ReportChanges.durationFactor }
    /// The failure rate rose by at least 20 points.
    public var failsMore: Bool { (failureRateChange ?? 0) >= ReportChanges.failureRatePoints - 1e-9 }
    /// The failure rate fell by at least 20 points.
    public var failsLess: Bool { (failureRateChange ?? 0) <= -ReportChanges.failureRatePoints + 1e-9 }
    /// Any of the four.
    public var isNotable: Bool { isSlower || isFaster || failsMore || failsLess }

    /// How strong the change is, 1 at a threshold: to sort the notable first.
    var strength: Double {
        var value = 0.0
        if let ratio = p50Ratio { value = max(value, abs(log(ratio)) / log(ReportChanges.durationFactor)) }
        if let change = failureRateChange { value = max(value, abs(change) / ReportChanges.failureRatePoints) }
        return value
    }

    /// A sentence for the report: `apply: p50 41s → 1m27s, 2.1× slower`, then
    /// `; failures 5% → 40% (+35 points)` when the failure rate moved notably;
    /// `apply: p50 41s → 43s, about the same` when nothing did; `apply: 2 runs
    /// before, 9 since` when a window has too few runs to compare.
    /// `unicode: false` writes `->` and `x` instead of `→` and `×`.
    public func sentence(unicode: Bool = true) -> String {
        let arrow = unicode ? " → " : " -> "
        guard isComparable else {
            return "\(target): \(previous.runs) run\(previous.runs == 1 ? "" : "s") before, \(recent.runs) since"
        }
        var parts: [String] = []
        if let before = previous.p50, let after = recent.p50 {
            var part = "p50 " + NumberText.duration(before) + arrow + NumberText.duration(after)
            if isSlower || isFaster, let ratio = p50Ratio {
                let factor = isSlower ? ratio : 1 / ratio
                part +=
                    ", " + NumberText.oneDecimal(factor) + (unicode ? "× " : "x ") + (isSlower ? "slower" : "faster")
            }
            parts.append(part)
        }
        if failsMore || failsLess, let before = previous.failureRate, let after = recent.failureRate,
            let change = failureRateChange
        {
            let points = Int((change * 100).rounded())
            parts.append(
                "failures " + NumberText.wholePercent(before) + arrow + NumberText.wholePercent(after) + " ("
                    + (points > 0 ? "+" : "") + String(points) + " points)")
        }
        if !isNotable { parts.append("about the same") }
        return target + ": " + parts.joined(separator: parts.count > 1 && isNotable ? "; " : ", ")
    }
}
