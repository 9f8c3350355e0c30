/// One run about to be recorded, settled before its command starts
/// (`Recorder.prepare`): the data folder, the settings, the consent decision
/// (`tracked_targets` included), the trace context and the CI provider.
///
/// Deciding first means that a `tlm off` during a long build does not lose the
/// run that was already being recorded; nothing is written until `append(_:)`,
/// after the run. With telemetry off, nothing more is done: no trace, no CI
/// lookup, no naming of the target.
///
/// ```swift
/// let recording = Recorder().prepare(target: "sync")
/// // … run the work, passing recording.trace?.childTraceparent on as TRACEPARENT …
/// try recording.append(Event(timestamp: started, target: recording.target, durationSeconds: 1.5, exitCode: 0))
/// ```
public struct Recording: Sendable {
    /// `config.json` and the environment's overrides. A setting that cannot be
    /// used is left out and named in `settings.problems`, for the caller to show.
    public let settings: Settings
    /// Whether this run is recorded, and the rule that decided: `.untracked`
    /// when telemetry is on but `tracked_targets` does not list the target.
    public let consent: ConsentDecision
    /// This run's span of a W3C trace when it is recorded, else nil: the command
    /// learns it through `TRACEPARENT` (`TraceContext.childTraceparent`).
    public let trace: TraceContext?
    /// The CI provider's name when the run is recorded (`CIProvider`), else nil.
    public let ci: String?

    private let folder: TelemetryHome?
    /// Why the environment names no data folder, reported only when one is needed.
    private let folderError: RecorderError
    /// The target as given, or as named when `tracked_targets` needed it.
    private let settledTarget: String?
    private let givenDomain: String?
    private let command: [String]

    /// Whether this run is recorded.
    public var isOn: Bool { consent.enabled }

    /// The run's target: as given, else named from the command (`CommandNaming`,
    /// with the settings' `domain_key` and `target_programs`).
    public var target: String { settledTarget ?? settings.naming.target(command) }

    /// The run's domain: as given, else named from the command, if it names one.
    public var domain: String? {
        if let givenDomain { return givenDomain }
        return command.isEmpty ? nil : settings.naming.domain(command)
    }

    init(environment: Environment, target: String?, domain: String?, command: [String]) {
        var folder: TelemetryHome?
        var folderError = RecorderError.noHomeFolder
        do {
            folder = try TelemetryHome.resolve(environment)
        } catch {
            folderError = error
        }
        // Never fails: one that cannot be used is a problem to show, and the defaults instead.
        let settings = Settings.load(home: folder, environment: environment)
        var consent = Consent.decide(environment, configEnabled: settings.configEnabled) {
            folder?.markerExists ?? false
        }
        var settledTarget = target
        if consent.enabled && !settings.trackedTargets.isEmpty {
            // Only the tracked targets are recorded: for the others, no telemetry work at all.
            let name = target ?? settings.naming.target(command)
            if !settings.tracks(name) { consent = ConsentDecision(enabled: false, rule: .untracked, ignoredValue: nil) }
            settledTarget = name
        }
        var trace: TraceContext?
        var ci: String?
        if consent.enabled {
            let context = Self.context(environment)
            trace = context.trace
            ci = context.ci
        }
        self.settings = settings
        self.consent = consent
        self.trace = trace
        self.ci = ci
        self.folder = folder
        self.folderError = folderError
        self.settledTarget = settledTarget
        self.givenDomain = domain
        self.command = command
    }

    /// A new span of the trace named by a valid `TRACEPARENT` (else of a new
    /// trace), and the CI provider's name.
    static func context(_ environment: Environment) -> (trace: TraceContext, ci: String?) {
        (TraceContext.start(traceparent: environment["TRACEPARENT"]), CIProvider.detect(environment))
    }

    /// `event` with `trace`'s identifiers and `ci`, where it has none of its own.
    static func place(_ event: Event, trace: TraceContext?, ci: String?) -> Event {
        var placed = event
        if placed.traceID == nil, let trace {
            placed.traceID = trace.traceID
            placed.spanID = trace.spanID
            placed.parentSpanID = trace.parentSpanID
        }
        if placed.ci == nil { placed.ci = ci }
        return placed
    }

    /// The data folder, or the error that says why the environment names none.
    public func home() throws(RecorderError) -> TelemetryHome {
        guard let folder else { throw folderError }
        return folder
    }

    /// `event` placed in this run's context: its trace, span and parent span,
    /// and the CI provider. Fields already set are kept.
    public func placed(_ event: Event) -> Event {
        Self.place(event, trace: trace, ci: ci)
    }

    /// Appends `event`, placed in this run's context (`placed(_:)`), to the log
    /// with the settings' rotation, when the run is recorded. Returns whether it
    /// was recorded (false when telemetry is off for it).
    @discardableResult
    public func append(_ event: Event) throws(RecorderError) -> Bool {
        guard consent.enabled else { return false }
        try write(placed(event))
        return true
    }

    /// Appends `event` as it is, with the settings' rotation.
    func write(_ event: Event) throws(RecorderError) {
        try EventLog(home: home()).append(
            event, rotation: Rotation(maximumBytes: settings.maxLogBytes, keep: settings.keepRotated))
    }
}
