/// A small streaming JSON writer: the logbook, `status --json` and the report are
/// written with it, and the event line (`EventEncoder`) with its number routine.
///
/// `.compact` writes no white space at all (`{"a":1,"b":[2]}`); `.indented`
/// indents two spaces and puts `": "` after a key, with containers opened as
/// `inline` kept on one line (`{"a": 1, "b": 2}`). A document ends with a newline
/// when its outermost container closes. Strings are escaped by
/// `Escaping.appendJSONString`. No number is ever written as NaN or an infinity,
/// which JSON cannot hold: each number method says what it writes instead.
///
/// The open containers are bits of an integer (at most 64 deep) rather than a
/// stack: the writer allocates nothing but its text.
public struct JSONWriter {
    /// Where white space goes.
    public enum Layout: Sendable {
        /// No white space: one line, as the event log and `status --json` are.
        case compact
        /// Two-space indentation, `": "` after keys, inline containers on one line.
        case indented
    }

    /// The JSON written so far.
    public private(set) var out = ""
    private let layout: Layout
    /// How many containers are open.
    private var depth = 0
    /// Bit `n`: the container at depth `n + 1` has a member already.
    private var hasMember: UInt64 = 0
    /// The depth of the outermost open inline container: it and everything inside it stay on one line.
    private var inlineDepth = Int.max

    /// A writer with room for `capacity` bytes before it grows.
    public init(_ layout: Layout = .indented, capacity: Int = 4096) {
        self.layout = layout
        out.reserveCapacity(capacity)
    }

    /// Opens an object, as the member `key` of the enclosing object (nil: an array's item, or the document).
    public mutating func beginObject(_ key: String? = nil, inline: Bool = false) {
        open(key, "{", inline: inline)
    }

    /// Closes the innermost object.
    public mutating func endObject() { close("}") }

    /// Opens an array, as the member `key` of the enclosing object (nil: an array's item, or the document).
    public mutating func beginArray(_ key: String? = nil, inline: Bool = false) {
        open(key, "[", inline: inline)
    }

    /// Closes the innermost array.
    public mutating func endArray() { close("]") }

    /// `null`.
    public mutating func null(_ key: String?) {
        member(key)
        out += "null"
    }

    /// A string, or `null`.
    public mutating func string(_ key: String?, _ value: String?) {
        member(key)
        if let value { Escaping.appendJSONString(&out, value) } else { out += "null" }
    }

    /// An integer, or `null`.
    public mutating func integer(_ key: String?, _ value: Int?) {
        member(key)
        if let value { out += String(value) } else { out += "null" }
    }

    /// `true`, `false`, or `null`.
    public mutating func bool(_ key: String?, _ value: Bool?) {
        member(key)
        if let value { out += value ? "true" : "false" } else { out += "null" }
    }

    /// An instant in ISO 8601 UTC (`2026-02-14T10:30:00.000+00:00`), or `null`.
    public mutating func timestamp(_ key: String?, _ value: Timestamp?) { string(key, value?.iso8601) }

    /// A duration as the event format writes it: seconds to the millisecond (`45.012`), or
    /// `null` for nil. Always a number otherwise, so that every line keeps its shape: NaN,
    /// the infinities and values beyond ±9e15 s are written as `0.000`.
    public mutating func duration(_ key: String?, _ seconds: Double?) {
        member(key)
        if let seconds { Self.appendMilliseconds(&out, seconds) } else { out += "null" }
    }

    /// A sum or statistic of durations: seconds to the millisecond (`45.012`), or `null` for nil,
    /// NaN and the infinities; a value too large for a count of milliseconds (a sum of many long
    /// runs) as Swift writes a `Double` (`3.2e+16`, valid JSON).
    public mutating func seconds(_ key: String?, _ value: Double?) {
        guard let value, value.isFinite else { return null(key) }
        member(key)
        if abs(value) < 9e12 { Self.appendMilliseconds(&out, value) } else { out += String(value) }
    }

    /// A number with a fixed count of decimals (`0.9000`, `places` from 0 to 15), or `null`
    /// for nil; NaN, the infinities and values too large to round exactly as 0 with those decimals.
    public mutating func decimal(_ key: String?, _ value: Double?, places: Int) {
        member(key)
        if let value { Self.appendFixed(&out, value, places: places) } else { out += "null" }
    }

    /// Seconds rounded to the millisecond (`45.012`): 3 decimals, no exponent; NaN, the
    /// infinities and values beyond ±9e15 s (whose milliseconds do not fit an `Int64`) as `0.000`.
    public static func appendMilliseconds(_ out: inout String, _ seconds: Double) {
        guard seconds.isFinite, abs(seconds) < 9e15 else {
            out += "0.000"
            return
        }
        appendScaled(&out, Int64((seconds * 1000).rounded()), places: 3)
    }

    /// `value` rounded to `places` decimals, written without exponent; NaN, the infinities and
    /// values whose scaled form reaches 9e15 (beyond a `Double`'s exact integers) as 0.
    public static func appendFixed(_ out: inout String, _ value: Double, places: Int) {
        precondition((0...15).contains(places), "JSONWriter: from 0 to 15 decimals")
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        guard value.isFinite, abs(value * scale) < 9e15 else {
            appendScaled(&out, 0, places: places)
            return
        }
        appendScaled(&out, Int64((value * scale).rounded()), places: places)
    }

    /// `value` rounded to `places` decimals (`appendFixed`), as a string.
    public static func fixed(_ value: Double, places: Int) -> String {
        var out = ""
        appendFixed(&out, value, places: places)
        return out
    }

    /// `scaled` / 10^`places`, with exactly `places` decimals.
    private static func appendScaled(_ out: inout String, _ scaled: Int64, places: Int) {
        var unit: UInt64 = 1
        for _ in 0..<places { unit *= 10 }
        let magnitude = scaled.magnitude
        if scaled < 0 { out += "-" }
        out += String(magnitude / unit)
        guard places > 0 else { return }
        out += "."
        let fraction = String(magnitude % unit)
        for _ in fraction.utf8.count..<places { out += "0" }
        out += fraction
    }

    private mutating func open(_ key: String?, _ bracket: String, inline: Bool) {
        precondition(depth < 64, "JSONWriter: containers nested more than 64 deep")
        member(key)
        out += bracket
        depth += 1
        hasMember &= ~(1 << (depth - 1))
        if inline && depth < inlineDepth { inlineDepth = depth }
    }

    private mutating func close(_ bracket: String) {
        let closing = depth
        let hadMember = hasMember & (1 << (closing - 1)) != 0
        depth -= 1
        if layout == .indented && hadMember && closing < inlineDepth { newline() }
        if closing == inlineDepth { inlineDepth = .max }
        out += bracket
        if depth == 0 { out += "\n" }
    }

    private mutating func member(_ key: String?) {
        if depth > 0 {
            let bit: UInt64 = 1 << (depth - 1)
            let first = hasMember & bit == 0
            hasMember |= bit
            switch layout {
            case .compact:
                if !first { out += "," }
            case .indented:
                if depth >= inlineDepth {
                    if !first { out += ", " }
                } else {
                    if !first { out += "," }
                    newline()
                }
            }
        }
        if let key {
            Escaping.appendJSONString(&out, key)
            out += layout == .compact ? ":" : ": "
        }
    }

    private mutating func newline() {
        out += "\n"
        for _ in 0..<depth { out += "  " }
    }
}
