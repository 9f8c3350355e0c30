/// What stops an export, as a sentence a user can act on.
public enum ExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The cursor cannot be read or saved.
    case cursor(String)
    /// A log file cannot be read, or a destination cannot be resolved.
    case log(String)
    /// Another export holds `export.lock` (its path): this one does not wait.
    case busy(String)
    /// The lock cannot be taken for another reason.
    case lock(String)
    /// The output (`--output`, a file the user named) cannot be written.
    case output(String)
    /// A bad option value, found by a driver: the command line shows it as a usage error.
    case usage(String)

    public var description: String {
        switch self {
        case .busy(let path): return "another export is running (\(path)): try again when it ends"
        case .cursor(let message), .log(let message), .lock(let message), .output(let message),
            .usage(let message):
            return message
        }
    }
}
