/// One run of one command: the only thing tlm records.
///
/// The first five fields are anklume's, with the same names, types and meaning,
/// so that anklume's logs and tlm's read the same. The rest are tlm's, and are
/// `nil` (written as JSON `null`) when unknown. Nothing else is ever recorded:
/// no arguments, paths, environment, user or host names.
public struct Event: Sendable, Equatable {
    /// When the command started (UTC).
    public var timestamp: Timestamp
    /// What was run: the make target, the subcommand, or the program's name.
    public var target: String
    /// The `G=` domain, when one was given.
    public var domain: String?
    /// Wall-clock duration, in seconds (written to the millisecond).
    public var durationSeconds: Double
    /// The status the run ended with: 128+N for a death by signal N.
    public var exitCode: Int
    /// The program's base name, never its path.
    public var command: String?
    /// The name of the signal the command died of (`"SIGINT"`), else nil.
    public var signal: String?
    /// CPU time spent in user mode by the command and the children it waited for.
    public var cpuUserSeconds: Double?
    /// CPU time spent in the kernel on behalf of the command and its children.
    public var cpuSystemSeconds: Double?
    /// Peak resident set size, in kilobytes.
    public var maxRSSKilobytes: Int?
    /// Whether `tlm run --timeout` ended the command (its last attempt).
    public var timedOut: Bool?
    /// How many times the command was run (`tlm run --retries`), 1 without retries.
    public var attempts: Int?
    /// The W3C trace this run belongs to: 32 lowercase hex digits, random, or taken
    /// from the `TRACEPARENT` tlm was started with.
    public var traceID: String?
    /// This run's span: 16 lowercase hex digits, random.
    public var spanID: String?
    /// The span of the run this one was started by (from a valid `TRACEPARENT`), else nil.
    public var parentSpanID: String?
    /// The CI provider's name (`github-actions`, `gitlab`, …, `generic`), nil outside CI.
    public var ci: String?

    public init(
        timestamp: Timestamp, target: String, domain: String? = nil, durationSeconds: Double, exitCode: Int,
        command: String? = nil, signal: String? = nil, cpuUserSeconds: Double? = nil,
        cpuSystemSeconds: Double? = nil, maxRSSKilobytes: Int? = nil, timedOut: Bool? = nil, attempts: Int? = nil,
        traceID: String? = nil, spanID: String? = nil, parentSpanID: String? = nil, ci: String? = nil
    ) {
        self.timestamp = timestamp
        self.target = target
        self.domain = domain
        self.durationSeconds = durationSeconds
        self.exitCode = exitCode
        self.command = command
        self.signal = signal
        self.cpuUserSeconds = cpuUserSeconds
        self.cpuSystemSeconds = cpuSystemSeconds
        self.maxRSSKilobytes = maxRSSKilobytes
        self.timedOut = timedOut
        self.attempts = attempts
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.ci = ci
    }

    /// Whether the run succeeded (exit code 0).
    public var succeeded: Bool { exitCode == 0 }
}
