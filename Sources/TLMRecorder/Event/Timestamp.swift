import TLMSystem

/// A point in time, in whole milliseconds since the Unix epoch (UTC).
///
/// Written as ISO 8601 with an explicit `+00:00` offset, as anklume writes it:
/// `2026-02-14T10:30:00.123+00:00`.
public struct Timestamp: Sendable, Hashable, Comparable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// The current wall-clock time.
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(millisecondsSinceEpoch: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }

    /// 0000-01-01T00:00:00Z, the earliest time a log line may hold.
    public static let earliestMilliseconds: Int64 = -62_167_219_200_000
    /// 10000-01-01T00:00:00Z (excluded): every timestamp read is before it.
    public static let endMilliseconds: Int64 = 253_402_300_800_000

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmm+00:00`, always in UTC.
    public var iso8601: String {
        let ms = millisecondsSinceEpoch
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = ms - seconds * 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilCalendar.civil(fromDays: days)
        var out = ""
        out.reserveCapacity(29)
        Self.pad(&out, year, 4)
        out += "-"
        Self.pad(&out, month, 2)
        out += "-"
        Self.pad(&out, day, 2)
        out += "T"
        Self.pad(&out, secondOfDay / 3600, 2)
        out += ":"
        Self.pad(&out, secondOfDay / 60 % 60, 2)
        out += ":"
        Self.pad(&out, secondOfDay % 60, 2)
        out += "."
        Self.pad(&out, millis, 3)
        out += "+00:00"
        return out
    }

    /// Parses ISO 8601 date-times as anklume, Python and tlm write them:
    /// `2026-02-14T10:30:00+00:00`, with or without fractional seconds
    /// (any number of digits, kept to the millisecond), with `Z`, another
    /// offset (`+02:00`, `-0500`) or none (read as UTC); `T` or a space between
    /// date and time. The result, in UTC, must fall in years 0000 to 9999, so
    /// that `iso8601` writes it back in a form this parser reads: an offset
    /// would otherwise carry `0000-01-01T00:30+01:00` into year -1 and
    /// `9999-12-31T23:30-01:00` into year 10000.
    public init?(iso8601 text: some StringProtocol) {
        var copy = String(text)
        let parsed = copy.withUTF8 { Timestamp(iso8601Bytes: UnsafeRawBufferPointer($0)) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// The same as `init?(iso8601:)`, from UTF-8 bytes.
    public init?(iso8601Bytes bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        var i = 0
        func digits(_ count: Int) -> Int64? {
            guard i + count <= n else { return nil }
            var value: Int64 = 0
            for k in 0..<count {
                let c = bytes[i + k]
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int64(c - 48)
            }
            i += count
            return value
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < n, bytes[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2),
            month >= 1, month <= 12, day >= 1, day <= CivilCalendar.daysIn(month: month, year: year)
        else { return nil }
        guard i < n, bytes[i] == 84 || bytes[i] == 116 || bytes[i] == 32 else { return nil }  // T, t or space
        i += 1
        guard let hour = digits(2), expect(58), let minute = digits(2), expect(58), let second = digits(2),
            hour <= 23, minute <= 59, second <= 60
        else { return nil }
        var millis: Int64 = 0
        if i < n, bytes[i] == 46 || bytes[i] == 44 {  // . or ,
            i += 1
            var count = 0
            while i < n, bytes[i] >= 48, bytes[i] <= 57 {
                if count < 3 { millis = millis * 10 + Int64(bytes[i] - 48) }
                count += 1
                i += 1
            }
            guard count > 0 else { return nil }
            for _ in min(count, 3)..<3 { millis *= 10 }
        }
        var offsetSeconds: Int64 = 0
        if i < n {
            let sign = bytes[i]
            if sign == 90 || sign == 122 {  // Z or z
                i += 1
            } else if sign == 43 || sign == 45 {  // + or -
                i += 1
                guard let oh = digits(2), oh <= 23 else { return nil }
                _ = expect(58)
                guard let om = digits(2), om <= 59 else { return nil }
                offsetSeconds = (oh * 3600 + om * 60) * (sign == 45 ? -1 : 1)
            } else {
                return nil
            }
        }
        guard i == n else { return nil }
        let days = CivilCalendar.days(fromCivil: year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        let milliseconds = seconds * 1000 + millis
        guard milliseconds >= Self.earliestMilliseconds, milliseconds < Self.endMilliseconds else { return nil }
        self.millisecondsSinceEpoch = milliseconds
    }

    private static func pad(_ out: inout String, _ value: Int64, _ width: Int) {
        let text = String(value)
        if text.count < width { out += String(repeating: "0", count: width - text.count) }
        out += text
    }
}
