import TLMRecorder
import TLMSystem

/// Reads a small regular file of tlm's own (no link followed, no FIFO waited on).
enum SmallFile {
    /// The file's bytes, nil when it does not exist; the error says why it cannot be read.
    static func read(_ path: String, limit: Int) throws(ExportError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .cursor("cannot read \(path): \(SystemMessage.describe(errno))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size <= limit else {
            throw .cursor("\(path) is not a file tlm wrote: delete it to export every event again")
        }
        var bytes = [UInt8](repeating: 0, count: limit + 1)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { readSome(fd, $0.baseAddress! + count, $0.count - count) }
            if got < 0 && errno == EINTR { continue }
            if got < 0 { throw .cursor("cannot read \(path): \(SystemMessage.describe(errno))") }
            if got == 0 { break }
            count += got
        }
        return Array(bytes[0..<min(count, limit)])
    }
}

/// `read(2)`, under a name the enum's own `read` does not hide.
private func readSome(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
