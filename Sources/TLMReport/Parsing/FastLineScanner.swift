import TLMRecorder
import TLMSystem

/// What the fast path takes from a line: the fields a report needs, with names as
/// byte ranges into the line (interned by the caller, nothing allocated here).
struct FastFields {
    var timestamp: Int64
    var target: Range<Int>
    /// nil for `null`.
    var domain: Range<Int>?
    var durationSeconds: Double
    var exitCode: Int
    /// nil for `null`, and for anklume's five-field lines.
    var command: Range<Int>?
    /// Whether `signal` is a string (the run died of a signal).
    var signalled: Bool
    /// Whether `timed_out` is true.
    var timedOut = false
}

/// Reads lines laid out exactly as tlm or anklume write them, without a general
/// JSON parser; anything else is left to `EventParser`.
///
/// Accepted layouts: the keys in `EventEncoder`'s order, either anklume's five
/// (`timestamp`, `target`, `domain`, `duration_seconds`, `exit_code`), the ten of
/// tlm 0.1, or the sixteen of tlm's current format, compact (`"k":v,"k":v`) or with one space after each `:` and `,`
/// (Python's `json.dumps`). A string with an escape, a control character or a
/// non-ASCII byte, a number with a sign or an exponent or more than 15 digits,
/// white space anywhere else, an unknown or missing key: any of these returns
/// nil, and the caller falls back to the full parse. Whatever this accepts is
/// parsed exactly as `EventParser.parse` does (the same number algorithm, the
/// same timestamp parser), which the tests check line by line.
///
/// Measured reason: the full parse allocates a `String` per name and an
/// `Event` per line; this path allocates nothing. On a million generated lines
/// (release build, one thread) the full parser alone takes 0.53 s, the whole
/// report through this path about 0.14 s.
struct FastLineScanner {
    /// The last date seen (`YYYY-MM-DD`'s ten bytes) and its day number: consecutive
    /// lines mostly share their date, so its validation and calendar arithmetic are done once.
    private var cachedDateHead: UInt64 = 0
    private var cachedDateTail: UInt16 = 0
    private var cachedDays: Int64 = 0
    private var hasCachedDate = false

    init() {}

    mutating func scan(_ line: UnsafeRawBufferPointer) -> FastFields? {
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        var cursor = Cursor(base: base, end: line.count)
        return cursor.fields(&self)
    }

    private struct Cursor {
        let base: UnsafePointer<UInt8>
        let end: Int
        var position = 0

        init(base: UnsafePointer<UInt8>, end: Int) {
            self.base = base
            self.end = end
        }

        mutating func fields(_ scanner: inout FastLineScanner) -> FastFields? {
            guard take(0x7B), key("\"timestamp\":"), let timestamp = timestamp(&scanner) else { return nil }
            guard separator(), key("\"target\":"), let target = plainString() else { return nil }
            guard separator(), key("\"domain\":"), let domain = optionalPlainString() else { return nil }
            guard separator(), key("\"duration_seconds\":"), let duration = unsignedNumber(),
                duration <= EventParser.maximumDurationSeconds
            else { return nil }
            guard separator(), key("\"exit_code\":"), let exitCode = integer() else { return nil }
            if take(0x7D) {
                guard position == end else { return nil }
                return FastFields(
                    timestamp: timestamp, target: target, domain: domain,
                    durationSeconds: duration, exitCode: exitCode, command: nil, signalled: false)
            }
            guard separator(), key("\"command\":"), let command = optionalPlainString() else { return nil }
            guard separator(), key("\"signal\":"), let signal = optionalPlainString() else { return nil }
            guard separator(), key("\"cpu_user_seconds\":"), nullOrNumber() else { return nil }
            guard separator(), key("\"cpu_system_seconds\":"), nullOrNumber() else { return nil }
            guard separator(), key("\"max_rss_kb\":"), null() || integer() != nil else { return nil }
            var timedOut = false
            if !take(0x7D) {
                // The supervisor's and trace context's fields (tlm 0.2 on); the report uses timed_out.
                guard separator(), key("\"timed_out\":") else { return nil }
                if literal("true") {
                    timedOut = true
                } else {
                    guard null() || literal("false") else { return nil }
                }
                guard separator(), key("\"attempts\":"), null() || integer() != nil else { return nil }
                guard separator(), key("\"trace_id\":"), optionalPlainString() != nil else { return nil }
                guard separator(), key("\"span_id\":"), optionalPlainString() != nil else { return nil }
                guard separator(), key("\"parent_span_id\":"), optionalPlainString() != nil else { return nil }
                // Five bytes: too short for `key`'s word-wise compare.
                guard separator(), literal("\"ci\":") else { return nil }
                _ = take(0x20)
                guard optionalPlainString() != nil, take(0x7D) else { return nil }
            }
            guard position == end else { return nil }
            return FastFields(
                timestamp: timestamp, target: target, domain: domain,
                durationSeconds: duration, exitCode: exitCode, command: command, signalled: signal != nil,
                timedOut: timedOut)
        }

