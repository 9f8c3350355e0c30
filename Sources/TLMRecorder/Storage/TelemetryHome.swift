/// Where tlm keeps its data: `$TLM_HOME` if set, else
/// `${XDG_STATE_HOME:-$HOME/.local/state}/tlm`.
///
/// Inside: `enabled` (the opt-in marker: presence means opted in) and
/// `usage.jsonl` (the event log, one JSON line per run). The folder is created
/// 0700 and its files 0600.
public struct TelemetryHome: Sendable, Equatable {
    /// The data folder.
    public let folder: String

    public init(folder: String) {
        var trimmed = folder
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.folder = trimmed
    }

    /// The opt-in marker file.
    public var markerPath: String { folder + "/enabled" }
    /// The event log.
    public var logPath: String { folder + "/usage.jsonl" }

    /// The data folder named by the environment.
    ///
    /// A relative `XDG_STATE_HOME` is ignored, as the XDG specification requires;
    /// a relative `TLM_HOME` is an error: it would put the data wherever each
    /// command happens to run.
    public static func resolve(_ environment: Environment = .process) throws(RecorderError) -> TelemetryHome {
        if let home = environment["TLM_HOME"], !home.isEmpty {
            guard home.hasPrefix("/") else { throw .relativeHome(home) }
            return TelemetryHome(folder: home)
        }
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return TelemetryHome(folder: state + "/tlm")
        }
        if let home = environment["HOME"], !home.isEmpty {
            return TelemetryHome(folder: home + "/.local/state/tlm")
        }
        throw .noHomeFolder
    }

    /// Whether the opt-in marker is there (a regular file, not a link to one).
    public var markerExists: Bool {
        guard let info = POSIX.lstatInfo(markerPath) else { return false }
        return POSIX.isRegularFile(info)
    }
}
