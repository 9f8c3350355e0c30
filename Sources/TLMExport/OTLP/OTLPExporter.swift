import TLMRecorder
import TLMSystem

/// `tlm export otlp`'s driver: the events not yet accepted, as OTLP/HTTP traces
/// (binary protobuf or JSON, gzipped or not: the destination's `format`), batch
/// by batch; the cursor moves after each 2xx (or, with an output file, once the
/// file is written and synced). An output file holds OTLP/JSON lines whatever
/// the protocol: the OpenTelemetry file exporter's format, which people read.
///
/// A 2xx answer is read for a `partial_success`: the spans it rejects are not
/// counted as sent, but the cursor moves past them all the same (the
/// specification says not to send them again).
///
/// It takes `export.lock` (one export at a time) and returns what happened;
/// the command line prints it.
public struct OTLPExporter {
    /// What to do with the pending events.
    public enum Mode {
        /// POST them to the destination.
        case send(OTLPDestination, Delivery)
        /// Write them to a file the user named (`-`: standard output), opened by
        /// `open` once the lock is held (the command line's output-file rule).
        case write(path: String, open: () throws(ExportError) -> Int32)
        /// Say what would be sent, and where; send nothing, move nothing.
        case dryRun(OTLPDestination?)
    }

    /// The data folder: its log files, cursor and lock.
    public var home: TelemetryHome
    /// The request body of each batch in JSON (and its resource, for protobuf).
    public var encoder: OTLPTraces
    /// Gzips bodies for `--compression gzip`: `tlm-export`'s; nil in `tlm`, which never sends.
    public var compressor: (any BodyCompressor)?
    /// The most events in one request.
    public var batchSize: Int
    /// `tlm/VERSION`, sent as `User-Agent`.
    public var userAgent: String
    /// An automatic export: it gives up quietly when another export runs, or
    /// when the last one started less than `exportInterval` ago.
    public var auto: Bool
    /// `export.interval`, in nanoseconds: how long an automatic export waits after the last one.
    public var exportInterval: UInt64

    public init(
        home: TelemetryHome, encoder: OTLPTraces, batchSize: Int, userAgent: String, auto: Bool = false,
        exportInterval: UInt64 = 0, compressor: (any BodyCompressor)? = nil
    ) {
        self.home = home
        self.encoder = encoder
        self.compressor = compressor
        self.batchSize = batchSize
        self.userAgent = userAgent
        self.auto = auto
        self.exportInterval = exportInterval
    }

    /// Exports the pending events; an error says why nothing could be (the
    /// cursor, the log, the lock), a stopped delivery is an outcome.
    public func run(_ mode: Mode) throws(ExportError) -> OTLPOutcome {
        // Nothing recorded yet: nothing to send, and no folder to create.
        guard home.hasFolder else { return .nothingRecorded }
        do {
            try home.checkFolder()  // before the lock and the cursor are written there
        } catch {
            throw .log(error.description)
        }
        let lock: ExportLock
        do {
            lock = try ExportLock.acquire(home)
        } catch {
            if auto, case .busy = error { return .skipped }
            throw error
        }
        defer { lock.release() }
        if auto, let age = lock.previousAge, age < exportInterval { return .skipped }
        if case .dryRun = mode {} else { lock.stamp() }

        let cursor = try ExportCursor.load(home)
        let pending = try PendingEvents(home: home, cursor: cursor)
        switch mode {
        case .dryRun(let destination): return try dryRun(pending, cursor, destination)
        case .write(let path, let open): return try write(pending, cursor, to: path, open)
        case .send(let destination, let delivery): return try send(pending, cursor, destination, delivery)
        }
    }

