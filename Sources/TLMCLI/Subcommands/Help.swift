import TLMRecorder

/// `tlm help [SUBCOMMAND]`, `tlm --help`, `tlm SUBCOMMAND --help`: to stdout.
enum Help {
    static func main(_ arguments: [String]) throws(CLIError) -> Int32 {
        guard let name = arguments.first else {
            Console.out(overview())
            return ExitStatus.success
        }
        if arguments == ["--help"] || arguments == ["-h"] {
            Console.out(text(for: CommandCatalog.command("help")!))
            return ExitStatus.success
        }
        guard arguments.count == 1, let spec = CommandCatalog.command(name) else {
            throw .usage("no help for '\(arguments.joined(separator: " "))'", subcommand: "help")
        }
        Console.out(text(for: spec))
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
        if spec.name == "run" {
            out += """

                tlm exits with COMMAND's own status (its last attempt's, with --retries);
                128+N (by dying of the same signal) when it died of signal N; 124 when
                --timeout expired; 125 when tlm fails before COMMAND starts (a bad option
                too); 126 when COMMAND cannot be executed; 127 when it is not found.

                """
        }
        if spec.name == "config" {
            out += "\nKeys (default; the environment variable that overrides it):\n"
            let width = ConfigKey.all.map(\.name.count).max() ?? 0
            for key in ConfigKey.all {
                let fallback = key.defaultText.map { $0.isEmpty ? "none" : $0 } ?? "not set"
                out += "  " + key.name.padding(width) + "  " + key.summary + "\n"
                out += "  " + "".padding(width) + "  (" + fallback + "; " + key.environment + ")\n"
            }
        }
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
