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
//                base name), never a path, and never a word that is not in argv;
//                an operand only of a program that reads a target (make, git…),
//                the built-in list edited by the input's own target_programs
//   json         Escaping.jsonString: JSONParser reads the literal back as the input,
//                and no control (C0, DEL, C1, bidi, U+2028/9) is left raw
//   csv          Escaping.csvField: an RFC 4180 reader reads the field back as the
//                input ('-prefixed when it starts like a formula), on one record
//   prometheus   Escaping.prometheusLabelValue: no raw LF or unescaped `"`, and the
//                format's unescaping gives the input back
//   markup       Escaping.markup: no raw < > " ' or bare &, and decoding the
//                entities gives the input back, less the scalars XML forbids
//   markdown     Escaping.markdown: no unescaped `|`, no `<`, no raw control or line
//                break; undoing the escapes gives the input, controls in visible forms
//   shellword    Escaping.shellSingleQuoted and fishSingleQuoted: each shell's
//                quoting rules read the word back as the input
//   terminal     Escaping.terminal: no control a terminal acts on; every other
//                scalar kept in order, each control shown as \x.. or \u{..}
//   report       arbitrary bytes as a log, through the aggregator, its JSON, CSV and Markdown and
//                the OTLP encoder: never traps; every line is an event or malformed;
//                min ≤ p50 ≤ max; at most top groups and changes; a span ends after it starts
//   protobuf     a collector's answer decodes or fails cleanly; every expressible event is
//                one span of a binary ExportTraceServiceRequest in which every field is one
//                the .proto files declare there, with its wire type, and every string UTF-8
import TLMExport
import TLMRecorder
import TLMSystem

@testable import TLMReport

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
    case "json": json(text(bytes))
    case "csv": csv(text(bytes))
    case "prometheus": prometheus(text(bytes))
    case "markup": markup(text(bytes))
    case "markdown": markdown(text(bytes))
    case "shellword": shellword(text(bytes))
    case "terminal": terminal(text(bytes))
    case "report": report(bytes)
    case "protobuf": protobuf(bytes)
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
    // The last argument, when it is a valid target_programs value, edits the list.
    let edits =
        arguments.count > 1 && CommandNaming.isProgramEditList(arguments[arguments.count - 1])
        ? arguments[arguments.count - 1].split(separator: ",").map(String.init) : []
    let naming = CommandNaming(domainKey: "G", programEdits: edits)
    let target = naming.target(arguments)
    let base = CommandNaming.commandName(program)
    check(
        target == base
            || (naming.readsTarget(base) && PlainWord.isPlain(target) && arguments.dropFirst().contains(target)),
        "target \(target) of \(arguments)")
    check(!target.contains("/") || target == base, "a path as target: \(target)")
    if let domain = naming.domain(arguments) {
        check(PlainWord.isPlain(domain) && arguments.contains("G=" + domain), "domain \(domain) of \(arguments)")
    }
}

// MARK: - Output encodings (Escaping): each checked by reading the output back

/// Scalar for scalar: String's `==` would take two canonically equivalent strings as equal.
func same(_ a: String, _ b: String) -> Bool { a.unicodeScalars.elementsEqual(b.unicodeScalars) }

func json(_ input: String) {
    let literal = Escaping.jsonString(input)
    guard case .string(let back)? = try? JSONParser.parse(Array(literal.utf8)) else {
        fatalError("property failed: JSON literal does not parse: \(literal)")
    }
    check(same(back, input), "JSON round trip: \(literal)")
    check(
        !literal.unicodeScalars.contains {
            $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || (0x2028...0x202E).contains($0.value)
                || (0x2066...0x2069).contains($0.value)
        }, "a control left raw in JSON: \(literal)")
}

func csv(_ input: String) {
    let field = Escaping.csvField(input)
    let records = readCSV(field + "," + field + "\n")
    check(records.count == 1 && records[0].count == 2, "CSV field is not one field: \(field)")
    let first = input.unicodeScalars.first
    let guarded = first.map { "=+-@\t\r".unicodeScalars.contains($0) } ?? false
    check(same(records[0][0], guarded ? "'" + input : input), "CSV round trip: \(field)")
}

