import TLMRecorder
import TLMSystem

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

    /// tlm's log and its rotated siblings, oldest first: `usage.jsonl.N` for
    /// every N found in the folder, highest first (`.3`, `.2`, `.1`), then
    /// `usage.jsonl`.
    ///
    /// The folder is listed rather than probed `.1`, `.2`… so that a gap
    /// (a deleted `.2`) hides no older file. Only names that are exactly
    /// `usage.jsonl.` followed by a number without leading zeros count:
    /// compressed ones (`usage.jsonl.2.gz`) are left alone.
    public static func logFiles(in home: TelemetryHome) -> [ReportSource] {
        let base = "usage.jsonl"
        var rotated: [(number: Int, name: String)] = []
        if let folder = opendir(home.folder) {
            defer { closedir(folder) }
            while let entry = readdir(folder) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
                }
                if let number = rotationNumber(name, base: base) { rotated.append((number, name)) }
            }
        }
        rotated.sort { $0.number > $1.number }
        return rotated.map { .logFile(home.folder + "/" + $0.name) } + [.logFile(home.logPath)]
    }

    /// N for `usage.jsonl.N` (N from 1, no leading zero, at most 9 digits), else nil.
    static func rotationNumber(_ name: String, base: String) -> Int? {
        guard name.hasPrefix(base + ".") else { return nil }
        let suffix = name.utf8.dropFirst(base.utf8.count + 1)
        guard !suffix.isEmpty, suffix.count <= 9, suffix.first != UInt8(ascii: "0"),
            suffix.allSatisfy({ $0 >= 48 && $0 <= 57 })
        else { return nil }
        return Int(String(decoding: suffix, as: UTF8.self))
    }
}
