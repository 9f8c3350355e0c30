import Glibc
import TLMRecorder
import TLMSupervisor
import TLMTestSupport
import Testing

/// Driven through a real pseudo-terminal: keys typed at the master side, the
/// line discipline turning Ctrl-C and Ctrl-Z into signals for the foreground
/// process group, as at a real terminal. tlm is the session leader here.
@Suite("tlm run at a terminal")
struct TerminalTests {
    @Test("the command reads a line typed at the terminal")
    func readsTerminal() throws {
        let box = Sandbox()
        try box.on()
        let terminal = try PseudoTerminal(
            [TLMBinary.path, "run", "--", "sh", "-c", "printf 'name? '; read answer; echo \"hello $answer\""],
            environment: box.environment)
        try terminal.read(until: "name? ")
        terminal.type("world\n")
        try terminal.read(until: "hello world")
        #expect(try terminal.wait() == .exited(0))
        #expect(box.events.count == 1)
    }

    /// A child that counts the SIGINTs it receives and reports on SIGUSR1. It writes
    /// with os.write: print() is not reentrant, and a signal can land inside one.
    static let counter = """
        import os, signal, sys
        count = 0
        def say(text):
            os.write(1, (text + "\\n").encode())
        def on_int(number, frame):
            global count
            count += 1
            say(f"INT {count}")
        def report(number, frame):
            say(f"count={count}")
            os._exit(0)
        signal.signal(signal.SIGINT, on_int)
        signal.signal(signal.SIGUSR1, report)
        say(f"ready {os.getpid()}")
        while True:
            signal.pause()
        """

    @Test("Ctrl-C reaches a command that traps it exactly once, and tlm survives it")
    func controlCOnce() throws {
        let box = Sandbox()
        try box.on()
        let terminal = try PseudoTerminal(
            [TLMBinary.path, "run", "--", "python3", "-c", Self.counter], environment: box.environment)
        try terminal.read(until: "ready ")
        try terminal.read(until: "\n")
        // Made deterministic: tlm is held stopped while the command takes its Ctrl-C,
        // so a second copy from tlm could not merge with the first in the pending set;
        // then a USR1 sent through tlm, which tlm handles after any copy of the INT,
        // asks the command for its count.
        kill(terminal.pid, SIGSTOP)
        #expect(ProcessStat.reaches(terminal.pid, state: "T"))
        terminal.type("\u{03}")
        try terminal.read(until: "INT 1")
        kill(terminal.pid, SIGCONT)
        kill(terminal.pid, SIGUSR1)
        try terminal.read(until: "count=")
        #expect(try terminal.wait() == .exited(0))
        #expect(terminal.text.contains("count=1"))
        #expect(!terminal.text.contains("INT 2"))
        #expect(box.events.first??.exitCode == 0)
    }

    @Test("Ctrl-C kills a command that does not trap it, and tlm dies of SIGINT too")
    func controlCKills() throws {
        let box = Sandbox()
        try box.on()
        let terminal = try PseudoTerminal(
            [TLMBinary.path, "run", "--", "sh", "-c", "echo ready; exec sleep 30"], environment: box.environment)
        try terminal.read(until: "ready")
        terminal.type("\u{03}")
        #expect(try terminal.wait() == .signaled(SIGINT))
        let event = try #require(box.events.first ?? nil)
        #expect(event.exitCode == 130)
        #expect(event.signal == "SIGINT")
    }

    @Test(
        "Ctrl-Z stops the command, then tlm; fg resumes both (with --timeout too)", arguments: ["", "--timeout 60"])
    func controlZ(options: String) throws {
        let box = Sandbox()
        try box.on()
        // A job-control shell as session leader, as at a real terminal: the kernel
        // discards Ctrl-Z for a process group that no shell could resume (an orphan).
        let script = """
            "$0" run \(options) -- sh -c 'echo ready $$; read line; echo "got $line"'
            echo "stopped=$?"
            read -r continue
            fg >/dev/null
            echo "resumed=$?"
            """
        let terminal = try PseudoTerminal(
            ["bash", "--norc", "--noprofile", "-m", "-c", script, TLMBinary.path], environment: box.environment)
        try terminal.read(until: "ready ")
        try terminal.read(until: "\n")
        let child = try #require(pid_t(terminal.text.split(separator: "ready ").last!.prefix { $0.isNumber }))
        let tlm = try #require(ProcessStat.parent(of: child))
        terminal.type("\u{1A}")
        try terminal.read(until: "stopped=148")
        // tlm stops only once the command has: when the shell sees tlm stop, the
        // command is stopped already.
        #expect(ProcessStat.state(child) == "T")
        #expect(ProcessStat.reaches(tlm, state: "T"))
        terminal.type("\n")  // to the shell's `read`: then `fg`
        terminal.type("go\n")
        try terminal.read(until: "got go")
        try terminal.read(until: "resumed=0")
        #expect(try terminal.wait() == .exited(0))
        #expect(box.events.count == 1)
    }

