/// Decodes the escapes of a JSON string (RFC 8259 §7): the one decoder behind
/// both JSON readers, `JSONParser` (config files) and `EventParser` (the log).
enum JSONEscape {
    /// Why an escape was refused.
    enum Failure: Error {
        /// The text ends after the backslash.
        case unclosed
        /// A backslash before a character other than `"\/bfnrtu`.
        case unknown
        /// `\u` not followed by four hexadecimal digits.
        case hexDigits
        /// A high surrogate without an escaped low one after it, or a low one alone.
        case loneSurrogate
    }

    /// Decodes the escape that follows a backslash: `position` is just past the backslash.
    /// Appends the escaped character's UTF-8 to `out` and moves `position` past the escape;
    /// on failure, `position` is where the escape went wrong (past the escaped character for
    /// `.unknown`, at the offending digit for `.hexDigits`).
    static func decode<Bytes: RandomAccessCollection<UInt8>>(
        _ bytes: Bytes, at position: inout Int, into out: inout [UInt8]
    ) throws(Failure) where Bytes.Index == Int {
        guard position < bytes.endIndex else { throw .unclosed }
        let escape = bytes[position]
        position += 1
        switch escape {
        case 0x22, 0x5C, 0x2F: out.append(escape)
        case 0x62: out.append(0x08)
        case 0x66: out.append(0x0C)
        case 0x6E: out.append(0x0A)
        case 0x72: out.append(0x0D)
        case 0x74: out.append(0x09)
        case 0x75:
            var scalar = try hex4(bytes, at: &position)
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low one.
                guard position + 1 < bytes.endIndex, bytes[position] == 0x5C, bytes[position + 1] == 0x75 else {
                    throw .loneSurrogate
                }
                position += 2
                let low = try hex4(bytes, at: &position)
                guard (0xDC00..<0xE000).contains(low) else { throw .loneSurrogate }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw .loneSurrogate
            }
            // Below 0x110000 and not a surrogate: always a scalar.
            out.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
        default: throw .unknown
        }
    }

    /// Four hexadecimal digits, either case.
    private static func hex4<Bytes: RandomAccessCollection<UInt8>>(
        _ bytes: Bytes, at position: inout Int
    ) throws(Failure) -> UInt32 where Bytes.Index == Int {
        guard position + 4 <= bytes.endIndex else { throw .hexDigits }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[position]
            let digit: UInt32
            switch c {
            case 0x30...0x39: digit = UInt32(c - 0x30)
            case 0x61...0x66: digit = UInt32(c - 0x61 + 10)
            case 0x41...0x46: digit = UInt32(c - 0x41 + 10)
            default: throw .hexDigits
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }
}
