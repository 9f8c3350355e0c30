import TLMSystem
import Testing

@testable import TLMReport

@Suite("Percentiles from the quantile sketch")
struct QuantileSketchTests {
    static let percentiles = [0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0]

    /// The exact nearest-rank percentile.
    static func exact(_ sorted: [Double], _ q: Double) -> Double {
        sorted[QuantileSketch.rank(of: q, count: sorted.count) - 1]
    }

    static func relativeError(_ estimate: Double, _ exact: Double) -> Double {
        exact == 0 ? abs(estimate) : abs(estimate - exact) / exact
    }

    /// Random values from several distributions, by name.
    static func sample(_ distribution: String, count: Int, seed: UInt64) -> [Double] {
        var random = SeededGenerator(seed: seed)
        func uniform() -> Double { Double.random(in: Double.ulpOfOne..<1, using: &random) }
        return (0..<count).map { _ in
            switch distribution {
            case "uniform": return uniform() * 100
            case "lognormal":
                // Box–Muller, then exp: like gen_events.py's lognormvariate(1.5, 1.0).
                let normal = (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
                return exp(1.5 + normal)
            case "exponential": return -log(uniform()) * 30
            case "pareto": return 0.05 / pow(uniform(), 1 / 1.2)  // heavy tail: minutes to days
            case "bimodal": return uniform() < 0.7 ? 0.2 + uniform() * 0.1 : 600 + uniform() * 60
            case "whole seconds": return Double(Int.random(in: 0...120, using: &random))
            case "milliseconds": return Double(Int.random(in: 0...5000, using: &random)) / 1000
            case "with zeros": return uniform() < 0.3 ? 0 : uniform() * 10
            default: fatalError("unknown distribution \(distribution)")
            }
        }
    }

    @Test(
        "every percentile is within 1% (documented 0.39%) of the exact one",
        arguments: [
            "uniform", "lognormal", "exponential", "pareto", "bimodal", "whole seconds", "milliseconds", "with zeros",
        ])
    func accuracy(distribution: String) {
        for (seed, count) in [(UInt64(1), 7), (2, 100), (3, 1001), (4, 50_000)] {
            let values = Self.sample(distribution, count: count, seed: seed)
            var sketch = QuantileSketch()
            for value in values { sketch.add(value) }
            let sorted = values.sorted()
            for q in Self.percentiles {
                let exact = Self.exact(sorted, q)
                let estimate = sketch.quantile(q)!
                let error = Self.relativeError(estimate, exact)
                #expect(error <= QuantileSketch.relativeAccuracy + 1e-12, "\(distribution) n=\(count) q=\(q)")
                #expect(error <= 0.01)
            }
            #expect(sketch.count == count)
            #expect(sketch.minimum == sorted.first && sketch.maximum == sorted.last)
        }
    }

    @Test("the extremes and zero are exact")
    func exactEdges() {
        var sketch = QuantileSketch()
        #expect(sketch.quantile(0.5) == nil)
        sketch.add(0)
        #expect(sketch.quantile(0.5) == 0)
        sketch.add(45.012)
        sketch.add(3)
        #expect(sketch.quantile(0) == 0)
        #expect(sketch.quantile(1) == 45.012)
        var single = QuantileSketch()
        single.add(7.25)
        #expect(single.quantile(0.5) == 7.25 && single.quantile(0.99) == 7.25)
    }

    @Test("up to 32 values the percentiles are exact; the 33rd switches to buckets")
    func smallSetsExact() {
        var sketch = QuantileSketch()
        var values: [Double] = []
        for k in 1...QuantileSketch.exactCapacity {
            // 42 is not a bucket boundary: a bucket's middle would be 42.125.
            let value = Double(k) + 41
            values.append(value)
            sketch.add(value)
        }
        for q in Self.percentiles { #expect(sketch.quantile(q) == Self.exact(values.sorted(), q)) }
        #expect(sketch.quantile(0) == 42)
        sketch.add(0.5)
        values.append(0.5)
        let sorted = values.sorted()
        let median = sketch.quantile(0.5)!
        #expect(median != Self.exact(sorted, 0.5))
        #expect(Self.relativeError(median, Self.exact(sorted, 0.5)) <= QuantileSketch.relativeAccuracy)
        var left = QuantileSketch()
        var right = QuantileSketch()
        for value in [3.0, 1.0, 2.0] { left.add(value) }
        for value in [10.0, 0.0] { right.add(value) }
        left.merge(right)
        #expect(left.quantile(0.5) == 2 && left.quantile(0.8) == 3 && left.quantile(0) == 0)
    }

    @Test("ranks are nearest-rank, immune to binary rounding")
    func ranks() {
        #expect(QuantileSketch.rank(of: 0.95, count: 100) == 95)
        #expect(QuantileSketch.rank(of: 0.5, count: 3) == 2)
        #expect(QuantileSketch.rank(of: 0.5, count: 4) == 2)
        #expect(QuantileSketch.rank(of: 0, count: 10) == 1)
        #expect(QuantileSketch.rank(of: 1, count: 10) == 10)
        #expect(QuantileSketch.rank(of: 0.99, count: 1000) == 990)
    }

    @Test("merging two sketches answers as one sketch of all the values")
    func merge() {
        let a = Self.sample("lognormal", count: 5000, seed: 9)
        let b = Self.sample("pareto", count: 3000, seed: 10)
        var left = QuantileSketch()
        var right = QuantileSketch()
        var both = QuantileSketch()
        for value in a {
            left.add(value)
            both.add(value)
        }
        for value in b {
            right.add(value)
            both.add(value)
        }
        left.merge(right)
        #expect(left.count == both.count)
        for q in Self.percentiles { #expect(left.quantile(q) == both.quantile(q)) }
    }

    @Test("the size is bounded whatever the values; the high percentiles stay accurate")
    func bounded() {
        var sketch = QuantileSketch()
        var values: [Double] = []
        var random = SeededGenerator(seed: 5)
        for _ in 0..<20_000 {
            // From 1e-300 to 1e300: far more powers of two than the sketch keeps.
            let value = pow(10, Double.random(in: -300...300, using: &random))
            values.append(value)
            sketch.add(value)
        }
        #expect(sketch.bucketCount <= QuantileSketch.maximumBuckets)
        let sorted = values.sorted()
        for q in [0.99, 0.999, 1.0] {
            // 2^64 below the maximum is ~1e281: these ranks are above it.
            #expect(Self.relativeError(sketch.quantile(q)!, Self.exact(sorted, q)) <= QuantileSketch.relativeAccuracy)
        }

        var typical = QuantileSketch()
        for value in Self.sample("lognormal", count: 100_000, seed: 6) { typical.add(value) }
        // A lognormal over ~12 powers of two: 128 buckets each, plus the growth slack.
        #expect(typical.bucketCount < 4096)
    }
}
