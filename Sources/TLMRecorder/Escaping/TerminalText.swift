extension Escaping {
    /// Text from the data (a target, a program name, a collector's answer) made
    /// safe to print on a terminal, on one line: every control character is
    /// shown instead of acted on, so that a log or a server cannot move the
    /// cursor, retitle the window or write the clipboard (OSC 52).
    ///
    /// - C0 controls (TAB and LF included) and DEL: `\x1b`, `\x0a`, `\x7f`;
    /// - C1 controls U+0080–U+009F, which some terminals obey like `ESC` +
    ///   a letter: `\u{9b}`;
    /// - bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069),
    ///   which reorder what follows on the line: `\u{202e}`.
    ///
    /// Everything else, backslashes included, is printed as it is.
    public static func terminal(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isTerminalControl) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if !isTerminalControl(scalar) {
                out.unicodeScalars.append(scalar)
            } else if scalar.value < 0x80 {
                out += "\\x" + hexByte(UInt8(scalar.value))
            } else {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        return out
    }

    /// Whether a terminal would act on `scalar` instead of showing it.
    static func isTerminalControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
