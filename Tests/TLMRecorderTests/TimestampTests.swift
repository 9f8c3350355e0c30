import Testing

@testable import TLMRecorder

@Suite("ISO 8601 timestamps")
struct TimestampTests {
    @Test("formats in UTC with +00:00 and milliseconds")
    func formats() {
        #expect(Timestamp(millisecondsSinceEpoch: 0).iso8601 == "1970-01-01T00:00:00.000+00:00")
        #expect(Timestamp(millisecondsSinceEpoch: 1_771_065_000_123).iso8601 == "2026-02-14T10:30:00.123+00:00")
        #expect(Timestamp(millisecondsSinceEpoch: 951_782_400_000).iso8601 == "2000-02-29T00:00:00.000+00:00")
        #expect(Timestamp(millisecondsSinceEpoch: -1).iso8601 == "1969-12-31T23:59:59.999+00:00")
    }

    @Test(
        "parses the forms anklume, Python and tlm write",
        arguments: [
            ("2026-02-14T10:30:00+00:00", 1_771_065_000_000),
            ("2026-02-14T10:30:00.123+00:00", 1_771_065_000_123),
            ("2026-02-14T10:30:00.123456+00:00", 1_771_065_000_123),
            ("2026-02-14T10:30:00.5Z", 1_771_065_000_500),
            ("2026-02-14T10:30:00Z", 1_771_065_000_000),
            ("2026-02-14 10:30:00", 1_771_065_000_000),
            ("2026-02-14T12:30:00+02:00", 1_771_065_000_000),
            ("2026-02-14T05:30:00-0500", 1_771_065_000_000),
            ("2000-02-29T00:00:00+00:00", 951_782_400_000),
        ] as [(String, Int64)])
    func parses(text: String, milliseconds: Int64) {
        #expect(Timestamp(iso8601: text)?.millisecondsSinceEpoch == milliseconds)
    }

    @Test(
        "refuses what is not a date-time",
        arguments: [
            "", "2026-02-14", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z",
            "2026-02-14T24:00:00Z", "2026-02-14T10:30:00.Z", "2026-02-14T10:30:00+0", "2026-02-14T10:30:00 junk",
            "26-02-14T10:30:00Z", "2026-02-14T10:30Z",
        ])
    func refuses(text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test("round-trips every millisecond it writes")
    func roundTrip() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let ms = Int64.random(in: -62_135_596_800_000...253_402_300_799_999, using: &generator)
            let stamp = Timestamp(millisecondsSinceEpoch: ms)
            #expect(Timestamp(iso8601: stamp.iso8601) == stamp)
        }
    }
}
