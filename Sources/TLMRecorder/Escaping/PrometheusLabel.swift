extension Escaping {
    /// A Prometheus label value (text exposition format 0.0.4), without its
    /// quotes: `\` becomes `\\`, `"` becomes `\"` and LF becomes `\n`, the
    /// only escapes the format has. Every other scalar, CR included, is valid as it is.
    public static func prometheusLabelValue(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return value }
        var out = ""
        out.reserveCapacity(value.utf8.count + 8)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
