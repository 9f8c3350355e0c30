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

    /// Appends `event` when consent is given. Returns whether it was recorded.
    @discardableResult
    public func record(_ event: Event) throws(RecorderError) -> Bool {
        let found = try? home()
        let settings = Settings.load(home: found, environment: environment)
        let decision = Consent.decide(environment, configEnabled: settings.configEnabled) {
            found?.markerExists ?? false
        }
        guard decision.enabled else { return false }
        var home: TelemetryHome
        if let found { home = found } else { home = try self.home() }  // on, but no folder: the error says why
        try EventLog(home: home).append(
            event, rotation: Rotation(maximumBytes: settings.maxLogBytes, keep: settings.keepRotated))
        return true
    }

    /// `event` placed in its context, as `tlm run` places its own: a new span of
    /// the trace named by a valid `TRACEPARENT` (else of a new trace), and the CI
    /// provider's name. Fields already set are kept.
    public func inContext(_ event: Event) -> Event {
        var placed = event
        if placed.traceID == nil {
            let trace = TraceContext.start(traceparent: environment["TRACEPARENT"])
            placed.traceID = trace.traceID
            placed.spanID = trace.spanID
            placed.parentSpanID = trace.parentSpanID
        }
        if placed.ci == nil { placed.ci = CIProvider.detect(environment) }
        return placed
    }

    /// Records one run by name, checking that the names are plain words, in its
    /// context (`inContext`).
    /// Returns whether it was recorded (false when telemetry is off).
    @discardableResult
    public func record(
        target: String, domain: String? = nil, durationSeconds: Double, exitCode: Int,
        startedAt: Timestamp = .now()
    ) throws(RecorderError) -> Bool {
        guard PlainWord.isPlain(target) else { throw .notAPlainWord(field: "target", value: target) }
        if let domain, !PlainWord.isPlain(domain) { throw .notAPlainWord(field: "domain", value: domain) }
        return try record(
            inContext(
                Event(
                    timestamp: startedAt, target: target, domain: domain, durationSeconds: durationSeconds,
                    exitCode: exitCode)))
    }

    /// Reads every recorded event, in file order; malformed lines are skipped and counted.
    public func events() throws(RecorderError) -> (events: [Event], summary: LogSummary) {
        var events: [Event] = []
        let summary = try EventLog(home: home()).forEachEventInAllFiles { events.append($0) }
        return (events, summary)
    }
}
