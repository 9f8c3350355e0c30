import TLMSystem
import TLMTestSupport
import Testing

@Suite("TLMSystem: errno, retries, whole files, folders, the monotonic clock")
struct SystemTests {
    @Test("Errno prints the system's message, lower-case first, initialisms kept")
    func messages() {
        #expect(Errno(EROFS).message == "read-only file system")
        #expect(Errno(ENOENT).message == "no such file or directory")
        #expect(Errno(EACCES).description == "permission denied")
        // glibc's "RFS specific error": lowering its R would misspell the initialism.
        #expect(Errno(EDOTDOT).message == "RFS specific error")
        #expect(Errno(rawValue: ENOSPC) == Errno(ENOSPC))
    }

    @Test("valueOrErrno retries EINTR and returns any other errno")
    func retries() {
        var calls = 0
        let value = valueOrErrno { () -> Int32 in
            calls += 1
            if calls < 3 {
                errno = EINTR
                return -1
            }
            return 7
        }
        #expect(value == .success(7) && calls == 3)
        calls = 0
        let once = valueOrErrno(retryOnInterrupt: false) { () -> Int32 in
            calls += 1
            errno = EINTR
            return -1
        }
        #expect(once == .failure(Errno(EINTR)) && calls == 1)
        #expect(valueOrErrno { close(-1) } == .failure(Errno(EBADF)))
        #expect(throws: Errno(EBADF)) { try nothingOrErrno { close(-1) } }
    }

