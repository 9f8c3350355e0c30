import TLMRecorder
import TLMSupervisor

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `tlm run [OPTIONS] [--] COMMAND [ARGS...]`
///
/// Runs COMMAND transparently (see `Supervisor`), again while it fails when
/// `--retries` asks for it, ending it when `--timeout` expires; then, only when
/// telemetry is on, appends one event for the whole run, and with `--logbook`
/// writes the run's logbook. Telemetry that fails prints one warning and
/// changes nothing else: tlm still exits as COMMAND did.
enum Run {
    /// tlm's status when the time limit expired (GNU `timeout`'s).
    static let timedOutStatus: Int32 = 124

    static func main(arguments: [String], rawArguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Never {
        var options: RunOptions
        do {
            options = try RunOptions.parse(arguments)
        } catch {
            Console.fail(error.message)
            exit(ExitStatus.runFailure)
        }
        if options.help {
            Console.out(Help.text(for: CommandCatalog.command("run")!))
            exit(Console.finish(ExitStatus.success))
        }
        let command = (options.commandStart..<arguments.count).map { rawArguments[$0]! }
        let commandArguments = Array(arguments[options.commandStart...])

        // Decide before the command runs (Recording), but touch no file yet.
        let environment = Environment.process
        let recording = Recorder(environment: environment).prepare(
            target: options.target, domain: options.domain, command: commandArguments)
        // config.json and the environment's overrides. One that cannot be used never
        // stops the command: one warning, and the defaults instead.
        for problem in recording.settings.problems {
            Console.warn("\(problem) (using the defaults; exit code unchanged)")
        }
        options.settle(with: recording.settings)
        let debug = environment["TLM_DEBUG"].map { !$0.isEmpty && $0 != "0" } ?? false
        if debug {
            Console.warn("debug: telemetry \(recording.isOn ? "on" : "off") (\(recording.consent.explanation))")
        }

        // With telemetry on, the run is a span of a W3C trace, and the command learns
        // it through TRACEPARENT, the one variable tlm may change (TraceContext).
        var childEnvironment: ChildEnvironment?
        if let trace = recording.trace, options.traceContext {
            childEnvironment = ChildEnvironment(setting: "TRACEPARENT", to: trace.childTraceparent)
        }

        // Every attempt starts with the signal mask tlm started with (the first one
        // leaves signals blocked in tlm, for the time between attempts).
        var startMask = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &startMask)
        var attempts = Attempts(options: options)
        while true {
            do {
                // Signals stay blocked after the command ends: a TERM that arrives while the
                // event is written must not cut tlm short with a status of its own.
                attempts.add(
                    try Supervisor.run(
                        command, environment: childEnvironment?.entries, timeLimit: options.timeLimit,
                        keepSignalsBlocked: true, signalMask: startMask))
            } catch {
                Console.warn(error.description)
                if attempts.results.isEmpty { exit(error.exitStatus) }
                // The command ran before and cannot be started now (removed meanwhile?):
                // stop retrying, and end as the last attempt ended.
                break
            }
            guard attempts.shouldRetry else { break }
            if !attempts.pauseBeforeRetry(program: CommandNaming.commandName(commandArguments[0])) { break }
        }

        // The command has ended: tlm's own dispositions no longer reach it. A warning
        // written to a closed pipe must not kill tlm with SIGPIPE (it would change the
        // exit status), nor must a file-size limit (ulimit -f) while appending: both
        // then fail with an error instead.
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
        if recording.isOn || options.logbook != nil {
            let event = event(attempts, recording, program: commandArguments[0])
            if recording.isOn { record(event, recording, debug: debug, environment: environment) }
            if let path = options.logbook {
                RunLogbook.write(RunLogbook.logbook(attempts, event, retries: options.retries), to: path)
            }
        }
        let last = attempts.results[attempts.results.count - 1]
        if last.timedOut { exit(timedOutStatus) }
        switch last.status {
        case .exited(let code): exit(code)
        case .signaled(let signal): Supervisor.terminate(bySignal: signal)
        }
    }

    /// The event of a finished run: one for all its attempts, named as `recording` names it.
    static func event(_ attempts: Attempts, _ recording: Recording, program: String) -> Event {
        let last = attempts.results[attempts.results.count - 1]
        var cpuUser = 0.0
        var cpuSystem = 0.0
        var maxRSS = 0
        for result in attempts.results {
            cpuUser += result.userCPUSeconds
            cpuSystem += result.systemCPUSeconds
            maxRSS = max(maxRSS, result.maxRSSKilobytes)
        }
        return Event(
            timestamp: Timestamp(millisecondsSinceEpoch: attempts.results[0].startedAtMilliseconds),
            target: recording.target,
            domain: recording.domain,
            durationSeconds: attempts.totalSeconds,
            exitCode: Int(attempts.exitStatus),
            command: CommandNaming.commandName(program),
            signal: attempts.signalName,
            cpuUserSeconds: cpuUser,
            cpuSystemSeconds: cpuSystem,
            maxRSSKilobytes: maxRSS,
            timedOut: last.timedOut,
            attempts: attempts.results.count)
    }

    /// Appends the run's event; telemetry that fails is one warning, never a change of exit status.
    static func record(_ event: Event, _ recording: Recording, debug: Bool, environment: Environment) {
        do throws(RecorderError) {
            let home = try recording.home()
            let placed = recording.placed(event)
            if debug { Console.warn("debug: event " + String(EventEncoder.line(placed).dropLast())) }
            try recording.append(placed)
            // export.auto: a background export, when one is due (its own session; never waited for).
            AutoExport.startIfDue(home, recording.settings, environment)
        } catch {
            Console.warn("\(error.description) (telemetry skipped; exit code unchanged)")
        }
    }
}
