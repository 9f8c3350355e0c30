import TLMExport
import TLMRecorder
import TLMReport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `tlm export json | csv | otlp | prometheus [OPTIONS]`: the events for other tools.
///
/// `json` and `csv` print events (with the report's filters); `otlp` sends the
/// events not yet accepted to an OpenTelemetry collector, batch by batch,
/// moving the cursor only after each 2xx (see `ExportCursor`); `prometheus`
/// writes the metrics for node_exporter's textfile collector or pushes them
/// to a Pushgateway. What goes over the network is done by `tlm-export`: `tlm`
/// hands over to it (`execv`), so that `tlm` itself never loads libcurl.
enum ExportCommand {
    static let formats = ["json", "csv", "otlp", "prometheus"]
    static let defaultBatchSize = 512
    static let defaultRetries = 5

    /// The options each format takes (`--quiet` and `--help`: all of them).
    static let optionsByFormat: [String: Set<String>] = [
        "json": ["--since", "--until", "--target", "--domain", "--command", "--failed", "--file"],
        "csv": ["--since", "--until", "--target", "--domain", "--command", "--failed", "--file"],
        "otlp": [
            "--endpoint", "--header", "--batch-size", "--timeout", "--retries", "--output", "--dry-run", "--auto",
        ],
        "prometheus": ["--textfile", "--push", "--job", "--instance", "--timeout", "--retries"],
    ]

    static func main(
        _ options: ParsedOptions, arguments: [String], _ environment: Environment, transport: (any HTTPTransport)?
    ) throws(CLIError) -> Int32 {
        guard let format = options.operands.first else {
            throw .usage("missing format: one of \(formats.joined(separator: ", "))", subcommand: "export")
        }
        guard formats.contains(format) else {
            throw .usage("unknown format '\(format)': use \(formats.joined(separator: ", "))", subcommand: "export")
        }
        if let extra = options.operands.dropFirst().first {
            throw .usage("unexpected argument '\(extra)'", subcommand: "export")
        }
        let allowed = optionsByFormat[format]!.union(["--quiet", "--help"])
        let given = Set(options.values.keys).union(options.flags).union(options.repeated.keys)
        if let wrong = given.subtracting(allowed).sorted().first {
            throw .usage("\(wrong) does not apply to 'export \(format)'", subcommand: "export")
        }
        switch format {
        case "json", "csv": return try dump(format, options, environment)
        case "otlp": return try OTLPExport.main(options, arguments: arguments, environment, transport: transport)
        default: return try PrometheusExport.main(options, arguments: arguments, environment, transport: transport)
        }
    }

    // MARK: json and csv

    /// Prints the events that pass the report's filters: JSON lines in tlm's event
    /// format, or CSV with a header; 64 KiB at a time.
    static func dump(_ format: String, _ options: ParsedOptions, _ environment: Environment) throws(CLIError) -> Int32 {
        let query = try ReportCommand.query(options)
        let files = options.repeated["--file"] ?? []
        if files.filter({ $0 == "-" }).count > 1 {
            throw .usage("--file - (standard input) can be given only once", subcommand: "export")
        }
        var paths: [String] = files
        if files.isEmpty {
            let home = try CLI.home(environment)
            paths = home.rotatedNumbers().reversed().map(home.rotatedPath) + [home.logPath]
        }
        var chunk = format == "csv" ? EventCSV.header : ""
        var malformed = 0
        for path in paths {
            let count = try forEachEvent(in: path, mustExist: !files.isEmpty) { event in
                guard query.matches(event) else { return }
                chunk += format == "csv" ? EventCSV.row(event) : EventEncoder.line(event)
                if chunk.utf8.count >= 65_536 {
                    Console.out(chunk)
                    chunk = ""
                }
            }
            malformed += count
        }
        Console.out(chunk)
        if malformed > 0, !options.flags.contains("--quiet") {
            Console.warn("skipped \(ExportCommand.notEvents(malformed))")
        }
        return ExitStatus.success
    }

