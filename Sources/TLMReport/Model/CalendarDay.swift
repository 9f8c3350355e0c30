import TLMRecorder

/// A UTC calendar day (proleptic Gregorian), as a count of days since 1970-01-01.
public struct CalendarDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before).
    public var daysSinceEpoch: Int64

    public init(daysSinceEpoch: Int64) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// The UTC day `instant` falls in.
    public init(containing instant: Timestamp) {
        daysSinceEpoch = Self.floorDivide(instant.millisecondsSinceEpoch, 86_400_000)
    }

    /// The day of a calendar date; nil when it does not exist (`2026-02-30`).
    public init?(year: Int, month: Int, day: Int) {
        guard month >= 1, month <= 12, day >= 1, day <= CivilCalendar.daysIn(month: Int64(month), year: Int64(year))
        else { return nil }
        daysSinceEpoch = CivilCalendar.days(fromCivil: Int64(year), Int64(month), Int64(day))
    }

    /// Parses `YYYY-MM-DD` exactly.
    public init?(iso8601 text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == 45, bytes[7] == 45 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard bytes[index] >= 48, bytes[index] <= 57 else { return nil }
                value = value * 10 + Int(bytes[index] - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    /// Its midnight, UTC.
    public var start: Timestamp { Timestamp(millisecondsSinceEpoch: daysSinceEpoch * 86_400_000) }

    /// The day `count` days later (earlier when negative).
    public func addingDays(_ count: Int64) -> CalendarDay { CalendarDay(daysSinceEpoch: daysSinceEpoch + count) }

    /// Year, month (1–12) and day of the month (1–31).
    public var date: (year: Int, month: Int, day: Int) {
        let (y, m, d) = CivilCalendar.civil(fromDays: daysSinceEpoch)
        return (Int(y), Int(m), Int(d))
    }

    /// ISO 8601 day of the week: 1 for Monday … 7 for Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        Int(Self.floorModulo(daysSinceEpoch + 3, 7)) + 1
    }

    /// The ISO 8601 week this day belongs to.
    public var week: ISOWeek {
        let monday = addingDays(Int64(1 - weekday))
        // The week belongs to the year of its Thursday.
        let year = monday.addingDays(3).date.year
        let firstMonday = ISOWeek.firstMonday(ofYear: year)
        return ISOWeek(year: year, week: Int((monday.daysSinceEpoch - firstMonday.daysSinceEpoch) / 7) + 1)
    }

    /// `2026-01-31`.
    public var iso8601: String {
        let (year, month, day) = date
        return Self.padded(year, 4) + "-" + Self.padded(month, 2) + "-" + Self.padded(day, 2)
    }

    public var description: String { iso8601 }

    static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a - 1) / b) - 1
    }

    static func floorModulo(_ a: Int64, _ b: Int64) -> Int64 { a - floorDivide(a, b) * b }

}

/// An ISO 8601 week: Monday to Sunday (UTC), numbered 1–53 within its
/// week-numbering year (the year of its Thursday).
public struct ISOWeek: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The week-numbering year, which differs from the calendar year for a few days around New Year.
    public var year: Int
    /// 1 to 53.
    public var week: Int

    public init(year: Int, week: Int) {
        self.year = year
        self.week = week
    }

    public static func < (lhs: ISOWeek, rhs: ISOWeek) -> Bool { lhs.monday < rhs.monday }

    /// Its first day.
    public var monday: CalendarDay { Self.firstMonday(ofYear: year).addingDays(Int64(week - 1) * 7) }

    /// `2026-W05`.
    public var iso8601: String { CalendarDay.padded(year, 4) + "-W" + CalendarDay.padded(week, 2) }

    public var description: String { iso8601 }

    /// The Monday of week 1: the week that holds January 4th.
    static func firstMonday(ofYear year: Int) -> CalendarDay {
        let january4 = CalendarDay(daysSinceEpoch: CivilCalendar.days(fromCivil: Int64(year), 1, 4))
        return january4.addingDays(Int64(1 - january4.weekday))
    }
}
