import TLMSystem

/// The system's description of an errno value, lower-case first: `Errno.message`.
/// Kept under this name for the callers not yet moved to `Errno`.
public enum SystemMessage {
    /// `Errno(code).message`: "read-only file system".
    public static func describe(_ code: Int32) -> String { Errno(code).message }
}
