import TLMRecorder
import TLMSupervisor

/// What `tlm run`'s own options said, and where COMMAND starts in argv.
struct RunOptions {
    var target: String?
    var domain: String?
    /// `--timeout` (0: none), `--timeout-signal`, `--kill-after`.
    var timeLimit: TimeLimit?
    /// `--retries N`: how many times to rerun a failed command (0: never).
    var retries = 0
    var retryDelay: UInt64 = 1_000_000_000
    var retryMaximumDelay: UInt64 = 60_000_000_000
    var retryOnTimeout = false
    /// `--quiet`: no line between attempts.
    var quiet = false
    /// `--logbook FILE`.
    var logbook: String?
    /// `--no-trace-context`: leave the child's TRACEPARENT alone.
    var traceContext = true
    var commandStart = 0
    var help = false
    /// Which of the options that have a configured default were given.
    private var retryDelayGiven = false
    private var retryMaximumDelayGiven = false
    private var killAfterGiven = false

    /// `--retries`, `--retry-delay`, `--retry-max-delay`, `--retry-on-timeout`.
    var retry: RetryPolicy {
        RetryPolicy(retries: retries, delay: retryDelay, maximumDelay: retryMaximumDelay, onTimeout: retryOnTimeout)
    }

    /// Fills what the command line left out from `config.json` and the
    /// environment (`kill_after`, `retry_delay`, `retry_max_delay`,
    /// `trace_context`); the command line wins.
    mutating func settle(with settings: Settings) {
        if !retryDelayGiven { retryDelay = settings.retryDelay }
        if !retryMaximumDelayGiven { retryMaximumDelay = settings.retryMaxDelay }
        if !killAfterGiven { timeLimit?.killAfterNanoseconds = settings.killAfter }
        if !settings.traceContext { traceContext = false }
    }

    /// Reads `tlm run`'s own options (those of `CommandCatalog`'s `run` entry), up to
    /// `--` or the first word that is not one of them. A bad value is a usage error
    /// (exit 125, GNU `timeout`'s and `env`'s status for their own failures).
    ///
    /// By hand rather than with `OptionParser`: the option table's arrays of
    /// structs cost the Swift runtime a generic instantiation at first use, and
    /// start-up is most of what `run` adds to a command.
    static func parse(_ arguments: [String]) throws(CLIError) -> RunOptions {
        var options = RunOptions()
        // Options seen and their values, as two arrays of strings: a dictionary would
        // cost a generic instantiation on every run's start.
        var seenNames: [String] = []
        var seenValues: [String] = []
        func seen(_ option: String) -> Bool { seenNames.contains(option) }
        var timeout: UInt64?
        var timeoutSignal: Int32?
        var killAfter: UInt64?
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
            guard let placeholder = valueName(of: name) else {
                throw usage("unknown option '\(name)'" + Suggestion.hint(name, among: Run.spec.options.map(\.long)))
            }
            if placeholder.isEmpty {
                guard value == nil else { throw usage("option '\(name)' takes no value") }
                value = ""
            } else if value == nil {
                index += 1
                guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                    throw usage("option '\(name)' needs a value (\(placeholder))")
                }
                value = arguments[index]
            }
            let text = value ?? ""
            if let earlier = seenNames.firstIndex(of: name), seenValues[earlier] != text {
                throw usage("option '\(name)' given twice ('\(seenValues[earlier])', '\(text)')")
            }
            seenNames.append(name)
            seenValues.append(text)
            switch name {
            case "--target", "--domain":
                guard PlainWord.isPlain(text) else {
                    throw usage("\(name) '\(text)' is not a plain word (letters, digits and ._:- only, at most 64)")
                }
                if name == "--target" { options.target = text } else { options.domain = text }
            case "--timeout": timeout = try duration(name, text)
            case "--kill-after":
                killAfter = try duration(name, text)
                options.killAfterGiven = true
            case "--retry-delay":
                options.retryDelay = try duration(name, text)
                options.retryDelayGiven = true
            case "--retry-max-delay":
                options.retryMaximumDelay = try duration(name, text)
                options.retryMaximumDelayGiven = true
            case "--timeout-signal":
                // 0 is GNU `timeout -s0 -k DUR`: nothing at the limit, KILL after --kill-after.
                guard let number = text == "0" ? 0 : SignalName.number(named: text) else {
                    throw usage(
                        "--timeout-signal '\(text)' is not a signal: use a name (TERM, SIGINT, KILL), a number,"
                            + " or 0 for none (KILL after --kill-after)")
                }
                timeoutSignal = number
            case "--retries":
                guard let count = Int(text), count >= 0, count <= 1000, text.allSatisfy(\.isASCII) else {
                    throw usage("--retries '\(text)' is not a count: use a whole number from 0 to 1000")
                }
                options.retries = count
            case "--logbook":
                guard !text.isEmpty else { throw usage("--logbook needs a file name") }
                options.logbook = text
            case "--retry-on-timeout": options.retryOnTimeout = true
            case "--quiet": options.quiet = true
            case "--no-trace-context": options.traceContext = false
            default: break
            }
            index += 1
        }
        guard index < arguments.count else { throw usage("missing COMMAND to run") }
        options.commandStart = index

        if timeout == nil || timeout == 0 {
            for dependent in ["--timeout-signal", "--kill-after", "--retry-on-timeout"] where seen(dependent) {
                // `--timeout 0` is no time limit, so nothing for the dependent option to act on.
                throw usage("\(dependent) needs --timeout" + (timeout == 0 ? " above 0 (0 is no time limit)" : ""))
            }
        }
        if options.retries == 0 {
            for dependent in ["--retry-delay", "--retry-max-delay", "--retry-on-timeout"] where seen(dependent) {
                throw usage("\(dependent) needs --retries N (N > 0)")
            }
        }
        if let timeout, timeout > 0 {
            var limit = TimeLimit(nanoseconds: timeout)
            if let timeoutSignal { limit.signal = timeoutSignal }
            if let killAfter { limit.killAfterNanoseconds = killAfter }
            options.timeLimit = limit
        }
        return options
    }

    /// The placeholder of an option's value ("" for a flag), or nil for an unknown option.
    static func valueName(of option: String) -> String? {
        switch option {
        case "--target", "--domain": return "NAME"
        case "--timeout", "--kill-after", "--retry-delay", "--retry-max-delay": return "DURATION"
        case "--timeout-signal": return "SIGNAL"
        case "--retries": return "N"
        case "--logbook": return "FILE"
        case "--retry-on-timeout", "--quiet", "--no-trace-context": return ""
        default: return nil
        }
    }

    private static func duration(_ name: String, _ text: String) throws(CLIError) -> UInt64 {
        guard let value = DurationValue.nanoseconds(text) else {
            if DurationValue.isOverMaximum(text) {
                throw usage("\(name) '\(text)' is too long: at most a year (\(DurationValue.maximumText))")
            }
            throw usage("\(name) '\(text)' is not a duration: use \(DurationValue.forms) (at most a year)")
        }
        return value
    }

    private static func usage(_ text: String) -> CLIError { .usage(text, in: Run.spec) }
}
