import TLMRecorder
import TLMSystem

/// Export's writes: an output whole, and its cursor replaced at once. (The
/// command line's `AtomicFile` does the same for its files; the cursor is
/// export's, so it is saved here.)
enum FileWrite {
    /// Writes all of `text` to `fd`: 0, or the errno that stopped it.
    static func all(_ fd: Int32, _ text: String) -> Int32 {
        var copy = text
        return copy.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written < 0 { return errno }
                if written == 0 { return EIO }
                offset += written
            }
            return 0
        }
    }

    /// Writes `text` to a temporary file beside `path` (0600), synced, then
    /// renamed into place: a reader never sees half of it, and a failure leaves
    /// the earlier version whole. The error is the sentence to show.
    static func atomically(_ text: String, to path: String) -> String? {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { return "cannot write \(path): not a file name" }
        var template = Array(((folder.isEmpty ? "" : folder) + "/." + name + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return "cannot write \(path): \(SystemMessage.describe(errno))" }
        _ = fchmod(fd, 0o600)  // whatever the umask
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var code = all(fd, text)
        if code == 0 && fsync(fd) != 0 { code = errno }
        if close(fd) != 0 && code == 0 { code = errno }
        if code == 0 && rename(temporary, path) != 0 { code = errno }
        guard code == 0 else {
            unlink(temporary)
            return "cannot write \(path): \(SystemMessage.describe(code))"
        }
        return nil
    }
}

extension TelemetryHome {
    /// Whether the data folder exists (links followed): without it, no event was ever recorded.
    var hasFolder: Bool {
        var info = stat()
        return stat(folder, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
