#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Small wrappers over the C library, shared by the recorder's files.
enum POSIX {
    /// The system's description of an errno value, lower-cased first letter
    /// ("read-only file system"), as it reads in the middle of a sentence.
    static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        var message = String(cString: text)
        if let first = message.first, first.isUppercase, !message.dropFirst().prefix(1).allSatisfy(\.isUppercase) {
            message = first.lowercased() + message.dropFirst()
        }
        return message
    }

    /// `lstat`, or nil when the path does not exist or cannot be examined.
    static func lstatInfo(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }

    static func isRegularFile(_ info: stat) -> Bool { (info.st_mode & S_IFMT) == S_IFREG }
    static func isDirectory(_ info: stat) -> Bool { (info.st_mode & S_IFMT) == S_IFDIR }

    /// Writes every byte, retrying on EINTR and short writes. Returns 0 or an errno value.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if written == 0 { return EIO }
            offset += written
        }
        return 0
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
