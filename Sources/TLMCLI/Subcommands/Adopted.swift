import TLMRecorder

// The subcommands whose files are being rewritten alongside this change: their
// specs and their `Subcommand` conformance, until each moves into its own file.

extension Run: Subcommand {
    static let spec = CommandSpec(
        "run", arguments: "[OPTIONS] [--] COMMAND [ARGS...]",
        "Run COMMAND exactly as without tlm, and record one event when telemetry is on",
        options: [
            OptionSpec("--target", value: "NAME", "Record NAME as the target instead of guessing it"),
            OptionSpec("--domain", value: "NAME", "Record NAME as the domain instead of the G= argument"),
            OptionSpec(
                "--timeout", value: "DURATION",
                "End COMMAND and all it started after DURATION (90s, 10m, 1h30m)"),
            OptionSpec(
                "--timeout-signal", value: "SIGNAL", "The signal sent first on timeout (default TERM; 0 sends none)"
            ),
            OptionSpec("--kill-after", value: "DURATION", "Then KILL what is left after DURATION (default 10s)"),
            OptionSpec("--retries", value: "N", "Rerun COMMAND up to N times while it fails"),
            OptionSpec(
                "--retry-delay", value: "DURATION", "The first wait between attempts (default 1s), doubling"),
            OptionSpec("--retry-max-delay", value: "DURATION", "The longest wait between attempts (default 60s)"),
            OptionSpec("--retry-on-timeout", "Retry after a timeout too"),
            OptionSpec("--quiet", "Say nothing between attempts"),
            OptionSpec(
                "--logbook", value: "FILE", "Write a JSON report of this run to FILE (even with telemetry off)"),
            OptionSpec("--no-trace-context", "Do not set TRACEPARENT in COMMAND's environment"),
        ],
        operands: .unparsed,
        notes: """

            tlm exits with COMMAND's own status (its last attempt's, with --retries);
            128+N (by dying of the same signal) when it died of signal N; 124 when
            --timeout expired; 125 when tlm fails before COMMAND starts (a bad option
            too); 126 when COMMAND cannot be executed; 127 when it is not found.

            """)

    /// `CLI.main` starts `run` before any routing (its fast path, on the
    /// process's own argv); this is for a call that reaches routing all the same.
    /// The words become C strings, as argv's would be.
    static func main(_ invocation: Invocation) throws(CLIError) -> Int32 {
        let arguments = ["tlm", "run"] + invocation.arguments
        let argv = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: arguments.count + 1)
        for (index, argument) in arguments.enumerated() {
            let bytes = argument.utf8CString
            argv[index] = .allocate(capacity: bytes.count)
            bytes.withUnsafeBufferPointer { argv[index]!.initialize(from: $0.baseAddress!, count: $0.count) }
        }
        argv[arguments.count] = nil
        main(arguments: arguments, rawArguments: argv)  // never returns: nothing to free
    }
}

extension Status: Subcommand {
    static let spec = CommandSpec(
        "status", arguments: "[--json]",
        "Say whether telemetry is on and why, where data lives, and how much there is",
        options: [OptionSpec("--json", "Print the status as one JSON object")])

    static func main(_ invocation: Invocation) throws(CLIError) -> Int32 {
        try main(invocation.options, invocation.environment)
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
            OptionSpec("--format", value: "FORMAT", "text (default), json or csv"),
            OptionSpec("--html", value: "FILE", "Write a self-contained HTML report with SVG charts to FILE"),
            OptionSpec(
                "--file", value: "PATH", repeatable: true, "Read PATH instead of the log (- for standard input)"),
            OptionSpec("--ascii", "Draw with ASCII characters only"),
        ])

    static func main(_ invocation: Invocation) throws(CLIError) -> Int32 {
        try main(invocation.options, invocation.environment)
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
            OptionSpec("--textfile", value: "PATH", "prometheus: write the metrics to PATH (a .prom file)"),
            OptionSpec("--push", value: "URL", "prometheus: send the metrics to this Pushgateway"),
            OptionSpec("--job", value: "NAME", "prometheus --push: the job label (default tlm)"),
            OptionSpec("--instance", value: "NAME", "prometheus --push: an instance label (default none)"),
            OptionSpec("--quiet", "Print nothing but errors"),
        ],
        operands: .accepted)

    static func main(_ invocation: Invocation) throws(CLIError) -> Int32 {
        try main(
            invocation.options, arguments: invocation.arguments, invocation.environment,
            transport: invocation.transport)
    }
}

extension Log: Subcommand {
    static let spec = CommandSpec(
        "log", arguments: "--target NAME --duration SECONDS --exit-code N [OPTIONS]",
        "Record an event measured outside tlm (when telemetry is on)",
        options: [
            OptionSpec("--target", value: "NAME", "The target (a plain word); required"),
            OptionSpec("--duration", value: "SECONDS", "How long it took, in seconds (1.5); required"),
            OptionSpec("--exit-code", value: "N", "Its exit status, 0 to 255; required"),
            OptionSpec("--domain", value: "NAME", "The domain (a plain word)"),
            OptionSpec("--command", value: "NAME", "The program's name (a plain word)"),
        ])

    static func main(_ invocation: Invocation) throws(CLIError) -> Int32 {
        try main(invocation.options, invocation.environment)
    }
}
