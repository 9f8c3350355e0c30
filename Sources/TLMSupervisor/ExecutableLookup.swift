import TLMSystem

/// Finds the program to run the way a POSIX shell does.
///
/// A name with a `/` is used as it is. Any other name is looked up in each
/// folder of `PATH` in turn (an empty entry meaning the current folder); the
/// first regular file that is executable wins. A file found but not executable
/// is remembered: if nothing better turns up, that is "permission denied" (126)
/// rather than "not found" (127), as in bash and dash. So is a folder of that
/// name (`tlm run -- .`): 126, as `exec .` in both shells and GNU `env` and `timeout`.
public enum ExecutableLookup {
    public enum Outcome: Sendable, Equatable {
        case found(String)
        case notFound
        case notExecutable(String)
    }

    /// The search path used when `PATH` is unset, as glibc's `execvp` uses.
    public static let defaultSearchPath = "/bin:/usr/bin"

    public static func resolve(_ name: String, searchPath: String?) -> Outcome {
        let outcome = name.withCString { name in
            if let searchPath { return searchPath.withCString { resolve(name, searchPath: $0) } }
            return resolve(name, searchPath: nil)
        }
        // A C string's bytes up to its NUL, invalid UTF-8 repaired (as String(cString:) did).
        func text(_ path: [CChar]) -> String {
            String(decoding: path.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        switch outcome {
        case .found(let path): return .found(text(path))
        case .notFound: return .notFound
        case .notExecutable(let path): return .notExecutable(text(path))
        }
    }

    /// What the lookup on bytes found: a path as a NUL-terminated C string.
    public enum RawOutcome: Sendable, Equatable {
        case found([CChar])
        case notFound
        case notExecutable([CChar])
    }

    /// The lookup on bytes, as the kernel sees paths: a name or a `PATH` folder
    /// that is not UTF-8 is found as it is (a `String` would repair its bytes
    /// into U+FFFD, another path).
    public static func resolve(_ name: UnsafePointer<CChar>, searchPath: UnsafePointer<CChar>?) -> RawOutcome {
        let nameLength = strlen(name)
        if nameLength == 0 { return .notFound }
        if strchr(name, 0x2F) != nil { return .found(Array(UnsafeBufferPointer(start: name, count: nameLength + 1))) }
        guard let searchPath else { return defaultSearchPath.withCString { resolve(name, searchPath: $0) } }
        var deniedCandidate: [CChar]?
        var entry = searchPath
        while true {
            var end = entry
            while end.pointee != 0 && end.pointee != 0x3A { end += 1 }  // to the next ':'
            let length = end - entry
            // An empty entry is the current folder.
            var candidate: [CChar] = length == 0 ? [0x2E] : Array(UnsafeBufferPointer(start: entry, count: length))
            if candidate.last != 0x2F { candidate.append(0x2F) }
            candidate.append(contentsOf: UnsafeBufferPointer(start: name, count: nameLength + 1))
            var info = stat()
            if stat(candidate, &info) == 0 {
                let type = info.st_mode & S_IFMT
                if type == S_IFREG && access(candidate, X_OK) == 0 { return .found(candidate) }
                if deniedCandidate == nil && (type == S_IFREG || type == S_IFDIR) { deniedCandidate = candidate }
            }
            if end.pointee == 0 { break }
            entry = UnsafePointer(end + 1)
        }
        if let deniedCandidate { return .notExecutable(deniedCandidate) }
        return .notFound
    }
}
