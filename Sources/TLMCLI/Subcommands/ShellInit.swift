import TLMRecorder
import TLMSupervisor
import TLMSystem

/// `tlm shell-init bash|zsh|fish [--wrap LIST] [--uninstall]`: prints the code
/// (see `ShellCode`) that a shell's rc file evaluates:
/// `eval "$(tlm shell-init bash)"`. The commands are `--wrap`'s, else the
/// `wrap` key's.
enum ShellInit: Subcommand {
    static let spec = CommandSpec(
        "shell-init", arguments: "bash | zsh | fish [--wrap LIST] [--uninstall]",
        "Print the code that makes your shell run the commands in 'wrap' through tlm run",
        options: [
            OptionSpec("--wrap", value: "LIST", "Wrap these commands (make,terraform) instead of the wrap key's"),
            OptionSpec("--uninstall", "Print the code that removes the wrappers"),
        ],
        operands: .accepted)

    static func main(_ invocation: Invocation) throws(CLIError) -> Int32 {
        let options = invocation.options
        let environment = invocation.environment
        guard let name = options.operands.first else {
            throw .usage("missing shell: bash, zsh or fish", in: spec)
        }
        guard let shell = ShellCode.Shell(rawValue: name) else {
            throw .usage("unknown shell '\(name)': use bash, zsh or fish", in: spec)
        }
        if let extra = options.operands.dropFirst().first {
            throw .usage("unexpected argument '\(extra)'", in: spec)
        }
        if options.flags.contains("--uninstall") {
            if options.values["--wrap"] != nil {
                throw .usage("--uninstall removes every wrapper: --wrap does not apply", in: spec)
            }
            Console.out(ShellCode.uninstall(shell))
            return ExitStatus.success
        }
        var names: [String]
        if let list = options.values["--wrap"] {
            // The wrap key's rule (WrapList), so that what --wrap takes, config set takes.
            guard let parsed = WrapList.parse(list) else {
                throw .usage("--wrap '\(list)': \(WrapList.problem(list))", in: spec)
            }
            names = parsed
        } else {
            let home = try? TelemetryHome.resolve(environment)
            let settings = Settings.load(home: home, environment: environment)
            for problem in settings.problems { Console.warn(problem) }
            names = settings.wrap
        }
        var seen: Set<String> = []
        names = names.filter { seen.insert($0).inserted }
        if names.isEmpty {
            Console.warn(
                "nothing to wrap: 'tlm config set wrap make,terraform' (or --wrap) names the commands")
        }
        let tlm = selfPath(environment)
        // A path whose bytes are not UTF-8 (a folder named in Latin-1) reaches a String with
        // those bytes replaced: the code would look for tlm where it is not, and wrap nothing.
        if access(tlm, X_OK) != 0 {
            Console.warn(
                "\(tlm) is not tlm's path (a folder name that is not UTF-8?): the code printed wraps nothing; "
                    + "install tlm under a UTF-8 path")
        }
        Console.out(ShellCode.install(names, tlm: tlm, shell: shell))
        return ExitStatus.success
    }

    /// tlm's own path as the shell reaches it: `argv[0]` when it holds a `/`
    /// (made absolute), else where `PATH` finds `tlm` (a link is kept as a
    /// link, so that upgrading what it points to keeps working), else the
    /// running binary.
    static func selfPath(_ environment: Environment) -> String {
        let invoked = ProcessArguments.strings.first ?? "tlm"
        if invoked.contains("/") {
            if invoked.hasPrefix("/") { return invoked }
            var buffer = [CChar](repeating: 0, count: 4097)
            if getcwd(&buffer, 4096) != nil {
                let folder = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                return folder + "/" + (invoked.hasPrefix("./") ? String(invoked.dropFirst(2)) : invoked)
            }
        }
        if case .found(let path) = ExecutableLookup.resolve("tlm", searchPath: environment["PATH"]), path.hasPrefix("/")
        {
            return path
        }
        return ExportCommand.binaryFolder().map { $0 + "tlm" } ?? "tlm"
    }
}
