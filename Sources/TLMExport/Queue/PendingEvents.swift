import TLMRecorder
import TLMSystem

/// An event waiting to be exported, with the hash of its line (see `SpanIdentity`).
public struct PendingEvent: Sendable, Equatable {
    public var event: Event
    public var lineHash: (UInt64, UInt64)

    public init(event: Event, lineHash: (UInt64, UInt64)) {
        self.event = event
        self.lineHash = lineHash
    }

    public static func == (lhs: PendingEvent, rhs: PendingEvent) -> Bool {
        lhs.event == rhs.event && lhs.lineHash == rhs.lineHash
    }
}

/// The events of the log not yet exported: the export queue.
///
/// Every log file (`usage.jsonl.N` … `.1`, then `usage.jsonl`) is opened once,
/// at the start, so that a rotation during the export renames nothing under
/// it. The cursor names a file by inode (see `ExportCursor`); the events after
/// it, in that file and in every newer one, are pending. When the cursor's file
/// is gone (rotated out past `keep_rotated`, or never seen), every file present
/// is newer than it: all their events are pending.
///
/// Only whole lines are taken from the live log: a line still being written
/// (no newline yet) waits for the next export. Lines that are not events are
/// skipped and counted, as `tlm report` does, and so are events the exporter
/// cannot express (`forEachBatch`'s `accept`); the cursor moves past both, so
/// that no line can hold the queue up.
public final class PendingEvents {
    struct File {
        let path: String
        let fd: Int32
        let device: UInt64
        let inode: UInt64
        let head: UInt64
        let size: Int64
        let isLive: Bool
    }

    private var files: [File] = []
    /// Where reading starts: a file index and an offset in it.
    private var startFile = 0
    private var startOffset: Int64 = 0
    /// Lines skipped because they are not events.
    public private(set) var malformedLines = 0
    /// Events skipped because `accept` refused them (an exporter cannot express them).
    public private(set) var refusedEvents = 0
    /// The longest line taken (longer ones are skipped and counted as malformed).
    static let maximumLineLength = 1 << 20

