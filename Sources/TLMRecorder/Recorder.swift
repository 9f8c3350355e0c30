/// The shared recorder: what another Swift program links to record its own
/// events in process, with the same consent rules, format and files as `tlm`.
///
/// ```swift
/// import TLMRecorder
///
/// let recorder = Recorder()
/// let started = Timestamp.now()
/// // … do the work …
/// try recorder.record(target: "sync", durationSeconds: 1.5, exitCode: 0, startedAt: started)
/// ```
public struct Recorder: Sendable {
    /// The environment consulted for `TLM_HOME`, `TLM_TELEMETRY`, `DO_NOT_TRACK`…
    public let environment: Environment

    public init(environment: Environment = .process) {
        self.environment = environment
    }

    /// The data folder.
    public func home() throws(RecorderError) -> TelemetryHome {
        try TelemetryHome.resolve(environment)
    }

    /// `config.json` and the environment's overrides (see `Settings`).
    public func settings() -> Settings {
        Settings.load(home: try? home(), environment: environment)
    }

    /// Whether events are recorded now, and the rule that decided (see `Consent`).
    public func consent() -> ConsentDecision {
        let home = try? home()
        let settings = Settings.load(home: home, environment: environment)
        return Consent.decide(environment, configEnabled: settings.configEnabled) { home?.markerExists ?? false }
    }

    /// Settles, before a run, everything recording it needs: the data folder,
    /// the settings, the consent decision (`tracked_targets` included), the
    /// trace context and the CI provider (see `Recording`). Touches no file but
    /// `config.json` and the marker; `tlm run`, `tlm log` and `record` all record
    /// through it.
    ///
    /// - Parameters:
    ///   - target: the run's target; nil to name it from `command`.
    ///   - domain: the run's domain; nil to name it from `command`, if it names one.
    ///   - command: the command line run (the program, then its arguments), if any.
    public func prepare(target: String? = nil, domain: String? = nil, command: [String] = []) -> Recording {
        Recording(environment: environment, target: target, domain: domain, command: command)
    }

    /// Appends `event` as it is when consent is given for its target (as
    /// `prepare` decides). Returns whether it was recorded.
    @discardableResult
    public func record(_ event: Event) throws(RecorderError) -> Bool {
        let recording = prepare(target: event.target, domain: event.domain)
        guard recording.isOn else { return false }
        try recording.write(event)  // on, but no folder: the error says why
        return true
    }

    /// `event` placed in its context, as `tlm run` places its own: a new span of
    /// the trace named by a valid `TRACEPARENT` (else of a new trace), and the CI
    /// provider's name. Fields already set are kept.
    public func inContext(_ event: Event) -> Event {
        guard event.traceID == nil || event.ci == nil else { return event }
        let context = Recording.context(environment)
        return Recording.place(event, trace: context.trace, ci: context.ci)
    }

    /// Records one run by name, checking that the names are plain words, in its
    /// context (`Recording.placed`).
    /// Returns whether it was recorded (false when telemetry is off).
    @discardableResult
    public func record(
        target: String, domain: String? = nil, durationSeconds: Double, exitCode: Int,
        startedAt: Timestamp = .now()
    ) throws(RecorderError) -> Bool {
        guard PlainWord.isPlain(target) else { throw .notAPlainWord(field: "target", value: target) }
        if let domain, !PlainWord.isPlain(domain) { throw .notAPlainWord(field: "domain", value: domain) }
        return try prepare(target: target, domain: domain).append(
            Event(
                timestamp: startedAt, target: target, domain: domain, durationSeconds: durationSeconds,
                exitCode: exitCode))
    }

    /// Reads every recorded event, in file order; malformed lines are skipped and counted.
    public func events() throws(RecorderError) -> (events: [Event], summary: LogSummary) {
        var events: [Event] = []
        let summary = try EventLog(home: home()).forEachEventInAllFiles { events.append($0) }
        return (events, summary)
    }
}