/// A strict RFC 4180 reader: records of fields, quoted fields with doubled quotes.
func readCSV(_ text: String) -> [[String]] {
    let scalars = Array(text.unicodeScalars)
    var records: [[String]] = []
    var record: [String] = []
    var index = 0
    while index < scalars.count {
        var field = ""
        if scalars[index] == "\"" {
            index += 1
            while true {
                check(index < scalars.count, "CSV: unterminated quoted field")
                if scalars[index] == "\"" {
                    if index + 1 < scalars.count, scalars[index + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        index += 2
                        continue
                    }
                    index += 1
                    break
                }
                field.unicodeScalars.append(scalars[index])
                index += 1
            }
        } else {
            while index < scalars.count, scalars[index] != ",", scalars[index] != "\n" {
                check(scalars[index] != "\"" && scalars[index] != "\r", "CSV: raw quote or CR in an unquoted field")
                field.unicodeScalars.append(scalars[index])
                index += 1
            }
        }
        record.append(field)
        check(index < scalars.count, "CSV: record without its newline")
        if scalars[index] == "\n" {
            records.append(record)
            record = []
        }
        index += 1
    }
    return records
}

func prometheus(_ input: String) {
    let value = Escaping.prometheusLabelValue(input)
    check(!value.unicodeScalars.contains("\n"), "raw LF in a label value")
    var back = ""
    var escaped = false
    for scalar in value.unicodeScalars {
        if escaped {
            switch scalar {
            case "\\": back += "\\"
            case "\"": back += "\""
            case "n": back += "\n"
            default: fatalError("property failed: escape \\\(scalar) the format does not have")
            }
            escaped = false
        } else if scalar == "\\" {
            escaped = true
        } else {
            check(scalar != "\"", "unescaped quote in a label value: \(value)")
            back.unicodeScalars.append(scalar)
        }
    }
    check(!escaped && same(back, input), "label value round trip: \(value)")
}

