import CTestSupport
import TLMSupervisor
import TLMSystem

/// A pseudo-terminal with a process as its session leader, for tests that
/// type at a terminal: keys (Ctrl-C is byte 3) go in through the master side,
/// and the terminal's line discipline turns them into signals for the
/// foreground process group, exactly as a real terminal does.
public final class PseudoTerminal: @unchecked Sendable {
    public let master: Int32
    public let pid: pid_t
    public private(set) var output: [UInt8] = []

    /// Starts `arguments` in a new session whose controlling terminal is this one.
    public init(_ arguments: [String], environment: [String: String]) throws {
        master = tlm_test_open_pty_master()
        guard master >= 0, let name = tlm_test_pty_slave_name(master) else {
            throw Spawned.Failure(description: "no pseudo-terminal")
        }
        let slavePath = String(cString: name)
        // NOFLSH: by default the terminal flushes pending output when it turns Ctrl-C
        // into SIGINT, which can swallow what a fast signal handler has just printed.
        var settings = termios()
        tcgetattr(master, &settings)
        settings.c_lflag |= tcflag_t(NOFLSH)
        tcsetattr(master, TCSANOW, &settings)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened after setsid() and without O_NOCTTY: it becomes the controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        tlm_test_spawn_add_closefrom(&actions, 3)
        let (child, code) = Spawned.spawnClean(arguments, environment: environment, actions: &actions, newSession: true)
        guard code == 0 else {
            close(master)
            throw Spawned.Failure(description: "cannot spawn \(arguments[0]): \(String(cString: strerror(code)))")
        }
        pid = child
    }

    deinit {
        close(master)
    }

    /// Types `text` at the terminal.
    public func type(_ text: String) {
        var copy = text
        copy.withUTF8 { writeAll(master, UnsafeRawBufferPointer($0)) }
    }

    /// Reads the screen until `needle` appears, or fails at the deadline.
    public func read(until needle: String, timeout: Double = 30) throws {
        let deadline = Spawned.now() + timeout
        let bytes = Array(needle.utf8)
        while !output.contains(subsequence: bytes) {
            let remaining = deadline - Spawned.now()
            guard remaining > 0 else {
                throw Spawned.Failure(description: "no '\(needle)' on the terminal; it shows: \(text)")
            }
            pump(timeout: remaining)
        }
    }

    public var text: String { String(decoding: output, as: UTF8.self) }

    /// Waits for the session leader to end (reading the terminal meanwhile, so it never blocks on output).
    public func wait(timeout: Double = 30) throws -> TerminationStatus {
        let deadline = Spawned.now() + timeout
        while true {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid, let end = TerminationStatus(waitStatus: status) {
                pump(timeout: 0.05)
                return end
            }
            if Spawned.now() > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                throw Spawned.Failure(description: "the process did not end; the terminal shows: \(text)")
            }
            pump(timeout: 0.05)
        }
    }

    private func pump(timeout: Double) {
        var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
        guard poll(&fds, 1, Int32(max(0, min(timeout, 1)) * 1000)) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = Glibc.read(master, &buffer, buffer.count)
        if n > 0 { output += buffer[0..<n] }
    }
}
