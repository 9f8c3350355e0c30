import Glibc
import TLMExport
import TLMRecorder
import TLMTestSupport
import Testing

/// Events OTLP cannot hold (before 1970, from 2262 on): skipped with a count, never a trap, never a stuck queue.
@Suite("OTLP: events it cannot express")
struct InexpressibleEventsTests {
    static func line(_ timestamp: String, _ target: String, duration: String = "1.0") -> String {
        "{\"timestamp\":\"\(timestamp)\",\"target\":\"\(target)\",\"domain\":null,\"duration_seconds\":\(duration),"
            + "\"exit_code\":0}\n"
    }

    static func event(_ timestamp: String, duration: Double = 1) -> Event {
        Event(
            timestamp: Timestamp(iso8601: timestamp)!, target: "t", domain: nil, durationSeconds: duration,
            exitCode: 0)
    }

    @Test("span times: checked conversions at both ends of what nanoseconds in an Int64 hold")
    func spanTimes() throws {
        #expect(OTLPTraces.spanTimes(of: Self.event("1600-01-01T00:00:00Z")) == nil)
        #expect(OTLPTraces.spanTimes(of: Self.event("1969-12-31T23:59:59.999Z")) == nil)
        #expect(OTLPTraces.spanTimes(of: Self.event("2300-01-01T00:00:00Z")) == nil)
        #expect(OTLPTraces.spanTimes(of: Self.event("9999-12-31T23:59:59Z")) == nil)
        // The start fits, the end would not.
        #expect(OTLPTraces.spanTimes(of: Self.event("2262-04-11T23:47:16Z", duration: 1)) == nil)
        #expect(OTLPTraces.spanTimes(of: Self.event("2026-01-01T00:00:00Z", duration: 1e19)) == nil)
        let epoch = try #require(OTLPTraces.spanTimes(of: Self.event("1970-01-01T00:00:00Z", duration: 1.5)))
        #expect(epoch.start == 0 && epoch.end == 1_500_000_000)
        let longest = try #require(
            OTLPTraces.spanTimes(
                of: Self.event("2026-01-01T00:00:00Z", duration: EventParser.maximumDurationSeconds)))
        #expect(longest.end - longest.start == 315_360_000_000_000_000)
        // A request never holds such an event, even handed one directly.
        let traces = OTLPTraces(resource: .init(serviceName: "tlm", serviceVersion: "0"))
        let body = traces.request([
            PendingEvent(event: Self.event("1600-01-01T00:00:00Z"), lineHash: (1, 2)),
            PendingEvent(event: Self.event("2026-01-01T00:00:00Z"), lineHash: (3, 4)),
        ])
        #expect(body.ranges(of: "\"startTimeUnixNano\"").count == 1)
    }

    @Test("the queue skips refused events with a count and its cursor moves past trailing ones")
    func queueSkips() throws {
        let folder = TemporaryFolder()
        let home = TelemetryHome(folder: folder.path)
        folder.write(
            "usage.jsonl",
            Self.line("1600-01-01T00:00:00+00:00", "old") + Self.line("2026-02-14T10:00:00+00:00", "now")
                + Self.line("2300-01-01T00:00:00+00:00", "late") + "garbage\n")
        let pending = try PendingEvents(home: home, cursor: nil)
        var batches: [[String]] = []
        var last: ExportCursor?
        try pending.forEachBatch(size: 1, exportedBefore: 0, accept: OTLPTraces.canExpress) { events, next in
            batches.append(events.map(\.event.target))
            last = next
            return true
        }
        #expect(batches == [["now"], []])
        #expect(pending.refusedEvents == 2)
        #expect(pending.malformedLines == 1)
        let cursor = try #require(last)
        #expect(cursor.exported == 1)
        var info = stat()
        #expect(stat(home.logPath, &info) == 0)
        #expect(cursor.offset == Int64(info.st_size))

        let again = try PendingEvents(home: home, cursor: cursor)
        var calls = 0
        try again.forEachBatch(size: 1, exportedBefore: 1, accept: OTLPTraces.canExpress) { _, _ in
            calls += 1
            return true
        }
        #expect(calls == 0)
        #expect(again.refusedEvents == 0 && again.malformedLines == 0)
    }
}