    func send(
        _ pending: PendingEvents, _ cursor: ExportCursor?, _ destination: OTLPDestination, _ delivery: Delivery
    ) throws(ExportError) -> OTLPOutcome {
        let format = destination.format
        var headers: [(name: String, value: String)] = [
            ("Content-Type", format.encoding.contentType), ("User-Agent", userAgent),
        ]
        if format.compression == .gzip { headers.append(("Content-Encoding", "gzip")) }
        headers += destination.headers.filter { header in
            !headers.contains { $0.name.lowercased() == header.name.lowercased() }
        }
        var sent = 0
        var requests = 0
        var failure: String?
        var answers = CollectorAnswers()
        try pending.forEachBatch(
            size: batchSize, exportedBefore: cursor?.exported ?? 0, accept: OTLPTraces.canExpress
        ) { batch, next in
            // An empty batch: only skipped lines since the last one; the cursor moves past them.
            if !batch.isEmpty {
                var body = requestBody(batch, as: format.encoding)
                if format.compression == .gzip {
                    // As a transport failure: nothing of this batch counts as sent, the cursor stays.
                    guard let compressor else {
                        failure = "cannot gzip the request: this build has no compressor (tlm-export has)"
                        return false
                    }
                    switch compressor.gzip(body) {
                    case .success(let compressed): body = compressed
                    case .failure(let problem):
                        failure = "cannot gzip the request: \(problem)"
                        return false
                    }
                }
                let request = HTTPRequest(
                    method: "POST", url: destination.url, headers: headers, body: body,
                    timeoutSeconds: Double(destination.timeoutNanoseconds) / 1e9)
                switch delivery.send(request) {
                case .stopped(let reason):
                    failure = reason
                    return false
                case .accepted(let response):
                    let rejected = answers.read(response, of: batch.count, sent: format.encoding)
                    requests += 1
                    sent += batch.count - rejected
                }
            }
            do throws(ExportError) {
                try next.save(home)
            } catch {
                failure =
                    batch.isEmpty
                    ? error.description
                    : "the collector accepted \(batch.count) event\(batch.count == 1 ? "" : "s") but the cursor "
                        + "was not saved (\(error)), so they will be sent again"
                return false
            }
            return true
        }
        if let failure { return .stopped(reason: failure, sent: sent, answers: answers) }
        return .exported(
            OTLPSummary(
                sent: sent, requests: requests, target: destination.url.description,
                malformedLines: pending.malformedLines, refusedEvents: pending.refusedEvents, answers: answers))
    }

    /// One request's body, before any compression: the batch in binary protobuf or in JSON
    /// (both from `encoder`'s resource, so the two say the same).
    func requestBody(_ batch: [PendingEvent], as encoding: OTLPEncoding) -> [UInt8] {
        switch encoding {
        case .protobuf: return OTLPProtobuf(resource: encoder.resource).request(batch)
        case .json: return Array(encoder.request(batch).utf8)
        }
    }

    func write(
        _ pending: PendingEvents, _ cursor: ExportCursor?, to path: String, _ open: () throws(ExportError) -> Int32
    ) throws(ExportError) -> OTLPOutcome {
        let fd = try open()
        var last: ExportCursor?
        var sent = 0
        var requests = 0
        var code: Int32 = 0
        do throws(ExportError) {
            try pending.forEachBatch(
                size: batchSize, exportedBefore: cursor?.exported ?? 0, accept: OTLPTraces.canExpress
            ) { batch, next in
                guard !batch.isEmpty else {
                    last = next
                    return true
                }
                do throws(Errno) {
                    try SystemFile.writeAll(fd, encoder.request(batch) + "\n")
                } catch {
                    code = error.rawValue
                    return false
                }
                last = next
                sent += batch.count
                requests += 1
                return true
            }
        } catch {
            if fd != 1 { close(fd) }
            throw error
        }
        // Synced before the cursor moves (a pipe or a device has nothing to sync).
        var info = stat()
        if code == 0 && fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && fsync(fd) != 0 { code = errno }
        if fd != 1 && close(fd) != 0 && code == 0 { code = errno }
        if code != 0 { throw .output("cannot write \(path): \(Errno(code).message); the events wait") }
        try last?.save(home)
        return .exported(
            OTLPSummary(
                sent: sent, requests: requests, target: path, malformedLines: pending.malformedLines,
                refusedEvents: pending.refusedEvents))
    }

