// libFuzzer targets for every parser that reads outside input. Built and run by
// Tests/Fuzz/run.sh (swiftc -sanitize=fuzzer,address), one binary, the target
// chosen by TLM_FUZZ_TARGET. Each target checks a property, not only "no crash":
//
//   event        the fast path (report) and the full parser (EventParser) agree
//                on every line the fast path accepts; a parsed event re-encodes
//                to a line that parses to the same event
//   config       config.json: JSONParser either parses or names a line and column
//                inside the text; every member a key accepts re-encodes and parses back
//   traceparent  a header accepted is lowercase W3C (55 bytes, non-zero ids) and
//                the child context continues its trace
//   duration     a duration accepted prints (as in messages) as a duration that parses
//                back to it, within half the unit printed
//   since        --since / --until and ISO 8601 instants: a parsed instant prints
//                as a timestamp that parses back to itself
//   naming       argv → target and domain: always a plain word (or the program's
//                base name), never a path, and never a word that is not in argv
//   report       arbitrary bytes as a log, through the aggregator, its JSON and CSV and
//                the OTLP encoder: never traps; every line is an event or malformed;
//                min ≤ p50 ≤ max; at most top groups and changes; a span ends after it starts
import TLMExport
import TLMRecorder

@testable import TLMReport

#if canImport(Glibc)
    import Glibc
#endif

nonisolated(unsafe) var selected: String? = nil
nonisolated(unsafe) var scanner = FastLineScanner()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    if selected == nil { selected = getenv("TLM_FUZZ_TARGET").map { String(cString: $0) } ?? "event" }
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    switch selected! {
    case "event": event(bytes)
    case "config": config(bytes)
    case "traceparent": traceparent(bytes)
    case "duration": duration(bytes)
    case "since": since(bytes)
    case "naming": naming(bytes)
    case "report": report(bytes)
    default: fatalError("unknown TLM_FUZZ_TARGET \(selected!)")
    }
    return 0
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("property failed: \(message())") }
}

func text(_ bytes: UnsafeRawBufferPointer) -> String { String(decoding: bytes, as: UTF8.self) }

func event(_ bytes: UnsafeRawBufferPointer) {
    let full = EventParser.parse(bytes)
    if let fields = scanner.scan(bytes) {
        guard let full else { fatalError("fast path accepted what the full parser refuses: \(text(bytes))") }
        check(fields.timestamp == full.timestamp.millisecondsSinceEpoch, "timestamp")
        check(text(UnsafeRawBufferPointer(rebasing: bytes[fields.target])) == full.target, "target")
        check(fields.domain.map { text(UnsafeRawBufferPointer(rebasing: bytes[$0])) } == full.domain, "domain")
        check(fields.durationSeconds.bitPattern == full.durationSeconds.bitPattern, "duration")
        check(fields.exitCode == full.exitCode, "exit code")
        check(fields.command.map { text(UnsafeRawBufferPointer(rebasing: bytes[$0])) } == full.command, "command")
        check(fields.signalled == (full.signal != nil), "signal")
        check(fields.timedOut == (full.timedOut == true), "timed out")
    }
    if let full {
        // What tlm writes back (tlm export json) reads as the same event, to the millisecond.
        let line = EventEncoder.line(full)
        let again = Array(line.utf8.dropLast()).withUnsafeBytes { EventParser.parse($0) }
        guard let again else { fatalError("re-encoded event does not parse: \(line)") }
        check(again.target == full.target && again.domain == full.domain && again.exitCode == full.exitCode, line)
        check(again.timestamp == full.timestamp, "timestamp round trip: \(line)")
    }
}

func config(_ bytes: UnsafeRawBufferPointer) {
    let array = Array(bytes)
    do {
        let value = try JSONParser.parse(array)
        guard case .object(let members) = value else { return }
        for (key, member) in members {
            guard let configKey = ConfigKey.named(key), let parsed = configKey.parse(json: member) else { continue }
            let encoded = parsed.json
            let back = try? JSONParser.parse(Array(encoded.utf8))
            check(back.flatMap { configKey.parse(json: $0) } == parsed, "config value round trip: \(encoded)")
        }
    } catch {
        let lines = array.split(separator: 0x0A, omittingEmptySubsequences: false).count
        check(error.line >= 1 && error.line <= lines, "error line \(error.line) of \(lines)")
        check(error.column >= 1, "error column \(error.column)")
    }
}

