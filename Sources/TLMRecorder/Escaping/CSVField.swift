extension Escaping {
    /// A CSV field (RFC 4180) for text that comes from the data (a target, a
    /// command, an id), guarded against spreadsheet formulas.
    ///
    /// - A field that starts with `=`, `+`, `-`, `@`, TAB or CR gets a `'` first
    ///   (OWASP's advice), so that no spreadsheet reads it as a formula, and is
    ///   quoted.
    /// - A field holding a comma, a double quote, CR or LF is quoted; quotes are doubled.
    ///
    /// Numbers tlm writes itself (counts, exit codes, seconds) are not text from
    /// the data and are written as they are: `-1` stays a number.
    public static func csvField(_ value: String) -> String {
        let guarded: Bool
        switch value.utf8.first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: guarded = true
        default: guarded = false
        }
        let needsQuotes =
            guarded || value.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D })
        guard needsQuotes else { return value }
        var out = guarded ? "\"'" : "\""
        out.reserveCapacity(value.utf8.count + 4)
        for scalar in value.unicodeScalars {
            if scalar == "\"" { out += "\"\"" } else { out.unicodeScalars.append(scalar) }
        }
        return out + "\""
    }
}
