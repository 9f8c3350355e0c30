import TLMExport
import TLMRecorder

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
        var out = "{\"enabled\":\(decision.enabled),\"rule\":"
        EventEncoder.appendString(&out, decision.rule.rawValue)
        out += ",\"reason\":"
        EventEncoder.appendString(&out, decision.explanation)
        out += ",\"folder\":"
        EventEncoder.appendString(&out, home.folder)
        out += ",\"log\":"
        EventEncoder.appendString(&out, home.logPath)
        out += ",\"events\":\(summary.events),\"malformed_lines\":\(summary.malformedLines),\"size_bytes\":\(size)"
        out += ",\"first_event\":"
        if let first = summary.firstEvent { EventEncoder.appendString(&out, first.iso8601) } else { out += "null" }
        out += ",\"last_event\":"
        if let last = summary.lastEvent { EventEncoder.appendString(&out, last.iso8601) } else { out += "null" }
        out += ",\"exported_events\":\(export.exported),\"last_export\":"
        if let start = export.lastStart { EventEncoder.appendString(&out, start.iso8601) } else { out += "null" }
        out += ",\"settings\":{"
        for (index, key) in ConfigKey.all.enumerated() {
            if index > 0 { out += "," }
            EventEncoder.appendString(&out, key.name)
            out += ":{\"value\":"
            if let text = settings.displayText(of: key) { EventEncoder.appendString(&out, text) } else { out += "null" }
            out += ",\"source\":"
            EventEncoder.appendString(&out, settings.source(of: key).rawValue)
            out += "}"
        }
        out += "},\"problems\":["
        for (index, problem) in problems.enumerated() {
            if index > 0 { out += "," }
            EventEncoder.appendString(&out, problem)
        }
        out += "]}\n"
        return out
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
