#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds the program to run the way a POSIX shell does.
///
/// A name with a `/` is used as it is. Any other name is looked up in each
/// folder of `PATH` in turn (an empty entry meaning the current folder); the
/// first regular file that is executable wins. A file found but not executable
/// is remembered: if nothing better turns up, that is "permission denied" (126)
/// rather than "not found" (127), as in bash and dash.
public enum ExecutableLookup {
    public enum Outcome: Sendable, Equatable {
        case found(String)
        case notFound
        case notExecutable(String)
    }

    /// The search path used when `PATH` is unset, as glibc's `execvp` uses.
    public static let defaultSearchPath = "/bin:/usr/bin"

    public static func resolve(_ name: String, searchPath: String?) -> Outcome {
        if name.isEmpty { return .notFound }
        if name.contains("/") { return .found(name) }
        var deniedCandidate: String?
        for entry in (searchPath ?? defaultSearchPath).split(separator: ":", omittingEmptySubsequences: false) {
            let folder = entry.isEmpty ? "." : String(entry)
            let candidate = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var info = stat()
            guard stat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            if access(candidate, X_OK) == 0 { return .found(candidate) }
            if deniedCandidate == nil { deniedCandidate = candidate }
        }
        if let deniedCandidate { return .notExecutable(deniedCandidate) }
        return .notFound
    }
}
