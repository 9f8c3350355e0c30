import TLMExport
import TLMRecorder
import TLMReport
import TLMSupervisor
import TLMSystem

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
            "--protocol", "--compression",
        ],
        "prometheus": ["--textfile", "--push", "--job", "--instance", "--timeout", "--retries"],
    ]

    static func main(
        _ options: ParsedOptions, arguments: [String], _ environment: Environment, network: NetworkHalf?
    ) throws(CLIError) -> Int32 {
        guard let format = options.operands.first else {
            throw .usage("missing format: one of \(formats.joined(separator: ", "))", in: ExportCommand.spec)
        }
        guard formats.contains(format) else {
            throw .usage("unknown format '\(format)': use \(formats.joined(separator: ", "))", in: ExportCommand.spec)
        }
        if let extra = options.operands.dropFirst().first {
            throw .usage("unexpected argument '\(extra)'", in: ExportCommand.spec)
        }
        let allowed = optionsByFormat[format]!.union(["--quiet", "--help"])
        let given = Set(options.values.keys).union(options.flags).union(options.repeated.keys)
        if let wrong = given.subtracting(allowed).sorted().first {
            throw .usage("\(wrong) does not apply to 'export \(format)'", in: ExportCommand.spec)
        }
        switch format {
        case "json", "csv": return try dump(format, options, environment)
        case "otlp":
            return try otlp(options, arguments: arguments, environment, network: network)
        default: return try prometheus(options, arguments: arguments, environment, transport: network?.transport)
        }
    }

    // MARK: json and csv

    /// Prints the events that pass the report's filters: JSON lines in tlm's event
    /// format, or CSV with a header (`EventDump`).
    static func dump(_ format: String, _ options: ParsedOptions, _ environment: Environment) throws(CLIError) -> Int32 {
        let query = try ReportCommand.query(options)
        let files = options.repeated["--file"] ?? []
        if files.filter({ $0 == "-" }).count > 1 {
            throw .usage("--file - (standard input) can be given only once", in: ExportCommand.spec)
        }
        let source: EventDump.Source = files.isEmpty ? .home(try CLI.home(environment)) : .files(files)
        let malformed: Int
        do {
            malformed = try EventDump.run(format == "csv" ? .csv : .json, source, query: query) { Console.out($0) }
        } catch {
            throw CLIError(error)
        }
        if malformed > 0, !options.flags.contains("--quiet") {
            Console.warn("skipped \(SkippedLines.notEvents(malformed))")
        }
        return ExitStatus.success
    }

    // MARK: otlp

    /// `tlm export otlp`: the options, then `OTLPExporter`; its outcome printed.
    ///
    /// Exit status: 0 when every pending event was delivered (or there was none),
    /// 1 when delivery stopped (the rest wait for the next export) or the collector
    /// rejected spans (`partial_success`: they are not sent again), 64 for bad usage.
    static func otlp(
        _ options: ParsedOptions, arguments: [String], _ environment: Environment, network: NetworkHalf?
    ) throws(CLIError) -> Int32 {
        let auto = options.flags.contains("--auto")
        let quiet = auto || options.flags.contains("--quiet")
        let dryRun = options.flags.contains("--dry-run")
        let output = options.values["--output"]
        if dryRun && output != nil { throw .usage("--dry-run and --output cannot go together", in: ExportCommand.spec) }
        if auto && (dryRun || output != nil) {
            throw .usage("--auto sends: it cannot go with --dry-run or --output", in: ExportCommand.spec)
        }
        if output != nil && (options.values["--endpoint"] != nil || options.repeated["--header"] != nil) {
            throw .usage("--output writes a file: --endpoint and --header do not apply", in: ExportCommand.spec)
        }
        // The file is OTLP/JSON lines, never compressed: an option saying otherwise was not meant for it.
        if output != nil && (options.values["--protocol"] != nil || options.values["--compression"] != nil) {
            throw .usage(
                "--output writes OTLP/JSON lines: --protocol and --compression do not apply", in: ExportCommand.spec)
        }
        let batchSize = try positiveNumber(options, "--batch-size", default: defaultBatchSize, range: 1...100_000)
        let retries = try positiveNumber(options, "--retries", default: defaultRetries, range: 0...100)
        let timeout = try timeout(options)

        // Sending needs the network: tlm-export's (tlm hands over to it here).
        if output == nil && !dryRun && network == nil { throw handOver(arguments) }

        let home = try CLI.home(environment)
        let settings = Settings.load(home: home, environment: environment)
        var destination: OTLPDestination?
        if output == nil {
            switch OTLPDestination.resolve(
                endpoint: options.values["--endpoint"], headers: options.repeated["--header"] ?? [], timeout: timeout,
                protocol: options.values["--protocol"], compression: options.values["--compression"],
                environment: environment, settings: settings)
            {
            case .success(let resolved): destination = resolved
            case .failure(let error):
                if auto { return ExitStatus.failure }
                throw .usage(error.description, in: ExportCommand.spec)
            }
        }
        // After the destination: when it cannot be resolved, its one line says why.
        if !quiet { for problem in settings.problems { Console.warn(problem) } }
        if let destination, environment["TLM_DEBUG"].map({ !$0.isEmpty && $0 != "0" }) ?? false {
            Console.warn(
                "debug: export to \(destination.url) (\(destination.urlSource)) as \(destination.format.description)")
        }
        let serviceName = destination?.serviceName ?? settings.serviceName
        let exporter = OTLPExporter(
            home: home,
            encoder: OTLPTraces(resource: .init(serviceName: serviceName, serviceVersion: CommandCatalog.version)),
            batchSize: batchSize, userAgent: "tlm/\(CommandCatalog.version)", auto: auto,
            exportInterval: settings.exportInterval, compressor: network?.compressor)
        let mode: OTLPExporter.Mode
        if dryRun {
            mode = .dryRun(destination)
        } else if let output {
            mode = .write(path: output) { () throws(ExportError) -> Int32 in try openOutput(output) }
        } else {
            mode = .send(destination!, delivery(network!.transport, retries: retries, quiet: quiet))
        }
        let outcome: OTLPOutcome
        do {
            outcome = try exporter.run(mode)
        } catch {
            throw CLIError(error)
        }
        if case .planned(let report) = outcome { Console.out(report) }
        var answers = CollectorAnswers()
        if case .exported(let summary) = outcome { answers = summary.answers }
        if case .stopped(_, _, let said) = outcome { answers = said }
        // Rejections are a failure, so they are shown even with --quiet (not with --auto, which has no terminal).
        if !auto { for line in answers.rejections { Console.fail("tlm export: " + line) } }
        if !quiet, let warning = answers.unreadableWarning { Console.warn(warning) }
        if !quiet, let message = outcome.message { Console.warn(message) }
        if case .stopped = outcome { return ExitStatus.failure }
        if answers.hasRejections { return ExitStatus.failure }
        return ExitStatus.success
    }

    /// Opens `--output` by the output-file rule (OutputFile): a FIFO or a device is
    /// written in place, a folder, a socket or a block device refused.
    static func openOutput(_ path: String) throws(ExportError) -> Int32 {
        if path == "-" { return 1 }
        do {
            if try OutputFile.writesInPlace(path) { return try OutputFile.openInPlace(path) }
        } catch {
            throw .output(error.text)
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .output("cannot write \(path): \(Errno(errno).message)") }
        return fd
    }

    // MARK: prometheus

    /// `tlm export prometheus --textfile PATH | --push URL`: the options, then
    /// `PrometheusExporter`. The textfile is written atomically and readable by
    /// others (node_exporter runs as its own user).
    static func prometheus(
        _ options: ParsedOptions, arguments: [String], _ environment: Environment, transport: (any HTTPTransport)?
    ) throws(CLIError) -> Int32 {
        let quiet = options.flags.contains("--quiet")
        let textfile = options.values["--textfile"]
        let push = options.values["--push"]
        guard (textfile == nil) != (push == nil) else {
            throw .usage("give one of --textfile PATH or --push URL", in: ExportCommand.spec)
        }
        if push == nil, options.values["--job"] != nil || options.values["--instance"] != nil {
            throw .usage("--job and --instance go with --push", in: ExportCommand.spec)
        }
        if push == nil, options.values["--timeout"] != nil || options.values["--retries"] != nil {
            throw .usage("--timeout and --retries go with --push", in: ExportCommand.spec)
        }
        let retries = try positiveNumber(options, "--retries", default: defaultRetries, range: 0...100)
        let timeout = try timeout(options) ?? 10_000_000_000
        var url: HTTPURL?
        if let push {
            do {
                url = try PrometheusExporter.pushURL(
                    push, job: options.values["--job"], instance: options.values["--instance"])
            } catch {
                throw CLIError(error)
            }
            if transport == nil { throw handOver(arguments) }
        }

        let home = try CLI.home(environment)
        let exposition: PrometheusExposition
        do {
            exposition = try PrometheusExporter.exposition(home)
        } catch {
            throw CLIError(error)
        }
        if let textfile {
            if !textfile.hasSuffix(".prom") && !quiet {
                Console.warn("node_exporter's textfile collector reads only files ending in .prom")
            }
            try AtomicFile.saveOutput(exposition.text(), to: textfile, mode: 0o644)
            if !quiet { Console.warn(PrometheusOutcome.written(events: exposition.events, to: textfile).message) }
            return ExitStatus.success
        }
        let outcome = PrometheusExporter.push(
            exposition, to: url!, timeout: timeout, userAgent: "tlm/\(CommandCatalog.version)",
            delivery(transport!, retries: retries, quiet: quiet))
        if case .stopped = outcome {
            Console.warn(outcome.message)
            return ExitStatus.failure
        }
        if !quiet { Console.warn(outcome.message) }
        return ExitStatus.success
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
            "cannot start \(helper), tlm's network half (\(Errno(code).message)): "
                + "install it beside tlm (Debian: the tlm-export package; 'make install' and the archive's install.sh do)"
        )
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

    static func positiveNumber(_ options: ParsedOptions, _ name: String, default value: Int, range: ClosedRange<Int>)
        throws(CLIError) -> Int
    {
        guard let text = options.values[name] else { return value }
        guard !text.isEmpty, text.utf8.count <= 9, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let number = Int(text), range.contains(number)
        else {
            throw .usage(
                "\(name) '\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)",
                in: ExportCommand.spec)
        }
        return number
    }

    static func timeout(_ options: ParsedOptions) throws(CLIError) -> UInt64? {
        guard let text = options.values["--timeout"] else { return nil }
        guard let nanoseconds = DurationValue.nanoseconds(text), nanoseconds > 0,
            nanoseconds <= 3_600_000_000_000
        else {
            throw .usage(
                "--timeout '\(text)' is not a duration from 1ms to 1h (\(DurationValue.forms))", in: ExportCommand.spec)
        }
        return nanoseconds
    }

    /// The delivery loop's settings: `--retries`, the backoff, and the retry notes unless quiet.
    static func delivery(_ transport: any HTTPTransport, retries: Int, quiet: Bool) -> Delivery {
        let backoff = Backoff(base: Delivery.firstBackoff, maximum: Delivery.longestBackoff)
        var random = SystemRandom()
        return Delivery(
            transport: transport, retries: retries, backoff: { backoff.delay(retry: $0, using: &random) },
            onRetry: { if !quiet { Console.warn($0) } })
    }
}

