/// The system's random numbers (`getrandom`), as a generator with a stored
/// property. `SystemRandomNumberGenerator` has none, and ThreadSanitizer's
/// instrumentation of Swift's `inout` accesses crashes on the address of an
/// empty value (SEGV in its shadow memory, seen with Swift 6.3 on Linux 6.18):
/// this type keeps `swift test --sanitize=thread` usable (Tests/sanitizers.sh).
public struct SystemRandom: RandomNumberGenerator, Sendable {
    private var draws: UInt64 = 0

    public init() {}

    public mutating func next() -> UInt64 {
        draws &+= 1
        return UInt64.random(in: .min ... .max)
    }
}