    /// Calls `body` with each event of a file (`-`: standard input); returns the
    /// number of lines that are not events.
    static func forEachEvent(in path: String, mustExist: Bool, _ body: (Event) -> Void) throws(CLIError) -> Int {
        let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT && !mustExist { return 0 }
            throw .failure("cannot read \(path): \(SystemMessage.describe(errno))")
        }
        defer { if fd != 0 { close(fd) } }
        do {
            return try EventLog.read(fd, path: path, body).malformedLines
        } catch {
            throw .failure(error.description)
        }
    }

    // MARK: shared by otlp and prometheus

    /// Hands the command over to `tlm-export`, installed beside `tlm`; returns
    /// only when that fails.
    static func handOver(_ arguments: [String]) -> CLIError {
        let helper = helperPath()
        var argv: [UnsafeMutablePointer<CChar>?] = (["tlm-export", "export"] + arguments).map { strdup($0) }
        argv.append(nil)
        execv(helper, argv)
        let code = errno
        return .failure(
            "cannot start \(helper), tlm's network half (\(SystemMessage.describe(code))): "
                + "install it beside tlm ('make install' does)")
    }

    /// `tlm-export` in the folder of the running `tlm` (symbolic links resolved).
    static func helperPath() -> String { (binaryFolder() ?? "") + "tlm-export" }

    /// The folder of the running binary, with its final `/` (symbolic links
    /// resolved); nil where /proc/self/exe cannot tell.
    static func binaryFolder() -> String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        #if os(Linux)
            let count = readlink("/proc/self/exe", &buffer, 4096)
        #else
            let count = -1
        #endif
        guard count > 0 else { return nil }
        let path = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return path.lastIndex(of: "/").map { String(path[...$0]) }
    }

    /// `1 line that is not an event`, `3 lines that are not events`.
    static func notEvents(_ count: Int) -> String {
        count == 1 ? "1 line that is not an event" : "\(count) lines that are not events"
    }

    /// Whether `path` is a folder (links followed).
    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func positiveNumber(_ options: ParsedOptions, _ name: String, default value: Int, range: ClosedRange<Int>)
        throws(CLIError) -> Int
    {
        guard let text = options.values[name] else { return value }
        guard !text.isEmpty, text.utf8.count <= 9, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let number = Int(text), range.contains(number)
        else {
            throw .usage(
                "\(name) '\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)",
                subcommand: "export")
        }
        return number
    }

    static func timeout(_ options: ParsedOptions) throws(CLIError) -> UInt64? {
        guard let text = options.values["--timeout"] else { return nil }
        guard let nanoseconds = DurationValue.nanoseconds(text), nanoseconds > 0,
            nanoseconds <= 3_600_000_000_000
        else {
            throw .usage(
                "--timeout '\(text)' is not a duration from 1ms to 1h (\(DurationValue.forms))", subcommand: "export")
        }
        return nanoseconds
    }

    /// Sends `request`, again after a backoff (or the server's `Retry-After`)
    /// while the answer says to; returns nil once accepted, else why not.
    static func deliver(
        _ request: HTTPRequest, transport: any HTTPTransport, retries: Int, quiet: Bool,
        random: inout SystemRandom
    ) -> String? {
        let backoff = Backoff(base: 1_000_000_000, maximum: 30_000_000_000)
        var retry = 0
        while true {
            switch DeliveryPolicy.outcome(transport.send(request)) {
            case .accepted:
                return nil
            case .rejected(let reason):
                return "\(request.url) \(reason)"
            case .retry(let reason, let after):
                guard retry < retries else {
                    if retries == 0 { return "\(request.url) \(reason)" }
                    return "\(request.url) \(reason) (after \(retries) retr\(retries == 1 ? "y" : "ies"))"
                }
                retry += 1
                let delay = after ?? backoff.delay(retry: retry, using: &random)
                if delay > DeliveryPolicy.longestRetryAfter {
                    return "\(request.url) \(reason), and asks to wait \(DurationValue.text(nanoseconds: delay))"
                }
                if !quiet {
                    Console.warn(
                        "\(request.url) \(reason): retry \(retry)/\(retries) in \(DurationValue.text(nanoseconds: delay))"
                    )
                }
                var pause = timespec(tv_sec: Int(delay / 1_000_000_000), tv_nsec: Int(delay % 1_000_000_000))
                var remaining = timespec()
                while nanosleep(&pause, &remaining) != 0 && errno == EINTR { pause = remaining }
            }
        }
    }
}

extension ReportQuery {
    /// Whether `event` passes the filters (as the report applies them).
    func matches(_ event: Event) -> Bool {
        if let since, event.timestamp < since { return false }
        if let until, event.timestamp >= until { return false }
        if !targets.isEmpty, !targets.contains(event.target) { return false }
        if !domains.isEmpty, !(event.domain.map { domains.contains($0) } ?? false) { return false }
        if let command, event.command != command { return false }
        if failedOnly, event.signal == nil, event.exitCode == 0 { return false }
        return true
    }
}