func markup(_ input: String) {
    let escaped = Array(Escaping.markup(input).unicodeScalars)
    check(!escaped.contains(where: { "<>\"'".unicodeScalars.contains($0) }), "raw markup: \(escaped)")
    // Decoded scalar by scalar: a combining mark after `;` must not hide an entity.
    let entities: [String: Unicode.Scalar] = ["lt": "<", "gt": ">", "quot": "\"", "#39": "'", "amp": "&"]
    var back: [Unicode.Scalar] = []
    var index = 0
    while index < escaped.count {
        guard escaped[index] == "&" else {
            back.append(escaped[index])
            index += 1
            continue
        }
        var name = ""
        index += 1
        while index < escaped.count, escaped[index] != ";", name.unicodeScalars.count < 5 {
            name.unicodeScalars.append(escaped[index])
            index += 1
        }
        guard index < escaped.count, escaped[index] == ";", let raw = entities[name] else {
            fatalError("property failed: raw & in markup: \(escaped)")
        }
        back.append(raw)
        index += 1
    }
    let allowed = input.unicodeScalars.filter {
        !($0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r") && $0.value != 0xFFFE && $0.value != 0xFFFF
    }
    check(back == Array(allowed), "markup round trip: \(escaped)")
}

/// The characters a backslash escapes in CommonMark: ASCII punctuation, nothing else.
let asciiPunctuation = Set(##"!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"##.unicodeScalars)

func markdown(_ input: String) {
    let escaped = Array(Escaping.markdown(input).unicodeScalars)
    check(
        !escaped.contains(where: { $0 == "<" || $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }),
        "raw < or control in Markdown: \(escaped)")
    // Read as CommonMark does: a backslash escapes the punctuation after it. Every `|` must be
    // escaped (else it ends a table cell), and every `&` must start one of the three entities.
    var back = ""
    var index = 0
    while index < escaped.count {
        let scalar = escaped[index]
        if scalar == "\\", index + 1 < escaped.count, asciiPunctuation.contains(escaped[index + 1]) {
            back.unicodeScalars.append(escaped[index + 1])
            index += 2
            continue
        }
        check(scalar != "|", "unescaped | in Markdown: \(escaped)")
        if scalar == "&" {
            // Compared scalar by scalar: a combining mark after `;` must not hide the entity.
            let rest = escaped[index...].prefix(5)
            let entity = ["&lt;": "<", "&gt;": ">", "&amp;": "&"].first { rest.starts(with: $0.key.unicodeScalars) }
            guard let entity else { fatalError("property failed: raw & in Markdown: \(escaped)") }
            back += entity.value
            index += entity.key.unicodeScalars.count
            continue
        }
        back.unicodeScalars.append(scalar)
        index += 1
    }
    check(
        Array(back.unicodeScalars) == Array(Escaping.terminal(input).unicodeScalars),
        "Markdown round trip: \(escaped)")
}

func shellword(_ input: String) {
    // bash and zsh: '…' is literal; '\'' ends the word, adds a quote, starts again.
    let posix = Array(Escaping.shellSingleQuoted(input).unicodeScalars)
    var back = ""
    var index = 0
    var quoted = false
    while index < posix.count {
        let scalar = posix[index]
        if quoted {
            if scalar == "'" { quoted = false } else { back.unicodeScalars.append(scalar) }
        } else if scalar == "'" {
            quoted = true
        } else {
            check(scalar == "\\" && index + 1 < posix.count && posix[index + 1] == "'", "bash: unquoted \(scalar)")
            back += "'"
            index += 1
        }
        index += 1
    }
    check(!quoted && same(back, input), "bash word round trip")
    // fish: one '…' word where \' and \\ are the only escapes.
    let fish = Array(Escaping.fishSingleQuoted(input).unicodeScalars)
    check(fish.first == "'" && fish.last == "'" && fish.count >= 2, "fish word not quoted")
    back = ""
    index = 1
    while index < fish.count - 1 {
        if fish[index] == "\\", fish[index + 1] == "'" || fish[index + 1] == "\\", index + 1 < fish.count - 1 {
            back.unicodeScalars.append(fish[index + 1])
            index += 2
            continue
        }
        check(fish[index] != "'" && fish[index] != "\\", "fish: bare quote or backslash inside the word")
        back.unicodeScalars.append(fish[index])
        index += 1
    }
    check(same(back, input), "fish word round trip")
}

func terminal(_ input: String) {
    let shown = Escaping.terminal(input)
    check(
        !shown.unicodeScalars.contains(where: {
            $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value)
                || (0x2066...0x2069).contains($0.value)
        }), "a control reaches the terminal: \(Array(shown.unicodeScalars))")
    // Every other scalar is kept, in order; each control becomes its visible form.
    var expected = ""
    for scalar in input.unicodeScalars {
        switch scalar.value {
        case 0x00...0x1F, 0x7F:
            let hex = String(scalar.value, radix: 16)
            expected += "\\x" + (hex.count == 1 ? "0" : "") + hex
        case 0x80...0x9F, 0x202A...0x202E, 0x2066...0x2069: expected += "\\u{" + String(scalar.value, radix: 16) + "}"
        default: expected.unicodeScalars.append(scalar)
        }
    }
    check(Array(shown.unicodeScalars) == Array(expected.unicodeScalars), "terminal text: \(shown)")
}

// MARK: - Report and export on hostile logs

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
    _ = ReportMarkdown(summary: summary).render()
    for pending in events {
        guard let times = OTLPTraces.spanTimes(of: pending.event) else { continue }
        check(times.start >= 0 && times.end >= times.start, "span times")
    }
    _ = OTLPTraces(resource: .init(serviceName: "tlm", serviceVersion: "0")).request(events)
}

// MARK: - OTLP protobuf

