/// Whole-file reads, whole writes and atomic replacement, on top of `read(2)`,
/// `write(2)` and `rename(2)`.
public enum SystemFile {
    /// Why `read(_:limit:)` returned no bytes.
    public enum ReadError: Error, Sendable, Equatable {
        /// `open` failed: `ENOENT` when the file is missing, `ELOOP` when it is a symbolic link.
        case cannotOpen(Errno)
        /// `fstat` failed.
        case cannotExamine(Errno)
        /// It is a folder, a FIFO, a device or a socket.
        case notARegularFile
        /// It holds more than `limit` bytes (when opened, or by the time it was read).
        case tooLarge
        /// `read` failed.
        case cannotRead(Errno)
    }

    /// The bytes of the regular file at `path`, if it holds at most `limit` bytes.
    ///
    /// A symbolic link in its place is not followed (`O_NOFOLLOW`: `ELOOP`) and
    /// a FIFO is not waited on (`O_NONBLOCK`), so that a file planted in place of
    /// one of tlm's can neither redirect nor hang it. One byte more than `limit`
    /// is asked for, so that a file that grew after `fstat` is still caught.
    public static func read(_ path: String, limit: Int) throws(ReadError) -> [UInt8] {
        let fd: Int32
        switch valueOrErrno({ open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK) }) {
        case .success(let opened): fd = opened
        case .failure(let error): throw .cannotOpen(error)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotExamine(.current) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notARegularFile }
        guard info.st_size <= limit else { throw .tooLarge }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var count = 0
        reading: while count < bytes.count {
            let result = bytes.withUnsafeMutableBytes { buffer in
                valueOrErrno { Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count) }
            }
            switch result {
            case .failure(let error): throw .cannotRead(error)
            case .success(0): break reading
            case .success(let got): count += got
            }
        }
        guard count <= limit else { throw .tooLarge }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    /// Writes all of `bytes` to `fd`, resuming after a short write or an
    /// interruption; throws the error that stopped it (`EIO` when `write`
    /// wrote nothing). Not for tlm's log: see `POSIX.writeOnce` in TLMRecorder,
    /// whose single write keeps concurrent lines whole.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(Errno) {
        var offset = 0
        while offset < bytes.count {
            switch valueOrErrno({ write(fd, bytes.baseAddress! + offset, bytes.count - offset) }) {
            case .failure(let error): throw error
            case .success(0): throw Errno(EIO)
            case .success(let written): offset += written
            }
        }
    }

    /// Writes all of `text`'s UTF-8 to `fd`, as `writeAll(_:_:)` writes bytes.
    public static func writeAll(_ fd: Int32, _ text: String) throws(Errno) {
        var copy = text
        // `withUTF8` rethrows untyped: the error crosses it as a value.
        let written = copy.withUTF8 { bytes -> Result<Void, Errno> in
            do throws(Errno) {
                try writeAll(fd, UnsafeRawBufferPointer(bytes))
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try written.get()
    }

    /// Why `replace(_:with:mode:)` left the file as it was.
    public enum ReplaceError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The path ends with `/`: it names a folder, not a file.
        case notAFileName
        /// Creating, writing, syncing, closing or renaming the temporary file failed.
        case cannotWrite(Errno)

        /// What follows "cannot write PATH: " in a message: "not a file name", or the system's message.
        public var description: String {
            switch self {
            case .notAFileName: return "not a file name"
            case .cannotWrite(let error): return error.message
            }
        }
    }

    /// Replaces the file at `path` with `text`, at once: written to a temporary
    /// file beside it (`mkstemp`), given `mode` whatever the umask, synced, then
    /// renamed into place. A reader sees the earlier version or the new one,
    /// never half of one; on failure the temporary file is removed and the
    /// earlier version is left whole. `mode` is glibc's `mode_t`, spelled
    /// `UInt32`: a public signature naming the C typealias fails the release
    /// build in a file without a platform import of its own, as every file here is.
    public static func replace(_ path: String, with text: String, mode: UInt32 = 0o600) throws(ReplaceError) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { throw .notAFileName }
        var template = Array(((folder.isEmpty ? "" : folder) + "/." + name + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .cannotWrite(.current) }
        _ = fchmod(fd, mode)  // mkstemp's 0600, or what a reader of another user needs
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var failure: Errno?
        do throws(Errno) { try writeAll(fd, text) } catch { failure = error }
        if failure == nil && fsync(fd) != 0 { failure = .current }
        if close(fd) != 0 && failure == nil { failure = .current }
        if failure == nil && rename(temporary, path) != 0 { failure = .current }
        if let failure {
            unlink(temporary)
            throw .cannotWrite(failure)
        }
    }
}
