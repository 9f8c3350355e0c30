/// tlm's fixed exit statuses, all in one place. `run` exits with the command's
/// own status (128+N when it died of signal N); the rest are tlm's.
public enum ExitStatus {
    /// Done as asked.
    public static let success: Int32 = 0
    /// A subcommand other than `run` failed at run time.
    public static let failure: Int32 = 1
    /// A usage error in a subcommand other than `run` (`EX_USAGE`).
    public static let usage: Int32 = 64
    /// `run`: the time limit expired and tlm ended the command (GNU `timeout`'s).
    public static let timedOut: Int32 = 124
    /// `run`: tlm failed before the command started (bad option, cannot spawn).
    public static let runFailure: Int32 = 125
    /// `run`: the command was found but cannot be executed.
    public static let cannotExecute: Int32 = 126
    /// `run`: the command was not found.
    public static let notFound: Int32 = 127
}
