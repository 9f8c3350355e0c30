import TLMRecorder
import Testing

/// The escaping layer, case by case: the strings that a `Character`-based
/// escaper let through (a quote or a newline inside a grapheme cluster).
@Suite("escaping")
struct EscapingTests {
    @Test("shell words: a quote followed by a combining mark is still escaped")
    func shellQuoteWithCombiningMark() {
        #expect(Escaping.shellSingleQuoted("x'\u{301};y") == "'x'\\''\u{301};y'")
        #expect(Escaping.fishSingleQuoted("x'\u{301}\\\u{301}") == "'x\\'\u{301}\\\\\u{301}'")
        #expect(Escaping.shellSingleQuoted("") == "''")
    }

    @Test("Prometheus label values: quotes and LF inside grapheme clusters are escaped, CR kept")
    func prometheusLabelInsideClusters() {
        #expect(Escaping.prometheusLabelValue("\"\u{301}") == "\\\"\u{301}")
        #expect(Escaping.prometheusLabelValue("a\r\nb") == "a\r\\nb")
        #expect(Escaping.prometheusLabelValue("\u{600}\"") == "\u{600}\\\"")
        #expect(Escaping.prometheusLabelValue("a\\b") == "a\\\\b")
    }

    @Test("CSV: formulas guarded with a leading quote inside a quoted field; RFC 4180 quoting per scalar")
    func csvFormulaGuard() {
        #expect(Escaping.csvField("plain") == "plain")
        #expect(Escaping.csvField("-x") == "\"'-x\"")
        #expect(Escaping.csvField("=1+1") == "\"'=1+1\"")
        #expect(Escaping.csvField("+1") == "\"'+1\"")
        #expect(Escaping.csvField("@sum(A1)") == "\"'@sum(A1)\"")
        #expect(Escaping.csvField("\tx") == "\"'\tx\"")
        #expect(Escaping.csvField("\rx") == "\"'\rx\"")
        #expect(Escaping.csvField("a\r\nb") == "\"a\r\nb\"")
        #expect(Escaping.csvField("\"\u{301}") == "\"\"\"\u{301}\"")
        #expect(Escaping.csvField("x-y") == "x-y")
    }

    @Test("JSON strings: quotes and controls inside clusters escaped; the parser reads them back")
    func jsonStringRoundTrip() throws {
        for text in ["\"\u{301}", "a\r\nb", "\u{1B}]52;c;x\u{7}", "\\\u{301}", "\u{600}\""] {
            let literal = Escaping.jsonString(text)
            #expect(try JSONParser.parse(Array(literal.utf8)) == .string(text))
        }
        #expect(Escaping.jsonString("\u{1B}") == "\"\\u001b\"")
        // Valid JSON that a terminal cannot act on, and that JavaScript reads without a line break.
        #expect(
            Escaping.jsonString("\u{7F}\u{9B}\u{202E}\u{2028}\u{2029}é") == "\"\\u007f\\u009b\\u202e\\u2028\\u2029é\"")
        for text in ["\u{7F}\u{9B}31m", "\u{202E}evil\u{2066}", "a\u{2028}b\u{2029}"] {
            #expect(try JSONParser.parse(Array(Escaping.jsonString(text).utf8)) == .string(text))
        }
    }

    @Test("markup: the five characters as entities, XML's forbidden scalars dropped")
    func markupEntities() {
        #expect(Escaping.markup("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(Escaping.markup("\"\u{301}\u{1B}\u{FFFE}\t") == "&quot;\u{301}\t")
    }

    @Test("terminal: C0, DEL, C1 and bidi controls shown; other text, backslashes included, as it is")
    func terminalControlsShown() {
        #expect(Escaping.terminal("a\u{1B}]52;c;SGVsbG8=\u{7}b") == "a\\x1b]52;c;SGVsbG8=\\x07b")
        #expect(
            Escaping.terminal("x\u{7F}\u{9B}31m\u{202E}y\u{2066}\n\t")
                == "x\\x7f\\u{9b}31m\\u{202e}y\\u{2066}\\x0a\\x09")
        #expect(Escaping.terminal("é \\ 日本 e\u{301}") == "é \\ 日本 e\u{301}")
    }

    @Test("Markdown: punctuation escaped, <, > and & as entities, controls shown, autolinks and cells broken")
    func markdownInert() {
        #expect(Escaping.markdown("deploy") == "deploy")
        #expect(Escaping.markdown("a|b") == #"a\|b"#)
        #expect(Escaping.markdown("<script>&") == "&lt;script&gt;&amp;")
        #expect(Escaping.markdown("[x](http://e)") == #"\[x\]\(http\://e\)"#)
        #expect(Escaping.markdown("www.example.com") == #"www\.example\.com"#)
        #expect(Escaping.markdown("*_`~#!+-.{}") == ##"\*\_\`\~\#\!\+\-\.\{\}"##)
        #expect(Escaping.markdown(":x: @me $1$ ===") == #"\:x\: \@me \$1\$ \=\=\="#)
        // A backslash of the data's own is escaped too: it cannot escape the escape of a `|`.
        #expect(Escaping.markdown(#"\|"#) == #"\\\|"#)
        // One line, whatever the data: line breaks, ESC, C1 and bidi controls in visible forms.
        #expect(Escaping.markdown("a\nb\r\u{1B}[31m\u{9B}\u{202E}") == #"a\x0ab\x0d\x1b\[31m\u{9b}\u{202e}"#)
        // Per scalar: a `|` or `<` under a combining mark (one Character) is still escaped.
        #expect(Escaping.markdown("|\u{301}<\u{301}") == "\\|\u{301}&lt;\u{301}")
        #expect(Escaping.markdown("é 日本 🙂") == "é 日本 🙂")
    }
}
