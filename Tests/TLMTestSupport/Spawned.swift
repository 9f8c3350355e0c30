import CTestSupport
import TLMSupervisor
import TLMSystem

/// A process started for a test, with pipes on its stdin, stdout and stderr.
///
/// Started with `posix_spawn`, every signal at its default and an empty mask,
/// in the environment given and nothing else, so that the test process's own
/// state (Swift Testing's threads, an ignored SIGPIPE) cannot leak into what
/// is tested. Every wait is bounded by a deadline.
public final class Spawned: @unchecked Sendable {
    public let pid: pid_t
    public private(set) var stdout: [UInt8] = []
    public private(set) var stderr: [UInt8] = []
    public private(set) var status: TerminationStatus?
    /// Whether the process dumped core as it died (WCOREDUMP).
    public private(set) var dumpedCore = false
    private var outFD: Int32
    private var errFD: Int32
    private var writer: StdinWriter?

    /// What the process reads on stdin.
    public enum Input {
        /// These bytes, then end of file.
        case bytes([UInt8])
        /// /dev/null.
        case null
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts `arguments` (the first is a path or a name found in `PATH` of the given environment).
    /// `keep` lists descriptors of this process to pass down as they are, at the same numbers.
    public init(
        _ arguments: [String], environment: [String: String], stdin: Input = .null, directory: String? = nil,
        keep: [Int32] = []
    ) throws {
        var inPipe: [Int32] = [-1, -1]
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard tlm_test_pipe_cloexec(&outPipe) == 0, tlm_test_pipe_cloexec(&errPipe) == 0 else {
            throw Failure(description: "pipe failed")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        switch stdin {
        case .null:
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .bytes:
            guard tlm_test_pipe_cloexec(&inPipe) == 0 else { throw Failure(description: "pipe failed") }
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        // Only the descriptors asked for: other tests' descriptors, opened meanwhile in
        // this process without close-on-exec, must not leak into the child.
        let highest = keep.max() ?? 2
        for fd in 3..<max(3, highest) where !keep.contains(fd) {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        tlm_test_spawn_add_closefrom(&actions, highest + 1)
        for fd in keep {
            // dup2 onto itself does not clear close-on-exec, so go through a spare number.
            posix_spawn_file_actions_adddup2(&actions, fd, highest + 1)
            posix_spawn_file_actions_adddup2(&actions, highest + 1, fd)
            posix_spawn_file_actions_addclose(&actions, highest + 1)
        }
        if let directory { tlm_test_spawn_add_chdir(&actions, directory) }

        let (child, code) = Self.spawnClean(arguments, environment: environment, actions: &actions)
        close(outPipe[1])
        close(errPipe[1])
        if inPipe[0] >= 0 { close(inPipe[0]) }
        guard code == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            if inPipe[1] >= 0 { close(inPipe[1]) }
            throw Failure(description: "cannot spawn \(arguments[0]): \(String(cString: strerror(code)))")
        }
        pid = child
        outFD = outPipe[0]
        errFD = errPipe[0]
        if case .bytes(let bytes) = stdin {
            writer = StdinWriter(fd: inPipe[1], bytes: bytes)
        }
    }

    /// Runs to the end and returns the process.
    @discardableResult
    public static func run(
        _ arguments: [String], environment: [String: String], stdin: Input = .null, directory: String? = nil,
        keep: [Int32] = [], timeout: Double = 60
    ) throws -> Spawned {
        let process = try Spawned(arguments, environment: environment, stdin: stdin, directory: directory, keep: keep)
        try process.finish(timeout: timeout)
        return process
    }

    /// Reads output until `needle` appears in stdout (or stderr), or the deadline passes.
    public func read(until needle: String, fromStderr: Bool = false, timeout: Double = 30) throws {
        let deadline = Self.now() + timeout
        let bytes = Array(needle.utf8)
        while !(fromStderr ? stderr : stdout).contains(subsequence: bytes) {
            let remaining = deadline - Self.now()
            if remaining <= 0 || !pump(timeout: remaining) {
                throw Failure(description: "no '\(needle)' in output; stdout: \(text), stderr: \(errorText)")
            }
        }
    }

    /// Reads all output to end of file, then reaps the process.
    public func finish(timeout: Double = 60) throws {
        let deadline = Self.now() + timeout
        while outFD >= 0 || errFD >= 0 {
            let remaining = deadline - Self.now()
            if remaining <= 0 {
                kill(pid, SIGKILL)
                _ = reap()
                throw Failure(description: "timed out after \(timeout) s; stdout: \(text), stderr: \(errorText)")
            }
            _ = pump(timeout: remaining)
        }
        writer?.join()
        let word = reap()
        status = word.flatMap { TerminationStatus(waitStatus: $0) }
        dumpedCore = (word ?? 0) & 0x80 != 0
    }

    /// Sends a signal to the process.
    public func signal(_ number: Int32) { kill(pid, number) }

    public var text: String { String(decoding: stdout, as: UTF8.self) }
    public var errorText: String { String(decoding: stderr, as: UTF8.self) }
    /// stderr's lines, less those a coverage-instrumented build adds (`swift test
    /// --enable-code-coverage`: "LLVM Profile Error: …" when the profile cannot be written).
    public var errorLines: [String] {
        errorText.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("LLVM Profile ") }
    }

    /// Reads what is available; false when nothing more can come.
    private func pump(timeout: Double) -> Bool {
        var fds = [
            pollfd(fd: outFD, events: Int16(POLLIN), revents: 0), pollfd(fd: errFD, events: Int16(POLLIN), revents: 0),
        ]
        if outFD < 0 && errFD < 0 { return false }
        let ready = poll(&fds, 2, Int32(min(timeout, 1) * 1000))
        if ready <= 0 { return true }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        for index in 0..<2 where fds[index].revents != 0 {
            let fd = fds[index].fd
            let n = Glibc.read(fd, &buffer, buffer.count)
            if n > 0 {
                if index == 0 { stdout += buffer[0..<n] } else { stderr += buffer[0..<n] }
            } else if n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN) {
                close(fd)
                if index == 0 { outFD = -1 } else { errFD = -1 }
            }
        }
        return true
    }