    func dryRun(
        _ pending: PendingEvents, _ cursor: ExportCursor?, _ destination: OTLPDestination?
    ) throws(ExportError) -> OTLPOutcome {
        var events = 0
        var requests = 0
        var bytes = 0
        var first: String?
        let format = destination?.format ?? OTLPWireFormat()
        try pending.forEachBatch(
            size: batchSize, exportedBefore: cursor?.exported ?? 0, accept: OTLPTraces.canExpress
        ) { batch, _ in
            guard !batch.isEmpty else { return true }
            if first == nil { first = encoder.request(batch) }
            events += batch.count
            requests += 1
            bytes += requestBody(batch, as: format.encoding).count
            return true
        }
        var out = ""
        if let destination {
            out += "endpoint      \(destination.url) (\(destination.urlSource))\n"
            let names = HeaderList.redacted(destination.headers)
            out += "headers       \(names.isEmpty ? "(none)" : names)"
            out +=
                destination.headerSources.isEmpty ? "\n" : " (\(destination.headerSources.joined(separator: ", ")))\n"
            out += "service.name  \(destination.serviceName) (\(destination.serviceNameSource))\n"
            out += "timeout       \(DurationValue.text(nanoseconds: destination.timeoutNanoseconds))\n"
            out += "protocol      \(format.encoding.rawValue) (\(format.encodingSource))\n"
            out += "compression   \(format.compression.rawValue) (\(format.compressionSource))\n"
        }
        out +=
            "pending       \(events) event\(events == 1 ? "" : "s") in \(requests) request\(requests == 1 ? "" : "s")"
        out += " of at most \(batchSize) (\(bytes) bytes of \(format.encoding.rawValue)"
        out += format.compression == .gzip ? ", before gzip)\n" : ")\n"
        out += "sent before   \(cursor?.exported ?? 0)\n"
        if pending.malformedLines > 0 { out += "skipped       \(SkippedLines.notEvents(pending.malformedLines))\n" }
        if pending.refusedEvents > 0 { out += "skipped       \(Self.inexpressible(pending.refusedEvents))\n" }
        if let first {
            // JSON even when protobuf is sent: this is for a person to read.
            out += format.encoding == .json ? "first request body:\n" : "first request body, as http/json:\n"
            out += first + "\n"
        }
        return .planned(out)
    }

    /// `2 events OTLP cannot express (…)`: what `OTLPTraces.canExpress` refused.
    public static func inexpressible(_ count: Int) -> String {
        "\(count) event\(count == 1 ? "" : "s") OTLP cannot express (timestamp before 1970 or after 2262)"
    }
}

/// What an OTLP export did, for the command line to print.
public enum OTLPOutcome: Sendable, Equatable {
    /// No data folder: no event was ever recorded.
    case nothingRecorded
    /// An automatic export that found another running, or the last one too recent.
    case skipped
    /// Every pending event was delivered (or there was none).
    case exported(OTLPSummary)
    /// Delivery stopped: the events not sent wait for the next export. `sent`
    /// counts the events accepted before (less the spans the collector rejected).
    case stopped(reason: String, sent: Int, answers: CollectorAnswers = CollectorAnswers())
    /// A dry run's report, for standard output.
    case planned(String)

    /// The line to show on standard error (nil: nothing to say).
    public var message: String? {
        switch self {
        case .nothingRecorded: return "nothing to export: no events recorded yet"
        case .skipped, .planned: return nil
        case .exported(let summary): return summary.description
        case .stopped(let reason, let sent, _):
            return "export stopped: \(reason); \(sent) event\(sent == 1 ? "" : "s") sent, "
                + "the rest wait for the next export"
        }
    }
}

/// What an export delivered, and what it skipped.
public struct OTLPSummary: Sendable, Equatable, CustomStringConvertible {
    /// Events delivered.
    public var sent: Int
    /// Requests (or lines of the output file) they took.
    public var requests: Int
    /// The collector's URL (its query hidden), or the output file.
    public var target: String
    /// Lines skipped because they are not events.
    public var malformedLines: Int
    /// Events skipped because OTLP cannot express them.
    public var refusedEvents: Int
    /// What the collector's answers said: the spans it rejected are not in `sent`.
    public var answers: CollectorAnswers

