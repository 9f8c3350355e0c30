import TLMRecorder

/// `tlm on` and `tlm off`: create or remove the opt-in marker.
enum OnOff {
    static func on(_ environment: Environment) throws(CLIError) -> Int32 {
        let home = try CLI.home(environment)
        do {
            try home.createMarker()
        } catch {
            throw .failure(error.description)
        }
        Console.out("telemetry on: each 'tlm run' appends one line to \(home.logPath)\n")
        let decision = Consent.decide(environment) { true }
        if !decision.enabled {
            Console.err("tlm: note: \(decision.explanation) in this environment, so nothing is recorded while it is\n")
        }
        return ExitStatus.success
    }

    static func off(_ environment: Environment) throws(CLIError) -> Int32 {
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
        let decision = Consent.decide(environment) { false }
        if decision.enabled {
            Console.err("tlm: note: \(decision.explanation) in this environment, so runs are still recorded\n")
        }
        return ExitStatus.success
    }
}
