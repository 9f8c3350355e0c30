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
