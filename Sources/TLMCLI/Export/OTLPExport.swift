import TLMExport
import TLMRecorder

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `tlm export otlp`: the events not yet accepted, as OTLP/HTTP JSON traces,
/// batch by batch; the cursor moves after each 2xx (or, with `--output`, once
/// the file is written and synced).
///
/// Exit status: 0 when every pending event was delivered (or there was none),
/// 1 when delivery stopped (the rest wait for the next export), 64 for bad usage.
enum OTLPExport {
    static func main(
        _ options: ParsedOptions, arguments: [String], _ environment: Environment, transport: (any HTTPTransport)?
    ) throws(CLIError) -> Int32 {
        let auto = options.flags.contains("--auto")
        let quiet = auto || options.flags.contains("--quiet")
        let dryRun = options.flags.contains("--dry-run")
        let output = options.values["--output"]
        if dryRun && output != nil { throw .usage("--dry-run and --output cannot go together", subcommand: "export") }
        if auto && (dryRun || output != nil) {
            throw .usage("--auto sends: it cannot go with --dry-run or --output", subcommand: "export")
        }
        if output != nil && (options.values["--endpoint"] != nil || options.repeated["--header"] != nil) {
            throw .usage("--output writes a file: --endpoint and --header do not apply", subcommand: "export")
        }
        let batchSize = try ExportCommand.positiveNumber(
            options, "--batch-size", default: ExportCommand.defaultBatchSize, range: 1...100_000)
        let retries = try ExportCommand.positiveNumber(
            options, "--retries", default: ExportCommand.defaultRetries, range: 0...100)
        let timeout = try ExportCommand.timeout(options)

        // Sending needs the network: tlm-export's (tlm hands over to it here).
        if output == nil && !dryRun && transport == nil { throw ExportCommand.handOver(arguments) }

        let home = try CLI.home(environment)
        let settings = Settings.load(home: home, environment: environment)
        var destination: OTLPDestination?
        if output == nil {
            switch OTLPDestination.resolve(
                endpoint: options.values["--endpoint"], headers: options.repeated["--header"] ?? [], timeout: timeout,
                environment: environment, settings: settings)
            {
            case .success(let resolved): destination = resolved
            case .failure(let error):
                if auto { return ExportStatus.failed }
                throw .usage(error.description, subcommand: "export")
            }
        }
        // After the destination: when it cannot be resolved, its one line says why.
        if !quiet { for problem in settings.problems { Console.warn(problem) } }
        // tlm speaks OTLP/HTTP with JSON only: say so when the environment asks for another protocol.
        for name in ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"] {
            if let value = environment[name], !value.isEmpty, value != "http/json", !quiet, output == nil {
                Console.warn("\(name)=\(value) ignored: tlm sends OTLP/HTTP with JSON (http/json)")
                break
            }
        }
        let serviceName = destination?.serviceName ?? settings.serviceName
        let encoder = OTLPTraces(
            resource: .init(serviceName: serviceName, serviceVersion: CommandCatalog.version))

        // Nothing recorded yet: nothing to send, and no folder to create.
        guard ExportCommand.isFolder(home.folder) else {
            if !quiet { Console.warn("nothing to export: no events recorded yet") }
            return ExitStatus.success
        }
        do {
            try home.checkFolder()  // before the lock and the cursor are written there
        } catch {
            throw .failure(error.description)
        }
        let lock: ExportLock
        do {
            lock = try ExportLock.acquire(home)
        } catch {
            switch error {
            case .busy:
                if auto { return ExitStatus.success }
                throw .failure("another export is running (\(ExportLock.path(home))): try again when it ends")
            case .cannot(let message): throw .failure(message)
            }
        }
        if auto, let age = lock.previousAge, age < settings.exportInterval { return ExitStatus.success }
        if !dryRun { lock.stamp() }

        let pending: PendingEvents
        let cursor: ExportCursor?
        do {
            cursor = try ExportCursor.load(home)
            pending = try PendingEvents(home: home, cursor: cursor)
        } catch {
            throw .failure(error.description)
        }