    @Test(
        "a command that stops itself (as less does on Ctrl-Z) stops tlm too, and fg resumes both",
        arguments: [("TSTP", SIGTSTP, ""), ("STOP", SIGSTOP, ""), ("TSTP", SIGTSTP, "--timeout 60")])
    func commandStopsItself(name: String, number: Int32, options: String) throws {
        let box = Sandbox()
        try box.on()
        let script = """
            "$0" run \(options) -- sh -c 'echo ready; kill -\(name) $$; echo "af""ter"; read line; echo "got $line"'
            echo "stopped=$?"
            read -r continue
            fg >/dev/null
            echo "resumed=$?"
            """
        let terminal = try PseudoTerminal(
            ["bash", "--norc", "--noprofile", "-m", "-c", script, TLMBinary.path], environment: box.environment)
        // Without tlm following the stop, the shell would wait here for ever.
        try terminal.read(until: "stopped=\(128 + number)")
        #expect(!terminal.text.contains("after"))  // the job line shows `"af""ter"`
        terminal.type("\n")  // to the shell's `read`: then `fg`
        terminal.type("go\n")
        try terminal.read(until: "got go")
        try terminal.read(until: "resumed=0")
        #expect(try terminal.wait() == .exited(0))
        // Continued once, by the shell's SIGCONT: `after` appears once.
        #expect(terminal.text.components(separatedBy: "after").count == 2)
        #expect(box.events.count == 1)
        #expect(box.events.first??.exitCode == 0)
    }

    /// Trials for the races below: the old behaviour (tlm stopped at once by the
    /// terminal's TSTP) failed every one of them.
    static let stopTrials = 5

    @Test("Ctrl-Z on a command that ignores TSTP stops neither it nor tlm: the shell waits on")
    func controlZIgnored() throws {
        for trial in 1...Self.stopTrials {
            let box = Sandbox()
            try box.on()
            // A long build that traps TSTP on purpose: without tlm, Ctrl-Z does nothing.
            let script = """
                "$0" run -- bash -c 'trap "" TSTP; echo ready; read line; echo "got $line"'
                echo "next-step st=$?"
                """
            let terminal = try PseudoTerminal(
                ["bash", "--norc", "--noprofile", "-m", "-c", script, TLMBinary.path], environment: box.environment)
            try terminal.read(until: "ready")
            terminal.type("\u{1A}")
            terminal.type("go\n")
            try terminal.read(until: "next-step st=")
            #expect(try terminal.wait() == .exited(0))
            // Before: the shell saw tlm stop (st=148) and went on with the line.
            #expect(terminal.text.contains("next-step st=0"), "trial \(trial): \(terminal.text)")
            #expect(terminal.text.contains("got go"), "trial \(trial): \(terminal.text)")
            #expect(box.events.first??.exitCode == 0)
        }
    }

    /// A command that handles Ctrl-Z as `less` and `vi` do: it restores the
    /// terminal (here: takes 0.3 s and says so), then stops itself with TSTP.
    static let restoresThenStops = """
        import os, signal, sys, time
        def on_stop(number, frame):
            time.sleep(0.3)
            os.write(1, b"restored\\n")
            signal.signal(signal.SIGTSTP, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTSTP)
            signal.signal(signal.SIGTSTP, on_stop)
        signal.signal(signal.SIGTSTP, on_stop)
        os.write(1, b"ready\\n")
        line = sys.stdin.readline()
        os.write(1, ("got " + line).encode())
        """

