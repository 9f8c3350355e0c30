import Glibc
import TLMRecorder
import TLMSupervisor
import TLMTestSupport
import Testing

/// `tlm run --timeout`: the command and everything it started end at the limit;
/// nothing changes before it.
@Suite("tlm run --timeout")
struct TimeoutTests {
    /// Whether `pid` is gone (or a zombie, or reused by something that is not `sleep`),
    /// polled for up to `seconds`: KILL and the reparenting to init take a moment.
    static func gone(_ pid: pid_t, within seconds: Double = 5) -> Bool {
        let deadline = Spawned.now() + seconds
        repeat {
            guard let bytes = readFile("/proc/\(pid)/stat") else { return true }
            let text = String(decoding: bytes, as: UTF8.self)
            if !text.contains("(sleep)") { return true }
            if let paren = text.lastIndex(of: ")"), text[text.index(paren, offsetBy: 2)] == "Z" { return true }
            usleep(20_000)
        } while Spawned.now() < deadline
        return false
    }

    static func pids(_ box: Sandbox, _ name: String) -> [pid_t] {
        (box.folder.text(name) ?? "").split(separator: "\n").compactMap { pid_t($0) }
    }

    @Test("at the limit: exit 124, the command and its background jobs gone, the event says timed_out")
    func wholeTree() throws {
        let box = Sandbox()
        try box.on()
        let started = Spawned.now()
        let run = try box.tlm([
            "run", "--timeout", "0.5", "--", "sh", "-c",
            "sleep 300 & echo $! > pids; sleep 300 & echo $! >> pids; wait",
        ])
        #expect(run.status == .exited(124))
        #expect(run.errorLines == ["tlm: sh timed out after 0.5s"])
        #expect(Spawned.now() - started < 20)
        let pids = Self.pids(box, "pids")
        #expect(pids.count == 2)
        for pid in pids { #expect(Self.gone(pid), "sleep \(pid) is still running") }
        let event = try #require(box.events.first ?? nil)
        #expect(event.timedOut == true)
        #expect(event.exitCode == 124)
        #expect(event.signal == nil)
    }

    @Test("a daemon that left the command's session (setsid, double fork) ends too")
    func daemon() throws {
        let box = Sandbox()
        let run = try box.tlm([
            "run", "--timeout", "0.5", "--", "sh", "-c",
            "setsid sh -c 'sleep 300 >/dev/null 2>&1 & echo $! > daemon' ; sleep 300",
        ])
        #expect(run.status == .exited(124))
        let pids = Self.pids(box, "daemon")
        #expect(pids.count == 1)
        for pid in pids { #expect(Self.gone(pid), "the daemon \(pid) is still running") }
    }

    @Test("a command that ignores TERM gets KILL after --kill-after")
    func killAfter() throws {
        let box = Sandbox()
        let started = Spawned.now()
        let run = try box.tlm([
            "run", "--timeout", "0.3", "--kill-after", "0.5", "--", "sh", "-c",
            "trap '' TERM; sleep 300 & echo $! > pids; wait",
        ])
        let elapsed = Spawned.now() - started
        #expect(run.status == .exited(124))
        #expect(elapsed >= 0.8 && elapsed < 20, "\(elapsed) s")
        for pid in Self.pids(box, "pids") { #expect(Self.gone(pid)) }
    }

    @Test("--timeout-signal: the command gets that signal first", arguments: ["INT", "SIGUSR1", "9", "KILL"])
    func timeoutSignal(signal: String) throws {
        let box = Sandbox()
        let number = try #require(SignalName.number(named: signal))
        let script = "trap 'echo caught; exit 3' INT USR1; sleep 300 & wait"
        let run = try box.tlm(["run", "--timeout", "0.3", "--timeout-signal", signal, "--", "sh", "-c", script])
        #expect(run.status == .exited(124))
        #expect(run.text == (number == SIGKILL ? "" : "caught\n"))
    }

    @Test("a command that ends in time keeps its status, and what it left running is not touched")
    func inTime() throws {
        let box = Sandbox()
        try box.on()
        let run = try box.tlm([
            "run", "--timeout", "30", "--", "sh", "-c", "sleep 300 >/dev/null 2>&1 & echo $! > pids; exit 5",
        ])
        #expect(run.status == .exited(5))
        let pids = Self.pids(box, "pids")
        #expect(pids.count == 1)
        for pid in pids {
            #expect(!Self.gone(pid, within: 0), "the background sleep was killed")
            kill(pid, SIGKILL)
        }
        #expect(box.events.first??.timedOut == false)
    }

    @Test("with --timeout the command is still in tlm's process group (the terminal's foreground)")
    func sameGroup() throws {
        let box = Sandbox()
        let run = try box.tlm([
            "run", "--timeout", "30", "--", "sh", "-c", "echo $(ps -o pgid= -p $$) $(ps -o pgid= -p $PPID)",
        ])
        let groups = run.text.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(groups.count == 2 && groups[0] == groups[1], "\(run.text)")
    }

    @Test("orphans that end while the command runs are reaped: no zombie piles up under tlm")
    func noZombies() throws {
        let box = Sandbox()
        let script = """
            for i in 1 2 3 4 5 6; do (sleep 0.05 &); done
            sleep 1
            echo zombies=$(ps -o stat= --ppid $PPID | grep -c Z)
            """
        let run = try box.tlm(["run", "--timeout", "30", "--", "sh", "-c", script])
        #expect(run.status == .exited(0))
        #expect(run.text == "zombies=0\n")
    }

    @Test("no retry after a timeout, unless --retry-on-timeout")
    func retryOnTimeout() throws {
        let box = Sandbox()
        try box.on()
        let once = try box.tlm([
            "run", "--timeout", "0.2", "--retries", "2", "--retry-delay", "10ms", "--", "sh", "-c",
            "echo x >> attempts; sleep 300",
        ])
        #expect(once.status == .exited(124))
        #expect(box.folder.text("attempts") == "x\n")
        let again = try box.tlm([
            "run", "--timeout", "0.2", "--retries", "1", "--retry-delay", "10ms", "--retry-on-timeout", "--", "sh",
            "-c", "echo y >> attempts; sleep 300",
        ])
        #expect(again.status == .exited(124))
        #expect(again.errorLines.first?.hasPrefix("tlm: sh timed out, retry 1/1 in ") == true, "\(again.errorLines)")
        #expect(box.folder.text("attempts") == "x\ny\ny\n")
        #expect(box.events.map { $0?.attempts } == [1, 2])
    }

    @Test("--timeout 0 is no limit")
    func zero() throws {
        let box = Sandbox()
        let run = try box.tlm(["run", "--timeout", "0", "--", "sh", "-c", "sleep 0.2; exit 4"])
        #expect(run.status == .exited(4))
    }

    @Test("at a terminal with --timeout: the command reads the terminal, and Ctrl-C ends it as without tlm")
    func terminal() throws {
        let box = Sandbox()
        let terminal = try PseudoTerminal(
            [
                TLMBinary.path, "run", "--timeout", "60", "--", "sh", "-c",
                "printf 'name? '; read answer; echo \"hello $answer\"; exec sleep 30",
            ], environment: box.environment)
        try terminal.read(until: "name? ")
        terminal.type("world\n")
        try terminal.read(until: "hello world")
        terminal.type("\u{03}")
        #expect(try terminal.wait() == .signaled(SIGINT))
    }
}

extension TimeoutTests {
    @Test("the report counts timed-out runs among the failures, and says how many")
    func report() throws {
        let box = Sandbox()
        try box.on()
        try box.tlm(["run", "--timeout", "0.2", "--", "sleep", "5"])
        try box.tlm(["run", "--", "sh", "-c", "exit 2"])
        try box.tlm(["run", "--", "true"])
        let text = try box.tlm(["report", "--ascii"], environment: ["COLUMNS": "80"]).text
        #expect(text.contains("2 failed (66.7%, 1 timed out)"), "\(text)")
        let json = try box.tlm(["report", "--format", "json"]).text
        #expect(json.contains("\"failures\": 2,\n    \"cancelled\": 0,\n    \"timeouts\": 1,"), "\(json)")
    }
}
