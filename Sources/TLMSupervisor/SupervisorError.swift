import TLMSystem

/// tlm's own failures to start a command (the command's own failures are a
/// `TerminationStatus`, not an error).
public enum SupervisorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not in `PATH`, or no such file: the shell's 127.
    case commandNotFound(String)
    /// Found but cannot be executed: the shell's 126.
    case cannotExecute(String, errno: Int32)
    /// A file the kernel cannot execute, with binary data where a script without
    /// `#!` would have text: bash's "cannot execute binary file", 126.
    case binaryFile(String)
    /// The spawn itself failed (out of processes, out of memory): tlm's 125.
    case spawnFailed(String, errno: Int32)

    public var description: String {
        switch self {
        case .commandNotFound(let name):
            return name.contains("/") ? "\(name): No such file or directory" : "\(name): command not found"
        case .cannotExecute(let name, let code):
            return "\(name): \(String(cString: strerror(code)))"
        case .binaryFile(let name):
            return "\(name): cannot execute binary file"
        case .spawnFailed(let name, let code):
            return "cannot start \(name): \(String(cString: strerror(code)))"
        }
    }

    /// The exit status a shell would give: 127, 126, or tlm's 125.
    public var exitStatus: Int32 {
        switch self {
        case .commandNotFound: return ExitStatus.notFound
        case .cannotExecute, .binaryFile: return ExitStatus.cannotExecute
        case .spawnFailed: return ExitStatus.runFailure
        }
    }
}
