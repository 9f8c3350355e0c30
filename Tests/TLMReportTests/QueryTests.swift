import TLMRecorder
import Testing

@testable import TLMReport

@Suite("Parsing the report's options")
struct QueryTests {
    let now = Timestamp(millisecondsSinceEpoch: februaryFourteenth)

    @Test(
        "ages count back from now",
        arguments: [
            ("90s", 90_000), ("30m", 1_800_000), ("12h", 43_200_000), ("7d", 604_800_000), ("2w", 1_209_600_000),
            ("0d", 0),
        ] as [(String, Int64)])
    func ages(text: String, milliseconds: Int64) throws {
        #expect(try ReportQuery.parseSince(text, now: now).millisecondsSinceEpoch == februaryFourteenth - milliseconds)
        #expect(try ReportQuery.parseUntil(text, now: now).millisecondsSinceEpoch == februaryFourteenth - milliseconds)
    }

    @Test("a date is UTC midnight for --since, and includes the whole day for --until")
    func dates() throws {
        let midnight = try ReportQuery.parseSince("2026-01-01", now: now)
        #expect(midnight.iso8601 == "2026-01-01T00:00:00.000+00:00")
        #expect(try ReportQuery.parseUntil("2026-01-31", now: now).iso8601 == "2026-02-01T00:00:00.000+00:00")
    }

    @Test(
        "full ISO 8601 date-times",
        arguments: [
            ("2026-01-01T10:00:00Z", "2026-01-01T10:00:00.000+00:00"),
            ("2026-01-01T10:00:00+00:00", "2026-01-01T10:00:00.000+00:00"),
            ("2026-01-01T10:00:00.250+00:00", "2026-01-01T10:00:00.250+00:00"),
            ("2026-01-01T12:00:00+02:00", "2026-01-01T10:00:00.000+00:00"),
            ("2026-01-01T10:00:00.123456Z", "2026-01-01T10:00:00.123+00:00"),
        ])
    func dateTimes(text: String, expected: String) throws {
        #expect(try ReportQuery.parseSince(text, now: now).iso8601 == expected)
        #expect(try ReportQuery.parseUntil(text, now: now).iso8601 == expected)
    }

    @Test(
        "anything else is a usage error naming the accepted forms",
        arguments: [
            "", "7", "d", "7x", "-7d", "7.5d", "1 d", "2026-13-01", "2026-02-30", "yesterday", "99999999999w",
            "205000412h",  // found by fuzzing: year -21361
        ])
    func badTimes(text: String) {
        #expect(throws: ReportError.invalidTime(option: "--since", value: text)) {
            try ReportQuery.parseSince(text, now: now)
        }
        let error = ReportError.invalidTime(option: "--until", value: text)
        #expect(error.isUsageError)
        #expect(
            error.description
                == "--until '\(text)' is not a time: use an age (90s, 30m, 12h, 7d, 2w), a date (2026-01-01) "
                + "or a date-time (2026-01-01T10:00:00Z)")
    }

    @Test("groupings by name; an unknown one lists them all")
    func groupings() throws {
        for grouping in ReportGrouping.allCases {
            #expect(try ReportGrouping(parsing: grouping.rawValue) == grouping)
        }
        #expect(throws: ReportError.invalidGrouping("month")) { try ReportGrouping(parsing: "month") }
        #expect(
            ReportError.invalidGrouping("Target").description
                == "--by 'Target' is not a grouping: use target, domain, command, day or week")
        #expect(ReportQuery().grouping == .target && ReportQuery().top == 15)
    }

    @Test("--top takes a whole number, 0 for every group")
    func top() throws {
        #expect(try ReportQuery.parseTop("0") == 0)
        #expect(try ReportQuery.parseTop("25") == 25)
        for bad in ["", "-1", "1.5", "ten", "1234567890", " 3"] {
            #expect(throws: ReportError.invalidTop(bad)) { try ReportQuery.parseTop(bad) }
        }
        #expect(
            ReportError.invalidTop("x").description == "--top 'x' is not a count: use a whole number, 0 for every group"
        )
    }

    @Test("since must come before until")
    func emptyRange() throws {
        let since = Timestamp(millisecondsSinceEpoch: februaryFourteenth)
        let bad = ReportQuery(since: since, until: since, now: now)
        #expect(throws: ReportError.emptyRange(since: since, until: since)) { try bad.validated() }
        #expect(throws: ReportError.self) { try Report.summarize(bad, sources: []) }
        #expect(
            ReportError.emptyRange(since: since, until: since).description
                == "--since (2026-02-14T10:30:00.000+00:00) must be before --until (2026-02-14T10:30:00.000+00:00)")
        let good = ReportQuery(since: since, until: Timestamp(millisecondsSinceEpoch: februaryFourteenth + 1), now: now)
        #expect(try good.validated() == good)
    }

    @Test("file errors are run-time failures, not usage errors, and read as sentences")
    func fileErrors() {
        let missing = ReportError.cannotRead(path: "/no/such", errno: 2)
        #expect(!missing.isUsageError)
        #expect(missing.description == "cannot read /no/such: no such file or directory")
        #expect(ReportError.notARegularFile(path: "/x").description == "cannot use /x: not a regular file")
    }
}
