import TLMRecorder
import TLMTestSupport
import Testing

@testable import TLMReport

/// Numbers no conversion can hold, and logs of many targets: refused or bounded, never a trap.
@Suite("hostile numbers and sizes")
struct HostileNumbersTests {
    static func line(_ timestamp: String = "2026-02-14T10:00:00+00:00", target: String = "apply", duration: String)
        -> String
    {
        "{\"timestamp\":\"\(timestamp)\",\"target\":\"\(target)\",\"domain\":null,\"duration_seconds\":\(duration),"
            + "\"exit_code\":0}"
    }

    /// Whether the fast path takes `line`.
    static func fast(_ line: String) -> Bool {
        var copy = line
        var scanner = FastLineScanner()
        return copy.withUTF8 { scanner.scan(UnsafeRawBufferPointer($0)) } != nil
    }

    @Test("durations: negative, above 10 years or huge are refused by both parsers; 10 years is kept")
    func durationLimit() {
        let longest = EventParser.maximumDurationSeconds
        #expect(longest == 315_360_000)
        for text in ["315360000", "315360000.000", "0", "0.001"] {
            #expect(EventParser.parse(Self.line(duration: text)) != nil, "\(text)")
            #expect(Self.fast(Self.line(duration: text)), "\(text)")
        }
        for text in ["315360000.001", "9.2e15", "9200000000000000", "1e19", "9e17", "-1", "1e308"] {
            #expect(EventParser.parse(Self.line(duration: text)) == nil, "\(text)")
            #expect(!Self.fast(Self.line(duration: text)), "\(text)")
        }
    }

    @Test("report on 1e19 and on 11 × 9e17: malformed lines counted, the rest summarized, min ≤ max")
    func hugeDurationsInAReport() {
        let fine = Self.line("2026-02-14T11:00:00+00:00", duration: "2.5")
        let huge = summarize(lines: [Self.line(duration: "1e19"), fine], query())
        #expect(huge.totals.malformedLines == 1)
        #expect(huge.totals.events == 1)
        let many = summarize(lines: Array(repeating: Self.line(duration: "9e17"), count: 11) + [fine], query())
        #expect(many.totals.malformedLines == 11)
        #expect(many.totals.durations?.total == 2.5)

        let longest = String(Int(EventParser.maximumDurationSeconds))
        let edge = summarize(lines: [Self.line(duration: "0.5"), Self.line(duration: longest)], query())
        let durations = try! #require(edge.totals.durations)
        #expect(durations.minimum <= durations.maximum)
        #expect(durations.maximum == EventParser.maximumDurationSeconds)
        #expect(durations.p99 <= durations.maximum && durations.p50 >= durations.minimum)
    }

    @Test("durations and totals of any size print as text and JSON, without trapping")
    func anySizePrints() {
        for value in [0, 0.4, 59.6, 1e9, 9.2e15, 1e19, 1e24, 1e300, .infinity, .nan, -1] {
            _ = NumberText.duration(value)
            _ = NumberText.wholePercent(value)
            _ = NumberText.percent(value)
            _ = NumberText.oneDecimal(value)
            var json = JSONWriter()
            json.seconds("total", value)
            #expect(!json.out.isEmpty)
        }
        #expect(NumberText.duration(1e19).hasSuffix("y"))
        var json = JSONWriter()
        json.seconds(nil, 3.2e16)
        #expect(json.out == "3.2e+16")
    }

