/// A mergeable, bounded-size summary of a set of durations that answers
/// percentile queries within a fixed relative error.
///
/// Log-linear buckets (as in HdrHistogram and DDSketch): a positive value's
/// bucket is its IEEE 754 exponent and the top 7 bits of its mantissa, so each
/// power of two is cut into 128 buckets whose width is at most 1/128 of their
/// lower bound. A percentile is answered with the middle of the bucket that
/// holds the value of that rank, so it is within `relativeAccuracy` (1/256,
/// about 0.39%) of the exact nearest-rank percentile, then clamped to the exact
/// minimum and maximum. Zero (and anything not above 0) is counted apart, and
/// answered exactly. Up to `exactCapacity` values are kept as they are, and only
/// them: small groups (a week of one target's runs) get exact percentiles, and
/// cost a few words rather than a bucket array (measured: a log of 200,000
/// targets of two runs each took 722 MB when every sketch had its buckets).
/// The buckets are made when the next value comes. One or two values are the
/// minimum and maximum themselves: no list at all.
///
/// Size: one counter per bucket between the smallest and the largest value
/// seen, at most `maximumBuckets` (64 powers of two: a millisecond to 580
/// years). Values more than 2^64 times smaller than the largest are merged into
/// the lowest bucket (DDSketch's "collapse lowest"), which can only affect the
/// lowest percentiles of such a group. Finding a bucket is a shift of the
/// value's bits: no logarithm per value.
public struct QuantileSketch: Sendable {
    /// The largest relative error of a percentile: 1/256 (about 0.39%).
    public static let relativeAccuracy = 1.0 / 256
    /// The most buckets kept for positive values.
    public static let maximumBuckets = 64 << mantissaBits

    /// Up to this many values, percentiles are exact.
    public static let exactCapacity = 32

    static let mantissaBits = 7
    static let shift = UInt64(52 - mantissaBits)

    /// How many values were added.
    public private(set) var count = 0
    /// The smallest and largest value added (exact); 0 when empty.
    public private(set) var minimum = 0.0
    public private(set) var maximum = 0.0
    /// Values not above 0 (bucketed values only).
    private var zeroCount = 0
    /// Every value while there are at most `exactCapacity` of them (no buckets then), then empty.
    private var smallValues: [Double] = []
    /// Counters of buckets `offset ..< offset + counts.count`.
    private var counts: [Int] = []
    private var offset = 0

    public init() {}

    /// Adds one value (seconds; values not above 0 count as 0).
    @inline(__always)
    public mutating func add(_ value: Double) {
        let (low, high) = (minimum, maximum)
        if count == 0 {
            minimum = value
            maximum = value
        } else if value < minimum {
            minimum = value
        } else if value > maximum {
            maximum = value
        }
        count += 1
        // One or two values are the minimum and maximum themselves: no list yet.
        if count <= 2 { return }
        if count <= Self.exactCapacity {
            if count == 3 { smallValues = [low, high] }
            smallValues.append(value)
            return
        }
        if !smallValues.isEmpty { spill() }
        addToBuckets(value)
    }

    /// Every value, while there are at most `exactCapacity` of them.
    private var exactValues: [Double] {
        count == 0 ? [] : count == 1 ? [minimum] : count == 2 ? [minimum, maximum] : smallValues
    }

    /// Counts `value` in its bucket (or as a zero), leaving `count`, `minimum` and `maximum` alone.
    @inline(__always)
    private mutating func addToBuckets(_ value: Double) {
        guard value > 0 else {
            zeroCount += 1
            return
        }
        let index = Int(truncatingIfNeeded: value.bitPattern >> Self.shift)
        let slot = index &- offset
        if slot >= 0 && slot < counts.count {
            counts[slot] += 1
        } else {
            addOutsideRange(index, 1)
        }
    }

    /// Moves the exact values into buckets: the sketch outgrew `exactCapacity`.
    private mutating func spill() {
        for value in smallValues { addToBuckets(value) }
        smallValues = []
    }

