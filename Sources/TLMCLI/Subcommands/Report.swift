import TLMRecorder
import TLMReport
import TLMSupervisor

/// `tlm report [OPTIONS]`: what do I run, how often does it fail, how long
/// does it take, and is it getting slower? Streams the log (and its rotated
/// siblings) or the files given, then renders the summary as text, JSON, CSV
/// or Markdown on stdout, and as HTML to a file.
enum ReportCommand {
    static func main(_ options: ParsedOptions, _ environment: Environment) throws(CLIError) -> Int32 {
        let query = try self.query(options)
        let format = try self.format(options)
        let files = try self.files(options)
        let summary = try read(files, query, environment)

        // `--html FILE` alone writes only the file; with `--format`, stdout gets that format too.
        if let html = options.values["--html"] {
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
        case "markdown":
            if summary.logIsEmpty {
                // The text report's hint, as one escaped line: file names are the user's.
                Console.out(Escaping.markdown(String(emptyLogText(files: files, environment).dropLast())) + "\n")
            } else {
                Console.out(ReportMarkdown(summary: summary).render())
            }
        default:
            if summary.logIsEmpty {
                Console.out(emptyLogText(files: files, environment))
            } else {
                let style = TerminalStyle.detect(environment, forceASCII: options.flags.contains("--ascii"))
                Console.out(TextReport(summary: summary, style: style).render())
            }
        }
        return ExitStatus.success
    }

    /// `--format`: text (the default), json, csv or markdown.
    static func format(_ options: ParsedOptions) throws(CLIError) -> String {
        let format = options.values["--format"] ?? "text"
        guard ["text", "json", "csv", "markdown"].contains(format) else {
            throw .usage(
                "--format '\(format)' is not a format: use text, json, csv or markdown", in: ReportCommand.spec)
        }
        return format
    }

    /// The `--file` arguments; standard input (`-`) at most once, since it can be read only once.
    static func files(_ options: ParsedOptions) throws(CLIError) -> [String] {
        let files = options.repeated["--file"] ?? []
        if files.filter({ $0 == "-" }).count > 1 {
            throw .usage("--file - (standard input) can be given only once", in: ReportCommand.spec)
        }
        return files
    }

    /// The summary of `files`, or of the log and its rotated siblings when none is given.
    static func read(_ files: [String], _ query: ReportQuery, _ environment: Environment) throws(CLIError)
        -> ReportSummary
    {
        let sources: [ReportSource]
        if files.isEmpty {
            sources = ReportSource.logFiles(in: try CLI.home(environment))
        } else {
            sources = files.map(ReportSource.init(fileArgument:))
        }
        do {
            return try Report.summarize(query, sources: sources)
        } catch {
            throw .failure(error.description)
        }
    }

    /// What the text report says when there is nothing to report: why, and what would help.
    static func emptyLogText(files: [String], _ environment: Environment) -> String {
        if files.isEmpty, let problem = try? CLI.home(environment).folderProblem() {
            // Recording is refused there: 'tlm on' would not help, the fix in the message would.
            return "No events recorded: \(problem.description).\n"
        }
        return files.isEmpty
            ? "No events recorded yet: 'tlm on' starts recording, then 'tlm run -- COMMAND'.\n"
            : "No events in \(files.joined(separator: ", ")).\n"
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
            throw .usage(error.description, in: ReportCommand.spec)
        }
    }
}

extension ReportCommand: Subcommand {
    static let spec = CommandSpec(
        "report", arguments: "[OPTIONS]",
        "Summarise the recorded runs: counts, failures, durations, activity, what changed",
        options: [
            OptionSpec(
                "--since", value: "WHEN", "Only runs that started at or after WHEN (7d, 12h, 2026-01-01, ISO 8601)"),
            OptionSpec("--until", value: "WHEN", "Only runs that started before WHEN (a date: to its end)"),
            OptionSpec("--target", value: "NAME", repeatable: true, "Only this target"),
            OptionSpec("--domain", value: "NAME", repeatable: true, "Only this domain"),
            OptionSpec("--command", value: "NAME", "Only runs of this program"),
            OptionSpec("--failed", "Only runs that did not succeed (failed or cancelled)"),
            OptionSpec("--by", value: "GROUP", "Group by target (default), domain, command, day or week"),
            OptionSpec("--top", value: "N", "Show the N largest groups (default 15; 0: all)"),
            OptionSpec("--format", value: "FORMAT", "text (default), json, csv or markdown"),
            OptionSpec("--html", value: "FILE", "Write a self-contained HTML report with SVG charts to FILE"),
            OptionSpec(
                "--file", value: "PATH", repeatable: true, "Read PATH instead of the log (- for standard input)"),
            OptionSpec("--ascii", "Draw with ASCII characters only"),
        ])

    static func main(_ invocation: Invocation) throws(CLIError) -> Int32 {
        try main(invocation.options, invocation.environment)
    }
}
