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
    ///
    /// A value that is not UTF-8 is refused, not repaired: its bytes would come
    /// back as U+FFFD, the path of another folder.
    public static func resolve(_ environment: Environment = .process) throws(RecorderError) -> TelemetryHome {
        if let home = environment["TLM_HOME"], !home.isEmpty {
            guard home.hasPrefix("/") else { throw .relativeHome(home) }
            return TelemetryHome(folder: try text(home, "TLM_HOME"))
        }
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return TelemetryHome(folder: try text(state, "XDG_STATE_HOME") + "/tlm")
        }
        if let home = environment["HOME"], !home.isEmpty {
            return TelemetryHome(folder: try text(home, "HOME") + "/.local/state/tlm")
        }
        throw .noHomeFolder
    }

    /// `value`, unless it holds U+FFFD, which is what bytes that are not UTF-8 become
    /// when read into a String.
    private static func text(_ value: String, _ variable: String) throws(RecorderError) -> String {
        // 0xEF leads U+FFFD's UTF-8: most paths need no scan of their scalars.
        if value.utf8.contains(0xEF), value.unicodeScalars.contains("\u{FFFD}") {
            throw .homeNotText(variable: variable)
        }
        return value
    }

    /// Whether the opt-in marker is there (a regular file, not a link to one).
    public var markerExists: Bool {
        guard let info = POSIX.lstatInfo(markerPath) else { return false }
        return POSIX.isRegularFile(info)
    }
}
