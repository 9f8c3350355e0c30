import TLMRecorder
import Testing

@testable import TLMReport

@Suite("UTC days and ISO weeks")
struct CalendarTests {
    @Test(
        "ISO week numbers, including the weeks that straddle New Year",
        arguments: [
            ("2026-01-01", "2026-W01"), ("2025-12-29", "2026-W01"), ("2025-12-28", "2025-W52"),
            ("2021-01-03", "2020-W53"), ("2024-12-30", "2025-W01"), ("2026-02-14", "2026-W07"),
            ("2020-12-31", "2020-W53"), ("2027-01-01", "2026-W53"),
        ])
    func weeks(date: String, week: String) throws {
        let day = try #require(CalendarDay(iso8601: date))
        #expect(day.week.iso8601 == week)
        #expect(day.week.monday.weekday == 1)
        #expect(day.week.monday <= day && day < day.week.monday.addingDays(7))
        #expect(day.iso8601 == date)
    }

    @Test("days from instants, before and after the epoch")
    func days() {
        #expect(CalendarDay(containing: Timestamp(millisecondsSinceEpoch: februaryFourteenth)).iso8601 == "2026-02-14")
        #expect(CalendarDay(containing: Timestamp(millisecondsSinceEpoch: -1)).iso8601 == "1969-12-31")
        #expect(CalendarDay(containing: Timestamp(millisecondsSinceEpoch: 0)).iso8601 == "1970-01-01")
        #expect(CalendarDay(iso8601: "2026-02-14")!.weekday == 6)
        #expect(CalendarDay(iso8601: "2026-02-30") == nil)
        #expect(CalendarDay(iso8601: "2026-2-14") == nil)
        #expect(CalendarDay(iso8601: "2024-02-29") != nil)
    }
}
