/// The report of one `tlm run --logbook FILE` (Ch-aOS's `--logbook`): how the
/// run went, attempt by attempt, written whether or not telemetry is on.
///
/// Like the event, it holds no arguments, paths, environment, user or host
/// names: the program's base name, the target and domain, and the machine's
/// kind (`HostInfo`).
public struct Logbook: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// The last attempt exited 0.
        case success
        /// It failed: a non-zero exit, or a death by a signal nobody sent to cancel it.
        case failure
        /// `--timeout` ended it.
        case timeout
        /// The user cancelled: it died of INT, TERM or HUP, or tlm received one.
        case cancelled
    }

    /// One run of the command.
    public struct Attempt: Sendable, Equatable {
        public var startedAt: Timestamp
        public var durationSeconds: Double
        /// The shell's status: 128+N for a death by signal N.
        public var exitCode: Int
        /// `SIGTERM`…, when it died of a signal.
        public var signal: String?
        public var timedOut: Bool
        public var cpuUserSeconds: Double?
        public var cpuSystemSeconds: Double?
        public var maxRSSKilobytes: Int?

        public init(
            startedAt: Timestamp, durationSeconds: Double, exitCode: Int, signal: String?, timedOut: Bool,
            cpuUserSeconds: Double?, cpuSystemSeconds: Double?, maxRSSKilobytes: Int?
        ) {
            self.startedAt = startedAt
            self.durationSeconds = durationSeconds
            self.exitCode = exitCode
            self.signal = signal
            self.timedOut = timedOut
            self.cpuUserSeconds = cpuUserSeconds
            self.cpuSystemSeconds = cpuSystemSeconds
            self.maxRSSKilobytes = maxRSSKilobytes
        }
    }

    public var status: Status
    /// The status tlm exits with (124 after a timeout).
    public var exitCode: Int
    public var signal: String?
    /// From the first start to the last end, waits between attempts included.
    public var durationSeconds: Double
    public var startedAt: Timestamp
    public var endedAt: Timestamp
    /// The program's base name.
    public var command: String
    public var target: String
    public var domain: String?
    public var host: HostInfo
    public var attempts: [Attempt]
    /// `--retries N` (0 without).
    public var maxRetries: Int

    public init(
        status: Status, exitCode: Int, signal: String?, durationSeconds: Double, startedAt: Timestamp,
        endedAt: Timestamp, command: String, target: String, domain: String?, host: HostInfo, attempts: [Attempt],
        maxRetries: Int
    ) {
        self.status = status
        self.exitCode = exitCode
        self.signal = signal
        self.durationSeconds = durationSeconds
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.command = command
        self.target = target
        self.domain = domain
        self.host = host
        self.attempts = attempts
        self.maxRetries = maxRetries
    }

    /// Retries made: attempts after the first.
    public var retryAttempts: Int { max(0, attempts.count - 1) }
    public var wasRetried: Bool { attempts.count > 1 }
    /// Whether a retry turned a failure into a success.
    public var retrySucceeded: Bool { wasRetried && status == .success }
}
