import TLMRecorder

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How the text report may draw: how wide, in colour or not, with Unicode
/// block characters or plain ASCII.
struct TerminalStyle: Sendable, Equatable {
    /// Columns available; at least 40.
    var width: Int
    /// ANSI colours: only on a terminal, never with `NO_COLOR` or `TERM=dumb`.
    var colour: Bool
    /// Unicode blocks and sparklines; off with `--ascii` or a locale that is not UTF-8.
    var unicode: Bool

    static let plain = TerminalStyle(width: 80, colour: false, unicode: false)

    /// The style for standard output, from the terminal and the environment.
    static func detect(_ environment: Environment, forceASCII: Bool) -> TerminalStyle {
        let isTerminal = isatty(1) == 1
        var width = 80
        if let columns = environment["COLUMNS"].flatMap({ Int($0) }), columns > 0 {
            width = columns
        } else if isTerminal {
            var size = winsize()
            if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { width = Int(size.ws_col) }
        }
        let noColour = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let dumb = environment["TERM"] == "dumb"
        return TerminalStyle(
            width: min(max(width, 40), 200),
            colour: isTerminal && !noColour && !dumb,
            unicode: !forceASCII && localeIsUTF8(environment))
    }

    /// Whether the character locale is UTF-8: the first of LC_ALL, LC_CTYPE, LANG
    /// that is set decides, as setlocale(3) would.
    static func localeIsUTF8(_ environment: Environment) -> Bool {
        for name in ["LC_ALL", "LC_CTYPE", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            let lower = value.lowercased()
            return lower.contains("utf-8") || lower.contains("utf8")
        }
        return false
    }

    // ANSI SGR sequences, applied only in colour.
    func bold(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { colour ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    func red(_ text: String) -> String { colour ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
    func green(_ text: String) -> String { colour ? "\u{1B}[32m\(text)\u{1B}[0m" : text }
    func yellow(_ text: String) -> String { colour ? "\u{1B}[33m\(text)\u{1B}[0m" : text }
    func cyan(_ text: String) -> String { colour ? "\u{1B}[36m\(text)\u{1B}[0m" : text }
}
