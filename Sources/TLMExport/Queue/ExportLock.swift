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
    /// Whether an automatic export is due: `export.auto` on, an endpoint
    /// configured, and none started in the last `export.interval`. Costs one
    /// `lstat` when it is not due, since `tlm run` asks after every command.
    public static func isDue(_ home: TelemetryHome, _ settings: Settings, _ environment: Environment) -> Bool {
        guard settings.exportAuto, OTLPDestination.isConfigured(environment, settings) else { return false }
        if let age = ExportLock.age(home), age < settings.exportInterval { return false }
        return true
    }

    /// Why no automatic export starts now, or nil when one is due: what
    /// `TLM_DEBUG` says. `isDue`'s rules plus the lock, which the export itself
    /// would find held (it then gives up at once).
    public static func reasonNotDue(_ home: TelemetryHome, _ settings: Settings, _ environment: Environment)
        -> String?
    {
        guard settings.exportAuto else { return "export.auto is off" }
        guard OTLPDestination.isConfigured(environment, settings) else {
            return "no endpoint (export.endpoint or OTEL_EXPORTER_OTLP_ENDPOINT)"
        }
        if let age = ExportLock.age(home), age < settings.exportInterval {
            return "interval not reached (the last started \(DurationValue.text(nanoseconds: age)) ago;"
                + " export.interval is \(DurationValue.text(nanoseconds: settings.exportInterval)))"
        }
        if ExportLock.isHeld(home) { return "another export holds \(ExportLock.path(home))" }
        return nil
    }
}