    /// Opens the log files of `home` and finds where `cursor` points.
    public init(home: TelemetryHome, cursor: ExportCursor?) throws(ExportError) {
        for path in home.logFilesOldestFirst() {
            let isLive = path == home.logPath
            let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
            if fd < 0 {
                if errno == ENOENT { continue }
                let code = errno
                close()
                throw .log("cannot read \(path): \(Errno(code).message)")
            }
            var info = stat()
            guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
                closeFile(fd)
                close()
                throw .log("\(path) is not a regular file")
            }
            files.append(
                File(
                    path: path, fd: fd, device: UInt64(info.st_dev), inode: UInt64(info.st_ino),
                    head: Self.headHash(fd), size: Int64(info.st_size), isLive: isLive))
        }
        if let cursor,
            let index = files.firstIndex(where: {
                $0.device == cursor.device && $0.inode == cursor.inode && $0.head == cursor.head
                    && $0.size >= cursor.offset
            })
        {
            startFile = index
            startOffset = cursor.offset
        }
    }

    deinit { close() }

    private func close() {
        for file in files { closeFile(file.fd) }
        files = []
    }

    /// The hash of a file's first line (at most 4 KiB of it), 0 for an empty file.
    static func headHash(_ fd: Int32) -> UInt64 {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, 4096, 0) }
        guard count > 0 else { return 0 }
        let end = buffer[0..<count].firstIndex(of: 0x0A) ?? count
        return buffer.withUnsafeBytes { SpanIdentity.hash(UnsafeRawBufferPointer(rebasing: $0[0..<end])).0 }
    }

    /// Calls `body` with each batch of at most `batchSize` pending events, and
    /// the cursor that marks them done; stops early when `body` returns false.
    /// Events `accept` refuses are skipped and counted in `refusedEvents`. When
    /// the log ends with skipped lines, `body` gets a last, empty batch whose
    /// cursor moves past them. Returns the number of events delivered to `body`.
    @discardableResult
    public func forEachBatch(
        size batchSize: Int, exportedBefore: Int64, accept: (Event) -> Bool = { _ in true },
        _ body: ([PendingEvent], ExportCursor) -> Bool
    ) throws(ExportError) -> Int {
        var batch: [PendingEvent] = []
        batch.reserveCapacity(batchSize)
        var exported = exportedBefore
        var delivered = 0
        var stopped = false
        // Lines skipped since the last cursor handed to `body`.
        var skippedSinceCursor = false
        for index in startFile..<files.count where !stopped {
            let file = files[index]
            var position: Int64 = index == startFile ? startOffset : 0
            try forEachLine(file, from: position) { line, end in
                position = end
                let lineHash = SpanIdentity.hash(line)
                guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return true }
                guard let event = EventParser.parse(line) else {
                    malformedLines += 1
                    skippedSinceCursor = true
                    return true
                }
                guard accept(event) else {
                    refusedEvents += 1
                    skippedSinceCursor = true
                    return true
                }
                batch.append(PendingEvent(event: event, lineHash: lineHash))
                if batch.count == batchSize {
                    exported += Int64(batch.count)
                    let cursor = ExportCursor(
                        device: file.device, inode: file.inode, head: file.head, offset: end, exported: exported)
                    delivered += batch.count
                    skippedSinceCursor = false
                    let goOn = body(batch, cursor)
                    batch.removeAll(keepingCapacity: true)
                    if !goOn { stopped = true }
                    return goOn
                }
                return true
            }
            // The last batch of the last file, or a batch that ends with this file.
            if !stopped, !batch.isEmpty || skippedSinceCursor, index == files.count - 1 {
                exported += Int64(batch.count)
                delivered += batch.count
                let cursor = ExportCursor(
                    device: file.device, inode: file.inode, head: file.head, offset: position, exported: exported)
                if !body(batch, cursor) { stopped = true }
                batch.removeAll()
            }
        }
        return delivered
    }

    /// Calls `line` with each whole line from `offset` and the offset just after
    /// it; a last line without a newline counts only in a rotated (finished) file.
    private func forEachLine(
        _ file: File, from offset: Int64, _ line: (UnsafeRawBufferPointer, Int64) -> Bool
    ) throws(ExportError) {
        let capacity = Self.maximumLineLength
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        let base = buffer.baseAddress!
        var fileOffset = offset  // the file offset of buffer[0]
        var end = 0
        var skipping = false
        while true {
            let count: Int
            switch valueOrErrno({ pread(file.fd, base + end, capacity - end, off_t(fileOffset + Int64(end))) }) {
            case .success(let got): count = got
            case .failure(let error): throw .log("cannot read \(file.path): \(error)")
            }
            let atEnd = count == 0
            end += count
            var start = 0
            while start < end, let newline = memchr(base + start, 0x0A, end - start) {
                let at = base.distance(to: newline)
                let lineEnd = fileOffset + Int64(at) + 1
                if skipping {
                    skipping = false
                    malformedLines += 1
                } else if !line(UnsafeRawBufferPointer(start: base + start, count: at - start), lineEnd) {
                    return
                }
                start = at + 1
            }
            if atEnd {
                if start < end, !file.isLive, !skipping {
                    _ = line(UnsafeRawBufferPointer(start: base + start, count: end - start), fileOffset + Int64(end))
                }
                return
            }
            if start == 0 && end == capacity {
                // A line longer than the buffer: skip to its newline.
                skipping = true
                fileOffset += Int64(end)
                end = 0
                continue
            }
            memmove(base, base + start, end - start)
            end -= start
            fileOffset += Int64(start)
        }
    }
}

/// `close(2)`, under a name the class's own `close` does not hide.
private func closeFile(_ fd: Int32) {
    _ = close(fd)
}
