#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import TLMRecorder
import TLMSupervisor

/// `tlm run [--target NAME] [--domain NAME] [--] COMMAND [ARGS...]`
///
/// Runs COMMAND transparently (see `Supervisor`), then, only when telemetry is
/// on, appends one event. Telemetry that fails prints one warning and changes
/// nothing else: tlm still exits as COMMAND did.
enum Run {
    static let spec = CommandCatalog.command("run")!

    static func main(arguments: [String], rawArguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Never {
        let options: ParsedOptions
        do throws(CLIError) {
            options = try OptionParser.parse(Array(arguments.dropFirst(2)), spec, stopAtOperand: true)
            if options.flags.contains("--help") {
                Console.out(Help.text(for: spec))
                exit(ExitStatus.success)
            }
            for field in ["--target", "--domain"] {
                if let value = options.values[field], !PlainWord.isPlain(value) {
                    throw CLIError.usage(
                        "\(field) '\(value)' is not a plain word (letters, digits and ._:- only, at most 64)",
                        subcommand: "run")
                }
            }
        } catch {
            Console.err(error.message + "\n")
            exit(ExitStatus.runFailure)
        }
        guard let first = options.firstOperandIndex else {
            Console.err(CLIError.usage("missing COMMAND to run", subcommand: "run").message + "\n")
            exit(ExitStatus.runFailure)
        }
        let commandStart = first + 2
        let command = (commandStart..<arguments.count).map { rawArguments[$0]! }

        // Decide before the command runs (a `tlm off` during a long build does not
        // lose the run that was already being recorded), but touch no file yet.
        let environment = Environment.process
        let home = Result { () throws(RecorderError) in try TelemetryHome.resolve(environment) }
        let consent = Consent.decide(environment) { (try? home.get())?.markerExists ?? false }

        let result: RunResult
        do {
            // Signals stay blocked after the command ends: a TERM that arrives while the
            // event is written must not cut tlm short with a status of its own.
            result = try Supervisor.run(command, keepSignalsBlocked: true)
        } catch {
            Console.warn(error.description)
            exit(error.exitStatus)
        }

        // The command has ended: tlm's own dispositions no longer reach it. A warning
        // written to a closed pipe must not kill tlm with SIGPIPE (it would change the
        // exit status), nor must a file-size limit (ulimit -f) while appending: both
        // then fail with an error instead.
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
        if consent.enabled {
            record(result, arguments: Array(arguments[commandStart...]), options: options, home: home)
        }
        switch result.status {
        case .exited(let code): exit(code)
        case .signaled(let signal): Supervisor.terminate(bySignal: signal)
        }
    }

    /// Appends the run's event; on failure, one warning.
    private static func record(
        _ result: RunResult, arguments: [String], options: ParsedOptions, home: Result<TelemetryHome, RecorderError>
    ) {
        let naming = CommandNaming()
        var signalName: String?
        if case .signaled(let number) = result.status { signalName = SignalName.name(of: number) }
        let event = Event(
            timestamp: Timestamp(millisecondsSinceEpoch: result.startedAtMilliseconds),
            target: options.values["--target"] ?? naming.target(arguments),
            domain: options.values["--domain"] ?? naming.domain(arguments),
            durationSeconds: result.durationSeconds,
            exitCode: Int(result.status.shellStatus),
            command: CommandNaming.commandName(arguments[0]),
            signal: signalName,
            cpuUserSeconds: result.userCPUSeconds,
            cpuSystemSeconds: result.systemCPUSeconds,
            maxRSSKilobytes: result.maxRSSKilobytes)
        do {
            try EventLog(home: home.get()).append(event)
        } catch {
            Console.warn("\(error.description) (telemetry skipped; exit code unchanged)")
        }
    }
}
