import TLMRecorder
import TLMSupervisor

/// `tlm on`: create the opt-in marker.
enum On: Subcommand {
    static let spec = CommandSpec("on", "Opt in: record events from now on", options: [])

    static func main(_ invocation: Invocation) throws(CLIError) -> Int32 {
        let environment = invocation.environment
        let home = try CLI.home(environment)
        do {
            try home.createMarker()
        } catch {
            throw .failure(error.description)
        }
        Console.out("telemetry on: each 'tlm run' appends one line to \(home.logPath)\n")
        try agreeConfig(home, enabled: true)
        let settings = Settings.load(home: home, environment: environment)
        let decision = Consent.decide(environment, configEnabled: settings.configEnabled) { true }
        if !decision.enabled {
            Console.err("tlm: note: \(decision.explanation) in this environment, so nothing is recorded while it is\n")
        }
        return ExitStatus.success
    }
}

/// `tlm off`: remove the opt-in marker; recorded data is kept.
enum Off: Subcommand {
    static let spec = CommandSpec("off", "Opt out: record nothing more (recorded data is kept)", options: [])

    static func main(_ invocation: Invocation) throws(CLIError) -> Int32 {
        let environment = invocation.environment
        let home = try CLI.home(environment)
        do {
            try home.removeMarker()
        } catch {
            throw .failure(error.description)
        }
        if EventLog(home: home).sizeInBytes > 0 {
            Console.out("telemetry off: data kept in \(home.logPath) ('tlm clear' deletes it)\n")
        } else {
            Console.out("telemetry off\n")
        }
        try agreeConfig(home, enabled: false)
        let settings = Settings.load(home: home, environment: environment)
        let decision = Consent.decide(environment, configEnabled: settings.configEnabled) { false }
        if decision.enabled {
            Console.err("tlm: note: \(decision.explanation) in this environment, so runs are still recorded\n")
        }
        return ExitStatus.success
    }
}

/// When `config.json` sets `enabled` the other way, it would overrule the
/// marker: `tlm on` and `tlm off` set it too, and say so. A config.json that
/// cannot be read is left alone (the note below names its problem).
private func agreeConfig(_ home: TelemetryHome, enabled: Bool) throws(CLIError) {
    guard let values = try? ConfigFile.load(home),
        let entry = values.first(where: { $0.key == .enabled }), entry.value != .bool(enabled)
    else { return }
    do {
        try home.checkFolder()
    } catch {
        throw .failure(error.description)
    }
    var updated = values.filter { $0.key != .enabled }
    updated.append((.enabled, .bool(enabled)))
    try AtomicFile.save(ConfigFile.encode(updated), to: home.configPath)
    Console.out("config.json: enabled set to \(enabled)\n")
}
