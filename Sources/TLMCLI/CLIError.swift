/// A failure of tlm's own, printed once, from one place, as a sentence.
enum CLIError: Error {
    /// Bad usage of the subcommand `spec` describes (of tlm itself when nil): a
    /// one-line message, then a hint to its help.
    case usage(String, in: CommandSpec? = nil)
    /// A run-time failure: a one-line message.
    case failure(String)

    /// The line printed on stderr.
    var message: String {
        switch self {
        case .usage(let text, let spec):
            let help = spec.map { "tlm \($0.name) --help" } ?? "tlm --help"
            let prefix = spec.map { "tlm \($0.name)" } ?? "tlm"
            return "\(prefix): \(text) (try '\(help)')"
        case .failure(let text):
            return "tlm: \(text)"
        }
    }
}
