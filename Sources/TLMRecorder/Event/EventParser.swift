import TLMSystem

/// Reads one line of the log back into an `Event`.
///
/// A strict JSON reader (RFC 8259) over the line's bytes, written by hand so
/// that reading needs no Foundation and allocates almost nothing. Accepts
/// anklume's lines (five fields, `domain` null, whole-second durations) and
/// tlm's; unknown fields are skipped whatever their value. Returns nil for a
/// line that is not one JSON object, lacks `timestamp`, `target`,
/// `duration_seconds` or `exit_code`, has a field of the wrong type, holds
/// invalid UTF-8, a timestamp outside years 0000 to 9999 (UTC), or a duration
/// that is negative or above `maximumDurationSeconds`: readers count such
/// lines and go on.
public enum EventParser {
    /// The longest duration a line may hold: 10 years of 365 days (315,360,000 s).
    ///
    /// Far beyond any run, and small enough that every sum, mean and conversion
    /// downstream stays exact and finite: nanoseconds (OTLP) fit in an `Int64`
    /// with centuries to spare, milliseconds of a total of billions of runs too.
    public static let maximumDurationSeconds = 315_360_000.0

    /// Parses one line (without its newline; trailing white space is allowed).
    public static func parse(_ line: UnsafeRawBufferPointer) -> Event? {
        var scanner = JSONScanner(bytes: line)
        return scanner.event()
    }

    /// Parses one line given as a string.
    public static func parse(_ line: String) -> Event? {
        var copy = line
        return copy.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }
}

/// The scanner behind `EventParser`: one pass, no backtracking.
struct JSONScanner {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    private static let maximumDepth = 256

    mutating func event() -> Event? {
        skipSpace()
        guard take(0x7B) else { return nil }  // {
        var timestamp: Timestamp?
        var target: String?
        var domain: String?
        var duration: Double?
        var exitCode: Int?
        var command: String?
        var signal: String?
        var cpuUser: Double?
        var cpuSystem: Double?
        var maxRSS: Int?
        var timedOut: Bool?
        var attempts: Int?
        var traceID: String?
        var spanID: String?
        var parentSpanID: String?
        var ci: String?

        skipSpace()
        if !take(0x7D) {  // }
            while true {
                skipSpace()
                guard let key = keyName() else { return nil }
                skipSpace()
                guard take(0x3A) else { return nil }  // :
                skipSpace()
                switch key {
                case .timestamp:
                    guard let value = withString({ Timestamp(iso8601Bytes: $0) }) ?? nil else { return nil }
                    timestamp = value
                case .target:
                    guard let value = string() else { return nil }
                    target = value
                case .domain:
                    guard let value = optionalString() else { return nil }
                    domain = value
                case .durationSeconds:
                    guard let value = number(), value >= 0, value <= EventParser.maximumDurationSeconds else {
                        return nil
                    }
                    duration = value
                case .exitCode:
                    guard let value = integer() else { return nil }
                    exitCode = value
                case .command:
                    guard let value = optionalString() else { return nil }
                    command = value
                case .signal:
                    guard let value = optionalString() else { return nil }
                    signal = value
                case .cpuUserSeconds:
                    guard let value = optionalNumber() else { return nil }
                    cpuUser = value
                case .cpuSystemSeconds:
                    guard let value = optionalNumber() else { return nil }
                    cpuSystem = value
                case .maxRSSKilobytes:
                    guard let value = optionalInteger() else { return nil }
                    maxRSS = value
                case .timedOut:
                    guard let value = optionalBool() else { return nil }
                    timedOut = value
                case .attempts:
                    guard let value = optionalInteger() else { return nil }
                    attempts = value
                case .traceID:
                    guard let value = optionalString() else { return nil }
                    traceID = value
                case .spanID:
                    guard let value = optionalString() else { return nil }
                    spanID = value
                case .parentSpanID:
                    guard let value = optionalString() else { return nil }
                    parentSpanID = value
                case .ci:
                    guard let value = optionalString() else { return nil }
                    ci = value
                case .other:
                    guard skipValue(depth: 1) else { return nil }
                }
                skipSpace()
                if take(0x2C) { continue }  // ,
                guard take(0x7D) else { return nil }
                break
            }
        }
        skipSpace()
        guard position == bytes.count, let timestamp, let target, let duration, let exitCode else { return nil }
        return Event(
            timestamp: timestamp, target: target, domain: domain, durationSeconds: duration, exitCode: exitCode,
            command: command, signal: signal, cpuUserSeconds: cpuUser, cpuSystemSeconds: cpuSystem,
            maxRSSKilobytes: maxRSS, timedOut: timedOut, attempts: attempts, traceID: traceID, spanID: spanID,
            parentSpanID: parentSpanID, ci: ci)
    }