    @Test("a whole file is read up to its limit; links, folders and FIFOs are refused")
    func wholeFile() throws {
        let tmp = TemporaryFolder()
        tmp.write("small", "hello\n")
        #expect(try SystemFile.read(tmp.path + "/small", limit: 6) == Array("hello\n".utf8))
        tmp.write("empty", "")
        #expect(try SystemFile.read(tmp.path + "/empty", limit: 0) == [])
        #expect(throws: SystemFile.ReadError.tooLarge) { try SystemFile.read(tmp.path + "/small", limit: 5) }
        #expect(throws: SystemFile.ReadError.cannotOpen(Errno(ENOENT))) {
            try SystemFile.read(tmp.path + "/missing", limit: 10)
        }
        symlink(tmp.path + "/small", tmp.path + "/link")
        #expect(throws: SystemFile.ReadError.cannotOpen(Errno(ELOOP))) {
            try SystemFile.read(tmp.path + "/link", limit: 10)
        }
        #expect(throws: SystemFile.ReadError.notARegularFile) { try SystemFile.read(tmp.path, limit: 10) }
        mkfifo(tmp.path + "/fifo", 0o600)
        #expect(throws: SystemFile.ReadError.notARegularFile) { try SystemFile.read(tmp.path + "/fifo", limit: 10) }
    }

    @Test("writeAll writes every byte and reports the errno that stops it")
    func writeAll() throws {
        let tmp = TemporaryFolder()
        let fd = open(tmp.path + "/out", O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        #expect(fd >= 0)
        var text = String(repeating: "0123456789", count: 20_000)
        try text.withUTF8 { try SystemFile.writeAll(fd, UnsafeRawBufferPointer($0)) }
        close(fd)
        #expect(tmp.bytes("out") == Array(text.utf8))
        #expect(throws: Errno(EBADF)) {
            try [UInt8]([1]).withUnsafeBytes { try SystemFile.writeAll(-1, $0) }
        }
        try [UInt8]().withUnsafeBytes { try SystemFile.writeAll(-1, $0) }  // nothing to write: no call
        let full = open("/dev/full", O_WRONLY | O_CLOEXEC)
        if full >= 0 {
            defer { close(full) }
            #expect(throws: Errno(ENOSPC)) { try [UInt8]([1]).withUnsafeBytes { try SystemFile.writeAll(full, $0) } }
        }
    }

    @Test("writeAll writes a string's UTF-8 whole")
    func writeAllText() throws {
        let tmp = TemporaryFolder()
        let fd = open(tmp.path + "/out", O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        #expect(fd >= 0)
        let text = String(repeating: "héllo ", count: 30_000)
        try SystemFile.writeAll(fd, text)
        close(fd)
        #expect(tmp.text("out") == text)
        #expect(throws: Errno(EBADF)) { try SystemFile.writeAll(-1, "x") }
    }

    @Test("replace writes the new version at once, with its mode whatever the umask")
    func replace() throws {
        let tmp = TemporaryFolder()
        tmp.write("config.json", "old\n", mode: 0o644)
        // The umask is the process's: set for the one call, restored at once.
        do {
            let saved = umask(0o077)
            defer { umask(saved) }
            try SystemFile.replace(tmp.path + "/config.json", with: "new\n", mode: 0o644)
            umask(0)
            try SystemFile.replace(tmp.path + "/cursor", with: "{}\n")
        }
        #expect(tmp.text("config.json") == "new\n")
        #expect(tmp.mode("config.json") == 0o644)
        #expect(tmp.text("cursor") == "{}\n")
        #expect(tmp.mode("cursor") == 0o600)
        #expect(try tmp.list("") == ["config.json", "cursor"])  // no temporary file left
    }

    @Test("a failed replace leaves the earlier version whole and no temporary file")
    func replaceFails() throws {
        let tmp = TemporaryFolder()
        #expect(throws: SystemFile.ReplaceError.notAFileName) { try SystemFile.replace(tmp.path + "/", with: "x") }
        #expect(SystemFile.ReplaceError.notAFileName.description == "not a file name")
        #expect(throws: SystemFile.ReplaceError.cannotWrite(Errno(ENOENT))) {
            try SystemFile.replace(tmp.path + "/missing/file", with: "x")
        }
        // The rename fails (a folder with files is in the way): the temporary file was written, then removed.
        mkdir(tmp.path + "/taken", 0o700)
        tmp.write("taken/earlier", "earlier\n")
        #expect(throws: SystemFile.ReplaceError.cannotWrite(Errno(EISDIR))) {
            try SystemFile.replace(tmp.path + "/taken", with: "new\n")
        }
        #expect(SystemFile.ReplaceError.cannotWrite(Errno(EISDIR)).description == "is a directory")
        #expect(try tmp.list("") == ["taken"])
        #expect(tmp.text("taken/earlier") == "earlier\n")
        // A folder that is not writable: root may write anywhere, so only another user sees the refusal.
        if geteuid() != 0 {
            mkdir(tmp.path + "/locked", 0o700)
            tmp.write("locked/file", "earlier\n")
            chmod(tmp.path + "/locked", 0o500)
            defer { chmod(tmp.path + "/locked", 0o700) }
            #expect(throws: SystemFile.ReplaceError.cannotWrite(Errno(EACCES))) {
                try SystemFile.replace(tmp.path + "/locked/file", with: "new\n")
            }
            #expect(tmp.text("locked/file") == "earlier\n")
            #expect(try tmp.list("locked") == ["file"])
        }
    }

    @Test("a folder lists its names without . and ..; a missing one throws")
    func folderNames() throws {
        let tmp = TemporaryFolder()
        tmp.write("a", "")
        tmp.write("usage.jsonl.1", "")
        mkdir(tmp.path + "/sub", 0o700)
        #expect(try Set(Folder.names(tmp.path)) == ["a", "usage.jsonl.1", "sub"])
        #expect(throws: Errno(ENOENT)) { try Folder.names(tmp.path + "/missing") }
        #expect(throws: Errno(ENOTDIR)) { try Folder.names(tmp.path + "/a") }
    }

    @Test("the monotonic clock goes forward, and a sleep lasts its whole time")
    func clock() {
        let before = MonotonicClock.nanoseconds()
        MonotonicClock.sleep(nanoseconds: 20_000_000)
        let after = MonotonicClock.nanoseconds()
        #expect(after >= before + 20_000_000)
    }
}
