/// Short human forms of the report's numbers (durations, rates, counts), as
/// the text and HTML reports and the "what changed" sentences write them.
public enum NumberText {
    /// `0ms`, `850ms`, `1.2s`, `41s`, `1m27s`, `2h03m`, `3d04h`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        // Beyond 31 million years (a sum of many long runs), in years: an `Int` of seconds could overflow.
        if seconds >= 1e15 { return seconds < 1e25 ? "\(Int((seconds / 31_536_000).rounded()))y" : "-" }
        if seconds < 1 {
            let milliseconds = Int((seconds * 1000).rounded())
            if milliseconds < 1000 { return "\(milliseconds)ms" }
        }
        if seconds < 9.95 {
            let tenths = Int((seconds * 10).rounded())
            return tenths % 10 == 0 ? "\(tenths / 10)s" : "\(tenths / 10).\(tenths % 10)s"
        }
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m\(two(total % 60))s" }
        if total < 86400 { return "\(total / 3600)h\(two(total % 3600 / 60))m" }
        return "\(total / 86400)d\(two(total % 86400 / 3600))h"
    }

    /// A percentage with one decimal: `0.975` → `97.5%` (the report's success rates).
    public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite, abs(fraction) < 1e15 else { return "-" }
        let tenths = Int((fraction * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// A whole percentage: `0.354` → `35%` (the failure rates of "what changed").
    public static func wholePercent(_ fraction: Double) -> String {
        guard fraction.isFinite, abs(fraction) < 1e15 else { return "-" }
        return "\(Int((fraction * 100).rounded()))%"
    }

    /// A number with one decimal: `2.14` → `2.1`.
    public static func oneDecimal(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return "-" }
        let tenths = Int((value * 10).rounded())
        return (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }

    /// A count with thousands separators: `1,234,567`.
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
