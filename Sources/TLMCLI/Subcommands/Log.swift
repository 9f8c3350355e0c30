import TLMRecorder
import TLMSupervisor

/// `tlm log --target NAME --duration DURATION --exit-code N [--domain NAME] [--command NAME]`
///
/// Records an event measured outside tlm, as anklume's script does. Writes
/// only when telemetry is on; validates everything first, so a bad value
/// writes nothing (exit 64).
enum Log {
    static func main(_ options: ParsedOptions, _ environment: Environment) throws(CLIError) -> Int32 {
        // Every missing option at once: a script's author fixes them in one go.
        let missing = ["--target", "--duration", "--exit-code"].filter { options.values[$0] == nil }
        if !missing.isEmpty {
            let last = missing[missing.count - 1]
            let list = missing.count == 1 ? last : missing.dropLast().joined(separator: ", ") + " and " + last
            throw .usage("missing \(list)", in: Log.spec)
        }
        let target = try plainWord("--target", options.values["--target"]!)
        let durationText = options.values["--duration"]!
        guard let duration = parseDuration(durationText) else {
            throw .usage(
                "--duration must be seconds (1.5) or a duration (1.5s, 90s, 2m), 0 or more, not '\(durationText)'",
                in: Log.spec)
        }
        let exitText = options.values["--exit-code"]!
        guard let exitCode = Int(exitText), (0...255).contains(exitCode),
            exitText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 })
        else {
            throw .usage("--exit-code must be a whole number from 0 to 255, not '\(exitText)'", in: Log.spec)
        }
        // `--domain ""` is no domain (recorded as null), as anklume's `telemetry.py log` records it.
        let domain = try options.values["--domain"].flatMap { value throws(CLIError) in
            value.isEmpty ? nil : try plainWord("--domain", value)
        }
        let command = try options.values["--command"].map { value throws(CLIError) in try plainWord("--command", value)
        }

        // The event's timestamp is when the measured run started, as for `tlm run`.
        let now = Timestamp.now()
        let started = Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch - Int64((duration * 1000).rounded()))
        // The consent rules are `tlm run`'s, `tracked_targets` included.
        let recording = Recorder(environment: environment).prepare(target: target, domain: domain)
        do {
            try recording.append(
                Event(
                    timestamp: started, target: target, domain: domain, durationSeconds: duration, exitCode: exitCode,
                    command: command))
        } catch {
            throw .failure(error.description)
        }
        return ExitStatus.success
    }

    private static func plainWord(_ option: String, _ value: String) throws(CLIError) -> String {
        guard PlainWord.isPlain(value) else {
            throw .usage(
                "\(option) '\(value)' is not a plain word (letters, digits and ._:- only, at most 64)",
                in: Log.spec)
        }
        return value
    }

    /// `--duration`: plain seconds (`parseSeconds`), or a duration with units as
    /// every other duration option takes it (`1.5s`, `90s`, `2m`; see `DurationValue`).
    /// Without a unit, only plain seconds: `1e3` stays refused, as anklume refuses it.
    static func parseDuration(_ text: String) -> Double? {
        if let seconds = parseSeconds(text) { return seconds }
        guard let last = text.utf8.last, last >= 97, last <= 122 else { return nil }
        return DurationValue.nanoseconds(text).map { Double($0) / 1e9 }
    }

    /// A plain decimal number of seconds, 0 or more: `45`, `1.5`, `.5`. No signs,
    /// exponents, hexadecimal, infinities or NaN. At most about 31 years.
    static func parseSeconds(_ text: String) -> Double? {
        var digits = 0
        var dots = 0
        for byte in text.utf8 {
            if byte == 46 { dots += 1 } else if byte >= 48 && byte <= 57 { digits += 1 } else { return nil }
        }
        guard digits > 0, dots <= 1, let value = Double(text), value.isFinite,
            (value * 1000).rounded() < 1e12  // as written, to the millisecond
        else { return nil }
        return value
    }
}

extension Log: Subcommand {
    static let spec = CommandSpec(
        "log", arguments: "--target NAME --duration DURATION --exit-code N [OPTIONS]",
        "Record an event measured outside tlm (when telemetry is on)",
        options: [
            OptionSpec("--target", value: "NAME", "The target (a plain word); required"),
            OptionSpec("--duration", value: "DURATION", "How long it took: seconds (1.5) or 1.5s, 90s, 2m; required"),
            OptionSpec("--exit-code", value: "N", "Its exit status, 0 to 255; required"),
            OptionSpec("--domain", value: "NAME", "The domain (a plain word; empty for none)"),
            OptionSpec("--command", value: "NAME", "The program's name (a plain word)"),
        ])

    static func main(_ invocation: Invocation) throws(CLIError) -> Int32 {
        try main(invocation.options, invocation.environment)
    }
}
