import TLMSystem

extension TelemetryHome {
    /// The data-folder rule, checked before tlm opens, creates, changes or
    /// removes anything in the folder: it must be a folder of the user's own
    /// that neither group nor others may write to, reached (when `TLM_HOME` is
    /// a symbolic link) through a link of the user's or root's. A missing folder
    /// passes: tlm creates it 0700. Costs one `lstat` (two through a link).
    public func checkFolder() throws(RecorderError) {
        if let problem = folderProblem() { throw problem }
    }

    /// Why the data folder breaks the rule of `checkFolder`, or nil.
    public func folderProblem() -> RecorderError? {
        var info = stat()
        if lstat(folder, &info) != 0 {
            // Missing (or under a file, ENOTDIR): creating it says what is wrong.
            return errno == ENOENT || errno == ENOTDIR ? nil : .cannotWrite(path: folder, errno: errno)
        }
        if (info.st_mode & S_IFMT) == S_IFLNK {
            // Another user's link could send tlm's writes (and `tlm clear`'s deletions)
            // into any folder tlm can reach.
            if info.st_uid != geteuid() && info.st_uid != 0 {
                return .unsafe(
                    path: folder,
                    reason:
                        "it is a symbolic link of another user (uid \(info.st_uid)): set TLM_HOME to a folder of your own"
                )
            }
            if stat(folder, &info) != 0 { return .cannotWrite(path: folder, errno: errno) }
        }
        guard POSIX.isDirectory(info) else { return .cannotWrite(path: folder, errno: ENOTDIR) }
        if let reason = POSIX.unsafeReason(info, isFolder: true, path: folder) {
            return .unsafe(path: folder, reason: reason)
        }
        return nil
    }

    /// Creates the data folder and its missing parents, mode 0700 whatever the umask.
    public func createFolder() throws(RecorderError) {
        let code = POSIX.makeFolders(folder)
        if code != 0 { throw .cannotCreateFolder(path: folder, errno: code) }
    }

    /// Opts in: creates the `enabled` marker (0600). Creating it again is harmless.
    public func createMarker() throws(RecorderError) {
        try checkFolder()
        try createFolder()
        // O_NONBLOCK: a FIFO in the marker's place must not hang `tlm on`.
        let fd = open(markerPath, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o600)
        if fd < 0 { throw .cannotWrite(path: markerPath, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, POSIX.isRegularFile(info) else { throw .notARegularFile(path: markerPath) }
        _ = fchmod(fd, 0o600)
    }

    /// Opts out: removes the marker, if there is one. Data is kept.
    public func removeMarker() throws(RecorderError) {
        // Nothing to do without a marker, even where nothing can be written (a read-only
        // file system answers unlink with EROFS, not ENOENT).
        guard POSIX.lstatInfo(markerPath) != nil else { return }
        try checkFolder()
        if unlink(markerPath) != 0 && errno != ENOENT { throw .cannotRemove(path: markerPath, errno: errno) }
    }

    /// The lock writers and the rotator share (see `EventLog.append`).
    public var lockPath: String { folder + "/usage.jsonl.lock" }

    /// `usage.jsonl.N`.
    public func rotatedPath(_ number: Int) -> String { logPath + "." + String(number) }

    /// The numbers N of the `usage.jsonl.N` files present, in increasing order.
    public func rotatedNumbers() -> [Int] {
        ((try? Folder.names(folder)) ?? []).compactMap(Self.rotationNumber).sorted()
    }

    /// The log and its rotated siblings, oldest first: `usage.jsonl.N` for
    /// every N present, highest first (`.3`, `.2`, `.1`), then `usage.jsonl`
    /// (listed even when missing: readers take a missing log as an empty one).
    /// The one list that report, status, export, the queue and rotation read.
    ///
    /// The folder is listed rather than probed `.1`, `.2`… so that a gap (a
    /// deleted `.2`) hides no older file.
    public func logFilesOldestFirst() -> [String] {
        rotatedNumbers().reversed().map(rotatedPath) + [logPath]
    }

    /// N, when `name` is one that rotation writes: `usage.jsonl.N`, N a decimal
    /// number from 1, without leading zeros. Anything else (`usage.jsonl.2.gz`,
    /// `usage.jsonl.01`, `usage.jsonl.0`) is not one of tlm's logs: not read,
    /// not rotated, not removed.
    static func rotationNumber(_ name: String) -> Int? {
        let prefix = "usage.jsonl."
        guard name.hasPrefix(prefix) else { return nil }
        let digits = name.utf8.dropFirst(prefix.utf8.count)
        guard let first = digits.first, first != UInt8(ascii: "0"), digits.allSatisfy({ $0 >= 48 && $0 <= 57 })
        else { return nil }
        return Int(String(decoding: digits, as: UTF8.self))
    }

    /// The names of the files tlm writes in the folder, besides `usage.jsonl.N`:
    /// the only files `tlm clear` ever removes. Add a name here when tlm starts
    /// writing a new file.
    public static let fileNames = [
        "usage.jsonl", "usage.jsonl.lock", "enabled", "config.json", "export.cursor", "export.lock",
    ]

    /// Every file tlm wrote in the folder: the log, its rotated siblings
    /// (`usage.jsonl.1`, …), the lock, the marker, the configuration and the
    /// export state (`fileNames`). Nothing else is ever listed.
    public func filesWritten() -> [String] {
        let names = ((try? Folder.names(folder)) ?? []).filter(Self.isTlmFile)
        return names.sorted { Self.order($0) < Self.order($1) }.map { folder + "/" + $0 }
    }

    /// Removes every file tlm wrote, then the folder if nothing else is in it.
    /// Returns the paths removed.
    ///
    /// The folder must pass `checkFolder` (a link of another user's could lead
    /// anywhere), and a file is removed only when it is tlm's: besides its name,
    /// `enabled` must be what `tlm on` makes (an empty regular file) and
    /// `config.json` a file tlm can read (a JSON object of tlm's keys only).
    /// Another tool's file of the same name is left, and listed in `kept`.
    public func removeAll(kept: inout [String]) throws(RecorderError) -> [String] {
        try checkFolder()
        var removed: [String] = []
        for path in filesWritten() {
            guard isTlmContent(path) else {
                kept.append(path)
                continue
            }
            if unlink(path) != 0 {
                if errno == ENOENT { continue }
                throw .cannotRemove(path: path, errno: errno)
            }
            removed.append(path)
        }
        if rmdir(folder) == 0 { removed.append(folder) }
        return removed
    }

    /// Removes what `removeAll(kept:)` removes, ignoring what it keeps.
    public func removeAll() throws(RecorderError) -> [String] {
        var kept: [String] = []
        return try removeAll(kept: &kept)
    }

    /// Whether a file named like one of tlm's holds what tlm writes there.
    private func isTlmContent(_ path: String) -> Bool {
        if path == markerPath {
            guard let info = POSIX.lstatInfo(path) else { return true }
            return POSIX.isRegularFile(info) && info.st_size == 0
        }
        if path == configPath {
            guard POSIX.lstatInfo(path) != nil else { return true }
            return (try? ConfigFile.load(self)) != nil
        }
        return true
    }

    static func isTlmFile(_ name: String) -> Bool {
        fileNames.contains(name) || rotationNumber(name) != nil
    }

    /// Log first, then its rotated siblings in number order, then the other files.
    private static func order(_ name: String) -> (Int, Int) {
        if name == "usage.jsonl" { return (0, 0) }
        if let index = fileNames.firstIndex(of: name) { return (2, index) }
        return (1, Int(name.dropFirst("usage.jsonl.".count)) ?? Int.max)
    }
}