    /// Adds every value of `other`, as if they had been added here.
    public mutating func merge(_ other: QuantileSketch) {
        guard other.count > 0 else { return }
        let mine = count <= Self.exactCapacity ? exactValues : []
        if count == 0 {
            minimum = other.minimum
            maximum = other.maximum
        } else {
            minimum = min(minimum, other.minimum)
            maximum = max(maximum, other.maximum)
        }
        if count + other.count <= Self.exactCapacity {
            count += other.count
            smallValues = count <= 2 ? [] : mine + other.exactValues
            return
        }
        if count <= Self.exactCapacity {
            // This side outgrows its list: into buckets.
            smallValues = []
            for value in mine { addToBuckets(value) }
        }
        count += other.count
        if other.count <= Self.exactCapacity {
            for value in other.exactValues { addToBuckets(value) }
            return
        }
        zeroCount += other.zeroCount
        for (slot, n) in other.counts.enumerated() where n > 0 {
            let index = other.offset + slot
            let local = index - offset
            if local >= 0 && local < counts.count { counts[local] += n } else { addOutsideRange(index, n) }
        }
    }

    /// The nearest-rank percentile `q` (0…1): the value of rank ⌈q·n⌉ (at least 1) among
    /// the n values sorted, within `relativeAccuracy` (exact up to `exactCapacity` values); nil when empty.
    public func quantile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = Self.rank(of: q, count: count)
        if count <= 2 { return rank == 1 ? minimum : maximum }
        if count <= Self.exactCapacity { return smallValues.sorted()[rank - 1] }
        if rank <= zeroCount { return max(minimum, 0) }
        var seen = zeroCount
        for (slot, n) in counts.enumerated() where n > 0 {
            seen += n
            if seen >= rank { return min(max(Self.middle(ofBucket: offset + slot), minimum), maximum) }
        }
        return maximum
    }

    /// The 1-based nearest rank of percentile `q` among `count` values: ⌈q·count⌉, within 1…count.
    /// (The tiny slack keeps 0.95 × 100 at rank 95 despite binary rounding.)
    public static func rank(of q: Double, count: Int) -> Int {
        let exact = (q * Double(count) - 1e-9).rounded(.up)
        return min(max(Int(exact), 1), count)
    }

    /// The middle of bucket `index`: its value's relative distance to any value in the bucket is at most 1/256.
    static func middle(ofBucket index: Int) -> Double {
        let lower = Double(bitPattern: UInt64(index) << shift)
        let upper = Double(bitPattern: UInt64(index + 1) << shift)
        return lower + (upper - lower) / 2
    }

    /// The bucket counters in use (for tests of the size bound).
    var bucketCount: Int { counts.count }

    /// Grows the counters to cover `index` (with a quarter of slack, so that growth is rare),
    /// collapsing the lowest buckets when the span would exceed `maximumBuckets`.
    private mutating func addOutsideRange(_ index: Int, _ n: Int) {
        if counts.isEmpty {
            let low = max(index - 32, 0)
            offset = low
            counts = [Int](repeating: 0, count: index - low + 32)
            counts[index - offset] += n
            return
        }
        let currentHigh = offset + counts.count - 1
        let slack = max(counts.count / 4, 32)
        var newLow = offset
        var newHigh = currentHigh
        if index < offset {
            newLow = max(index - slack, 0)
        } else {
            newHigh = index + slack
        }
        if newHigh - newLow + 1 > Self.maximumBuckets {
            // Keep the highest buckets: the long durations matter more than the tiny ones.
            newHigh = max(index, currentHigh)
            newLow = newHigh - Self.maximumBuckets + 1
            if newLow == offset && newHigh == currentHigh {
                // Already as wide as allowed: a tiny value joins the lowest bucket.
                counts[0] += n
                return
            }
        }
        var grown = [Int](repeating: 0, count: newHigh - newLow + 1)
        for (slot, c) in counts.enumerated() where c > 0 {
            grown[max(offset + slot, newLow) - newLow] += c
        }
        grown[max(index, newLow) - newLow] += n
        counts = grown
        offset = newLow
    }
}