        if dryRun { return try self.dryRun(pending, cursor, destination, encoder, batchSize) }
        if let output { return try write(pending, cursor, to: output, encoder, batchSize, home: home, quiet: quiet) }
        return try send(
            pending, cursor, destination!, encoder, batchSize, retries, transport!, home: home, quiet: quiet)
    }

    static func send(
        _ pending: PendingEvents, _ cursor: ExportCursor?, _ destination: OTLPDestination, _ encoder: OTLPTraces,
        _ batchSize: Int, _ retries: Int, _ transport: any HTTPTransport, home: TelemetryHome, quiet: Bool
    ) throws(CLIError) -> Int32 {
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("User-Agent", "tlm/\(CommandCatalog.version)"),
        ]
        headers += destination.headers.filter { header in
            !headers.contains { $0.name.lowercased() == header.name.lowercased() }
        }
        var random = SystemRandom()
        var sent = 0
        var requests = 0
        var failure: String?
        do throws(ExportError) {
            try pending.forEachBatch(
                size: batchSize, exportedBefore: cursor?.exported ?? 0, accept: OTLPTraces.canExpress
            ) { batch, next in
                // An empty batch: only skipped lines since the last one; the cursor moves past them.
                if !batch.isEmpty {
                    let request = HTTPRequest(
                        method: "POST", url: destination.url, headers: headers,
                        body: Array(encoder.request(batch).utf8),
                        timeoutSeconds: Double(destination.timeoutNanoseconds) / 1e9)
                    if let reason = ExportCommand.deliver(
                        request, transport: transport, retries: retries, quiet: quiet, random: &random)
                    {
                        failure = reason
                        return false
                    }
                    requests += 1
                    sent += batch.count
                }
                do throws(CLIError) {
                    try AtomicFile.save(next.json, to: ExportCursor.path(home))
                } catch {
                    failure =
                        batch.isEmpty
                        ? error.message
                        : "the collector accepted \(batch.count) events but \(error.message); they will be sent again"
                    return false
                }
                return true
            }
        } catch {
            throw .failure(error.description)
        }
        if let failure {
            if !quiet {
                Console.warn(
                    "export stopped: \(failure); \(sent) event\(sent == 1 ? "" : "s") sent, "
                        + "the rest wait for the next export")
            }
            return ExportStatus.failed
        }
        if !quiet {
            Console.warn(
                summary(sent, requests, to: destination.url.description, pending.malformedLines, pending.refusedEvents))
        }
        return ExitStatus.success
    }

    static func write(
        _ pending: PendingEvents, _ cursor: ExportCursor?, to path: String, _ encoder: OTLPTraces, _ batchSize: Int,
        home: TelemetryHome, quiet: Bool
    ) throws(CLIError) -> Int32 {
        // The output-file rule (OutputFile): a FIFO or a device is written in place, a
        // folder, a socket or a block device refused.
        let fd: Int32
        if path == "-" {
            fd = 1
        } else if try OutputFile.writesInPlace(path) {
            fd = try OutputFile.openInPlace(path)
        } else {
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard fd >= 0 else { throw .failure("cannot write \(path): \(SystemMessage.describe(errno))") }
        }
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
                code = Console.writeAll(fd, encoder.request(batch) + "\n")
                guard code == 0 else { return false }
                last = next
                sent += batch.count
                requests += 1
                return true
            }
        } catch {
            if fd != 1 { close(fd) }
            throw .failure(error.description)
        }
        // Synced before the cursor moves (a pipe or a device has nothing to sync).
        var info = stat()
        if code == 0 && fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && fsync(fd) != 0 { code = errno }
        if fd != 1 && close(fd) != 0 && code == 0 { code = errno }
        if code != 0 { throw .failure("cannot write \(path): \(SystemMessage.describe(code)); the events wait") }
        if let last { try AtomicFile.save(last.json, to: ExportCursor.path(home)) }
        if !quiet { Console.warn(summary(sent, requests, to: path, pending.malformedLines, pending.refusedEvents)) }
        return ExitStatus.success
    }

    static func dryRun(
        _ pending: PendingEvents, _ cursor: ExportCursor?, _ destination: OTLPDestination?, _ encoder: OTLPTraces,
        _ batchSize: Int
    ) throws(CLIError) -> Int32 {
        var events = 0
        var requests = 0
        var bytes = 0
        var first: String?
        do throws(ExportError) {
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
        } catch {
            throw .failure(error.description)
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
        if pending.malformedLines > 0 { out += "skipped       \(ExportCommand.notEvents(pending.malformedLines))\n" }
        if pending.refusedEvents > 0 { out += "skipped       \(inexpressible(pending.refusedEvents))\n" }
        if let first {
            out += "first request body:\n" + first + "\n"
        }
        Console.out(out)
        return ExitStatus.success
    }

    /// `2 events OTLP cannot express (…)`: what `OTLPTraces.canExpress` refused.
    static func inexpressible(_ count: Int) -> String {
        "\(count) event\(count == 1 ? "" : "s") OTLP cannot express (timestamp before 1970 or after 2262)"
    }

    static func summary(_ sent: Int, _ requests: Int, to target: String, _ malformed: Int, _ refused: Int = 0)
        -> String
    {
        var text =
            sent == 0
            ? "nothing to export: every event was exported before"
            : "exported \(sent) event\(sent == 1 ? "" : "s") to \(target) in \(requests) request\(requests == 1 ? "" : "s")"
        if malformed > 0 { text += " (skipped \(ExportCommand.notEvents(malformed)))" }
        if refused > 0 { text += " (skipped \(inexpressible(refused)))" }
        return text
    }
}

/// Export's own exit status.
enum ExportStatus {
    /// Delivery stopped: the events not sent wait for the next export.
    static let failed: Int32 = 1
}