        @inline(__always)
        mutating func take(_ byte: UInt8) -> Bool {
            guard position < end, base[position] == byte else { return false }
            position += 1
            return true
        }

        /// `,` and at most one space.
        @inline(__always)
        mutating func separator() -> Bool {
            guard take(0x2C) else { return false }
            _ = take(0x20)
            return true
        }

        /// A quoted key with its colon (at least 8 bytes), byte for byte, then at most one space.
        @inline(__always)
        mutating func key(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard end - position >= count, Self.equal(base + position, literal.utf8Start, count) else { return false }
            position += count
            _ = take(0x20)
            return true
        }

        /// Whether `count` (at least 8) bytes at `a` and `b` are equal: a word at a time, the last
        /// word overlapping the one before. Inline, since a `memcmp` call per key costs more than the compare.
        @inline(__always)
        static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
            let x = UnsafeRawPointer(a)
            let y = UnsafeRawPointer(b)
            var offset = 0
            while offset + 8 < count {
                if x.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    != y.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                {
                    return false
                }
                offset += 8
            }
            return x.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                == y.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        }

        mutating func null() -> Bool {
            guard end - position >= 4, base[position] == 0x6E, base[position + 1] == 0x75,
                base[position + 2] == 0x6C, base[position + 3] == 0x6C
            else { return false }
            position += 4
            return true
        }

