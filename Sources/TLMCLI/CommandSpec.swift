import CSystem

/// One option a subcommand accepts.
public struct OptionSpec: Sendable, Equatable {
    /// The long name, with its dashes: `--target`.
    public let long: String
    /// The short name, if any: `-h`.
    public let short: String?
    /// The value's placeholder (`NAME`), or nil for a flag.
    public let valueName: String?
    /// One line of help.
    public let summary: String
    /// Whether the option may be given more than once, each value counting.
    public let repeatable: Bool

    public init(_ long: String, short: String? = nil, value: String? = nil, repeatable: Bool = false, _ summary: String)
    {
        self.long = long
        self.short = short
        self.valueName = value
        self.repeatable = repeatable
        self.summary = summary
    }
}

/// One subcommand: its name, synopsis and options. Help, the man page and the
/// completions are all checked against the catalog's (see `Subcommand`).
public struct CommandSpec: Sendable, Equatable {
    /// What a subcommand takes besides its options.
    public enum Operands: Sendable, Equatable {
        /// Nothing: an operand is a usage error (`tlm on extra`).
        case rejected
        /// Operands, which the subcommand reads (`tlm config set KEY VALUE`).
        case accepted
        /// Words the subcommand parses itself, options included: `run`'s
        /// command, `help`'s subcommand name.
        case unparsed
    }

    public let name: String
    /// Everything after `tlm NAME` in the synopsis.
    public let arguments: String
    public let summary: String
    public let options: [OptionSpec]
    public let operands: Operands
    /// What `--help` prints after the options, from its blank line on; often empty.
    public let notes: String

    public init(
        _ name: String, arguments: String = "", _ summary: String, options: [OptionSpec],
        operands: Operands = .rejected, notes: String = ""
    ) {
        self.name = name
        self.arguments = arguments
        self.summary = summary
        self.options = options + [CommandCatalog.helpOption]
        self.operands = operands
        self.notes = notes
    }

    /// The option called `name` (long or short form).
    func option(_ name: String) -> OptionSpec? {
        options.first { $0.long == name || $0.short == name }
    }
}

/// Every subcommand and option tlm knows.
public enum CommandCatalog {
    public static let version = "0.3.0"

    /// What `tlm --version` prints: `tlm 0.3.0 (abc1234)`, with the commit the
    /// build was made from, or `tlm 0.3.0` alone when the build was not told one
    /// (`swift build`; only the Makefile's release builds are). Compiled in, so
    /// read only here, never on the run path.
    static var versionLine: String {
        let commit = String(cString: tlm_build_commit())
        return commit.isEmpty ? "tlm \(version)" : "tlm \(version) (\(commit))"
    }

    static let helpOption = OptionSpec("--help", short: "-h", "Show help for this subcommand")

    /// Options of `tlm` itself, before any subcommand.
    public static let globalOptions: [OptionSpec] = [
        OptionSpec("--help", short: "-h", "Show help"),
        OptionSpec("--version", short: "-V", "Show tlm's version"),
    ]

    /// Every subcommand, in the order help, the man page and the completions list them.
    static let subcommands: [any Subcommand.Type] = [
        Run.self, On.self, Off.self, Status.self, ReportCommand.self, ConfigCommand.self, ExportCommand.self,
        ShellInit.self, Clear.self, Log.self, Help.self,
    ]

    /// The subcommands' specs, in the same order.
    public static let commands: [CommandSpec] = subcommands.map { $0.spec }

    public static func command(_ name: String) -> CommandSpec? {
        commands.first { $0.name == name }
    }

    /// The subcommand called `name`.
    static func subcommand(_ name: String) -> (any Subcommand.Type)? {
        subcommands.first { $0.spec.name == name }
    }
}
