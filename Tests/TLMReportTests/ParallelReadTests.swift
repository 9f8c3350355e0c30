import TLMRecorder
import TLMSystem
import TLMTestSupport
import Testing

@testable import TLMReport

@Suite("Reading a large file in chunks on several threads")
struct ParallelReadTests {
    /// A log of varied events, malformed lines and lines over 1 MiB. Durations are multiples
    /// of 1/8 so that their sums are exact in any order and summaries can be compared with ==.
    static func log() -> [UInt8] {
        var random = SeededGenerator(seed: 11)
        let targets = ["apply", "sync", "a-target-name-longer-than-16", "lint", "é"]
        var bytes: [UInt8] = []
        for index in 0..<20_000 {
            if index % 997 == 0 {
                bytes += Array("{\"broken\n".utf8)
                continue
            }
            if index % 4999 == 0 {
                bytes += [UInt8](repeating: 0x7B, count: (1 << 20) + 100) + [0x0A]
                continue
            }
            let event = Event(
                timestamp: Timestamp(
                    millisecondsSinceEpoch: februaryFourteenth - 20 * day + Int64(index) * 90_000
                        + Int64.random(in: -hour...hour, using: &random)),
                target: targets[Int.random(in: 0..<targets.count, using: &random)],
                domain: Bool.random(using: &random) ? nil : "web",
                durationSeconds: Double(Int.random(in: 0...8000, using: &random)) / 8,
                exitCode: Int.random(in: 0..<10, using: &random) == 0 ? 1 : 0,
                command: index % 3 == 0 ? nil : "make", signal: index % 50 == 0 ? "SIGINT" : nil)
            var line = EventEncoder.line(event)
            if index % 2 == 0 { line = line.replacingOccurrences(of: "\",\"", with: "\", \"") }
            bytes += Array(line.utf8)
        }
        bytes += Array("{\"timestamp\":\"2026-02".utf8)  // a truncated last line
        return bytes
    }

    @Test("any number of chunks gives the summary of one pass", arguments: ReportGrouping.allCases)
    func sameSummary(grouping: ReportGrouping) throws {
        let tmp = TemporaryFolder()
        tmp.write("log.jsonl", Self.log())
        let path = tmp.path + "/log.jsonl"
        let query = query(grouping: grouping, top: 0)
        var single = ReportAggregator(query: query)
        try single.read(.file(path), chunkCount: 1)
        let expected = single.summary()
        #expect(expected.totals.eventsRead > 19_000)
        // 21 broken lines (every 997th, from 0), 4 oversized (every 4999th but 0), the truncated last line.
        #expect(expected.totals.malformedLines == 21 + 4 + 1)
        #expect(expected.changes.targets.count == 5)
        for chunks in [2, 3, 4, 7, 64] {
            var parallel = ReportAggregator(query: query)
            try parallel.read(.file(path), chunkCount: chunks)
            #expect(parallel.summary() == expected, "\(chunks) chunks")
        }
        // And a pass through LineReader, as for standard input.
        var streamed = ReportAggregator(query: query)
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var oversized = 0
        _ = LineReader().forEachLine(in: fd, { streamed.add(line: $0) }, oversized: { oversized += 1 })
        var viaLineReader = streamed.summary()
        viaLineReader.totals.malformedLines += oversized
        viaLineReader.sources = expected.sources
        #expect(viaLineReader == expected)
    }

    @Test("chunks start on line boundaries and cover the file")
    func boundaries() {
        let tmp = TemporaryFolder()
        let text = "aaaa\nbb\n\ncccccccccc\nd\nlast without newline"
        tmp.write("f", text)
        let fd = open(tmp.path + "/f", O_RDONLY)
        defer { close(fd) }
        let size = Int64(text.utf8.count)
        let bytes = Array(text.utf8)
        for count in 1...12 {
            let ranges = FileChunks.split(fd: fd, size: size, count: count)
            #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == size)
            for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
            for range in ranges where range.lowerBound > 0 { #expect(bytes[Int(range.lowerBound) - 1] == 0x0A) }
            var lines: [String] = []
            for range in ranges {
                _ = LineReader().forEachLine(
                    in: fd, range: range, { lines.append(String(decoding: $0, as: UTF8.self)) }, oversized: {})
            }
            #expect(lines == text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        }
        tmp.write("one", "no newline at all")
        let single = open(tmp.path + "/one", O_RDONLY)
        defer { close(single) }
        #expect(FileChunks.split(fd: single, size: 17, count: 4) == [0..<17])
        #expect(FileChunks.split(fd: single, size: 0, count: 4) == [0..<0])
    }
}

@Suite("Interning names")
struct NameTableTests {
    @Test("the same bytes always get the same id, different bytes different ids")
    func interning() {
        var table = NameTable()
        var names: [String] = ["", "a", "apply", "exactly-16-bytes", "exactly-16-bytez", "seventeen-bytes-1", "é😀"]
        names += (0..<3000).map { "name-\($0)" }
        names += (0..<50).map { "a-shared-prefix-of-more-than-16-bytes-\($0)" }
        let ids = names.map { table.intern($0) }
        #expect(Set(ids).count == names.count && table.count == names.count)
        #expect(names.map { table.intern($0) } == ids)
        for (name, id) in zip(names, ids) { #expect(table.name(id) == name) }
        // From inside a longer buffer, read as words (16 readable bytes) or byte by byte: same ids.
        for (name, id) in zip(names, ids) {
            let padded = Array(name.utf8) + Array("\",\"domain\":null".utf8)
            padded.withUnsafeBytes { raw in
                let slice = UnsafeRawBufferPointer(rebasing: raw[0..<name.utf8.count])
                #expect(table.intern(slice, readable: raw.count) == id)
                #expect(table.intern(slice, readable: slice.count) == id)
            }
        }
    }
}
