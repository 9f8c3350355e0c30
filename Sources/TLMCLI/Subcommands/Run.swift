import TLMRecorder
import TLMSupervisor

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `tlm run [--target NAME] [--domain NAME] [--] COMMAND [ARGS...]`
///
/// Runs COMMAND transparently (see `Supervisor`), then, only when telemetry is
/// on, appends one event. Telemetry that fails prints one warning and changes
/// nothing else: tlm still exits as COMMAND did.
enum Run {
    /// What `run`'s own options said, and where COMMAND starts in argv.
    struct Options {
        var target: String?
        var domain: String?
        var commandStart = 0
        var help = false
    }

    static func main(arguments: [String], rawArguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Never {
        let options: Options
        do {
            options = try parse(arguments)
        } catch {
            Console.err(error.message + "\n")
            exit(ExitStatus.runFailure)
        }
        if options.help {
            Console.out(Help.text(for: CommandCatalog.command("run")!))
            exit(Console.finish(ExitStatus.success))
        }
        let command = (options.commandStart..<arguments.count).map { rawArguments[$0]! }

        // Decide before the command runs (a `tlm off` during a long build does not
        // lose the run that was already being recorded), but touch no file yet.
        let environment = Environment.process
        var home: TelemetryHome?
        var homeError = RecorderError.noHomeFolder
        do {
            home = try TelemetryHome.resolve(environment)
        } catch {
            homeError = error
        }
        let consent = Consent.decide(environment) { home?.markerExists ?? false }

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
            do throws(RecorderError) {
                guard let home else { throw homeError }
                try EventLog(home: home).append(
                    event(result, arguments: Array(arguments[options.commandStart...]), options: options))
            } catch {
                Console.warn("\(error.description) (telemetry skipped; exit code unchanged)")
            }
        }
        switch result.status {
        case .exited(let code): exit(code)
        case .signaled(let signal): Supervisor.terminate(bySignal: signal)
        }
    }

    /// Reads `tlm run`'s own options (those of `CommandCatalog`'s `run` entry),
    /// up to `--` or the first word that is not one of them.
    ///
    /// By hand rather than with `OptionParser`: the option table's arrays of
    /// structs cost the Swift runtime a generic instantiation at first use, and
    /// start-up is most of what `run` adds to a command.
    static func parse(_ arguments: [String]) throws(CLIError) -> Options {
        var options = Options()
        var index = 2  // after `tlm run`
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                index += 1
                break
            }
            if argument == "-h" || argument == "--help" {
                options.help = true
                return options
            }
            guard argument.hasPrefix("-"), argument != "-" else { break }
            var name = argument
            var value: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            }
            guard name == "--target" || name == "--domain" else {
                throw .usage("unknown option '\(name)'", subcommand: "run")
            }
            if value == nil {
                index += 1
                guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                    throw .usage("option '\(name)' needs a value (NAME)", subcommand: "run")
                }
                value = arguments[index]
            }
            guard let value, PlainWord.isPlain(value) else {
                throw .usage(
                    "\(name) '\(value ?? "")' is not a plain word (letters, digits and ._:- only, at most 64)",
                    subcommand: "run")
            }
            if name == "--target" { options.target = value } else { options.domain = value }
            index += 1
        }
        guard index < arguments.count else { throw .usage("missing COMMAND to run", subcommand: "run") }
        options.commandStart = index
        return options
    }

    /// The event of a finished run.
    static func event(_ result: RunResult, arguments: [String], options: Options) -> Event {
        let naming = CommandNaming()
        var signalName: String?
        if case .signaled(let number) = result.status { signalName = SignalName.name(of: number) }
        return Event(
            timestamp: Timestamp(millisecondsSinceEpoch: result.startedAtMilliseconds),
            target: options.target ?? naming.target(arguments),
            domain: options.domain ?? naming.domain(arguments),
            durationSeconds: result.durationSeconds,
            exitCode: Int(result.status.shellStatus),
            command: CommandNaming.commandName(arguments[0]),
            signal: signalName,
            cpuUserSeconds: result.userCPUSeconds,
            cpuSystemSeconds: result.systemCPUSeconds,
            maxRSSKilobytes: result.maxRSSKilobytes)
    }
}
