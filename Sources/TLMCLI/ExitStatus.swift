/// tlm's fixed exit statuses. `run` exits with the command's own status;
/// the rest are tlm's.
public enum ExitStatus {
    public static let success: Int32 = 0
    /// A subcommand other than `run` failed at run time.
    public static let failure: Int32 = 1
    /// A usage error in a subcommand other than `run` (`EX_USAGE`).
    public static let usage: Int32 = 64
    /// `run`: tlm failed before the command started (bad option, cannot spawn).
    public static let runFailure: Int32 = 125
    /// `run`: the command was found but cannot be executed.
    public static let cannotExecute: Int32 = 126
    /// `run`: the command was not found.
    public static let notFound: Int32 = 127
}
