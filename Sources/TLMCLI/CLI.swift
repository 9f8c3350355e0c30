import CSystem
import TLMExport
import TLMRecorder

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `tlm` command line: turns argv into a subcommand call and an exit status.
public enum CLI {
    /// Runs tlm with the process's own arguments and ends the process. `tlm`
    /// has no `transport`: the subcommands that send over the network hand
    /// over to `tlm-export`, which gives one (see `ExportCommand`).
    public static func main(transport: (any HTTPTransport)? = nil) -> Never {
        tlm_restore_environment()  // before anything reads it, the command's environment included
        let arguments = ProcessArguments.strings
        if transport != nil, arguments.count < 2 || arguments[1] != "export" {
            Console.err("tlm-export: tlm's network half runs only 'export': use 'tlm export FORMAT …'\n")
            exit(ExitStatus.usage)
        }
        // `run` reads the command's arguments as raw C strings, so that bytes that
        // are not valid UTF-8 reach the command unchanged.
        if arguments.count >= 2, arguments[1] == "run" {
            Run.main(arguments: arguments, rawArguments: ProcessArguments.raw().argv)
        }
        exit(dispatch(Array(arguments.dropFirst()), environment: .process, transport: transport))
    }

    /// Runs a subcommand other than `run` and returns the exit status, having
    /// printed any error once, here.
    static func dispatch(
        _ arguments: [String], environment: Environment, transport: (any HTTPTransport)? = nil
    ) -> Int32 {
        do {
            return Console.finish(try route(arguments, environment: environment, transport: transport))
        } catch {
            Console.fail(error.message)
            if case .usage = error { return ExitStatus.usage }
            return ExitStatus.failure
        }
    }

    private static func route(
        _ arguments: [String], environment: Environment, transport: (any HTTPTransport)?
    ) throws(CLIError) -> Int32 {
        guard let first = arguments.first else {
            throw .usage(
                "missing subcommand; one of: \(CommandCatalog.commands.map(\.name).joined(separator: ", "))",
                subcommand: nil)
        }
        let rest = Array(arguments.dropFirst())
        switch first {
        case "--help", "-h", "--version", "-V":
            if let extra = rest.first { throw .usage("unexpected argument '\(extra)' after \(first)", subcommand: nil) }
            Console.out(first == "--help" || first == "-h" ? Help.overview() : "tlm \(CommandCatalog.version)\n")
            return ExitStatus.success
        case "help":
            return try Help.main(rest)
        default:
            break
        }
        guard let spec = CommandCatalog.command(first) else {
            if first.hasPrefix("-") { throw .usage("unknown option '\(first)'", subcommand: nil) }
            throw .usage("unknown subcommand '\(first)'", subcommand: nil)
        }
        let options = try OptionParser.parse(rest, spec)
        if options.flags.contains("--help") {
            Console.out(Help.text(for: spec))
            return ExitStatus.success
        }
        if spec.name == "config" { return try ConfigCommand.main(options.operands, environment) }
        if spec.name == "shell-init" { return try ShellInit.main(options, environment) }
        if spec.name == "export" {
            return try ExportCommand.main(options, arguments: rest, environment, transport: transport)
        }
        if let extra = options.operands.first {
            throw .usage("unexpected argument '\(extra)'", subcommand: spec.name)
        }
        switch spec.name {
        case "on": return try OnOff.on(environment)
        case "off": return try OnOff.off(environment)
        case "status": return try Status.main(options, environment)
        case "report": return try ReportCommand.main(options, environment)
        case "clear": return try Clear.main(environment)
        case "log": return try Log.main(options, environment)
        default: throw .usage("unknown subcommand '\(first)'", subcommand: nil)
        }
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
