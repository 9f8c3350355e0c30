import Testing

@testable import TLMRecorder

@Suite("JSONWriter: the one writer behind the logbook, status and report JSON")
struct JSONWriterTests {
    @Test("compact: no white space, nested objects and arrays, a newline after the document")
    func compact() {
        var json = JSONWriter(.compact)
        json.beginObject()
        json.bool("on", true)
        json.string("name", "apply")
        json.beginObject("settings")
        json.beginObject("wrap")
        json.string("value", nil)
        json.string("source", "default")
        json.endObject()
        json.beginObject("empty")
        json.endObject()
        json.endObject()
        json.beginArray("problems")
        json.string(nil, "a")
        json.beginArray()
        json.integer(nil, 1)
        json.null(nil)
        json.endArray()
        json.endArray()
        json.beginArray("none")
        json.endArray()
        json.endObject()
        #expect(
            json.out
                == #"{"on":true,"name":"apply","settings":{"wrap":{"value":null,"source":"default"},"empty":{}},"#
                + #""problems":["a",[1,null]],"none":[]}"# + "\n")
    }

    @Test("indented: two spaces, inline containers on one line with everything inside them")
    func indented() {
        var json = JSONWriter()
        json.beginObject()
        json.integer("schema_version", 1)
        json.beginObject("summary", inline: true)
        json.string("status", "success")
        json.beginArray("tags")
        json.string(nil, "x")
        json.beginObject()
        json.bool("deep", false)
        json.endObject()
        json.endArray()
        json.endObject()
        json.beginArray("attempts")
        for number in 1...2 {
            json.beginObject(inline: true)
            json.integer("number", number)
            json.bool("timed_out", nil)
            json.endObject()
        }
        json.endArray()
        json.beginArray("empty")
        json.endArray()
        json.beginObject("nested")
        json.beginObject("inner")
        json.integer("n", 3)
        json.endObject()
        json.endObject()
        json.endObject()
        #expect(
            json.out == """
                {
                  "schema_version": 1,
                  "summary": {"status": "success", "tags": ["x", {"deep": false}]},
                  "attempts": [
                    {"number": 1, "timed_out": null},
                    {"number": 2, "timed_out": null}
                  ],
                  "empty": [],
                  "nested": {
                    "inner": {
                      "n": 3
                    }
                  }
                }

                """)
    }

    @Test("every control character is escaped, in keys and values, as RFC 8259 requires")
    func controls() {
        for value in UInt32(0)..<0x20 {
            let scalar = Unicode.Scalar(value)!
            let expected: String
            switch scalar {
            case "\n": expected = #"\n"#
            case "\r": expected = #"\r"#
            case "\t": expected = #"\t"#
            default:
                let hex = String(value, radix: 16)
                expected = #"\u"# + String(repeating: "0", count: 4 - hex.count) + hex
            }
            var json = JSONWriter(.compact)
            json.beginObject()
            json.string("k" + String(scalar), "a" + String(scalar) + "b")
            json.endObject()
            #expect(json.out == "{\"k\(expected)\":\"a\(expected)b\"}\n", "U+\(value)")
        }
    }

    @Test("quotes, backslashes, DEL, C1, bidi controls and U+2028/2029 escaped; plain text as it is")
    func escapes() {
        var json = JSONWriter(.compact)
        json.beginArray()
        for text in ["a\"b", "\\", "x\u{7F}", "\u{9B}31m", "\u{202E}evil", "a\u{2028}b\u{2029}", "é😀", "plain"] {
            json.string(nil, text)
        }
        json.endArray()
        #expect(
            json.out
                == #"["a\"b","\\","x\u007f","\u009b31m","\u202eevil","a\u2028b\u2029","é😀","plain"]"# + "\n")
    }

    @Test("NaN and the infinities are never written: 0 in fixed point, null for statistics")
    func nonFinite() {
        for value in [Double.nan, .infinity, -.infinity, .signalingNaN] {
            var json = JSONWriter(.compact)
            json.beginObject()
            json.duration("d", value)
            json.seconds("s", value)
            json.decimal("r", value, places: 4)
            json.decimal("n", value, places: 0)
            json.endObject()
            #expect(json.out == #"{"d":0.000,"s":null,"r":0.0000,"n":0}"# + "\n")
        }
    }

    @Test(
        "numbers at their edges",
        arguments: [
            (0.0, "0.000", "0.000", "0.0000"),
            (-0.0004, "0.000", "0.000", "-0.0004"),
            (-1.25, "-1.250", "-1.250", "-1.2500"),
            (0.0005, "0.001", "0.001", "0.0005"),
            (8_999_999_999_999.5, "8999999999999.500", "8999999999999.500", "0.0000"),
            (9e12, "9000000000000.000", "9000000000000.0", "0.0000"),
            (8.9e15, "8900000000000000.000", "8900000000000000.0", "0.0000"),
            (9e15, "0.000", "9000000000000000.0", "0.0000"), (1e16, "0.000", "1e+16", "0.0000"),
            (-9e15, "0.000", "-9000000000000000.0", "0.0000"),
            (899_999_999_999.0, "899999999999.000", "899999999999.000", "899999999999.0000"),
        ] as [(Double, String, String, String)])
    func edges(value: Double, duration: String, seconds: String, decimal: String) {
        var json = JSONWriter(.compact)
        json.beginArray()
        json.duration(nil, value)
        json.seconds(nil, value)
        json.decimal(nil, value, places: 4)
        json.endArray()
        #expect(json.out == "[\(duration),\(seconds),\(decimal)]\n")
    }

    @Test("integers to their limits, booleans, null, timestamps")
    func scalars() {
        var json = JSONWriter(.compact)
        json.beginArray()
        json.integer(nil, Int.max)
        json.integer(nil, Int.min)
        json.integer(nil, nil)
        json.bool(nil, true)
        json.bool(nil, false)
        json.timestamp(nil, Timestamp(millisecondsSinceEpoch: 1_771_065_000_000))
        json.timestamp(nil, nil)
        json.endArray()
        #expect(
            json.out
                == "[9223372036854775807,-9223372036854775808,null,true,false,"
                + "\"2026-02-14T10:30:00.000+00:00\",null]\n")
    }

    @Test("what the writer writes, the config parser reads back")
    func readsBack() throws {
        var json = JSONWriter()
        json.beginObject()
        json.string("text", "a\"\\\u{0}\u{1F}\u{7F}\u{2028}é😀")
        json.beginArray("list", inline: true)
        json.duration(nil, 1.5)
        json.bool(nil, true)
        json.endArray()
        json.endObject()
        #expect(
            try JSONParser.parse(Array(json.out.utf8))
                == .object([
                    ("text", .string("a\"\\\u{0}\u{1F}\u{7F}\u{2028}é😀")),
                    ("list", .array([.number("1.500", 1.5), .bool(true)])),
                ]))
    }
}
