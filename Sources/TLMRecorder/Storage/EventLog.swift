#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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
    /// (0600) if needed.
    public func append(_ event: Event) throws(RecorderError) {
        let path = home.logPath
        // O_RDWR: to read the last byte (see below). O_NOFOLLOW: a link planted in place
        // of the log must not redirect the write. O_CLOEXEC: the descriptor must never
        // reach a command tlm starts.
        // O_NONBLOCK: a FIFO planted in place of the log must not hang tlm (it is
        // refused below); it changes nothing for a regular file.
        let flags = O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK
        var fd = open(path, flags, 0o600)
        if fd < 0 && (errno == ENOENT || errno == ENOTDIR) {
            // The folder is missing: the first run after `tlm on` was undone, or
            // TLM_TELEMETRY=1 on a fresh machine. Open first, create on demand: one
            // system call fewer on every other run.
            try home.createFolder()
            fd = open(path, flags, 0o600)
        }
        if fd < 0 { throw .cannotWrite(path: path, errno: errno) }
        defer { close(fd) }
        var line = EventEncoder.line(event)
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotWrite(path: path, errno: errno) }
        guard POSIX.isRegularFile(info) else { throw .notARegularFile(path: path) }
        if info.st_size == 0 {
            // The mode given to open() is filtered by the umask: make it exactly 0600.
            _ = fchmod(fd, 0o600)
        } else {
            // A writer killed mid-line (or a power cut) can leave the file without a
            // final newline: start on a fresh line rather than glue onto the fragment.
            var last: UInt8 = 0
            if pread(fd, &last, 1, off_t(info.st_size - 1)) == 1, last != 0x0A {
                line = "\n" + line
            }
        }
        // A short write leaves a fragment without a newline: readers skip it, and the
        // next append starts on a fresh line (above).
        let code = line.withUTF8 { POSIX.writeOnce(fd, UnsafeRawBufferPointer($0)) }
        if code != 0 { throw .cannotWrite(path: path, errno: code) }
    }

    /// Reads every event in file order, skipping and counting malformed lines.
    /// A missing log is an empty one.
    @discardableResult
    public func forEachEvent(_ body: (Event) -> Void) throws(RecorderError) -> LogSummary {
        var summary = LogSummary()
        let path = home.logPath
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            if errno == ENOENT { return summary }
            throw .cannotRead(path: path, errno: errno)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotRead(path: path, errno: errno) }
        guard POSIX.isRegularFile(info) else { throw .notARegularFile(path: path) }
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
