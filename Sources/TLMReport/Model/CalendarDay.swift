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
        guard month >= 1, month <= 12, day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        daysSinceEpoch = Self.days(fromCivil: Int64(year), Int64(month), Int64(day))
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
        let (y, m, d) = Self.civil(fromDays: daysSinceEpoch)
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

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01.
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
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
        let january4 = CalendarDay(daysSinceEpoch: CalendarDay.days(fromCivil: Int64(year), 1, 4))
        return january4.addingDays(Int64(1 - january4.weekday))
    }
}