extension CLIError {
    /// An export's error as the command line shows it: a usage error (64) or a failure (1).
    init(_ error: ExportError) {
        if case .usage(let text) = error {
            self = .usage(text, in: ExportCommand.spec)
        } else {
            self = .failure(error.description)
        }
    }

    /// The sentence, without the `tlm:` prefix and help hint `message` adds.
    var text: String {
        switch self {
        case .usage(let text, _), .failure(let text): return text
        }
    }
}

extension ExportCommand: Subcommand {
    static let spec = CommandSpec(
        "export", arguments: "json | csv | otlp | prometheus [OPTIONS]",
        "Hand the events to other tools: JSON lines, CSV, an OpenTelemetry collector, Prometheus",
        options: [
            OptionSpec("--since", value: "WHEN", "json, csv: only runs that started at or after WHEN"),
            OptionSpec("--until", value: "WHEN", "json, csv: only runs that started before WHEN"),
            OptionSpec("--target", value: "NAME", repeatable: true, "json, csv: only this target"),
            OptionSpec("--domain", value: "NAME", repeatable: true, "json, csv: only this domain"),
            OptionSpec("--command", value: "NAME", "json, csv: only runs of this program"),
            OptionSpec("--failed", "json, csv: only runs that did not succeed"),
            OptionSpec(
                "--file", value: "PATH", repeatable: true,
                "json, csv: read PATH instead of the log (- for standard input)"),
            OptionSpec("--endpoint", value: "URL", "otlp: the collector's OTLP/HTTP address (/v1/traces is added)"),
            OptionSpec("--header", value: "NAME=VALUE", repeatable: true, "otlp: send this HTTP header too"),
            OptionSpec("--batch-size", value: "N", "otlp: events per request (default 512)"),
            OptionSpec(
                "--timeout", value: "DURATION", "otlp, --push: the longest wait for an answer (default 10s)"),
            OptionSpec("--retries", value: "N", "otlp, --push: tries again up to N times (default 5)"),
            OptionSpec("--output", value: "FILE", "otlp: write the requests to FILE instead of sending them"),
            OptionSpec("--dry-run", "otlp: show what would be sent, send nothing"),
            OptionSpec("--auto", "otlp: as run's automatic export: silent, skipped when one is running"),
            OptionSpec(
                "--protocol", value: "PROTOCOL", "otlp: http/protobuf (the default) or http/json"),
            OptionSpec(
                "--compression", value: "NAME", "otlp: gzip the request bodies, or none (the default)"),
            OptionSpec("--textfile", value: "PATH", "prometheus: write the metrics to PATH (a .prom file)"),
            OptionSpec("--push", value: "URL", "prometheus: send the metrics to this Pushgateway"),
            OptionSpec("--job", value: "NAME", "prometheus --push: the job label (default tlm)"),
            OptionSpec("--instance", value: "NAME", "prometheus --push: an instance label (default none)"),
            OptionSpec("--quiet", "Print nothing but errors"),
        ],
        operands: .accepted)

    static func main(_ invocation: Invocation) throws(CLIError) -> Int32 {
        try main(
            invocation.options, arguments: invocation.arguments, invocation.environment, network: invocation.network)
    }
}
