import TLMSystem

/// What reading a log found.
public struct LogSummary: Sendable, Equatable {
    /// Lines that parsed as events.
    public var events = 0
    /// Lines that did not (bad JSON, missing fields, invalid UTF-8, too long); skipped.
    public var malformedLines = 0
    /// The earliest and latest event start times.
    public var firstEvent: Timestamp?
    public var lastEvent: Timestamp?

    public init() {}

    /// Adds another file's counts to these.
    mutating func add(_ other: LogSummary) {
        events += other.events
        malformedLines += other.malformedLines
        if let first = other.firstEvent, firstEvent.map({ first < $0 }) ?? true { firstEvent = first }
        if let last = other.lastEvent, lastEvent.map({ last > $0 }) ?? true { lastEvent = last }
    }
}

/// The event log, `usage.jsonl`: append one event, read them all back.
///
/// Appending is safe from many processes at once (`make -j`, parallel CI
/// jobs): each event is one `write(2)` of a whole line on an `O_APPEND`
/// descriptor, so lines never interleave; a short write is reported, not
/// completed by a second one that could land inside another writer's line.
public struct EventLog: Sendable {
    public let home: TelemetryHome

    public init(home: TelemetryHome) {
        self.home = home
    }

    /// Appends one event as one line, creating the folder (0700) and the log
    /// (0600) if needed, then rotates the log if it has reached
    /// `rotation.maximumBytes`.
    ///
    /// Writers and the rotator share `usage.jsonl.lock` (`flock`): a writer
    /// holds it shared while it checks that its descriptor is still the log's
    /// (a rotation may have come between its `open` and its lock: it then opens
    /// the new log) and writes; the writer that finds the log full takes it
    /// exclusive, checks again that the log is the full one it wrote to (another
    /// writer may have rotated it meanwhile), and renames. So no write ever lands
    /// in a file already renamed or dropped: every event is in exactly one file,
    /// and none is lost. Readers take no lock: one reading during a rotation may
    /// see an event twice or miss it, never the log itself.
    public func append(_ event: Event, rotation: Rotation = Rotation()) throws(RecorderError) {
        let path = home.logPath
        // The folder first: no file is created, opened or chmodded in a folder that
        // breaks the rule (another user's, or one others may write to).
        try home.checkFolder()
        let lock = try openPrivateFile(home.lockPath, flags: O_RDWR)
        defer { close(lock) }
        var fd = try openPrivateFile(path, flags: O_RDWR | O_APPEND)
        defer { close(fd) }
        try lockFile(lock, LOCK_SH)
        defer { _ = flock(lock, LOCK_UN) }
        if !Self.isCurrent(fd, path) {
            close(fd)
            fd = try openPrivateFile(path, flags: O_RDWR | O_APPEND)
        }
        var line = EventEncoder.line(event)
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotWrite(path: path, errno: errno) }
        if !Self.endsWithNewline(fd, info) {
            // A writer killed mid-line (or a power cut) can leave the file without a
            // final newline: start on a fresh line rather than glue onto the fragment.
            // But the size seen may also fall inside another writer's line being
            // written (the kernel grows it page by page): only with the lock held
            // exclusive, when no writer is between its start and its end, is the last
            // byte known (found by bench/soak.sh: 2 blank lines in 20,000 events).
            try lockFile(lock, LOCK_EX)
            if !Self.isCurrent(fd, path) {
                close(fd)
                fd = try openPrivateFile(path, flags: O_RDWR | O_APPEND)
            }
            guard fstat(fd, &info) == 0 else { throw .cannotWrite(path: path, errno: errno) }
            if !Self.endsWithNewline(fd, info) { line = "\n" + line }
        }
        // A short write leaves a fragment without a newline: readers skip it, and the
        // next append starts on a fresh line (above).
        let code = line.withUTF8 { POSIX.writeOnce(fd, UnsafeRawBufferPointer($0)) }
        if code != 0 { throw .cannotWrite(path: path, errno: code) }
        guard fstat(fd, &info) == 0, Int64(info.st_size) >= rotation.maximumBytes else { return }
        _ = flock(lock, LOCK_UN)
        try rotate(lock: lock, full: info, rotation: rotation)
    }

    /// Whether the file is empty or its last byte (at the size `info` saw) is a newline.
    private static func endsWithNewline(_ fd: Int32, _ info: stat) -> Bool {
        guard info.st_size > 0 else { return true }
        var last: UInt8 = 0
        return pread(fd, &last, 1, off_t(info.st_size - 1)) == 1 && last == 0x0A
    }

    /// Renames `usage.jsonl` to `usage.jsonl.1` (and `.1` to `.2` …, the oldest
    /// dropped), holding the lock exclusive, unless another writer did it first.
    private func rotate(lock: Int32, full: stat, rotation: Rotation) throws(RecorderError) {
        let path = home.logPath
        try lockFile(lock, LOCK_EX)
        defer { _ = flock(lock, LOCK_UN) }
        guard let now = POSIX.lstatInfo(path), now.st_ino == full.st_ino, now.st_dev == full.st_dev else { return }
        if rotation.keep == 0 {
            if unlink(path) != 0 && errno != ENOENT { throw .cannotRemove(path: path, errno: errno) }
        } else {
            // Only the files there are (a rename per file, not per number up to keep).
            for number in home.rotatedNumbers().reversed() where number < rotation.keep {
                if rename(home.rotatedPath(number), home.rotatedPath(number + 1)) != 0 && errno != ENOENT {
                    throw .cannotWrite(path: home.rotatedPath(number + 1), errno: errno)
                }
            }
            if rename(path, home.rotatedPath(1)) != 0 { throw .cannotWrite(path: home.rotatedPath(1), errno: errno) }
        }
        // Logs beyond `keep` (left by a larger keep_rotated before) are dropped too.
        for number in home.rotatedNumbers() where number > rotation.keep { unlink(home.rotatedPath(number)) }
    }

    /// Opens (creating it 0600, and the folder 0700, when missing) one of tlm's
    /// files, refusing a link (`O_NOFOLLOW`), anything but a regular file, and a
    /// file another user owns or may write to.
    private func openPrivateFile(_ path: String, flags: Int32) throws(RecorderError) -> Int32 {
        // O_CLOEXEC: the descriptor must never reach a command tlm starts. O_NONBLOCK: a
        // FIFO planted in place of the file must not hang tlm (it is refused below).
        let all = flags | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK
        var fd = open(path, all, 0o600)
        if fd < 0 && (errno == ENOENT || errno == ENOTDIR) {
            // The folder is missing: the first run after `tlm on` was undone, or
            // TLM_TELEMETRY=1 on a fresh machine. Open first, create on demand: one
            // system call fewer on every other run.
            try home.createFolder()
            fd = open(path, all, 0o600)
        }
        if fd < 0 {
            if errno == ELOOP { throw .unsafe(path: path, reason: "it is a symbolic link") }
            throw .cannotWrite(path: path, errno: errno)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw .cannotWrite(path: path, errno: code)
        }
        guard POSIX.isRegularFile(info) else {
            close(fd)
            throw .notARegularFile(path: path)
        }
        if let reason = POSIX.unsafeReason(info, isFolder: false, path: path) {
            close(fd)
            throw .unsafe(path: path, reason: reason)
        }
        // tlm never links its files: a hard link in their place could be any file of
        // the user's (its mode would be changed below, its content appended to).
        if info.st_nlink > 1 {
            close(fd)
            throw .unsafe(path: path, reason: "it has other hard links (rm \(path))")
        }
        // The mode given to open() is filtered by the umask: make it exactly 0600.
        if info.st_mode & 0o777 != 0o600 { _ = fchmod(fd, 0o600) }
        return fd
    }

    /// Takes the lock (`flock`), waiting for it through signals that interrupt the wait.
    private func lockFile(_ fd: Int32, _ operation: Int32) throws(RecorderError) {
        if case .failure(let error) = valueOrErrno({ flock(fd, operation) }) {
            throw .cannotWrite(path: home.lockPath, errno: error.rawValue)
        }
    }

    /// Whether `fd` is still the file at `path` (not renamed away by a rotation).
    private static func isCurrent(_ fd: Int32, _ path: String) -> Bool {
        var open = stat()
        guard fstat(fd, &open) == 0, let now = POSIX.lstatInfo(path) else { return false }
        return open.st_ino == now.st_ino && open.st_dev == now.st_dev
    }

    /// Reads every event of the log and its rotated siblings, oldest first
    /// (`usage.jsonl.N` … `.1`, then `usage.jsonl`), skipping and counting
    /// malformed lines. Missing files are empty ones.
    @discardableResult
    public func forEachEventInAllFiles(_ body: (Event) -> Void) throws(RecorderError) -> LogSummary {
        var total = LogSummary()
        for path in home.logFilesOldestFirst() { total.add(try EventLog.read(path, body)) }
        return total
    }

    /// The size of the log and its rotated siblings, in bytes.
    public var totalSizeInBytes: Int64 {
        home.logFilesOldestFirst().reduce(0) { sum, path in sum + Int64(POSIX.lstatInfo(path)?.st_size ?? 0) }
    }

    /// Reads every event of `usage.jsonl` alone, in file order, skipping and
    /// counting malformed lines. A missing log is an empty one.
    @discardableResult
    public func forEachEvent(_ body: (Event) -> Void) throws(RecorderError) -> LogSummary {
        try EventLog.read(home.logPath, body)
    }

    static func read(_ path: String, _ body: (Event) -> Void) throws(RecorderError) -> LogSummary {
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            if errno == ENOENT { return LogSummary() }
            throw .cannotRead(path: path, errno: errno)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotRead(path: path, errno: errno) }
        guard POSIX.isRegularFile(info) else { throw .notARegularFile(path: path) }
        return try read(fd, path: path, body)
    }

    /// Reads the events of an open descriptor (a file, or a pipe such as standard
    /// input) from its offset to its end, skipping blank lines and counting the
    /// lines that are not events; `path` names it in errors.
    public static func read(_ fd: Int32, path: String, _ body: (Event) -> Void) throws(RecorderError) -> LogSummary {
        var summary = LogSummary()
        let code = LineReader().forEachLine(
            in: fd,
            { line in
                guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
                guard let event = EventParser.parse(line) else {
                    summary.malformedLines += 1
                    return
                }
                summary.events += 1
                if summary.firstEvent.map({ event.timestamp < $0 }) ?? true { summary.firstEvent = event.timestamp }
                if summary.lastEvent.map({ event.timestamp > $0 }) ?? true { summary.lastEvent = event.timestamp }
                body(event)
            }, oversized: { summary.malformedLines += 1 })
        if code != 0 { throw .cannotRead(path: path, errno: code) }
        return summary
    }

    /// The log's size in bytes, 0 when it does not exist.
    public var sizeInBytes: Int64 {
        guard let info = POSIX.lstatInfo(home.logPath) else { return 0 }
        return Int64(info.st_size)
    }
}
