import TLMRecorder
import TLMReport
import TLMSystem

/// `tlm export json | csv`'s driver: the events that pass the report's
/// filters, as JSON lines in tlm's event format or as CSV with a header.
public enum EventDump {
    /// JSON lines in tlm's event format, or CSV with a header.
    public enum Format: Sendable {
        case json
        case csv
    }

    /// Where the events come from.
    public enum Source: Sendable {
        /// The log and its rotated files, oldest first (missing ones skipped).
        case home(TelemetryHome)
        /// Files the user named (`-`: standard input); each must exist.
        case files([String])
    }

    /// Hands `emit` the text, about 64 KiB at a time; returns the number of
    /// lines that are not events.
    public static func run(
        _ format: Format, _ source: Source, query: ReportQuery, emit: (String) -> Void
    ) throws(ExportError) -> Int {
        let paths: [String]
        let mustExist: Bool
        switch source {
        case .home(let home):
            paths = home.logFilesOldestFirst()
            mustExist = false
        case .files(let files):
            paths = files
            mustExist = true
        }
        var chunk = format == .csv ? EventCSV.header : ""
        var malformed = 0
        for path in paths {
            let count = try forEachEvent(in: path, mustExist: mustExist) { event in
                guard query.matches(event) else { return }
                chunk += format == .csv ? EventCSV.row(event) : EventEncoder.line(event)
                if chunk.utf8.count >= 65_536 {
                    emit(chunk)
                    chunk = ""
                }
            }
            malformed += count
        }
        emit(chunk)
        return malformed
    }

    /// Calls `body` with each event of a file (`-`: standard input); returns the
    /// number of lines that are not events.
    static func forEachEvent(in path: String, mustExist: Bool, _ body: (Event) -> Void) throws(ExportError) -> Int {
        let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT && !mustExist { return 0 }
            throw .log("cannot read \(path): \(Errno.current)")
        }
        defer { if fd != 0 { close(fd) } }
        do {
            return try EventLog.read(fd, path: path, body).malformedLines
        } catch {
            throw .log(error.description)
        }
    }
}

extension ReportQuery {
    /// Whether `event` passes the filters (as the report applies them).
    public func matches(_ event: Event) -> Bool {
        if let since, event.timestamp < since { return false }
        if let until, event.timestamp >= until { return false }
        if !targets.isEmpty, !targets.contains(event.target) { return false }
        if !domains.isEmpty, !(event.domain.map { domains.contains($0) } ?? false) { return false }
        if let command, event.command != command { return false }
        if failedOnly, event.signal == nil, event.exitCode == 0 { return false }
        return true
    }
}

/// How export names the lines it skipped.
public enum SkippedLines {
    /// `1 line that is not an event`, `3 lines that are not events`.
    public static func notEvents(_ count: Int) -> String {
        count == 1 ? "1 line that is not an event" : "\(count) lines that are not events"
    }
}