    @Test("Ctrl-Z on a command that restores the terminal first (less, vi): the shell takes it back only after")
    func controlZAfterRestore() throws {
        for trial in 1...Self.stopTrials {
            let box = Sandbox()
            try box.on()
            let script = """
                "$0" run -- python3 -c "$1"
                echo "stopped=$?"
                read -r continue
                fg >/dev/null
                echo "resumed=$?"
                """
            let terminal = try PseudoTerminal(
                ["bash", "--norc", "--noprofile", "-m", "-c", script, TLMBinary.path, Self.restoresThenStops],
                environment: box.environment)
            try terminal.read(until: "ready")
            terminal.type("\u{1A}")
            try terminal.read(until: "stopped=")
            // Before: tlm stopped at once, and the shell printed its line 0.3 s before
            // the command was done with the terminal.
            let text = terminal.text
            let restored = text.range(of: "restored")
            let stopped = text.range(of: "stopped=148")
            #expect(restored != nil && stopped != nil, "trial \(trial): \(text)")
            if let restored, let stopped {
                #expect(restored.lowerBound < stopped.lowerBound, "trial \(trial): \(text)")
            }
            terminal.type("\n")  // to the shell's `read`: then `fg`
            terminal.type("go\n")
            try terminal.read(until: "got go")
            try terminal.read(until: "resumed=0")
            #expect(try terminal.wait() == .exited(0))
            #expect(box.events.first??.exitCode == 0)
        }
    }

    @Test("kill -TSTP to tlm at a terminal: the command stops, then tlm; fg resumes both")
    func killStopFollowed() throws {
        for trial in 1...Self.stopTrials {
            let box = Sandbox()
            try box.on()
            let script = """
                "$0" run -- sh -c 'echo ready $$; read line; echo "got $line"'
                echo "stopped=$?"
                read -r continue
                fg >/dev/null
                echo "resumed=$?"
                """
            let terminal = try PseudoTerminal(
                ["bash", "--norc", "--noprofile", "-m", "-c", script, TLMBinary.path], environment: box.environment)
            try terminal.read(until: "ready ")
            try terminal.read(until: "\n")
            let child = try #require(pid_t(terminal.text.split(separator: "ready ").last!.prefix { $0.isNumber }))
            let tlm = try #require(ProcessStat.parent(of: child))
            kill(tlm, SIGTSTP)
            try terminal.read(until: "stopped=")
            // Before: tlm stopped alone, and the command read on.
            #expect(terminal.text.contains("stopped=148"), "trial \(trial): \(terminal.text)")
            #expect(ProcessStat.state(child) == "T", "trial \(trial)")
            terminal.type("\n")  // to the shell's `read`: then `fg`
            terminal.type("go\n")
            try terminal.read(until: "got go")
            try terminal.read(until: "resumed=0")
            #expect(try terminal.wait() == .exited(0))
        }
    }

    @Test("kill -TSTP to tlm, with a command that ignores TSTP: neither stops")
    func killStopIgnored() throws {
        for trial in 1...Self.stopTrials {
            let box = Sandbox()
            try box.on()
            let script = """
                "$0" run -- bash -c 'trap "" TSTP; echo ready $$; read line; echo "got $line"'
                echo "next-step st=$?"
                """
            let terminal = try PseudoTerminal(
                ["bash", "--norc", "--noprofile", "-m", "-c", script, TLMBinary.path], environment: box.environment)
            try terminal.read(until: "ready ")
            try terminal.read(until: "\n")
            let child = try #require(pid_t(terminal.text.split(separator: "ready ").last!.prefix { $0.isNumber }))
            let tlm = try #require(ProcessStat.parent(of: child))
            kill(tlm, SIGTSTP)
            terminal.type("go\n")
            try terminal.read(until: "next-step st=")
            #expect(try terminal.wait() == .exited(0))
            #expect(terminal.text.contains("next-step st=0"), "trial \(trial): \(terminal.text)")
            #expect(terminal.text.contains("got go"), "trial \(trial): \(terminal.text)")
        }
    }

    @Test("Ctrl-Z between two attempts (--retries) stops tlm, with no command to follow; fg resumes it")
    func controlZBetweenAttempts() throws {
        let box = Sandbox()
        try box.on()
        let script = """
            "$0" run --retries 1 --retry-delay 4s -- sh -c 'echo attempt; exit 3'
            echo "stopped=$?"
            read -r continue
            fg >/dev/null
            echo "resumed=$?"
            """
        let terminal = try PseudoTerminal(
            ["bash", "--norc", "--noprofile", "-m", "-c", script, TLMBinary.path], environment: box.environment)
        try terminal.read(until: "retry 1/1")
        terminal.type("\u{1A}")
        // The stop signals, blocked while a command runs, must not stay blocked in the
        // wait between attempts.
        try terminal.read(until: "stopped=")
        #expect(terminal.text.contains("stopped=148"), "\(terminal.text)")
        terminal.type("\n")  // to the shell's `read`: then `fg`
        try terminal.read(until: "resumed=")
        #expect(terminal.text.contains("resumed=3"), "\(terminal.text)")
        #expect(terminal.text.components(separatedBy: "attempt\r\n").count == 3)
        #expect(try terminal.wait() == .exited(0))
    }
}