/// protobuf: arbitrary bytes as a collector's answer (OTLPPartialSuccess, protobuf and
/// JSON): an answer or an error, never a trap; the same bytes as a log: every event the
/// JSON encoder accepts is one span of a request that opentelemetry-proto's parser reads
/// as meant: every tag, varint and length within bounds; every field one that trace.proto,
/// common.proto or resource.proto declares there, with its wire type (a parser files a
/// field of the wrong type as unknown, and the span arrives without it); ids of 16 and 8
/// bytes; every string valid UTF-8 (proto3 parsers refuse the message otherwise).
/// libFuzzer cannot call the Python parser: ExportProtocolTests sends these seeds to it.
func protobuf(_ bytes: UnsafeRawBufferPointer) {
    _ = try? OTLPPartialSuccess.decode(protobuf: Array(bytes))
    _ = try? OTLPPartialSuccess.decode(json: Array(bytes))
    var events: [PendingEvent] = []
    for line in bytes.split(separator: 0x0A) {
        let raw = UnsafeRawBufferPointer(rebasing: line)
        guard let event = EventParser.parse(raw) else { continue }
        events.append(PendingEvent(event: event, lineHash: SpanIdentity.hash(raw)))
    }
    let request = OTLPProtobuf(resource: .init(serviceName: "tlm", serviceVersion: "0")).request(events)
    var counts: [String: Int] = [:]
    check(walk(request, 0..<request.count, "request", &counts), "malformed protobuf request")
    check(counts["span", default: 0] == events.filter { OTLPTraces.canExpress($0.event) }.count, "a span per event")
    check(counts["resourceSpans"] == 1 && counts["scopeSpans"] == 1 && counts["resource"] == 1, "one of each")
    check(counts["scope"] == 1 && counts["status", default: 0] <= counts["span", default: 0], "scope and statuses")
}

/// What a field holds: a message (named), a string, raw bytes of a fixed length, or a
/// scalar of one wire type.
enum ProtobufField {
    case message(String)
    case string
    case bytes(Int)
    case scalar(wireType: UInt64)
}

/// The fields of each message of ExportTraceServiceRequest, as opentelemetry-proto declares
/// them (the ones a request may hold; links, events and arrays tlm never writes are absent).
let protobufSchema: [String: [UInt64: ProtobufField]] = [
    "request": [1: .message("resourceSpans")],
    "resourceSpans": [1: .message("resource"), 2: .message("scopeSpans"), 3: .string],
    "resource": [1: .message("keyValue"), 2: .scalar(wireType: 0)],
    "scopeSpans": [1: .message("scope"), 2: .message("span"), 3: .string],
    "scope": [1: .string, 2: .string, 3: .message("keyValue"), 4: .scalar(wireType: 0)],
    "span": [
        1: .bytes(16), 2: .bytes(8), 3: .string, 4: .bytes(8), 5: .string, 6: .scalar(wireType: 0),
        7: .scalar(wireType: 1), 8: .scalar(wireType: 1), 9: .message("keyValue"), 10: .scalar(wireType: 0),
        15: .message("status"), 16: .scalar(wireType: 5),
    ],
    "keyValue": [1: .string, 2: .message("anyValue")],
    "anyValue": [1: .string, 2: .scalar(wireType: 0), 3: .scalar(wireType: 0), 4: .scalar(wireType: 1)],
    "status": [2: .string, 3: .scalar(wireType: 0)],
]

/// Walks the fields of `message` in `range`, and into every nested message; false at the
/// first byte out of place, or a field the schema does not declare there with that type.
func walk(_ bytes: [UInt8], _ range: Range<Int>, _ message: String, _ counts: inout [String: Int]) -> Bool {
    counts[message, default: 0] += 1
    var position = range.lowerBound
    func varint() -> UInt64? {
        var value: UInt64 = 0
        for index in 0..<10 where position < range.upperBound {
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7F) << UInt64(7 * index)
            if byte < 0x80 { return index == 9 && byte > 1 ? nil : value }
        }
        return nil
    }
    while position < range.upperBound {
        guard let key = varint(), key >> 3 >= 1, let field = protobufSchema[message]?[key >> 3] else { return false }
        let wireType = key & 7
        switch (field, wireType) {
        case (.scalar(0), 0): guard varint() != nil else { return false }
        case (.scalar(1), 1), (.scalar(5), 5):
            let size = wireType == 1 ? 8 : 4
            guard range.upperBound - position >= size else { return false }
            position += size
        case (.message, 2), (.string, 2), (.bytes, 2):
            guard let length = varint(), length <= UInt64(range.upperBound - position) else { return false }
            let content = position..<position + Int(length)
            position = content.upperBound
            switch field {
            case .message(let nested): guard walk(bytes, content, nested, &counts) else { return false }
            case .string: guard String(validating: bytes[content], as: UTF8.self) != nil else { return false }
            case .bytes(let size): guard length == size else { return false }
            case .scalar: return false
            }
        default: return false
        }
    }
    return position == range.upperBound
}