    public init(
        sent: Int, requests: Int, target: String, malformedLines: Int, refusedEvents: Int = 0,
        answers: CollectorAnswers = CollectorAnswers()
    ) {
        self.sent = sent
        self.requests = requests
        self.target = target
        self.malformedLines = malformedLines
        self.refusedEvents = refusedEvents
        self.answers = answers
    }

    public var description: String {
        let rejected = answers.rejectedSpans
        let offered = sent + rejected
        let requestCount = "in \(requests) request\(requests == 1 ? "" : "s")"
        var text: String
        if offered == 0 {
            text = "nothing to export: every event was exported before"
        } else if rejected > 0 {
            text =
                "sent \(sent) of \(offered) event\(offered == 1 ? "" : "s") (\(rejected) rejected by the collector) "
                + "to \(target) \(requestCount)"
        } else {
            text = "exported \(sent) event\(sent == 1 ? "" : "s") to \(target) \(requestCount)"
        }
        if malformedLines > 0 { text += " (skipped \(SkippedLines.notEvents(malformedLines)))" }
        if refusedEvents > 0 { text += " (skipped \(OTLPExporter.inexpressible(refusedEvents)))" }
        return text
    }
}

/// What a collector said in the answers it accepted with (2xx): its
/// `partial_success` reports, and whether an answer could not be read.
public struct CollectorAnswers: Sendable, Equatable {
    /// One line per request the collector partly rejected:
    /// `the collector rejected 2 of 5 spans: MESSAGE` (the message escaped, at most 200 bytes).
    public var rejections: [String] = []
    /// The spans rejected, over every request.
    public var rejectedSpans = 0
    /// Why the first answer that could not be read could not be; nil when every one was read.
    /// Such an answer is not a rejection: its request counts as delivered.
    public var unreadable: String?

    public init() {}

    /// Whether export must fail (exit 1): a collector that rejected spans, or said why it might.
    public var hasRejections: Bool { !rejections.isEmpty }

    /// The warning for `unreadable`, for the command line.
    public var unreadableWarning: String? {
        unreadable.map { "the collector's answer could not be read: \($0) (its request counts as delivered)" }
    }

    /// Reads a 2xx answer to a request of `spans` spans sent in `encoding`, in the encoding its
    /// `Content-Type` names (the request's when it names neither, as the specification has
    /// the collector answer); returns how many spans it rejected (0 to `spans`).
    public mutating func read(_ response: HTTPResponse, of spans: Int, sent encoding: OTLPEncoding) -> Int {
        let answerEncoding = response.header("Content-Type").flatMap(OTLPEncoding.of(contentType:)) ?? encoding
        let partial: OTLPPartialSuccess?
        do throws(OTLPResponseError) {
            partial =
                answerEncoding == .protobuf
                ? try OTLPPartialSuccess.decode(protobuf: response.body)
                : try OTLPPartialSuccess.decode(json: response.body)
        } catch {
            if unreadable == nil { unreadable = error.description }
            return 0
        }
        guard let partial, partial.rejectedSpans != 0 || !partial.errorMessage.isEmpty else { return 0 }
        // A count out of range (negative, more than were sent) is taken as the nearest that can be.
        let rejected = Int(max(0, min(Int64(spans), partial.rejectedSpans)))
        var line = "the collector rejected \(rejected) of \(spans) span\(spans == 1 ? "" : "s")"
        line += ": " + (partial.errorMessage.isEmpty ? "no reason given" : Self.shown(partial.errorMessage))
        rejections.append(line)
        rejectedSpans += rejected
        return rejected
    }

    /// `message` cut at 200 bytes (between two Unicode scalars, `…` added), its control characters shown.
    static func shown(_ message: String) -> String {
        guard message.utf8.count > 200 else { return Escaping.terminal(message) }
        var cut = ""
        var bytes = 0
        for scalar in message.unicodeScalars {
            bytes += String(scalar).utf8.count
            if bytes > 200 { break }
            cut.unicodeScalars.append(scalar)
        }
        return Escaping.terminal(cut) + "…"
    }
}
