import TLMRecorder
import TLMReport

/// `tlm report [OPTIONS]`: what do I run, how often does it fail, how long
/// does it take, and is it getting slower? Streams the log (and its rotated
/// siblings) or the files given, then renders the summary as text, JSON or
/// CSV on stdout, and as HTML to a file.
enum ReportCommand {
    static func main(_ options: ParsedOptions, _ environment: Environment) throws(CLIError) -> Int32 {
        let query = try self.query(options)
        let format = options.values["--format"] ?? "text"
        guard ["text", "json", "csv"].contains(format) else {
            throw .usage("--format '\(format)' is not a format: use text, json or csv", subcommand: "report")
        }
        let files = options.repeated["--file"] ?? []
        if files.filter({ $0 == "-" }).count > 1 {
            throw .usage("--file - (standard input) can be given only once", subcommand: "report")
        }
        let sources: [ReportSource]
        if files.isEmpty {
            sources = ReportSource.logFiles(in: try CLI.home(environment))
        } else {
            sources = files.map(ReportSource.init(fileArgument:))
        }

        let summary: ReportSummary
        do {
            summary = try Report.summarize(query, sources: sources)
        } catch {
            throw .failure(error.description)
        }

        // `--html FILE` alone writes only the file; with `--format`, stdout gets that format too.
        let html = options.values["--html"]
        if let html {
            let page = HTMLReport(summary: summary, generator: "tlm \(CommandCatalog.version)").render()
            try AtomicFile.saveOutput(page, to: html)
            Console.warn("report written to \(html)")
            if options.values["--format"] == nil { return ExitStatus.success }
        }
        switch format {
        case "json":
            Console.out(ReportJSON.encode(summary))
        case "csv":
            Console.out(ReportCSV.encode(summary))
        default:
            if summary.logIsEmpty {
                if files.isEmpty, let problem = try? CLI.home(environment).folderProblem() {
                    // Recording is refused there: 'tlm on' would not help, the fix in the message would.
                    Console.out("No events recorded: \(problem.description).\n")
                } else {
                    Console.out(
                        files.isEmpty
                            ? "No events recorded yet: 'tlm on' starts recording, then 'tlm run -- COMMAND'.\n"
                            : "No events in \(files.joined(separator: ", ")).\n")
                }
            } else {
                let style = TerminalStyle.detect(environment, forceASCII: options.flags.contains("--ascii"))
                Console.out(TextReport(summary: summary, style: style).render())
            }
        }
        return ExitStatus.success
    }

    /// The query the options describe; a bad value is a usage error (64) naming the accepted forms.
    static func query(_ options: ParsedOptions) throws(CLIError) -> ReportQuery {
        let now = Timestamp.now()
        do throws(ReportError) {
            var query = ReportQuery(now: now)
            if let since = options.values["--since"] { query.since = try ReportQuery.parseSince(since, now: now) }
            if let until = options.values["--until"] { query.until = try ReportQuery.parseUntil(until, now: now) }
            query.targets = options.repeated["--target"] ?? []
            query.domains = options.repeated["--domain"] ?? []
            query.command = options.values["--command"]
            query.failedOnly = options.flags.contains("--failed")
            if let by = options.values["--by"] { query.grouping = try ReportGrouping(parsing: by) }
            if let top = options.values["--top"] { query.top = try ReportQuery.parseTop(top) }
            return try query.validated()
        } catch {
            throw .usage(error.description, subcommand: "report")
        }
    }
}
