import TLMRecorder
import TLMSystem

extension TelemetryHome {
    /// Whether the data folder exists (links followed): without it, no event was ever recorded.
    var hasFolder: Bool {
        var info = stat()
        return stat(folder, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
