import CSystem
import TLMExport
import TLMRecorder
import TLMSupervisor
import TLMSystem

/// The `tlm` command line: turns argv into a subcommand call and an exit status.
public enum CLI {
    /// Runs tlm with the process's own arguments and ends the process. `tlm`
    /// has no `network`: the subcommands that send over the network hand over
    /// to `tlm-export`, which gives one (see `ExportCommand`).
    public static func main(network: NetworkHalf? = nil) -> Never {
        tlm_restore_environment()  // before anything reads it, the command's environment included
        let arguments = ProcessArguments.strings
        // tlm-export answers --version too, so that a package's two binaries can be checked alike.
        if network != nil, arguments.count < 2 || !["export", "--version", "-V"].contains(arguments[1]) {
            Console.err("tlm-export: tlm's network half runs only 'export': use 'tlm export FORMAT …'\n")
            exit(ExitStatus.usage)
        }
        // `run` reads the command's arguments as raw C strings, so that bytes that
        // are not valid UTF-8 reach the command unchanged.
        if arguments.count >= 2, arguments[1] == "run" {
            Run.main(arguments: arguments, rawArguments: ProcessArguments.raw().argv)
        }
        exit(dispatch(Array(arguments.dropFirst()), environment: .process, network: network))
    }

    /// Runs a subcommand other than `run` and returns the exit status, having
    /// printed any error once, here.
    static func dispatch(
        _ arguments: [String], environment: Environment, network: NetworkHalf? = nil
    ) -> Int32 {
        do {
            return Console.finish(try route(arguments, environment: environment, network: network))
        } catch {
            Console.fail(error.message)
            if case .usage = error { return ExitStatus.usage }
            return ExitStatus.failure
        }
    }

    /// Finds the subcommand by name in the catalog, parses its options against
    /// its spec (unless it parses its words itself) and calls it.
    static func route(
        _ arguments: [String], environment: Environment, network: NetworkHalf?
    ) throws(CLIError) -> Int32 {
        guard let first = arguments.first else {
            throw .usage("missing subcommand; one of: \(CommandCatalog.commands.map(\.name).joined(separator: ", "))")
        }
        let rest = Array(arguments.dropFirst())
        if ["--help", "-h", "--version", "-V"].contains(first) {
            if let extra = rest.first { throw .usage("unexpected argument '\(extra)' after \(first)") }
            Console.out(first == "--help" || first == "-h" ? Help.overview() : CommandCatalog.versionLine + "\n")
            return ExitStatus.success
        }
        guard let subcommand = CommandCatalog.subcommand(first) else {
            if first.hasPrefix("-") {
                let names = CommandCatalog.globalOptions.map(\.long)
                throw .usage("unknown option '\(first)'" + Suggestion.hint(first, among: names))
            }
            let names = CommandCatalog.commands.map(\.name)
            throw .usage("unknown subcommand '\(first)'" + Suggestion.hint(first, among: names))
        }
        let spec = subcommand.spec
        var options = ParsedOptions()
        if spec.operands != .unparsed {
            options = try OptionParser.parse(rest, spec)
            if options.flags.contains("--help") {
                Console.out(Help.text(for: spec))
                return ExitStatus.success
            }
            if spec.operands == .rejected, let extra = options.operands.first {
                throw .usage(unexpected(extra, after: rest, spec), in: spec)
            }
        }
        return try subcommand.main(
            Invocation(options: options, arguments: rest, environment: environment, network: network))
    }

    /// Why `extra` is unexpected. After an option's value it is most often the
    /// second word of that value: `--since 2 days`.
    private static func unexpected(_ extra: String, after arguments: [String], _ spec: CommandSpec) -> String {
        guard let index = arguments.firstIndex(of: extra), index >= 2,
            let option = spec.option(arguments[index - 2]), option.valueName != nil
        else { return "unexpected argument '\(extra)'" }
        let value = arguments[index - 1]
        var example = ""
        // `2 days` → `2d`: a number, then a word whose first letter is a unit.
        if !value.isEmpty, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let unit = extra.first, unit.isLetter {
            example = ", e.g. \(value)\(unit.lowercased())"
        }
        return "\(option.long) takes one word\(example), not '\(value) \(extra)'"
    }

    /// The data folder, or the error that says why there is none.
    static func home(_ environment: Environment) throws(CLIError) -> TelemetryHome {
        do {
            return try TelemetryHome.resolve(environment)
        } catch {
            throw .failure(error.description)
        }
    }
}