    @Test("timestamps: an offset that carries a time out of years 0000–9999 is refused; the rest round-trip")
    func timestampRange() throws {
        #expect(Timestamp(iso8601: "0000-01-01T00:30:00+01:00") == nil)
        #expect(Timestamp(iso8601: "9999-12-31T23:30:00-01:00") == nil)
        for text in [
            "0000-01-01T00:00:00Z", "0000-01-01T01:30:00+01:00", "9999-12-31T23:59:59.999Z",
            "9999-12-31T22:30:00-01:00", "1600-01-01T00:00:00Z", "2300-01-01T00:00:00Z",
        ] {
            let stamp = try #require(Timestamp(iso8601: text), "\(text)")
            #expect(Timestamp(iso8601: stamp.iso8601) == stamp, "\(text) → \(stamp.iso8601)")
        }
        #expect(Timestamp(iso8601: "0000-01-01T00:00:00Z")?.millisecondsSinceEpoch == Timestamp.earliestMilliseconds)
        #expect(
            Timestamp(iso8601: "9999-12-31T23:59:59.999Z")?.millisecondsSinceEpoch == Timestamp.endMilliseconds - 1)
    }

    @Test("what changed honours top: at most top targets kept, the counts cover them all")
    func changesHonourTop() {
        var events: [Event] = []
        for target in 0..<200 {
            for k in 0..<3 {
                events.append(event("t\(target)", at: februaryFourteenth - 10 * day + Int64(k) * hour, duration: 1))
                events.append(event("t\(target)", at: februaryFourteenth - 2 * day + Int64(k) * hour, duration: 4))
            }
        }
        events.append(event("lonely", at: februaryFourteenth - day))
        let summary = summarize(events, query(top: 7))
        #expect(summary.changes.targets.count == 7)
        #expect(summary.changes.targetCount == 201)
        #expect(summary.changes.comparedCount == 200)
        // Ties broken by name, as `String` orders them.
        #expect(summary.changes.targets.map(\.target) == ["t0", "t1", "t10", "t100", "t101", "t102", "t103"])
        let every = summarize(events, query(top: 0))
        #expect(every.changes.targets.count == 201)
    }

    @Test("activity of two runs 9,999 years apart: daily and weekly series stop at their limit, latest kept")
    func activityAcrossMillennia() throws {
        let summary = summarize(
            lines: [
                Self.line("0001-01-01T00:00:00Z", duration: "1"), Self.line("9999-12-31T00:00:00Z", duration: "1"),
            ],
            query())
        #expect(summary.activity.days.count == 2)
        let daily = summary.activity.daily(limit: 121)
        #expect(daily.count == 121)
        #expect(daily.last?.label == "9999-12-31" && daily.last?.runs == 1)
        let weekly = summary.activity.weekly(limit: 520)
        #expect(weekly.count == 520)
        #expect(weekly.last?.runs == 1)
        #expect(weekly.map(\.runs).reduce(0, +) == 1)
        // Within the limit, the whole span as before.
        let short = summarize(
            lines: [
                Self.line("2026-01-01T00:00:00Z", duration: "1"), Self.line("2026-01-10T00:00:00Z", duration: "1"),
            ],
            query())
        #expect(short.activity.daily(limit: 121).count == 10)
        #expect(short.activity.daily(limit: 121) == short.activity.daily())
        #expect(short.activity.weekly(limit: 520) == short.activity.weekly())
    }

    @Test("a sketch of up to 32 values keeps no buckets, the 33rd makes them; merges across the boundary agree")
    func smallSketchesStayCompact() {
        var pair = QuantileSketch()
        pair.add(3)
        pair.add(1)
        #expect(pair.quantile(0.5) == 1 && pair.quantile(1) == 3)
        var small = QuantileSketch()
        for k in 1...QuantileSketch.exactCapacity { small.add(Double(k)) }
        #expect(small.bucketCount == 0)
        var grown = small
        grown.add(33)
        #expect(grown.bucketCount > 0)
        #expect(grown.quantile(1) == 33)
        #expect(abs(grown.quantile(0)! - 1) <= QuantileSketch.relativeAccuracy)

        for (left, right) in [(20, 20), (5, 40), (40, 5), (0, 33), (33, 0), (16, 16), (1, 1), (2, 1), (1, 31), (2, 40)]
        {
            var a = QuantileSketch()
            var b = QuantileSketch()
            var all = QuantileSketch()
            for k in 0..<left {
                a.add(Double(k) * 0.7)
                all.add(Double(k) * 0.7)
            }
            for k in 0..<right {
                b.add(Double(k) * 1.3 + 0.1)
                all.add(Double(k) * 1.3 + 0.1)
            }
            a.merge(b)
            #expect(a.count == all.count)
            #expect((a.bucketCount == 0) == (all.count <= QuantileSketch.exactCapacity))
            for q in [0, 0.25, 0.5, 0.95, 0.99, 1] {
                #expect(a.quantile(q) == all.quantile(q), "\(left)+\(right) at \(q)")
            }
        }
    }

    @Test("threads stop copying per-name state past parallelNameLimit names; the summary is one pass's")
    func manyNamesInParallel() throws {
        let folder = TemporaryFolder()
        var text = ""
        for index in 0..<60_000 {
            text += Self.line(target: "target-\(index)-with-a-longer-name", duration: "1.5") + "\n"
        }
        folder.write("log.jsonl", text)
        let path = folder.path + "/log.jsonl"
        var single = ReportAggregator(query: query(top: 3))
        try single.read(.file(path), chunkCount: 1)
        var parallel = ReportAggregator(query: query(top: 3))
        try parallel.read(.file(path), chunkCount: 4)
        #expect(parallel.summary() == single.summary())
        #expect(parallel.summary().totals.uniqueTargets == 60_000)
        #expect(parallel.chunksLeftByThreads == 3)

        // A log of few names keeps every thread to the end of its chunk.
        var few = ""
        for index in 0..<60_000 { few += Self.line(target: "t\(index % 5)", duration: "1.5") + "\n" }
        folder.write("few.jsonl", few)
        var quiet = ReportAggregator(query: query(top: 3))
        try quiet.read(.file(folder.path + "/few.jsonl"), chunkCount: 4)
        #expect(quiet.chunksLeftByThreads == 0)
        #expect(quiet.summary().totals.events == 60_000)
    }
}
