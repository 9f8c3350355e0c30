import TLMRecorder

/// Where a report reads events from.
public enum ReportSource: Sendable, Equatable {
    /// One of tlm's own log files (`usage.jsonl`, `usage.jsonl.N`): a missing one reads as empty;
    /// one that is not a regular file is an error, as for `tlm status`.
    case logFile(String)
    /// A file named on the command line (`--file PATH`): missing or unreadable is an error.
    /// FIFOs are accepted (`--file <(zcat old.jsonl.gz)`).
    case file(String)
    /// Standard input, descriptor 0 (`--file -`).
    case standardInput

    /// The source a `--file` argument names: `-` is standard input.
    public init(fileArgument: String) {
        self = fileArgument == "-" ? .standardInput : .file(fileArgument)
    }

    /// The path, or `-` for standard input.
    public var displayName: String {
        switch self {
        case .logFile(let path), .file(let path): return path
        case .standardInput: return "-"
        }
    }

    /// tlm's log and its rotated siblings, oldest first, by the one rule of
    /// `TelemetryHome.logFilesOldestFirst` (`usage.jsonl.N` … `.1`, then
    /// `usage.jsonl`; compressed ones such as `usage.jsonl.2.gz` are left alone).
    public static func logFiles(in home: TelemetryHome) -> [ReportSource] {
        home.logFilesOldestFirst().map(ReportSource.logFile)
    }
}
