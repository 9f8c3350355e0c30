extension Escaping {
    /// Text for HTML and XML, in content and in attribute values: `&`, `<`,
    /// `>`, `"` and `'` as entities. Scalars XML 1.0 does not allow (control
    /// characters other than TAB, LF and CR; U+FFFE, U+FFFF) are dropped, so
    /// that the page stays well-formed.
    public static func markup(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
