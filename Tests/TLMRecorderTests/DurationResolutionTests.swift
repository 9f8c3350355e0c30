import TLMRecorder
import Testing

/// A positive duration is never "none": below a nanosecond it is the shortest limit.
@Suite("durations below the clock's resolution")
struct DurationResolutionTests {
    @Test("0.0000000001 is 1 ns, not 0; 0 stays 0; the rounding above stays as it was")
    func belowResolution() {
        #expect(DurationValue.nanoseconds("0.0000000001") == 1)
        #expect(DurationValue.nanoseconds("0.0000000000000000000001s") == 1)
        #expect(DurationValue.nanoseconds("0.0000000001ms") == 1)
        #expect(DurationValue.nanoseconds("0") == 0)
        #expect(DurationValue.nanoseconds("0.000s") == 0)
        #expect(DurationValue.nanoseconds("0.0000000015") == 2)
        #expect(DurationValue.nanoseconds("1.5s") == 1_500_000_000)
    }
}
