import TLMRecorder
import TLMReport
import TLMSystem

/// The probing half of `TerminalStyle`: the library draws for a style it is
/// given; the command line asks the terminal and the environment.
extension TerminalStyle {
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
}
