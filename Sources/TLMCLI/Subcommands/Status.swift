import TLMExport
import TLMRecorder
import TLMSupervisor

/// `tlm status [--json]`: on or off and the rule that decided, where data
/// lives, how many events, how big, first and last event.
enum Status {
    static func main(_ options: ParsedOptions, _ environment: Environment) throws(CLIError) -> Int32 {
        let home = try CLI.home(environment)
        let settings = Settings.load(home: home, environment: environment)
        let decision = Consent.decide(environment, configEnabled: settings.configEnabled) { home.markerExists }
        let log = EventLog(home: home)
        let summary: LogSummary
        do {
            summary = try log.forEachEventInAllFiles { _ in }
        } catch {
            throw .failure(error.description)
        }
        let size = log.totalSizeInBytes
        // A folder that breaks the data-folder rule: every run refuses to write, so say it
        // here (a row of the text, the first of the JSON's problems).
        let folderProblem = home.folderProblem()
        var problems = settings.problems
        if let folderProblem { problems.insert(folderProblem.description + "; nothing is recorded", at: 0) }
        let export = ExportState(home)
        if options.flags.contains("--json") {
            Console.out(json(decision, home, summary, size, settings, export, problems: problems))
        } else {
            Console.out(
                text(decision, home, summary, size, export, folderProblem: folderProblem) + "\nsettings (tlm config)\n"
                    + ConfigCommand.rows(settings))
        }
        if let problem = export.problem { Console.warn(problem) }
        for problem in settings.problems { Console.warn(problem) }
        if let ignored = decision.ignoredValue {
            Console.warn("note: TLM_TELEMETRY='\(ignored)' was ignored: use 1 (on) or 0 (off)")
        }
        return ExitStatus.success
    }

    /// What `tlm export otlp` has sent: from its cursor, and the lock's time.
    struct ExportState {
        var exported: Int64 = 0
        var lastStart: Timestamp?
        var problem: String?

        init(_ home: TelemetryHome) {
            do {
                exported = try ExportCursor.load(home)?.exported ?? 0
            } catch {
                problem = error.description
            }
            lastStart = ExportLock.lastStart(home)
        }
    }

    static func text(
        _ decision: ConsentDecision, _ home: TelemetryHome, _ summary: LogSummary, _ size: Int64,
        _ export: ExportState, folderProblem: RecorderError? = nil
    ) -> String {
        var rows: [(String, String)] = [
            ("telemetry", "\(decision.enabled ? "on" : "off") (\(decision.explanation))")
        ]
        if let folderProblem { rows.append(("problem", folderProblem.description + "; nothing is recorded")) }
        rows += [
            ("folder", home.folder),
            ("log", home.logPath),
        ]
        var events = "\(summary.events)"
        if summary.malformedLines > 0 {
            events += " (\(summary.malformedLines) malformed line\(summary.malformedLines == 1 ? "" : "s") skipped)"
        }
        rows.append(("events", events))
        rows.append(("size", Format.bytes(size)))
        rows.append(("first", summary.firstEvent?.iso8601 ?? "-"))
        rows.append(("last", summary.lastEvent?.iso8601 ?? "-"))
        if let start = export.lastStart {
            rows.append(("exported", "\(export.exported) events by tlm export otlp; last export \(start.iso8601)"))
        }
        return rows.map { $0.0.padding(10) + $0.1 + "\n" }.joined()
    }

    static func json(
        _ decision: ConsentDecision, _ home: TelemetryHome, _ summary: LogSummary, _ size: Int64, _ settings: Settings,
        _ export: ExportState, problems: [String]
    ) -> String {
        var json = JSONWriter(.compact, capacity: 1024)
        json.beginObject()
        json.bool("enabled", decision.enabled)
        json.string("rule", decision.rule.rawValue)
        json.string("reason", decision.explanation)
        json.string("folder", home.folder)
        json.string("log", home.logPath)
        json.integer("events", summary.events)
        json.integer("malformed_lines", summary.malformedLines)
        json.integer("size_bytes", Int(size))
        json.timestamp("first_event", summary.firstEvent)
        json.timestamp("last_event", summary.lastEvent)
        json.integer("exported_events", Int(export.exported))
        json.timestamp("last_export", export.lastStart)
        json.beginObject("settings")
        for key in ConfigKey.all {
            json.beginObject(key.name)
            json.string("value", settings.displayText(of: key))
            json.string("source", settings.source(of: key).rawValue)
            json.endObject()
        }
        json.endObject()
        json.beginArray("problems")
        for problem in problems { json.string(nil, problem) }
        json.endArray()
        json.endObject()
        return json.out
    }
}

enum Format {
    /// `0 B`, `812 B`, `2.1 KiB`, `16.0 MiB`…
    static func bytes(_ count: Int64) -> String {
        if count < 1024 { return "\(count) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var scaled = Double(count) / 1024
        var unit = 0
        while scaled >= 1024, unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        let tenths = Int((scaled * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}

extension Status: Subcommand {
    static let spec = CommandSpec(
        "status", arguments: "[--json]",
        "Say whether telemetry is on and why, where data lives, and how much there is",
        options: [OptionSpec("--json", "Print the status as one JSON object")])

    static func main(_ invocation: Invocation) throws(CLIError) -> Int32 {
        try main(invocation.options, invocation.environment)
    }
}
