import TLMSystem

/// Small wrappers over the C library, shared by the recorder's files.
enum POSIX {
    /// `lstat`, or nil when the path does not exist or cannot be examined.
    static func lstatInfo(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }

    static func isRegularFile(_ info: stat) -> Bool { (info.st_mode & S_IFMT) == S_IFREG }
    static func isDirectory(_ info: stat) -> Bool { (info.st_mode & S_IFMT) == S_IFDIR }

    /// Writes `bytes` with one `write(2)`, retrying only when nothing was written
    /// (EINTR). On an `O_APPEND` descriptor that one call is what keeps a line
    /// whole among concurrent writers; writing the rest of a short write later
    /// could put another writer's line inside this one. Returns 0, or an errno
    /// value (ENOSPC for a short write: the disk or the file-size limit is full).
    static func writeOnce(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        switch valueOrErrno({ write(fd, bytes.baseAddress!, bytes.count) }) {
        case .failure(let error): return error.rawValue
        case .success(let written): return written == bytes.count ? 0 : shortWriteCause(fd)
        }
    }

    /// Why a write stopped short: the file-size limit (EFBIG) when the file has
    /// reached it, else a full disk (ENOSPC).
    static func shortWriteCause(_ fd: Int32) -> Int32 {
        let resource = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
        var limit = rlimit()
        var info = stat()
        if getrlimit(resource, &limit) == 0, limit.rlim_cur != rlim_t.max, fstat(fd, &info) == 0,
            UInt64(info.st_size) >= UInt64(limit.rlim_cur)
        {
            return EFBIG
        }
        return ENOSPC
    }

    /// Why tlm must not write to a file or folder described by `info`, or nil
    /// when it may: it must belong to the user tlm runs as, and neither group
    /// nor others may write to it (another user could otherwise replace or
    /// forge what tlm writes there). `fix` is the command that makes it safe.
    static func unsafeReason(_ info: stat, isFolder: Bool, path: String) -> String? {
        if info.st_uid != geteuid() {
            // The fix for another user's folder is a folder of one's own; tlm cannot chown.
            let fix = isFolder ? "set TLM_HOME to a folder of your own" : "remove it (rm \(path))"
            return "it belongs to another user (uid \(info.st_uid)): \(fix)"
        }
        if info.st_mode & 0o022 != 0 {
            return "group or others may write to it (chmod \(isFolder ? "700" : "600") \(path))"
        }
        return nil
    }

    /// Creates a folder and its missing parents with mode 0700.
    /// Returns 0, or the errno value of the step that failed.
    static func makeFolders(_ path: String) -> Int32 {
        if let info = lstatInfo(path) {
            // stat (not lstat) so that a folder reached through a symbolic link still counts.
            var target = stat()
            if isDirectory(info) || (stat(path, &target) == 0 && isDirectory(target)) { return 0 }
            return ENOTDIR
        }
        let parent = parentFolder(of: path)
        if parent != path, !parent.isEmpty {
            let code = makeFolders(parent)
            if code != 0 { return code }
        }
        if mkdir(path, 0o700) != 0 {
            let code = errno
            return code == EEXIST ? 0 : code
        }
        // mkdir's mode is filtered by the umask: make it exactly 0700 whatever the umask.
        _ = chmod(path, 0o700)
        return 0
    }

    static func parentFolder(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }
}
