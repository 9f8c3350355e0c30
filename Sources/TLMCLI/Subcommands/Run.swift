import TLMRecorder
import TLMSupervisor
import TLMSystem

/// `tlm run [OPTIONS] [--] COMMAND [ARGS...]`
///
/// Runs COMMAND transparently (see `Supervisor`), again while it fails when
/// `--retries` asks for it, ending it when `--timeout` expires; then, only when
/// telemetry is on, appends one event for the whole run, and with `--logbook`
/// writes the run's logbook. Telemetry that fails prints one warning and
/// changes nothing else: tlm still exits as COMMAND did.
enum Run {
    static func main(arguments: [String], rawArguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Never {
        var options: RunOptions
        do {
            options = try RunOptions.parse(arguments)
        } catch {
            Console.fail(error.message)
            exit(ExitStatus.runFailure)
        }
        if options.help {
            Console.out(Help.text(for: spec))
            exit(Console.finish(ExitStatus.success))
        }
        let command = (options.commandStart..<arguments.count).map { rawArguments[$0]! }
        let commandArguments = Array(arguments[options.commandStart...])

        // Decide before the command runs (Recording), but touch no file yet.
        let environment = Environment.process
        let recording = Recorder(environment: environment).prepare(
            target: options.target, domain: options.domain, command: commandArguments)
        // config.json and the environment's overrides. One that cannot be used never
        // stops the command: one warning, which says what is used instead.
        for problem in recording.settings.problems(noting: "exit code unchanged") { Console.warn(problem) }
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

        let attempts = supervise(
            command, program: commandArguments[0], environment: childEnvironment, options: options)

        // The command has ended: tlm's own dispositions no longer reach it. A warning
        // written to a closed pipe must not kill tlm with SIGPIPE (it would change the
        // exit status), nor must a file-size limit (ulimit -f) while appending: both
        // then fail with an error instead.
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
        if !options.quiet { sayHowItEnded(attempts, program: commandArguments[0], options: options) }
        record(attempts, recording, program: commandArguments[0], options: options, debug: debug, environment)
        end(as: attempts)
    }

    /// Runs the command, again while it fails and `--retries` asks for it, saying
    /// so between attempts (unless `--quiet`). When it cannot start, tlm ends here.
    static func supervise(
        _ command: [UnsafeMutablePointer<CChar>], program: String, environment: ChildEnvironment?,
        options: RunOptions
    ) -> Attempts {
        var random = SystemRandom()
        let attempts: Attempts
        do {
            attempts = try Supervisor.run(
                command, environment: environment?.entries, timeLimit: options.timeLimit, retry: options.retry,
                random: &random
            ) { pause in
                guard !options.quiet else { return }
                Console.warn(
                    "\(CommandNaming.commandName(program)) \(Attempts.outcome(pause.result)),"
                        + " retry \(pause.retry)/\(options.retries) in \(DurationValue.text(nanoseconds: pause.delay))")
            }
        } catch {
            Console.warn(error.description)
            exit(error.exitStatus)
        }
        // A later attempt could not start: the run ends as the last one that ran.
        if let error = attempts.startError { Console.warn(error.description) }
        return attempts
    }

    /// One line when tlm itself ended the run: the time limit expired, or the
    /// retries ran out. A run that just failed says nothing: a wrapper is
    /// transparent, and the command said why it failed.
    static func sayHowItEnded(_ attempts: Attempts, program: String, options: RunOptions) {
        let last = attempts.results[attempts.results.count - 1]
        let timedOut = last.timedOut && options.timeLimit != nil
        let gaveUp =
            options.retries > 0 && attempts.results.count == options.retries + 1 && !attempts.cancelled
            && attempts.startError == nil && (last.timedOut || !last.status.isSuccess)
        guard timedOut || gaveUp else { return }
        let name = CommandNaming.commandName(program)
        if timedOut, let limit = options.timeLimit {
            Console.warn("\(name) timed out after \(shortText(nanoseconds: limit.nanoseconds))")
        }
        if gaveUp { Console.warn("\(name) failed \(attempts.results.count) times, giving up") }
    }

    /// `5s`, `1.5s`, `1m30s`: a limit as the user most likely wrote it.
    private static func shortText(nanoseconds: UInt64) -> String {
        if nanoseconds % 1_000_000_000 == 0, nanoseconds < 60_000_000_000 { return "\(nanoseconds / 1_000_000_000)s" }
        return DurationValue.text(nanoseconds: nanoseconds)
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

    /// Records the run when telemetry is on for it, and writes its logbook when
    /// `--logbook` asks: both say what one event says. Telemetry that fails is one
    /// warning, never a change of exit status.
    static func record(
        _ attempts: Attempts, _ recording: Recording, program: String, options: RunOptions, debug: Bool,
        _ environment: Environment
    ) {
        guard recording.isOn || options.logbook != nil else { return }
        let event = event(attempts, recording, program: program)
        if recording.isOn {
            do throws(RecorderError) {
                let home = try recording.home()
                let placed = recording.placed(event)
                if debug { Console.warn("debug: event " + String(EventEncoder.line(placed).dropLast())) }
                try recording.append(placed)
                // export.auto: a background export, when one is due (its own session; never waited for).
                AutoExport.startIfDue(home, recording.settings, environment, debug: debug)
            } catch {
                Console.warn("\(error.description) (telemetry skipped; exit code unchanged)")
            }
        }
        if let path = options.logbook {
            RunLogbook.write(RunLogbook.logbook(attempts, event, retries: options.retries), to: path)
        }
    }

    /// Ends tlm as the last attempt ended: its status, 124 when it timed out, or
    /// its signal.
    static func end(as attempts: Attempts) -> Never {
        let last = attempts.results[attempts.results.count - 1]
        if last.timedOut { exit(ExitStatus.timedOut) }
        switch last.status {
        case .exited(let code): exit(code)
        case .signaled(let signal): Supervisor.terminate(bySignal: signal)
        }
    }
}

extension Run: Subcommand {
    static let spec = CommandSpec(
        "run", arguments: "[OPTIONS] [--] COMMAND [ARGS...]",
        "Run COMMAND exactly as without tlm, and record one event when telemetry is on",
        options: [
            OptionSpec("--target", value: "NAME", "Record NAME as the target instead of guessing it"),
            OptionSpec("--domain", value: "NAME", "Record NAME as the domain instead of the G= argument"),
            OptionSpec(
                "--timeout", value: "DURATION",
                "End COMMAND and all it started after DURATION (90s, 10m, 1h30m)"),
            OptionSpec(
                "--timeout-signal", value: "SIGNAL", "The signal sent first on timeout (default TERM; 0 sends none)"
            ),
            OptionSpec("--kill-after", value: "DURATION", "Then KILL what is left after DURATION (default 10s)"),
            OptionSpec("--retries", value: "N", "Rerun COMMAND up to N times while it fails"),
            OptionSpec(
                "--retry-delay", value: "DURATION", "The first wait between attempts (default 1s), doubling"),
            OptionSpec("--retry-max-delay", value: "DURATION", "The longest wait between attempts (default 60s)"),
            OptionSpec("--retry-on-timeout", "Retry after a timeout too"),
            OptionSpec("--quiet", "Say nothing between attempts, nor when giving up or timing out"),
            OptionSpec(
                "--logbook", value: "FILE", "Write a JSON report of this run to FILE (even with telemetry off)"),
            OptionSpec("--no-trace-context", "Do not set TRACEPARENT in COMMAND's environment"),
        ],
        operands: .unparsed,
        notes: """

            tlm exits with COMMAND's own status (its last attempt's, with --retries);
            128+N (by dying of the same signal) when it died of signal N; 124 when
            --timeout expired; 125 when tlm fails before COMMAND starts (a bad option
            too); 126 when COMMAND cannot be executed; 127 when it is not found.

            """)

    /// `CLI.main` starts `run` before any routing (its fast path, on the
    /// process's own argv); this is for a call that reaches routing all the same.
    /// The words become C strings, as argv's would be.
    static func main(_ invocation: Invocation) throws(CLIError) -> Int32 {
        let arguments = ["tlm", "run"] + invocation.arguments
        let argv = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: arguments.count + 1)
        for (index, argument) in arguments.enumerated() {
            let bytes = argument.utf8CString
            argv[index] = .allocate(capacity: bytes.count)
            bytes.withUnsafeBufferPointer { argv[index]!.initialize(from: $0.baseAddress!, count: $0.count) }
        }
        argv[arguments.count] = nil
        main(arguments: arguments, rawArguments: argv)  // never returns: nothing to free
    }
}