    enum Key {
        case timestamp, target, domain, durationSeconds, exitCode, command, signal
        case cpuUserSeconds, cpuSystemSeconds, maxRSSKilobytes
        case timedOut, attempts, traceID, spanID, parentSpanID, ci, other
    }

    /// Reads an object key and names it; escaped keys are decoded before matching.
    mutating func keyName() -> Key? {
        withString { Self.key(named: $0) }
    }

    /// The key whose name is `name` (compared byte for byte, without allocating).
    static func key(named name: UnsafeRawBufferPointer) -> Key {
        func equals(_ literal: StaticString) -> Bool {
            literal.utf8CodeUnitCount == name.count && memcmp(name.baseAddress!, literal.utf8Start, name.count) == 0
        }
        switch name.count {
        case 2: return equals("ci") ? .ci : .other
        case 6: return equals("target") ? .target : equals("domain") ? .domain : equals("signal") ? .signal : .other
        case 7: return equals("command") ? .command : equals("span_id") ? .spanID : .other
        case 8: return equals("attempts") ? .attempts : equals("trace_id") ? .traceID : .other
        case 9:
            return equals("timestamp")
                ? .timestamp : equals("exit_code") ? .exitCode : equals("timed_out") ? .timedOut : .other
        case 10: return equals("max_rss_kb") ? .maxRSSKilobytes : .other
        case 16:
            return equals("duration_seconds") ? .durationSeconds : equals("cpu_user_seconds") ? .cpuUserSeconds : .other
        case 14: return equals("parent_span_id") ? .parentSpanID : .other
        case 18: return equals("cpu_system_seconds") ? .cpuSystemSeconds : .other
        default: return .other
        }
    }

    mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    mutating func takeLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        for k in 0..<count where bytes[position + k] != literal.utf8Start[k] { return false }
        position += count
        return true
    }

    // `null` → `.some(nil)`; a value of the type → `.some(value)`; anything else → nil.
    // Three functions rather than one generic: a generic closure here costs a
    // metadata lookup per field in the Swift runtime, on every line read.

    mutating func optionalString() -> String?? {
        if takeLiteral("null") { return .some(nil) }
        guard let value = string() else { return nil }
        return .some(value)
    }

    mutating func optionalNumber() -> Double?? {
        if takeLiteral("null") { return .some(nil) }
        guard let value = number() else { return nil }
        return .some(value)
    }

    mutating func optionalBool() -> Bool?? {
        if takeLiteral("null") { return .some(nil) }
        if takeLiteral("true") { return .some(true) }
        if takeLiteral("false") { return .some(false) }
        return nil
    }

    mutating func optionalInteger() -> Int?? {
        if takeLiteral("null") { return .some(nil) }
        guard let value = integer() else { return nil }
        return .some(value)
    }

    /// A string value, as valid UTF-8.
    mutating func string() -> String? {
        withString { raw -> String? in
            // ASCII is valid UTF-8 as it is, and the usual case: skip the generic
            // validating initializer, whose metadata lookups cost more than the parse.
            if !raw.contains(where: { $0 >= 0x80 }) { return String(decoding: raw, as: UTF8.self) }
            return String(validating: raw, as: UTF8.self)
        } ?? nil
    }

    /// Reads a string and hands its content (escapes decoded) to `body`; nil on a
    /// syntax error. An unescaped string is handed over in place, without a copy.
    mutating func withString<T>(_ body: (UnsafeRawBufferPointer) -> T) -> T? {
        guard position < bytes.count, bytes[position] == 0x22 else { return nil }
        let start = position + 1
        var scan = start
        while scan < bytes.count {
            let c = bytes[scan]
            if c == 0x22 {
                position = scan + 1
                return body(UnsafeRawBufferPointer(rebasing: bytes[start..<scan]))
            }
            if c == 0x5C { break }
            if c < 0x20 { return nil }
            scan += 1
        }
        guard let decoded = stringBytes() else { return nil }
        return decoded.withUnsafeBytes(body)
    }

    /// A string's bytes with escapes decoded; nil on a syntax error.
    mutating func stringBytes() -> [UInt8]? {
        guard take(0x22) else { return nil }
        let start = position
        // Fast path: no escapes.
        while position < bytes.count {
            let c = bytes[position]
            if c == 0x22 {
                let result = [UInt8](bytes[start..<position])
                position += 1
                return result
            }
            if c == 0x5C { break }
            if c < 0x20 { return nil }
            position += 1
        }
        var out = [UInt8](bytes[start..<position])
        while position < bytes.count {
            let c = bytes[position]
            position += 1
            switch c {
            case 0x22: return out
            case 0x5C:
                do throws(JSONEscape.Failure) {
                    try JSONEscape.decode(bytes, at: &position, into: &out)
                } catch {
                    return nil
                }
            default:
                if c < 0x20 { return nil }
                out.append(c)
            }
        }
        return nil
    }

    /// A JSON number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    mutating func number() -> Double? {
        let start = position
        var negative = false
        if take(0x2D) { negative = true }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        guard position < bytes.count, isDigit(bytes[position]) else { return nil }
        if bytes[position] == 0x30 {
            position += 1
        } else {
            while position < bytes.count, isDigit(bytes[position]) {
                DecimalDigits.accumulate(bytes[position], &mantissa, &significant, &exponent, fractional: false)
                position += 1
            }
        }
        if take(0x2E) {
            guard position < bytes.count, isDigit(bytes[position]) else { return nil }
            while position < bytes.count, isDigit(bytes[position]) {
                DecimalDigits.accumulate(bytes[position], &mantissa, &significant, &exponent, fractional: true)
                position += 1
            }
        }
        var hasExponent = false
        if position < bytes.count, bytes[position] == 0x65 || bytes[position] == 0x45 {
            hasExponent = true
            position += 1
            if position < bytes.count, bytes[position] == 0x2B || bytes[position] == 0x2D { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else { return nil }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        // Exact fast path (Clinger): an integer mantissa below 2^53 scaled by a power of ten
        // that is itself exact gives the correctly rounded double with one operation.
        if !hasExponent,
            let value = DecimalDigits.exactValue(mantissa: mantissa, significant: significant, exponent: exponent)
        {
            return negative ? -value : value
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// A number with no fraction and no exponent that fits in an `Int`.
    mutating func integer() -> Int? {
        var negative = false
        if take(0x2D) { negative = true }
        guard position < bytes.count, isDigit(bytes[position]) else { return nil }
        var value = 0
        if bytes[position] == 0x30 {
            position += 1
        } else {
            while position < bytes.count, isDigit(bytes[position]) {
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(Int(bytes[position] - 48))
                guard !o1, !o2 else { return nil }
                value = sum
                position += 1
            }
        }
        // 2.0 is a whole number, but a writer that meant an integer writes 2; refuse the rest.
        if position < bytes.count, bytes[position] == 0x2E || bytes[position] == 0x65 || bytes[position] == 0x45 {
            return nil
        }
        return negative ? -value : value
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    /// Skips any JSON value, to a bounded depth.
    mutating func skipValue(depth: Int) -> Bool {
        guard depth <= Self.maximumDepth, position < bytes.count else { return false }
        switch bytes[position] {
        case 0x22: return withString { _ in true } != nil
        case 0x7B, 0x5B:
            let close: UInt8 = bytes[position] == 0x7B ? 0x7D : 0x5D
            let isObject = close == 0x7D
            position += 1
            skipSpace()
            if take(close) { return true }
            while true {
                skipSpace()
                if isObject {
                    guard withString({ _ in true }) != nil else { return false }
                    skipSpace()
                    guard take(0x3A) else { return false }
                    skipSpace()
                }
                guard skipValue(depth: depth + 1) else { return false }
                skipSpace()
                if take(0x2C) { continue }
                return take(close)
            }
        case 0x74: return takeLiteral("true")
        case 0x66: return takeLiteral("false")
        case 0x6E: return takeLiteral("null")
        default: return number() != nil
        }
    }
}
