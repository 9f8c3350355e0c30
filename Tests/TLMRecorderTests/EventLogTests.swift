import Glibc
import TLMTestSupport
import Testing

@testable import TLMRecorder

@Suite("The event log on disk")
struct EventLogTests {
    func event(_ target: String, _ ms: Int64 = 1_771_065_000_000) -> Event {
        Event(timestamp: Timestamp(millisecondsSinceEpoch: ms), target: target, durationSeconds: 1, exitCode: 0)
    }

    @Test("append creates the folders 0700 and the log 0600, and reads back in order")
    func appendAndRead() throws {
        let tmp = TemporaryFolder()
        let home = TelemetryHome(folder: tmp.path + "/a/b/tlm")
        let log = EventLog(home: home)
        try log.append(event("one", 2000))
        try log.append(event("two", 1000))
        #expect(tmp.mode("a/b/tlm") == 0o700)
        #expect(tmp.mode("a/b") == 0o700)
        #expect(tmp.mode("a/b/tlm/usage.jsonl") == 0o600)
        var targets: [String] = []
        let summary = try log.forEachEvent { targets.append($0.target) }
        #expect(targets == ["one", "two"])
        #expect(summary.events == 2 && summary.malformedLines == 0)
        #expect(summary.firstEvent?.millisecondsSinceEpoch == 1000)
        #expect(summary.lastEvent?.millisecondsSinceEpoch == 2000)
    }

    @Test("a missing log reads as empty")
    func missing() throws {
        let tmp = TemporaryFolder()
        let summary = try EventLog(home: TelemetryHome(folder: tmp.path + "/none")).forEachEvent { _ in }
        #expect(summary == LogSummary())
    }

    @Test("malformed lines are skipped and counted; blank lines are not lines")
    func malformed() throws {
        let tmp = TemporaryFolder()
        let good = EventEncoder.line(event("ok"))
        tmp.write(
            "usage.jsonl",
            Array((good + "garbage\n\n   \n" + good + "{\"half\":").utf8) + [0xFF, 0x0A] + Array(good.utf8))
        var count = 0
        let summary = try EventLog(home: TelemetryHome(folder: tmp.path)).forEachEvent { _ in count += 1 }
        #expect(count == 3)
        #expect(summary.events == 3)
        #expect(summary.malformedLines == 2)
    }

    @Test("an append after a torn last line starts a new line, and every good event stays readable")
    func tornLine() throws {
        let tmp = TemporaryFolder()
        let good = EventEncoder.line(event("before"))
        tmp.write("usage.jsonl", Array((good + #"{"timestamp":"2026-02-14T1"#).utf8))
        let log = EventLog(home: TelemetryHome(folder: tmp.path))
        try log.append(event("after"))
        var targets: [String] = []
        let summary = try log.forEachEvent { targets.append($0.target) }
        #expect(targets == ["before", "after"])
        #expect(summary.malformedLines == 1)
    }

    @Test("the log is never followed through a symbolic link")
    func noFollow() throws {
        let tmp = TemporaryFolder()
        tmp.write("elsewhere", [])
        symlink(tmp.path + "/elsewhere", tmp.path + "/usage.jsonl")
        #expect(throws: RecorderError.unsafe(path: tmp.path + "/usage.jsonl", reason: "it is a symbolic link")) {
            try EventLog(home: TelemetryHome(folder: tmp.path)).append(event("x"))
        }
        #expect(tmp.text("elsewhere") == "")
    }

    @Test("a folder that cannot be made is a clear error")
    func cannotCreate() {
        let tmp = TemporaryFolder()
        tmp.write("file", [])
        #expect(throws: RecorderError.cannotCreateFolder(path: tmp.path + "/file/tlm", errno: ENOTDIR)) {
            try EventLog(home: TelemetryHome(folder: tmp.path + "/file/tlm")).append(event("x"))
        }
    }

    @Test("the recorder writes only with consent, and only plain words")
    func recorder() throws {
        let tmp = TemporaryFolder()
        let off = Recorder(environment: Environment(["TLM_HOME": tmp.path]))
        #expect(try off.record(target: "sync", durationSeconds: 1.5, exitCode: 0) == false)
        #expect(tmp.text("usage.jsonl") == nil)
        let on = Recorder(environment: Environment(["TLM_HOME": tmp.path, "TLM_TELEMETRY": "1"]))
        #expect(try on.record(target: "sync", domain: "web", durationSeconds: 1.5, exitCode: 0) == true)
        #expect(throws: RecorderError.notAPlainWord(field: "target", value: "/etc")) {
            try on.record(target: "/etc", durationSeconds: 1, exitCode: 0)
        }
        let (events, summary) = try on.events()
        #expect(events.map(\.target) == ["sync"] && events.first?.domain == "web")
        #expect(summary.events == 1)
    }

    @Test("clear removes the log, rotated logs and marker, and nothing else")
    func removeAll() throws {
        let tmp = TemporaryFolder()
        let home = TelemetryHome(folder: tmp.path)
        try home.createMarker()
        for name in ["usage.jsonl", "usage.jsonl.1", "usage.jsonl.12", "usage.jsonl.x", "notes.txt"] {
            tmp.write(name, [1])
        }
        let removed = try home.removeAll()
        #expect(removed == ["usage.jsonl", "usage.jsonl.1", "usage.jsonl.12", "enabled"].map { tmp.path + "/" + $0 })
        #expect(home.filesWritten().isEmpty)
        #expect(tmp.text("notes.txt") == "\u{01}")
    }
}

@Suite("Reading lines in bounded memory")
struct LineReaderTests {
    func lines(of text: [UInt8], maximum: Int) -> (lines: [String], oversized: Int) {
        let folder = TemporaryFolder()
        folder.write("input", text)
        let fd = open(folder.path + "/input", O_RDONLY)
        defer { close(fd) }
        var out: [String] = []
        var oversized = 0
        _ = LineReader(maximumLineLength: maximum).forEachLine(
            in: fd, { out.append(String(decoding: $0, as: UTF8.self)) }, oversized: { oversized += 1 })
        return (out, oversized)
    }

    @Test("lines across buffer boundaries, a last line without newline, long lines skipped")
    func boundaries() {
        let text =
            "a\nbb\n" + String(repeating: "x", count: 40) + "\nccc\n\n" + String(repeating: "y", count: 15) + "\nlast"
        let result = lines(of: Array(text.utf8), maximum: 16)
        #expect(result.lines == ["a", "bb", "ccc", "", String(repeating: "y", count: 15), "last"])
        #expect(result.oversized == 1)
    }

    @Test("a big input arrives whole, line for line")
    func big() {
        var text = ""
        for i in 0..<50_000 { text += "line \(i)\n" }
        let result = lines(of: Array(text.utf8), maximum: 1 << 12)
        #expect(result.lines.count == 50_000)
        #expect(result.lines.last == "line 49999")
    }
}
