/// How the text report may draw: how wide, in colour or not, with Unicode
/// block characters or plain ASCII.
///
/// A value the caller fills in: the command line probes the terminal and the
/// environment (`isatty`, `COLUMNS`, `NO_COLOR`, the locale, `--ascii`), so that
/// the renderers stay pure functions of a summary and a style.
public struct TerminalStyle: Sendable, Equatable {
    /// Columns available; at least 40.
    public var width: Int
    /// ANSI colours: only on a terminal, never with `NO_COLOR` or `TERM=dumb`.
    public var colour: Bool
    /// Unicode blocks and sparklines; off with `--ascii` or a locale that is not UTF-8.
    public var unicode: Bool

    /// A style of `width` columns, in colour or not, in Unicode or ASCII.
    public init(width: Int, colour: Bool, unicode: Bool) {
        self.width = width
        self.colour = colour
        self.unicode = unicode
    }

    /// 80 columns, no colour, ASCII: what a file or a pipe gets.
    public static let plain = TerminalStyle(width: 80, colour: false, unicode: false)

    // ANSI SGR sequences, applied only in colour.
    /// `text` in bold, in colour only.
    public func bold(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    /// `text` dimmed, in colour only.
    public func dim(_ text: String) -> String { colour ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    /// `text` in red, in colour only.
    public func red(_ text: String) -> String { colour ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
    /// `text` in green, in colour only.
    public func green(_ text: String) -> String { colour ? "\u{1B}[32m\(text)\u{1B}[0m" : text }
    /// `text` in yellow, in colour only.
    public func yellow(_ text: String) -> String { colour ? "\u{1B}[33m\(text)\u{1B}[0m" : text }
    /// `text` in cyan, in colour only.
    public func cyan(_ text: String) -> String { colour ? "\u{1B}[36m\(text)\u{1B}[0m" : text }
}
