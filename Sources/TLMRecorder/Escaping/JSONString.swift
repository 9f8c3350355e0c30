extension Escaping {
    /// Appends `value` as a JSON string literal, escaped as RFC 8259 requires:
    /// `"`, `\` and every control character below U+0020.
    ///
    /// DEL, the C1 controls, the bidi overrides (as `Escaping.terminal` lists
    /// them) and U+2028/U+2029 are written as `\uXXXX` too, which RFC 8259
    /// allows: JSON printed on a terminal (`tlm export json`, `report --format
    /// json`) cannot drive it, and a JavaScript reader sees no line break.
    public static func appendJSONString(_ out: inout String, _ value: String) {
        out += "\""
        // Printable ASCII without a quote or a backslash, nearly every string tlm writes, is
        // appended whole: scalar by scalar costs more than the rest of an event line.
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) {
            out += value
            out += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _
            where scalar.value < 0x20
                || (scalar.value >= 0x7F
                    && (isTerminalControl(scalar) || scalar.value == 0x2028 || scalar.value == 0x2029)):
                out += "\\u" + hexByte(UInt8(scalar.value >> 8)) + hexByte(UInt8(scalar.value & 0xFF))
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// `value` as a JSON string literal, quotes included.
    public static func jsonString(_ value: String) -> String {
        var out = ""
        appendJSONString(&out, value)
        return out
    }

    /// Two lowercase hexadecimal digits.
    static func hexByte(_ byte: UInt8) -> String {
        func digit(_ value: UInt8) -> Unicode.Scalar { Unicode.Scalar(value < 10 ? 0x30 + value : 0x57 + value) }
        var out = ""
        out.unicodeScalars.append(digit(byte >> 4))
        out.unicodeScalars.append(digit(byte & 0x0F))
        return out
    }
}
