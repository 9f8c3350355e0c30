import TLMRecorder
import Testing

/// Durations as GNU `timeout` users write them (its `strtod` and one suffix, coreutils
/// `src/timeout.c` `parse_duration`): read the same way by tlm, up to a year.
@Suite("durations written as for GNU timeout")
struct DurationGNUFormsTests {
    @Test(
        "a point at either end, an exponent, a leading plus, leading blanks: as GNU timeout reads them",
        arguments: [
            (".1", 100_000_000), (".5s", 500_000_000), ("5.", 5_000_000_000), ("1.m", 60_000_000_000),
            ("1e3", 1_000_000_000_000), ("1E3", 1_000_000_000_000), ("2.5e-1", 250_000_000),
            ("1e+2s", 100_000_000_000), ("1e1m", 600_000_000_000), (".5e1ms", 5_000_000),
            ("+5", 5_000_000_000), ("+1h30m", 5_400_000_000_000), (" 5", 5_000_000_000),
            ("\t 5s", 5_000_000_000), (" +.5", 500_000_000), ("10.34", 10_340_000_000),
            ("9.999999999", 9_999_999_999), ("0e5", 0), ("+0", 0),
        ] as [(String, UInt64)])
    func gnuForms(text: String, nanoseconds: UInt64) {
        #expect(DurationValue.nanoseconds(text) == nanoseconds)
    }

    @Test("an exponent that underflows is still a positive duration: the shortest limit, never none")
    func underflow() {
        // coreutils tests/timeout/timeout-parameters.sh: `timeout 1e-10000 sleep 10` times out.
        #expect(DurationValue.nanoseconds("1e-10000") == 1)
        #expect(DurationValue.nanoseconds(".1e-400s") == 1)
        #expect(DurationValue.nanoseconds("0e-10000") == 0)
    }

    @Test(
        "what GNU timeout refuses, and what tlm refuses on purpose (minus, blanks after, hex, inf, over a year)",
        arguments: [
            ".", "+", " ", "+-5", "++5", "-0", " -0.1", " -1e-10000", "5 ", "5s ", "1 h", "1h +30m", "1h+30m",
            "1e", "1e+", "1es", "e3", ".e3", "42D", "invalid", "0x10", "inf", "nan", "1e400", "2.34e+5d",
            "1e3d", "1..5",
        ])
    func refused(text: String) {
        #expect(DurationValue.nanoseconds(text) == nil)
    }
}
