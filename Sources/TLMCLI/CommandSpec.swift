/// One option a subcommand accepts.
public struct OptionSpec: Sendable, Equatable {
    /// The long name, with its dashes: `--target`.
    public let long: String
    /// The short name, if any: `-h`.
    public let short: String?
    /// The value's placeholder (`NAME`), or nil for a flag.
    public let valueName: String?
    /// One line of help.
    public let summary: String
    /// Whether the option may be given more than once, each value counting.
    public let repeatable: Bool

    public init(_ long: String, short: String? = nil, value: String? = nil, repeatable: Bool = false, _ summary: String)
    {
        self.long = long
        self.short = short
        self.valueName = value
        self.repeatable = repeatable
        self.summary = summary
    }
}

/// One subcommand: its name, synopsis and options. Help, the man page and the
/// completions are all checked against this table.
public struct CommandSpec: Sendable, Equatable {
    public let name: String
    /// Everything after `tlm NAME` in the synopsis.
    public let arguments: String
    public let summary: String
    public let options: [OptionSpec]

    public init(_ name: String, arguments: String = "", _ summary: String, options: [OptionSpec]) {
        self.name = name
        self.arguments = arguments
        self.summary = summary
        self.options = options + [CommandCatalog.helpOption]
    }

    /// The option called `name` (long or short form).
    func option(_ name: String) -> OptionSpec? {
        options.first { $0.long == name || $0.short == name }
    }
}

/// Every subcommand and option tlm knows.
public enum CommandCatalog {
    public static let version = "0.2.0"

    static let helpOption = OptionSpec("--help", short: "-h", "Show help for this subcommand")

    /// Options of `tlm` itself, before any subcommand.
    public static let globalOptions: [OptionSpec] = [
        OptionSpec("--help", short: "-h", "Show help"),
        OptionSpec("--version", short: "-V", "Show tlm's version"),
    ]

    public static let commands: [CommandSpec] = [
        CommandSpec(
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
            ]),
        CommandSpec("on", "Opt in: record events from now on", options: []),
        CommandSpec("off", "Opt out: record nothing more (recorded data is kept)", options: []),
        CommandSpec(
            "status", arguments: "[--json]",
            "Say whether telemetry is on and why, where data lives, and how much there is",
            options: [OptionSpec("--json", "Print the status as one JSON object")]),
        CommandSpec(
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
            ]),
        CommandSpec(
            "config", arguments: "list | get KEY | set KEY VALUE | unset KEY",
            "Show or change the settings in config.json (every key, its value and where it came from)",
            options: []),
        CommandSpec(
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
            ]),
        CommandSpec(
            "shell-init", arguments: "bash | zsh | fish [--wrap LIST] [--uninstall]",
            "Print the code that makes your shell run the commands in 'wrap' through tlm run",
            options: [
                OptionSpec("--wrap", value: "LIST", "Wrap these commands (make,terraform) instead of the wrap key's"),
                OptionSpec("--uninstall", "Print the code that removes the wrappers"),
            ]),
        CommandSpec("clear", "Delete every file tlm wrote (logs, marker, config, lock), naming each", options: []),
        CommandSpec(
            "log", arguments: "--target NAME --duration SECONDS --exit-code N [OPTIONS]",
            "Record an event measured outside tlm (when telemetry is on)",
            options: [
                OptionSpec("--target", value: "NAME", "The target (a plain word); required"),
                OptionSpec("--duration", value: "SECONDS", "How long it took, in seconds (1.5); required"),
                OptionSpec("--exit-code", value: "N", "Its exit status, 0 to 255; required"),
                OptionSpec("--domain", value: "NAME", "The domain (a plain word)"),
                OptionSpec("--command", value: "NAME", "The program's name (a plain word)"),
            ]),
        CommandSpec("help", arguments: "[SUBCOMMAND]", "Show help for tlm or one subcommand", options: []),
    ]

    public static func command(_ name: String) -> CommandSpec? {
        commands.first { $0.name == name }
    }
}