func traceparent(_ bytes: UnsafeRawBufferPointer) {
    let header = text(bytes)
    guard let parent = TraceParent(header: header) else { return }
    check(parent.traceID.utf8.count == 32 && parent.parentID.utf8.count == 16, header)
    check(parent.traceID.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }, header)
    check(parent.traceID.contains { $0 != "0" } && parent.parentID.contains { $0 != "0" }, header)
    let context = TraceContext.start(traceparent: header)
    check(context.traceID == parent.traceID && context.parentSpanID == parent.parentID, header)
    check(TraceParent(header: context.childTraceparent)?.traceID == parent.traceID, context.childTraceparent)
}

func duration(_ bytes: UnsafeRawBufferPointer) {
    guard let nanoseconds = DurationValue.nanoseconds(text(bytes)) else { return }
    let printed = DurationValue.text(nanoseconds: nanoseconds)
    guard let again = DurationValue.nanoseconds(printed) else { fatalError("\(printed) does not parse") }
    // Messages round: tenths of a second under a minute, seconds under an hour, minutes beyond.
    let unit: UInt64 =
        nanoseconds < 59_950_000_000 ? 100_000_000 : nanoseconds < 3_599_500_000_000 ? 1_000_000_000 : 60_000_000_000
    check(again > nanoseconds ? again - nanoseconds <= unit / 2 : nanoseconds - again <= unit / 2, printed)
}

func since(_ bytes: UnsafeRawBufferPointer) {
    let input = text(bytes)
    let now = Timestamp(millisecondsSinceEpoch: 1_771_065_000_123)
    for parsed in [try? ReportQuery.parseSince(input, now: now), try? ReportQuery.parseUntil(input, now: now)] {
        guard let parsed else { continue }
        check(Timestamp(iso8601: parsed.iso8601) == parsed, "\(input) → \(parsed.iso8601)")
    }
    if let instant = Timestamp(iso8601: input) {
        check(Timestamp(iso8601: instant.iso8601) == instant, "\(input) → \(instant.iso8601)")
    }
}

func naming(_ bytes: UnsafeRawBufferPointer) {
    // argv: the input split at NUL bytes (the program first).
    let arguments = Array(bytes).split(separator: 0, omittingEmptySubsequences: false).map {
        String(decoding: $0, as: UTF8.self)
    }
    guard let program = arguments.first, !program.isEmpty else { return }
    let naming = CommandNaming(domainKey: "G")
    let target = naming.target(arguments)
    let base = CommandNaming.commandName(program)
    check(
        target == base || (PlainWord.isPlain(target) && arguments.dropFirst().contains { $0.contains(target) }),
        "target \(target) of \(arguments)")
    check(!target.contains("/") || target == base, "a path as target: \(target)")
    if let domain = naming.domain(arguments) {
        check(PlainWord.isPlain(domain) && arguments.contains("G=" + domain), "domain \(domain) of \(arguments)")
    }
}

func report(_ bytes: UnsafeRawBufferPointer) {
    // The first byte picks the grouping and top, so that every path gets inputs.
    guard let head = bytes.first else { return }
    let groupings: [ReportGrouping] = [.target, .domain, .command, .day, .week]
    let top = Int(head >> 3) % 4
    let query = ReportQuery(
        grouping: groupings[Int(head) % groupings.count], top: top,
        now: Timestamp(millisecondsSinceEpoch: 1_771_065_000_123))
    var aggregator = ReportAggregator(query: query)
    let log = UnsafeRawBufferPointer(rebasing: bytes.dropFirst())
    var lines = 0
    var events: [PendingEvent] = []
    for line in log.split(separator: 0x0A, omittingEmptySubsequences: false) {
        let raw = UnsafeRawBufferPointer(rebasing: line)
        if raw.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) { lines += 1 }
        aggregator.add(line: raw)
        if let event = EventParser.parse(raw) { events.append(PendingEvent(event: event, lineHash: (1, 2))) }
    }
    let summary = aggregator.summary()
    check(summary.totals.eventsRead + summary.totals.malformedLines == lines, "events + malformed != lines")
    for durations in [summary.totals.durations].compactMap({ $0 }) + summary.groups.map(\.durations) {
        check(durations.minimum <= durations.p50 && durations.p50 <= durations.maximum, "min ≤ p50 ≤ max")
        check(durations.total.isFinite && durations.mean.isFinite, "finite total and mean")
    }
    if top > 0 {
        check(summary.groups.count <= top && summary.changes.targets.count <= top, "more than top shown")
    }
    _ = ReportJSON.encode(summary)
    _ = ReportCSV.encode(summary)
    for pending in events {
        guard let times = OTLPTraces.spanTimes(of: pending.event) else { continue }
        check(times.start >= 0 && times.end >= times.start, "span times")
    }
    _ = OTLPTraces(resource: .init(serviceName: "tlm", serviceVersion: "0")).request(events)
}