        /// `true` or `false` (or any short bare word), byte for byte.
        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard end - position >= count else { return false }
            for k in 0..<count where base[position + k] != word.utf8Start[k] { return false }
            position += count
            return true
        }

        /// The quoted timestamp, in milliseconds since the epoch.
        ///
        /// The usual forms (`YYYY-MM-DDTHH:MM:SS`, then optionally `.` and 1 to 9
        /// digits, then nothing, `Z` or `+00:00`) are read here, the date through the
        /// scanner's cache; any other form is handed to `Timestamp(iso8601Bytes:)`,
        /// the parser `EventParser` uses.
        mutating func timestamp(_ scanner: inout FastLineScanner) -> Int64? {
            let start = position
            if let value = usualTimestamp(&scanner) { return value }
            position = start
            guard let range = plainString(),
                let parsed = Timestamp(
                    iso8601Bytes: UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count))
            else { return nil }
            return parsed.millisecondsSinceEpoch
        }

        private mutating func usualTimestamp(_ scanner: inout FastLineScanner) -> Int64? {
            // `"` + 19 bytes + `"` at least.
            guard end - position >= 21, base[position] == 0x22 else { return nil }
            let p = base + position + 1
            let raw = UnsafeRawPointer(p)
            let head = raw.loadUnaligned(as: UInt64.self)
            let tail = raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
            let days: Int64
            if scanner.hasCachedDate, head == scanner.cachedDateHead, tail == scanner.cachedDateTail {
                days = scanner.cachedDays
            } else {
                guard p[4] == 0x2D, p[7] == 0x2D, let year = digits(p, 4), let month = digits(p + 5, 2),
                    let day = digits(p + 8, 2), month >= 1, month <= 12, day >= 1,
                    day <= CivilCalendar.daysIn(month: month, year: year)
                else { return nil }
                days = CivilCalendar.days(fromCivil: year, month, day)
                scanner.cachedDateHead = head
                scanner.cachedDateTail = tail
                scanner.cachedDays = days
                scanner.hasCachedDate = true
            }
            guard p[10] == 0x54, p[13] == 0x3A, p[16] == 0x3A, let hour = digits(p + 11, 2),
                let minute = digits(p + 14, 2), let second = digits(p + 17, 2), hour <= 23, minute <= 59,
                second <= 60
            else { return nil }
            var index = position + 20
            var millis: Int64 = 0
            if index < end, base[index] == 0x2E {
                index += 1
                var count = 0
                while index < end, isDigit(base[index]) {
                    if count < 3 { millis = millis * 10 + Int64(base[index] - 48) }
                    count += 1
                    index += 1
                }
                guard count > 0, count <= 9 else { return nil }
                for _ in min(count, 3)..<3 { millis *= 10 }
            }
            if index < end, base[index] == 0x5A {  // Z
                index += 1
            } else if end - index >= 6, base[index] == 0x2B, base[index + 1] == 0x30, base[index + 2] == 0x30,
                base[index + 3] == 0x3A, base[index + 4] == 0x30, base[index + 5] == 0x30
            {  // +00:00
                index += 6
            }
            guard index < end, base[index] == 0x22 else { return nil }
            position = index + 1
            return (days * 86_400 + hour * 3600 + minute * 60 + second) * 1000 + millis
        }

        /// `count` ASCII digits at `p` as a number, else nil.
        @inline(__always)
        func digits(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
            var value: Int64 = 0
            for k in 0..<count {
                let digit = p[k] &- 48
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }

        /// A string of printable ASCII without escapes: the range of its content.
        mutating func plainString() -> Range<Int>? {
            guard take(0x22) else { return nil }
            let start = position
            // Eight bytes at a time (SWAR). A flag is raised on each byte that is a quote, a
            // backslash, a control character or non-ASCII; flags may be spurious only above a
            // true one (borrows run upwards), so the lowest flag is exact: if it marks the
            // closing quote the string ends there, else the full parser must decode the string.
            while end - position >= 8 {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
                let ones: UInt64 = 0x0101_0101_0101_0101
                let highs: UInt64 = 0x8080_8080_8080_8080
                let controlOrHigh = (word &- (ones &* 0x20)) | word
                let quote = word ^ (ones &* 0x22)
                let backslash = word ^ (ones &* 0x5C)
                let hasQuote = (quote &- ones) & ~quote
                let hasBackslash = (backslash &- ones) & ~backslash
                let flags = (controlOrHigh | hasQuote | hasBackslash) & highs
                if flags != 0 {
                    position += flags.trailingZeroBitCount / 8
                    guard base[position] == 0x22 else { return nil }
                    position += 1
                    return start..<(position - 1)
                }
                position += 8
            }
            while position < end {
                let c = base[position]
                if c == 0x22 {
                    position += 1
                    return start..<(position - 1)
                }
                // An escape, a control character or non-ASCII: the full parser decodes and validates it.
                if c == 0x5C || c < 0x20 || c >= 0x80 { return nil }
                position += 1
            }
            return nil
        }

        /// `null` → `.some(nil)`; a plain string → its range; else nil.
        mutating func optionalPlainString() -> Range<Int>?? {
            if null() { return .some(nil) }
            guard let range = plainString() else { return nil }
            return .some(range)
        }

        mutating func nullOrNumber() -> Bool {
            null() || unsignedNumber() != nil
        }

        /// `(0|[1-9][0-9]*)(\.[0-9]+)?` with at most 15 significant digits: the
        /// numbers for which `EventParser` uses the exact Clinger fast path, computed the same way.
        mutating func unsignedNumber() -> Double? {
            var mantissa: UInt64 = 0
            var significant = 0
            var exponent = 0
            guard position < end, isDigit(base[position]) else { return nil }
            if base[position] == 0x30 {
                position += 1
            } else {
                while position < end, isDigit(base[position]) {
                    DecimalDigits.accumulate(base[position], &mantissa, &significant, &exponent, fractional: false)
                    position += 1
                }
            }
            if take(0x2E) {
                guard position < end, isDigit(base[position]) else { return nil }
                while position < end, isDigit(base[position]) {
                    DecimalDigits.accumulate(base[position], &mantissa, &significant, &exponent, fractional: true)
                    position += 1
                }
            }
            // An exponent, or a digit after a leading 0: left to the full parser.
            if position < end, base[position] == 0x65 || base[position] == 0x45 || isDigit(base[position]) {
                return nil
            }
            return DecimalDigits.exactValue(mantissa: mantissa, significant: significant, exponent: exponent)
        }

        /// `-?(0|[1-9][0-9]*)` with at most 18 digits, not followed by `.`, `e` or a digit.
        mutating func integer() -> Int? {
            let negative = take(0x2D)
            guard position < end, isDigit(base[position]) else { return nil }
            var value = 0
            var digits = 0
            if base[position] == 0x30 {
                position += 1
            } else {
                while position < end, isDigit(base[position]) {
                    // 18 digits always fit in an Int; longer numbers go to the full parser's overflow checks.
                    digits += 1
                    guard digits <= 18 else { return nil }
                    value = value * 10 + Int(base[position] - 48)
                    position += 1
                }
            }
            if position < end,
                base[position] == 0x2E || base[position] == 0x65 || base[position] == 0x45
                    || isDigit(base[position])
            {
                return nil
            }
            return negative ? -value : value
        }

        @inline(__always)
        func isDigit(_ c: UInt8) -> Bool { c &- 48 < 10 }
    }
}
