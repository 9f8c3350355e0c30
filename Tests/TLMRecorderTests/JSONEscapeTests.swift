import Testing

@testable import TLMRecorder

@Suite("JSONEscape: the one decoder of string escapes, for config.json and the log")
struct JSONEscapeTests {
    /// The string `body` (between quotes) as the config parser reads it, and as the log reader reads it.
    static func read(_ body: String) -> (config: String?, log: String?) {
        var config: String?
        if case .string(let text) = try? JSONParser.parse(Array("\"\(body)\"".utf8)) { config = text }
        let line = #"{"timestamp":"2026-02-14T10:30:00Z","target":""# + body + #"","duration_seconds":1,"exit_code":0}"#
        return (config, EventParser.parse(line)?.target)
    }

    @Test(
        "both readers decode the same escapes",
        arguments: [
            (#"a\"b"#, "a\"b"), (#"\\\/"#, "\\/"), (#"\b\f\n\r\t"#, "\u{8}\u{C}\n\r\t"),
            (#"\u00e9\u00E9"#, "éé"), (#"\ud83d\ude00"#, "😀"), (#"\uD83D\uDE00x"#, "😀x"), (#"\u0000"#, "\u{0}"),
            (#"\u2028"#, "\u{2028}"), ("plain é", "plain é"),
        ])
    func decodes(body: String, text: String) {
        let read = Self.read(body)
        #expect(read.config == text)
        #expect(read.log == text)
    }

    @Test(
        "both readers refuse the same escapes",
        arguments: [
            #"\q"#, #"\u12"#, #"\u12G4"#, #"\ud800"#, #"\ud800x"#, #"\ud800\u0041"#, #"\udc00"#, #"\ud800\n"#,
            #"\U00e9"#, #"\x41"#, #"\"#,
        ])
    func refuses(body: String) {
        let read = Self.read(body)
        #expect(read.config == nil)
        #expect(read.log == nil)
    }

    @Test(
        "the config parser's errors keep their message and column",
        arguments: [
            (#""\u12G4""#, 6, "four hex digits were expected after \\u"),
            (#""\u12"#, 4, "four hex digits were expected after \\u"),
            (#""\ud800\u0041""#, 14, "a lone surrogate in \\u escape"),
            (#""\udc00""#, 8, "a lone surrogate in \\u escape"),
            (#""ab\x""#, 4, "an unknown escape in a string"),
            (#""ab\"#, 5, "the string is not closed"),
        ] as [(String, Int, String)])
    func configErrors(text: String, column: Int, message: String) {
        #expect(throws: JSONSyntaxError(line: 1, column: column, message: message)) {
            try JSONParser.parse(Array(text.utf8))
        }
    }
}
