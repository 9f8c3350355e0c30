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
        let agreed = try agreeConfig(home, enabled: true)
        let settings = Settings.load(home: home, environment: environment)
        let decision = Consent.decide(environment, configEnabled: settings.configEnabled) { true }
        // The headline says what is true now: the environment can overrule the marker.
        if decision.enabled {
            Console.out("telemetry on: each 'tlm run' appends one line to \(home.logPath)\n")
        } else {
            Console.out(
                "telemetry stays off in this environment: \(decision.explanation)"
                    + " (opted in: runs are recorded where it is not)\n")
        }
        if let agreed { Console.out(agreed) }
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
        let agreed = try agreeConfig(home, enabled: false)
        let settings = Settings.load(home: home, environment: environment)
        let decision = Consent.decide(environment, configEnabled: settings.configEnabled) { false }
        let kept = EventLog(home: home).sizeInBytes > 0
        if decision.enabled {
            Console.out(
                "telemetry stays on in this environment: \(decision.explanation)"
                    + " (opted out: nothing is recorded where it does not)\n")
        } else if kept {
            Console.out("telemetry off: data kept in \(home.logPath) ('tlm clear' deletes it)\n")
        } else {
            Console.out("telemetry off\n")
        }
        if let agreed { Console.out(agreed) }
        return ExitStatus.success
    }
}

/// When `config.json` sets `enabled` the other way, it would overrule the
/// marker: `tlm on` and `tlm off` set it too, and return the line that says so
/// (printed after the headline). A config.json that cannot be read is left alone.
private func agreeConfig(_ home: TelemetryHome, enabled: Bool) throws(CLIError) -> String? {
    guard let values = try? ConfigFile.load(home),
        let entry = values.first(where: { $0.key == .enabled }), entry.value != .bool(enabled)
    else { return nil }
    do {
        try home.checkFolder()
    } catch {
        throw .failure(error.description)
    }
    var updated = values.filter { $0.key != .enabled }
    updated.append((.enabled, .bool(enabled)))
    try AtomicFile.save(ConfigFile.encode(updated), to: home.configPath)
    return "config.json: enabled set to \(enabled)\n"
}
