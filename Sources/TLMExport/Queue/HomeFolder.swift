import TLMRecorder
import TLMSystem

extension TelemetryHome {
    /// Whether the data folder exists (links followed): without it, no event was ever recorded.
    var hasFolder: Bool { Folder.exists(folder) }
}
