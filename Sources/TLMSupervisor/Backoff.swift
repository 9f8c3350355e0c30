/// The wait before each retry of `tlm run --retries`: exponential backoff with
/// "equal jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter").
///
/// Before retry n (1-based) the ceiling is `min(maximum, base × 2^(n−1))`; the
/// wait is drawn uniformly from [ceiling/2, ceiling]. Half of the ceiling is
/// kept, so that a retry never comes much sooner than the user asked; the other
/// half is random, so that many jobs failing together (a registry down for a
/// whole CI fleet) do not retry in step.
public struct Backoff: Sendable {
    /// The first ceiling, in nanoseconds.
    public var base: UInt64
    /// The largest ceiling, in nanoseconds.
    public var maximum: UInt64

    public init(base: UInt64, maximum: UInt64) {
        self.base = base
        self.maximum = maximum
    }

    /// The bounds of the wait before retry `retry` (1-based), in nanoseconds.
    public func bounds(retry: Int) -> ClosedRange<UInt64> {
        var ceiling = base
        var step = 1
        while step < retry && ceiling < maximum {
            ceiling = ceiling > UInt64.max / 2 ? UInt64.max : ceiling * 2
            step += 1
        }
        ceiling = min(ceiling, maximum)
        return (ceiling / 2)...ceiling
    }

    /// A wait drawn from `bounds(retry:)`.
    public func delay(retry: Int, using generator: inout some RandomNumberGenerator) -> UInt64 {
        let range = bounds(retry: retry)
        return UInt64.random(in: range, using: &generator)
    }
}
