import TLMRecorder
import TLMSystem

/// Writes a whole file at once: to a temporary file beside it, then renamed
/// into place, so that a reader never sees half of it and a failure leaves
/// any earlier version whole. The file is private to the user (0600), like
/// everything tlm writes.
enum AtomicFile {
    /// Writes `text` to `path` with `mode` (0600 unless a reader of another user
    /// needs it); an error says what failed, as a sentence. For tlm's own files;
    /// a file the user names goes through `saveOutput`.
    static func save(_ text: String, to path: String, mode: mode_t = 0o600) throws(CLIError) {
        do throws(SystemFile.ReplaceError) {
            try SystemFile.replace(path, with: text, mode: mode)
        } catch {
            throw .failure("cannot write \(path): \(error)")
        }
    }

    /// Writes `text` to a file the user named (`--logbook`, `report --html`,
    /// `prometheus --textfile`) by the output-file rule (`OutputFile`): a new or
    /// regular file is replaced atomically (`save`); a FIFO, a character device
    /// or a terminal, and a link of the user's (or root's, like `/dev/stdout`),
    /// are written in place, as a shell's `>` would.
    static func saveOutput(_ text: String, to path: String, mode: mode_t = 0o600) throws(CLIError) {
        guard try OutputFile.writesInPlace(path) else { return try save(text, to: path, mode: mode) }
        let fd = try OutputFile.openInPlace(path)
        var code = Console.writeAll(fd, text)
        if close(fd) != 0 && code == 0 { code = errno }
        if code != 0 { throw failure(path, code) }
    }

    private static func failure(_ path: String, _ code: Int32) -> CLIError {
        .failure("cannot write \(path): \(Errno(code).message)")
    }
}

/// The output-file rule, for every file the user names: only a regular file
/// (or a new one) is replaced; a FIFO, a character device (`/dev/null`, a
/// terminal) is written in place, so that it stays what it is; a symbolic link
/// is written through when it is the user's or root's (`/dev/stdout`), refused
/// when another user's (it could lead anywhere); a folder, a socket and a
/// block device are refused.
enum OutputFile {
    /// Whether `path` is written in place (true) or replaced (false); throws
    /// when the rule refuses it.
    static func writesInPlace(_ path: String) throws(CLIError) -> Bool {
        var info = stat()
        if lstat(path, &info) != 0 {
            if errno == ENOENT { return false }
            throw .failure("cannot write \(path): \(Errno.current.message)")
        }
        if (info.st_mode & S_IFMT) == S_IFLNK {
            if info.st_uid != geteuid() && info.st_uid != 0 {
                throw .failure(
                    "refusing to write to \(path): it is a symbolic link of another user (uid \(info.st_uid)); name another file"
                )
            }
            if stat(path, &info) != 0 {
                throw .failure("cannot write \(path): \(Errno.current.message) (a symbolic link to nothing)")
            }
            try check(info, path)
            return true
        }
        try check(info, path)
        return (info.st_mode & S_IFMT) != S_IFREG
    }

    /// Opens `path` to write in place: no creation (it exists), truncated when it is
    /// a regular file, and checked again once open (it may have been swapped).
    /// Opening a FIFO waits for its reader, as a shell's `>` does.
    static func openInPlace(_ path: String) throws(CLIError) -> Int32 {
        var info = stat()
        let fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw .failure("cannot write \(path): \(Errno.current.message)") }
        do throws(CLIError) {
            guard fstat(fd, &info) == 0 else {
                throw .failure("cannot write \(path): \(Errno.current.message)")
            }
            try check(info, path)
        } catch {
            close(fd)
            throw error
        }
        if (info.st_mode & S_IFMT) == S_IFREG && ftruncate(fd, 0) != 0 {
            let code = errno
            close(fd)
            throw .failure("cannot write \(path): \(Errno(code).message)")
        }
        return fd
    }

    /// Refuses what tlm never writes to: a folder, a socket, a block device.
    private static func check(_ info: stat, _ path: String) throws(CLIError) {
        switch info.st_mode & S_IFMT {
        case S_IFREG, S_IFIFO, S_IFCHR: return
        case S_IFDIR: throw .failure("cannot write \(path): it is a folder; name a file")
        default:
            throw .failure(
                "refusing to write to \(path): not a regular file, a FIFO or a character device; name another file")
        }
    }
}
