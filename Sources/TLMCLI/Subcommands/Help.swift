import TLMRecorder
import TLMSupervisor

/// `tlm help [SUBCOMMAND]`, `tlm --help`, `tlm SUBCOMMAND --help`: to stdout.
enum Help: Subcommand {
    static let spec = CommandSpec(
        "help", arguments: "[SUBCOMMAND]", "Show help for tlm or one subcommand", options: [], operands: .unparsed)

    static func main(_ invocation: Invocation) throws(CLIError) -> Int32 {
        let arguments = invocation.arguments
        guard let name = arguments.first else {
            Console.out(overview())
            return ExitStatus.success
        }
        if arguments == ["--help"] || arguments == ["-h"] {
            Console.out(text(for: spec))
            return ExitStatus.success
        }
        guard arguments.count == 1, let named = CommandCatalog.command(name) else {
            let names = CommandCatalog.commands.map(\.name)
            let guess = arguments.count == 1 ? Suggestion.hint(name, among: names) : ""
            let list = guess.isEmpty ? ": the subcommands are " + names.joined(separator: ", ") : guess
            throw .usage("no help for '\(arguments.joined(separator: " "))'" + list, in: spec)
        }
        Console.out(text(for: named))
        return ExitStatus.success
    }

    static func overview() -> String {
        var out = """
            tlm \(CommandCatalog.version): wrap commands and keep private, local, opt-in telemetry of them.

            Usage: tlm SUBCOMMAND [OPTIONS]

            Subcommands:

            """
        let width = CommandCatalog.commands.map(\.name.count).max() ?? 0
        for command in CommandCatalog.commands {
            out += "  " + command.name.padding(width) + "  " + command.summary + "\n"
        }
        out += "\nOptions:\n"
        out += optionLines(CommandCatalog.globalOptions)
        out += """

            Nothing is recorded until you opt in ('tlm on' or TLM_TELEMETRY=1).
            'tlm help SUBCOMMAND' or 'tlm SUBCOMMAND --help' tells more; 'man tlm' tells all.

            """
        return out
    }

    static func text(for spec: CommandSpec) -> String {
        var out = "Usage: tlm \(spec.name)"
        if !spec.arguments.isEmpty { out += " " + spec.arguments }
        out += "\n\n\(spec.summary).\n\nOptions:\n"
        out += optionLines(spec.options)
        out += spec.notes
        return out
    }

    private static func optionLines(_ options: [OptionSpec]) -> String {
        let labels = options.map { option -> String in
            var label = option.short.map { "\($0), " } ?? "    "
            label += option.long
            if let value = option.valueName { label += " " + value }
            return label
        }
        let width = labels.map(\.count).max() ?? 0
        var out = ""
        for (label, option) in zip(labels, options) {
            out +=
                "  " + label.padding(width) + "  " + option.summary + (option.repeatable ? " (repeatable)" : "") + "\n"
        }
        return out
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
