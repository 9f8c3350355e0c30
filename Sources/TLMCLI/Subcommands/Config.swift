import TLMRecorder
import TLMSupervisor

/// `tlm config list | get KEY | set KEY VALUE | unset KEY`: the keys of
/// `$TLM_HOME/config.json` (see `ConfigKey`), written atomically, 0600.
enum ConfigCommand: Subcommand {
    static let spec = CommandSpec(
        "config", arguments: "list | get KEY | set KEY VALUE | unset KEY",
        "Show or change the settings in config.json (every key, its value and where it came from)",
        options: [], operands: .accepted, notes: keyNotes())

    static func main(_ invocation: Invocation) throws(CLIError) -> Int32 {
        let operands = invocation.operands
        let environment = invocation.environment
        guard let action = operands.first else {
            throw .usage("missing action: list, get KEY, set KEY VALUE or unset KEY", in: spec)
        }
        let home = try CLI.home(environment)
        let arguments = Array(operands.dropFirst())
        switch action {
        case "list":
            try expect(arguments, count: 0, "list")
            return list(home, environment)
        case "get":
            try expect(arguments, count: 1, "get KEY")
            let key = try ConfigCommand.key(arguments[0])
            let settings = Settings.load(home: home, environment: environment)
            if let error = settings.configError { throw .failure(error.description) }
            Console.out((settings.text(of: key) ?? "") + "\n")
            return ExitStatus.success
        case "set":
            try expect(arguments, count: 2, "set KEY VALUE")
            let key = try ConfigCommand.key(arguments[0])
            guard let value = key.parse(text: arguments[1]) else {
                if key.kind == .commands {  // the bad name and the rule, as shell-init --wrap says it
                    throw .usage("\(key.name) '\(arguments[1])': \(WrapList.problem(arguments[1]))", in: spec)
                }
                let why = key.kind == .url ? HTTPURL.problem(arguments[1]) : "is not valid: use \(key.forms)"
                throw .usage("\(key.name) '\(key.shown(arguments[1]))' \(why)", in: spec)
            }
            var values = try current(home, replacing: key).filter { $0.key != key }
            values.append((key, value))
            try save(values, home)
            // Shown as status shows it: an API key does not belong in a terminal's scrollback.
            Console.out("\(key.name) = \(key.shown(value.text))\n")
            return ExitStatus.success
        case "unset":
            try expect(arguments, count: 1, "unset KEY")
            let key = try ConfigCommand.key(arguments[0])
            let values = try current(home, replacing: key)
            // Set, or set to what a later rule refuses (the file reads only without it).
            if (try? ConfigFile.load(home)).map({ $0.contains { $0.key == key } }) ?? true {
                try save(values, home)
                Console.out(
                    "\(key.name) unset (\(key.defaultText.map { "default: " + ($0.isEmpty ? "none" : $0) } ?? "not set"))\n"
                )
            } else {
                Console.out("\(key.name) was not set\n")
            }
            return ExitStatus.success
        default:
            throw .usage(
                "unknown action '\(action)': use list, get KEY, set KEY VALUE or unset KEY", in: spec)
        }
    }

    /// The keys, for `--help`: each with its default and the environment variable that overrides it.
    private static func keyNotes() -> String {
        var out = "\nKeys (default; the environment variable that overrides it):\n"
        let width = ConfigKey.all.map(\.name.count).max() ?? 0
        for key in ConfigKey.all {
            let fallback = key.defaultText.map { $0.isEmpty ? "none" : $0 } ?? "not set"
            out += "  " + key.name.padding(width) + "  " + key.summary + "\n"
            out += "  " + "".padding(width) + "  (" + fallback + "; " + key.environment + ")\n"
        }
        return out
    }

    /// Every key, its effective value and where it came from; the file's problem first, if any.
    static func list(_ home: TelemetryHome, _ environment: Environment) -> Int32 {
        let settings = Settings.load(home: home, environment: environment)
        Console.out(rows(settings))
        for problem in settings.problems { Console.warn(problem) }
        return settings.configError == nil ? ExitStatus.success : ExitStatus.failure
    }

    /// `KEY  VALUE  (SOURCE)` lines, aligned; also shown by `tlm status`.
    static func rows(_ settings: Settings) -> String {
        let values = ConfigKey.all.map { key -> (String, String) in
            let text = settings.displayText(of: key).map { $0.isEmpty ? "(none)" : $0 } ?? "-"
            switch settings.source(of: key) {
            case .defaultValue: return (text, key == .enabled ? "not set" : "default")
            case .config: return (text, "config.json")
            case .environment: return (text, key.environment)
            }
        }
        let nameWidth = ConfigKey.all.map(\.name.count).max() ?? 0
        let valueWidth = values.map(\.0.count).max() ?? 0
        var out = ""
        for (key, (value, origin)) in zip(ConfigKey.all, values) {
            out += key.name.padding(nameWidth + 2) + value.padding(valueWidth + 2) + "(" + origin + ")\n"
        }
        return out
    }

    private static func key(_ name: String) throws(CLIError) -> ConfigKey {
        guard let key = ConfigKey.named(name) else {
            throw .usage(
                "unknown key '\(name)': use one of \(ConfigKey.all.map(\.name).joined(separator: ", "))",
                in: spec)
        }
        return key
    }

    private static func expect(_ arguments: [String], count: Int, _ form: String) throws(CLIError) {
        guard arguments.count == count else {
            throw .usage("use 'tlm config \(form)'", in: spec)
        }
    }

    /// The keys set now; a file that cannot be used is never overwritten (but
    /// for `replacing`'s value, which the caller replaces or removes).
    private static func current(_ home: TelemetryHome, replacing: ConfigKey? = nil) throws(CLIError) -> [(
        key: ConfigKey, value: ConfigValue
    )] {
        do {
            return try ConfigFile.load(home, replacing: replacing)
        } catch {
            throw .failure("\(error.description); fix it, or remove it to start again")
        }
    }

    private static func save(_ values: [(key: ConfigKey, value: ConfigValue)], _ home: TelemetryHome) throws(CLIError) {
        do {
            try home.checkFolder()  // the data-folder rule, secrets included
            try home.createFolder()
        } catch {
            throw .failure(error.description)
        }
        try AtomicFile.save(ConfigFile.encode(values), to: home.configPath)
    }
}
