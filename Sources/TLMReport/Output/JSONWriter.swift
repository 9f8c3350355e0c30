import TLMRecorder

/// A small streaming JSON writer: objects and arrays, indented two spaces, with
/// leaf objects optionally kept on one line. Strings are escaped by
/// `Escaping.appendJSONString`, numbers are written by the caller.
struct JSONWriter {
    private(set) var out = ""
    /// Per open container: whether it has a member yet, and whether it is on one line.
    private var stack: [(hasMember: Bool, inline: Bool)] = []

    init() {
        out.reserveCapacity(4096)
    }

    mutating func beginObject(_ key: String? = nil, inline: Bool = false) {
        open(key, "{", inline: inline)
    }

    mutating func endObject() { close("}") }

    mutating func beginArray(_ key: String? = nil, inline: Bool = false) {
        open(key, "[", inline: inline)
    }

    mutating func endArray() { close("]") }

    /// A member whose value is already JSON text (a number, `true`, `null`).
    mutating func raw(_ key: String?, _ value: String) {
        member(key)
        out += value
    }

    mutating func string(_ key: String?, _ value: String?) {
        member(key)
        if let value { Escaping.appendJSONString(&out, value) } else { out += "null" }
    }

    mutating func integer(_ key: String?, _ value: Int) { raw(key, String(value)) }

    mutating func bool(_ key: String?, _ value: Bool) { raw(key, value ? "true" : "false") }

    /// Seconds to the millisecond (`45.012`), or `null`; a value too large for a count of
    /// milliseconds (a sum of many long runs) as Swift writes a `Double` (`3.2e+16`, valid JSON).
    mutating func seconds(_ key: String?, _ value: Double?) {
        guard let value, value.isFinite else { return raw(key, "null") }
        raw(key, abs(value) < 9e12 ? EventEncoder.milliseconds(value) : String(value))
    }

    /// A number with a fixed count of decimals (`0.9000`), or `null`.
    mutating func decimal(_ key: String?, _ value: Double?, places: Int) {
        raw(key, value.map { Self.fixed($0, places: places) } ?? "null")
    }

    mutating func timestamp(_ key: String?, _ value: Timestamp?) { string(key, value?.iso8601) }

    /// `value` rounded to `places` decimals, written without exponent; non-finite values as 0.
    static func fixed(_ value: Double, places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        guard value.isFinite, abs(value * scale) < 9e15 else { return places == 0 ? "0" : "0." + zeros(places) }
        let scaled = Int64((value * scale).rounded())
        let magnitude = scaled.magnitude
        let unit = UInt64(scale)
        let sign = scaled < 0 ? "-" : ""
        guard places > 0 else { return sign + String(magnitude) }
        let fraction = String(magnitude % unit)
        return sign + String(magnitude / unit) + "." + zeros(places - fraction.count) + fraction
    }

    private static func zeros(_ count: Int) -> String { String(repeating: "0", count: max(count, 0)) }

    private mutating func open(_ key: String?, _ bracket: String, inline: Bool) {
        member(key)
        out += bracket
        // Everything inside a one-line container stays on that line.
        stack.append((false, inline || (stack.last?.inline ?? false)))
    }

    private mutating func close(_ bracket: String) {
        let top = stack.removeLast()
        if top.hasMember && !top.inline { newline() }
        out += bracket
        if stack.isEmpty { out += "\n" }
    }

    private mutating func member(_ key: String?) {
        if let last = stack.last {
            if last.hasMember { out += last.inline ? ", " : "," }
            stack[stack.count - 1].hasMember = true
            if !last.inline { newline() }
        }
        if let key {
            Escaping.appendJSONString(&out, key)
            out += ": "
        }
    }

    private mutating func newline() {
        out += "\n"
        out += String(repeating: "  ", count: stack.count)
    }
}
