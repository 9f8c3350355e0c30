import TLMRecorder
import TLMSystem

/// `tlm export otlp`'s driver: the events not yet accepted, as OTLP/HTTP JSON
/// traces, batch by batch; the cursor moves after each 2xx (or, with an output
/// file, once the file is written and synced).
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
    /// The request body of each batch.
    public var encoder: OTLPTraces
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
        exportInterval: UInt64 = 0
    ) {
        self.home = home
        self.encoder = encoder
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
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("User-Agent", userAgent),
        ]
        headers += destination.headers.filter { header in
            !headers.contains { $0.name.lowercased() == header.name.lowercased() }
        }
        var sent = 0
        var requests = 0
        var failure: String?
        try pending.forEachBatch(
            size: batchSize, exportedBefore: cursor?.exported ?? 0, accept: OTLPTraces.canExpress
        ) { batch, next in
            // An empty batch: only skipped lines since the last one; the cursor moves past them.
            if !batch.isEmpty {
                let request = HTTPRequest(
                    method: "POST", url: destination.url, headers: headers,
                    body: Array(encoder.request(batch).utf8),
                    timeoutSeconds: Double(destination.timeoutNanoseconds) / 1e9)
                if let reason = delivery.deliver(request) {
                    failure = reason
                    return false
                }
                requests += 1
                sent += batch.count
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
        if let failure { return .stopped(reason: failure, sent: sent) }
        return .exported(
            OTLPSummary(
                sent: sent, requests: requests, target: destination.url.description,
                malformedLines: pending.malformedLines, refusedEvents: pending.refusedEvents))
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
        try pending.forEachBatch(
            size: batchSize, exportedBefore: cursor?.exported ?? 0, accept: OTLPTraces.canExpress
        ) { batch, _ in
            guard !batch.isEmpty else { return true }
            let body = encoder.request(batch)
            if first == nil { first = body }
            events += batch.count
            requests += 1
            bytes += body.utf8.count
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
        }
        out +=
            "pending       \(events) event\(events == 1 ? "" : "s") in \(requests) request\(requests == 1 ? "" : "s")"
        out += " of at most \(batchSize) (\(bytes) bytes)\n"
        out += "sent before   \(cursor?.exported ?? 0)\n"
        if pending.malformedLines > 0 { out += "skipped       \(SkippedLines.notEvents(pending.malformedLines))\n" }
        if pending.refusedEvents > 0 { out += "skipped       \(Self.inexpressible(pending.refusedEvents))\n" }
        if let first {
            out += "first request body:\n" + first + "\n"
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
    /// Delivery stopped: the events not sent wait for the next export.
    case stopped(reason: String, sent: Int)
    /// A dry run's report, for standard output.
    case planned(String)

    /// The line to show on standard error (nil: nothing to say).
    public var message: String? {
        switch self {
        case .nothingRecorded: return "nothing to export: no events recorded yet"
        case .skipped, .planned: return nil
        case .exported(let summary): return summary.description
        case .stopped(let reason, let sent):
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

    public init(sent: Int, requests: Int, target: String, malformedLines: Int, refusedEvents: Int = 0) {
        self.sent = sent
        self.requests = requests
        self.target = target
        self.malformedLines = malformedLines
        self.refusedEvents = refusedEvents
    }

    public var description: String {
        var text =
            sent == 0
            ? "nothing to export: every event was exported before"
            : "exported \(sent) event\(sent == 1 ? "" : "s") to \(target) in \(requests) request\(requests == 1 ? "" : "s")"
        if malformedLines > 0 { text += " (skipped \(SkippedLines.notEvents(malformedLines)))" }
        if refusedEvents > 0 { text += " (skipped \(OTLPExporter.inexpressible(refusedEvents)))" }
        return text
    }
}
