/// A failure of tlm's own, printed once, from one place, as a sentence.
enum CLIError: Error {
    /// Bad usage of `subcommand`: a one-line message, then a hint to its help.
    case usage(String, subcommand: String?)
    /// A run-time failure: a one-line message.
    case failure(String)

    /// The line printed on stderr.
    var message: String {
        switch self {
        case .usage(let text, let subcommand):
            let help = subcommand.map { "tlm \($0) --help" } ?? "tlm --help"
            let prefix = subcommand.map { "tlm \($0)" } ?? "tlm"
            return "\(prefix): \(text) (try '\(help)')"
        case .failure(let text):
            return "tlm: \(text)"
        }
    }
}