    /// Waits for the process; its raw wait status.
    private func reap() -> Int32? {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return nil }
        }
        return status
    }

    public static func now() -> Double {
        Double(MonotonicClock.nanoseconds()) / 1e9
    }

    /// Spawns `arguments` with exactly `environment`, every signal at its default
    /// and an empty mask, applying `actions`; in a new session if asked.
    /// Returns the child's pid and 0, or the spawn's errno.
    static func spawnClean(
        _ arguments: [String], environment: [String: String], actions: inout posix_spawn_file_actions_t,
        newSession: Bool = false
    ) -> (pid_t, Int32) {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        // sigfillset leaves out glibc's internal signals 32 and 33, which posix_spawn
        // would then leave ignored in the child: a shell starts commands without that.
        withUnsafeMutableBytes(of: &all) { bytes in
            for signal in 32...33 { bytes[(signal - 1) / 8] |= UInt8(1 << ((signal - 1) % 8)) }
        }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        var flags = Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        if newSession { flags |= tlm_test_spawn_setsid_flag() }
        posix_spawnattr_setflags(&attributes, flags)

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        // In key order: a dictionary's own order may differ from one instance to the next,
        // and tests compare the environment two processes saw.
        var envp: [UnsafeMutablePointer<CChar>?] =
            environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var child: pid_t = 0
        let code = posix_spawn(&child, resolve(arguments[0], environment["PATH"]), &actions, &attributes, &argv, &envp)
        return (child, code)
    }

    static func resolve(_ name: String, _ path: String?) -> String {
        if name.contains("/") { return name }
        if case .found(let found) = ExecutableLookup.resolve(name, searchPath: path ?? "/usr/bin:/bin") { return found }
        return name
    }
}

/// Feeds a child's stdin from its own thread, so that a large input cannot
/// block against output the test has not read yet.
final class StdinWriter: @unchecked Sendable {
    let fd: Int32
    let bytes: [UInt8]
    var thread: pthread_t = 0

    init(fd: Int32, bytes: [UInt8]) {
        self.fd = fd
        self.bytes = bytes
        let context = Unmanaged.passRetained(self).toOpaque()
        pthread_create(
            &thread, nil,
            { raw in
                let writer = Unmanaged<StdinWriter>.fromOpaque(raw!).takeRetainedValue()
                writer.bytes.withUnsafeBytes { writeAll(writer.fd, $0) }
                close(writer.fd)
                return nil
            }, context)
    }

    func join() { pthread_join(thread, nil) }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs in the array.
    public func contains(subsequence needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard count >= needle.count else { return false }
        for start in 0...(count - needle.count) where self[start] == needle[0] {
            if self[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
