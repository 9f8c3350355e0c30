import TLMRecorder
import TLMSystem

/// `$TLM_HOME/export.lock`: one export at a time (an exclusive `flock`, held
/// until the process ends), and, by its modification time, when the last one
/// started (automatic export waits `export.interval` after it).
public struct ExportLock {
    let fd: Int32
    /// Nanoseconds since the previous export started (read under the lock), nil when none ever did.
    public let previousAge: UInt64?

    /// `$TLM_HOME/export.lock`.
    public static func path(_ home: TelemetryHome) -> String { home.folder + "/export.lock" }

    /// Takes the lock without waiting (`ExportError.busy` when another export holds it).
    public static func acquire(_ home: TelemetryHome) throws(ExportError) -> ExportLock {
        let path = path(home)
        var created = true
        var fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o600)
        if fd < 0 && errno == EEXIST {
            created = false
            fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        }
        guard fd >= 0 else { throw .lock("cannot open \(path): \(Errno.current)") }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_uid == getuid() else {
            close(fd)
            throw .lock("\(path) is not a file of yours: remove it")
        }
        if case .failure(let error) = valueOrErrno({ flock(fd, LOCK_EX | LOCK_NB) }) {
            close(fd)
            if error.rawValue == EWOULDBLOCK { throw .busy(path) }
            throw .lock("cannot lock \(path): \(error)")
        }
        // Under the lock, the time is that of the last export that held it.
        return ExportLock(fd: fd, previousAge: created ? nil : age(of: fd))
    }

    /// When the last export started (the lock's modification time), nil when none ever did.
    public static func lastStart(_ home: TelemetryHome) -> Timestamp? {
        var info = stat()
        guard lstat(path(home), &info) == 0 else { return nil }
        return modified(info)
    }

    /// Nanoseconds since the last export started, nil when none ever did.
    public static func age(_ home: TelemetryHome) -> UInt64? { lastStart(home).map(age(since:)) }

    private static func age(of fd: Int32) -> UInt64? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        return age(since: modified(info))
    }

    private static func age(since start: Timestamp) -> UInt64 {
        let now = Timestamp.now().millisecondsSinceEpoch
        return now > start.millisecondsSinceEpoch ? UInt64(now - start.millisecondsSinceEpoch) * 1_000_000 : 0
    }

    private static func modified(_ info: stat) -> Timestamp {
        let time = info.st_mtim
        return Timestamp(millisecondsSinceEpoch: Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000)
    }

    /// Whether another export holds the lock now (a shared `flock` that would
    /// wait), for `TLM_DEBUG`'s word on why no automatic export started.
    public static func isHeld(_ home: TelemetryHome) -> Bool {
        let fd = open(path(home), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if case .failure(let error) = valueOrErrno({ flock(fd, LOCK_SH | LOCK_NB) }) {
            return error.rawValue == EWOULDBLOCK
        }
        return false
    }

    /// Marks now as the start of an export.
    public func stamp() {
        _ = futimens(fd, nil)
    }

    /// Lets the next export take the lock (a process that ends releases it too).
    public func release() {
        _ = close(fd)
    }
}

/// `export.auto`'s schedule: whether `tlm run` should start an automatic export.
public enum ExportSchedule {
    /// Why an automatic export is not due. A value, not a sentence: `tlm run`
    /// asks after every command, and only `TLM_DEBUG` wants the words.
    public enum NotDue: Sendable, Equatable {
        case autoOff
        case noEndpoint
        /// The last export started `age` nanoseconds ago, less than `export.interval`.
        case tooSoon(age: UInt64, interval: UInt64)
        /// Another export holds the lock (the export itself would give up at once).
        case held(path: String)

        /// What `TLM_DEBUG` says.
        public var description: String {
            switch self {
            case .autoOff: return "export.auto is off"
            case .noEndpoint: return "no endpoint (export.endpoint or OTEL_EXPORTER_OTLP_ENDPOINT)"
            case .tooSoon(let age, let interval):
                return "interval not reached (the last started \(DurationValue.text(nanoseconds: age)) ago;"
                    + " export.interval is \(DurationValue.text(nanoseconds: interval)))"
            case .held(let path): return "another export holds \(path)"
            }
        }
    }

    /// Why no automatic export starts now, or nil when one is due: `export.auto`
    /// off, no endpoint configured, one started in the last `export.interval`,
    /// and with `checkingLock` (for `TLM_DEBUG`) the lock held. Costs one `lstat`
    /// when it is not due without `checkingLock`.
    public static func notDue(
        _ home: TelemetryHome, _ settings: Settings, _ environment: Environment, checkingLock: Bool = false
    ) -> NotDue? {
        guard settings.exportAuto else { return .autoOff }
        guard OTLPDestination.isConfigured(environment, settings) else { return .noEndpoint }
        if let age = ExportLock.age(home), age < settings.exportInterval {
            return .tooSoon(age: age, interval: settings.exportInterval)
        }
        if checkingLock, ExportLock.isHeld(home) { return .held(path: ExportLock.path(home)) }
        return nil
    }
}
