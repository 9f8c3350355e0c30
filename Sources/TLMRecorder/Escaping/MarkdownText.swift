extension Escaping {
    /// Text from the data (a target, a domain, a filter) made inert in
    /// GitHub-flavoured Markdown, inline and in a table cell, on one line: it
    /// shows as the text it is, never as markup, a link or a table's column.
    ///
    /// - ASCII punctuation Markdown gives a meaning to gets a backslash, which
    ///   CommonMark allows before any ASCII punctuation: `` \ ` * _ { } [ ] ( )
    ///   # + - . ! | ~ `` and, for GitHub's extensions, `:` and `.` (autolinks
    ///   `http://…` and `www.…`, emoji `:x:`), `@` (mentions, e-mail autolinks)
    ///   and `$` (math); `=`, so that a line of them never underlines a heading.
    ///   An escaped `|` stays inside its table cell.
    /// - `<`, `>` and `&` as HTML entities: GitHub renders inline HTML, and an
    ///   `&` could otherwise start an entity of the data's own.
    /// - Control characters, line breaks included, and bidi overrides, in the
    ///   visible forms of `Escaping.terminal` (`\x0a`, `\u{202e}`): a name cannot
    ///   end a table row or start a block.
    public static func markdown(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\\", "`", "*", "_", "{", "}", "[", "]", "(", ")", "#", "+", "-", ".", "!", "|", "~", ":", "@", "$",
                "=":
                out += "\\"
                out.unicodeScalars.append(scalar)
            case _ where isTerminalControl(scalar):
                out += terminal(String(scalar))
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
