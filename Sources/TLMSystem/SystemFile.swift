/// Whole-file reads and whole writes, on top of `read(2)` and `write(2)`.
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
}
