extension Escaping {
    /// Appends `value` as a JSON string literal, escaped as RFC 8259 requires:
    /// `"`, `\` and every control character below U+0020.
    public static func appendJSONString(_ out: inout String, _ value: String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u00" + hexByte(UInt8(scalar.value))
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
