import TLMSystem

/// Everything that can go wrong while locating, writing or reading tlm's data.
///
/// Each case prints as one sentence a user can act on.
public enum RecorderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No TLM_HOME, no absolute XDG_STATE_HOME and no HOME: nowhere to keep data.
    case noHomeFolder
    /// TLM_HOME is not an absolute path.
    case relativeHome(String)
    /// The variable naming the data folder is not UTF-8: tlm would otherwise
    /// read it repaired (U+FFFD), which names another folder.
    case homeNotText(variable: String)
    /// The data folder (or one of its parents) could not be created.
    case cannotCreateFolder(path: String, errno: Int32)
    /// The log (or marker) could not be opened or written.
    case cannotWrite(path: String, errno: Int32)
    /// The log could not be opened or read.
    case cannotRead(path: String, errno: Int32)
    /// A file could not be removed.
    case cannotRemove(path: String, errno: Int32)
    /// The log (or marker) is a folder, a FIFO, a device: not a regular file.
    case notARegularFile(path: String)
    /// A name given for the target, domain or command is not a plain word.
    case notAPlainWord(field: String, value: String)
    /// The folder or a file belongs to another user, or others may write to it:
    /// writing there could let another user redirect or forge tlm's data.
    case unsafe(path: String, reason: String)

    public var description: String {
        switch self {
        case .noHomeFolder:
            return "cannot locate tlm's data folder: set TLM_HOME, XDG_STATE_HOME or HOME"
        case .relativeHome(let path):
            return "TLM_HOME must be an absolute path, not '\(path)'"
        case .homeNotText(let variable):
            return "\(variable) is not valid UTF-8: set TLM_HOME to a folder whose path is UTF-8 text"
        case .cannotCreateFolder(let path, let code):
            return "cannot create \(path): \(Errno(code).message)"
        case .cannotWrite(let path, let code):
            return "cannot write \(path): \(Errno(code).message)"
        case .cannotRead(let path, let code):
            return "cannot read \(path): \(Errno(code).message)"
        case .cannotRemove(let path, let code):
            return "cannot remove \(path): \(Errno(code).message)"
        case .notARegularFile(let path):
            return "cannot use \(path): not a regular file"
        case .unsafe(let path, let reason):
            return "refusing to write to \(path): \(reason)"
        case .notAPlainWord(let field, let value):
            return
                "\(field) '\(value)' is not a plain word (letters, digits and ._:- only, at most \(PlainWord.maximumLength) characters)"
        }
    }
}
