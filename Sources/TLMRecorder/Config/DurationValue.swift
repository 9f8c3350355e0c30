/// Durations as `tlm run` and `tlm config` take them: `90` (seconds), `90s`, `1.5s`, `.5`, `500ms`,
/// `10m`, `1h30m`, `2d`, `1e3`: one or more numbers, each with a unit (a lone number
/// is seconds), no minus sign, no blank inside or after. Only zero itself is 0: a
/// positive duration shorter than a nanosecond counts as one.
///
/// Everything GNU `timeout` accepts (its `strtod` and one suffix) is read the same way up
/// to a year: a number may start or end with its point (`.1`, `5.`), carry an exponent
/// (`1e3`, `2.5E-1`) and one leading `+`, after leading blanks (` 5`, which `strtod`
/// skips; a trailing blank is refused there too). Not taken: hexadecimal numbers, `inf`
/// and `nan`, `-0`, and durations over a year (GNU clamps them to forever).
public enum DurationValue {
    /// The accepted forms, for error messages.
    public static let forms = "90, 90s, 1.5s, .5, 500ms, 10m, 1h30m, 2d"

    /// The longest duration accepted: a year, far beyond any build, and far from
    /// overflowing a 64-bit count of nanoseconds.
    public static let maximumNanoseconds: UInt64 = 366 * 86_400 * 1_000_000_000

    /// The longest duration accepted, as a user writes it.
    public static let maximumText = "366d"

    /// Whether `text` is a well-formed duration that is over a year (for an
    /// error message that says so rather than list the forms).
    public static func isOverMaximum(_ text: String) -> Bool {
        guard nanoseconds(text) == nil, let parsed = seconds(text) else { return false }
        return parsed.total * 1e9 > Double(maximumNanoseconds)
    }

    /// The duration in nanoseconds, or nil when `text` is not one (or is over a year).
    public static func nanoseconds(_ text: String) -> UInt64? {
        guard let parsed = seconds(text) else { return nil }
        let nanoseconds = (parsed.total * 1e9).rounded()
        guard nanoseconds.isFinite, nanoseconds <= Double(maximumNanoseconds) else { return nil }
        // A positive duration below the clock's resolution is the shortest one, never 0 ("none").
        if parsed.positive && nanoseconds < 1 { return 1 }
        return UInt64(nanoseconds)
    }

    /// The duration in seconds, unbounded, and whether it is above 0 (`1e-10000`
    /// is, though it reads as 0.0); nil when `text` is not one.
    private static func seconds(_ text: String) -> (total: Double, positive: Bool)? {
        let bytes = Array(text.utf8)
        var index = 0
        // As strtod: leading blanks (C locale isspace), then one optional plus.
        while index < bytes.count, bytes[index] == 32 || (bytes[index] >= 9 && bytes[index] <= 13) { index += 1 }
        if index < bytes.count, bytes[index] == 43 { index += 1 }
        guard index < bytes.count else { return nil }
        func isDigit(_ at: Int) -> Bool { at < bytes.count && bytes[at] >= 48 && bytes[at] <= 57 }
        var total = 0.0
        // Whether a digit other than 0 was seen: `1e-10000` is positive though it reads as 0.0.
        var positive = false
        var parts = 0
        while index < bytes.count {
            // A number: digits with an optional point (at least one digit), then an optional exponent.
            let start = index
            var digits = 0
            while isDigit(index) {
                if bytes[index] != 48 { positive = true }
                index += 1
                digits += 1
            }
            if index < bytes.count, bytes[index] == 46 {
                index += 1
                while isDigit(index) {
                    if bytes[index] != 48 { positive = true }
                    index += 1
                    digits += 1
                }
            }
            guard digits > 0 else { return nil }
            if index < bytes.count, bytes[index] == 101 || bytes[index] == 69 {
                // `e` is an exponent only when digits follow; `1e` alone is an unknown unit.
                var after = index + 1
                if after < bytes.count, bytes[after] == 43 || bytes[after] == 45 { after += 1 }
                if isDigit(after) {
                    index = after
                    while isDigit(index) { index += 1 }
                }
            }
            guard let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)) else { return nil }
            // Its unit.
            let unitStart = index
            while index < bytes.count, bytes[index] >= 97, bytes[index] <= 122 { index += 1 }
            let unit = String(decoding: bytes[unitStart..<index], as: UTF8.self)
            let scale: Double
            switch unit {
            case "": scale = parts == 0 && index == bytes.count ? 1 : .nan  // a lone number only
            case "ms": scale = 0.001
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            case "d": scale = 86_400
            default: return nil
            }
            guard !scale.isNaN else { return nil }
            total += value * scale
            parts += 1
        }
        return (total, positive)
    }

    /// `2.0s`, `1m30s`: how tlm writes a delay in its messages (tenths under a minute).
    public static func text(nanoseconds: UInt64) -> String {
        let tenths = (nanoseconds + 50_000_000) / 100_000_000
        if tenths < 600 { return "\(tenths / 10).\(tenths % 10)s" }
        let seconds = (nanoseconds + 500_000_000) / 1_000_000_000
        if seconds < 3600 { return "\(seconds / 60)m\(pad(seconds % 60))s" }
        // Rounded to the minute, not cut (found by fuzzing: 9090s printed as 2h31m).
        let minutes = (nanoseconds + 30_000_000_000) / 60_000_000_000
        return "\(minutes / 60)h\(pad(minutes % 60))m"
    }

    private static func pad(_ value: UInt64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
