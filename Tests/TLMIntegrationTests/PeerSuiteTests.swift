import Glibc
import TLMSupervisor
import TLMTestSupport
import Testing

/// The cases of the peers' own test suites that apply to `tlm run`, written anew:
/// GNU coreutils' `tests/timeout/*` (github.com/coreutils/coreutils), dumb-init's
/// `tests/` (github.com/Yelp/dumb-init) and tini's `test/` (github.com/krallin/tini).
/// Each case names the upstream file and test it adapts. Where tlm differs on
/// purpose (as README.md documents), the case asserts tlm's behaviour and says so.
@Suite("the peers' suites: coreutils timeout, dumb-init, tini")
struct PeerSuiteTests {
    /// A shell command line that runs tlm (single-quoted for `sh -c`).
    static let tlm = "'\(TLMBinary.path)'"

    /// Whether `pid` is alive (not gone, not a zombie).
    static func alive(_ pid: pid_t) -> Bool {
        guard let state = ProcessStat.state(pid) else { return false }
        return state != "Z" && state != "X"
    }

    static func pid(_ box: Sandbox, _ name: String) -> pid_t? {
        guard ProcessStat.eventually({ box.folder.text(name)?.hasSuffix("\n") == true }) else { return nil }
        return pid_t((box.folder.text(name) ?? "").split(separator: "\n").first ?? "")
    }

    // MARK: coreutils tests/timeout/timeout.sh

    /// timeout.sh: `timeout 10 true`, `timeout 1d true`, `timeout 0 true` (0: no limit),
    /// and `timeout 10 sh -c 'exit 2'` (the command's status passes through).
    @Test(
        "coreutils timeout.sh: a command that ends in time keeps its status",
        arguments: [("10", "true", 0), ("1d", "true", 0), ("0", "true", 0), ("10", "exit 2", 2)]
            as [(String, String, Int32)])
    func endsInTime(limit: String, script: String, status: Int32) throws {
        let run = try Sandbox().tlm(["run", "--timeout", limit, "--", "sh", "-c", script])
        #expect(run.status == .exited(status))
        #expect(run.stderr.isEmpty)
    }

    /// timeout.sh: `returns_ 124 timeout .1 sleep 10` (a leading-dot decimal, as
    /// coreutils' tests write their limits throughout).
    @Test("coreutils timeout.sh: --timeout .1 ends sleep 10 with 124")
    func leadingDot() throws {
        let started = Spawned.now()
        let run = try Sandbox().tlm(["run", "--timeout", ".1", "--", "sleep", "10"])
        #expect(run.status == .exited(124))
        // Unlike GNU's (silent without --verbose), one line says why tlm ended it (issue 17).
        #expect(run.errorLines == ["tlm: sleep timed out after 0.1s"])
        #expect(Spawned.now() - started < 9)
    }

    /// timeout.sh: `timeout -s0 -k1 .1 sleep 10` sends nothing at the limit and
    /// KILL a second later. Difference, documented: GNU then exits 137 (128+KILL),
    /// tlm 124, as after every timeout. Nothing, not even CONT, reaches the command
    /// at the limit.
    @Test("coreutils timeout.sh: --timeout-signal 0 sends nothing at the limit, KILL after --kill-after; exit 124")
    func signalZero() throws {
        let box = Sandbox()
        let started = Spawned.now()
        let run = try box.tlm([
            "run", "--timeout-signal", "0", "--kill-after", "1", "--timeout", ".1", "--", "sh", "-c",
            "for s in 1 2 3 10 12 13 14 15 18; do trap \"echo got-$s.\" $s; done; echo ready; "
                + "while :; do sleep 0.05; done",
        ])
        let elapsed = Spawned.now() - started
        #expect(run.status == .exited(124))
        #expect(run.text == "ready\n")
        #expect(run.errorLines == ["tlm: sh timed out after 0.1s"])
        #expect(elapsed >= 1.1 && elapsed < 20, "\(elapsed) s")
    }

    /// timeout.sh: `(trap '' CHLD; exec timeout 10 true)`: an ignored SIGCHLD
    /// inherited from the caller does not break the wait.
    @Test("coreutils timeout.sh: an ignored SIGCHLD inherited does not break the wait")
    func ignoredChild() throws {
        let run = try Sandbox().direct(["sh", "-c", "trap '' CHLD; exec \(Self.tlm) run --timeout 10 -- true"])
        #expect(run.status == .exited(0))
        #expect(run.stderr.isEmpty)
    }

    /// timeout.sh: `out=$(setsid sleep .1 & exec timeout .5 sh -c 'sleep 2; echo foo')`:
    /// a child tlm had before it started the command (here from the shell that
    /// exec'd it) does not confuse the wait: the command still times out at .5.
    @Test("coreutils timeout.sh: a child tlm inherited from an exec does not confuse the limit")
    func inheritedChild() throws {
        let box = Sandbox()
        let started = Spawned.now()
        let run = try box.direct([
            "sh", "-c", "setsid sleep .1 & exec \(Self.tlm) run --timeout .5 -- sh -c 'sleep 2; echo foo'",
        ])
        #expect(run.status == .exited(124))
        #expect(run.text == "")
        #expect(Spawned.now() - started < 20)
    }

    /// timeout.sh, same case, with issue 15's container-entrypoint shape: the
    /// sidecar tlm inherited ignores TERM and outlives the limit. tlm must leave it
    /// alone and not wait for it: without it, tlm waited the whole --kill-after.
    @Test(
        "coreutils timeout.sh: an inherited sidecar that ignores TERM is neither signalled nor waited for")
    func inheritedSidecar() throws {
        let box = Sandbox()
        let started = Spawned.now()
        let run = try box.direct([
            "sh", "-c",
            "sh -c 'trap \"\" TERM; echo $$ > sidecar; exec sleep 30' >/dev/null 2>&1 & "
                + "while [ ! -s sidecar ]; do sleep 0.01; done; "
                + "exec \(Self.tlm) run --timeout .5 --kill-after 20 -- sleep 10",
        ])
        let elapsed = Spawned.now() - started
        #expect(run.status == .exited(124))
        #expect(elapsed < 15, "\(elapsed) s: tlm waited for the sidecar")
        if let sidecar = Self.pid(box, "sidecar") {
            #expect(Self.alive(sidecar), "the sidecar was ended")
            kill(sidecar, SIGKILL)
        }
    }

    /// timeout.sh: `(trap '' PIPE && timeout 10 yes |:) 2>&1 | grep 'Broken pipe'`: an
    /// ignored SIGPIPE reaches the command ignored, so it sees EPIPE and says so.
    @Test("coreutils timeout.sh: an ignored SIGPIPE stays ignored for the command")
    func ignoredPipe() throws {
        let run = try Sandbox().direct(["sh", "-c", "trap '' PIPE; \(Self.tlm) run --timeout 10 -- yes | :"])
        #expect(run.errorText.contains("Broken pipe"), "stderr: \(run.errorText)")
    }

    // MARK: coreutils tests/timeout/timeout-parameters.sh, timeout-large-parameters.sh

    /// timeout-parameters.sh: `invalid`, `' -0.1'`, `' -1e-10000'`, `42D`, a bad
    /// `--kill-after=` and `--signal=` are usage errors (125) and nothing runs.
    @Test(
        "coreutils timeout-parameters.sh: bad values are 125 and nothing runs",
        arguments: [
            ["--timeout", "invalid"], ["--timeout", " -0.1"], ["--timeout", " -1e-10000"], ["--timeout", "42D"],
            ["--kill-after=invalid", "--timeout", "1"], ["--timeout-signal=invalid", "--timeout", "1"],
            ["--timeout-signal", "32", "--timeout", "1"], ["--timeout-signal", "33", "--timeout", "1"],
        ])
    func badParameters(options: [String]) throws {
        let box = Sandbox()
        let run = try box.tlm(["run"] + options + ["--", "touch", "ran"])
        #expect(run.status == .exited(125))
        #expect(run.errorLines.count == 1, "\(run.errorText)")
        #expect(box.folder.text("ran") == nil)
    }

    /// timeout-parameters.sh: `timeout 10.34 sleep 0`, `timeout 9.999999999 sleep 0`.
    @Test("coreutils timeout-parameters.sh: decimal limits", arguments: ["10.34", "9.999999999", " 10", "+10", "1e1"])
    func decimalLimits(limit: String) throws {
        let run = try Sandbox().tlm(["run", "--timeout", limit, "--", "sleep", "0"])
        #expect(run.status == .exited(0))
        #expect(run.stderr.isEmpty)
    }

    /// timeout-parameters.sh: `returns_ 124 timeout 1e-10000 sleep 10`: a limit
    /// that underflows is still a limit, the shortest one.
    @Test("coreutils timeout-parameters.sh: 1e-10000 is a limit, not none")
    func underflowingLimit() throws {
        let started = Spawned.now()
        let run = try Sandbox().tlm(["run", "--timeout", "1e-10000", "--", "sleep", "10"])
        #expect(run.status == .exited(124))
        #expect(Spawned.now() - started < 9)
    }

    /// timeout-parameters.sh: `timeout 10 .` is 126, `timeout 10 no_such` 127.
    @Test("coreutils timeout-parameters.sh: not executable 126, not found 127")
    func notRunnable() throws {
        let box = Sandbox()
        #expect(try box.tlm(["run", "--timeout", "10", "--", "."]).status == .exited(126))
        #expect(try box.tlm(["run", "--timeout", "10", "--", "no_such"]).status == .exited(127))
    }

    /// timeout-large-parameters.sh: GNU takes any huge limit (`2.34e+5d`, beyond
    /// time_t, LDBL_MAX) as forever. Difference, documented: tlm refuses a limit
    /// over a year (125), so that a typo is not a limit nobody meant; `-LDBL_MAX`
    /// is 125 for both.
    @Test(
        "coreutils timeout-large-parameters.sh: over a year is refused (a documented difference)",
        arguments: ["2.34e+5d", "9223372036854775808", "4294967296d", "1e4932", "-1e4932"])
    func largeLimits(limit: String) throws {
        let run = try Sandbox().tlm(["run", "--timeout", limit, "--", "sleep", "0"])
        #expect(run.status == .exited(125))
        #expect(run.errorText.contains("at most a year"), "\(run.errorText)")
    }

    // MARK: coreutils tests/timeout/timeout-blocked.pl, timeout-group.sh

    /// timeout-blocked.pl: `block-alrm`, `.1 sleep 10` with SIGALRM blocked by the
    /// caller still times out (tlm uses no alarm: the limit is its wait's timeout).
    @Test("coreutils timeout-blocked.pl: a blocked SIGALRM does not stop the limit")
    func blockedAlarm() throws {
        let run = try Sandbox().direct([
            "perl", "-MPOSIX", "-e",
            "sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGALRM)) or die; exec @ARGV or die",
            TLMBinary.path, "run", "--timeout", ".1", "--", "sleep", "10",
        ])
        #expect(run.status == .exited(124))
    }

    /// timeout-group.sh, the PR_SET_PDEATHSIG case: `kill -KILL` to GNU timeout
    /// still gets the command its signal. Difference, documented ("KILL cannot be
    /// caught: it ends tlm alone"): tlm adds no death signal, so the command runs
    /// on, as it would have had it been started without tlm.
    @Test("coreutils timeout-group.sh: KILL to tlm ends tlm alone (a documented difference)")
    func killedSupervisor() throws {
        let box = Sandbox()
        let process = try box.start([
            "run", "--timeout", "25", "--", "sh", "-c", "echo $$ > pid; exec sleep 30 >/dev/null 2>&1",
        ])
        let command = try #require(Self.pid(box, "pid"))
        process.signal(SIGKILL)
        #expect(ProcessStat.eventually { ProcessStat.state(process.pid) == "Z" })
        #expect(Self.alive(command))
        kill(command, SIGKILL)
        try process.finish()
        #expect(process.status == .signaled(SIGKILL))
    }

    /// timeout-group.sh, the nested case: `timeout -sALRM 30 timeout -sUSR1 25 cmd`,
    /// then `kill -ALRM` to the outer one, which GNU takes as its own expiry (124).
    /// Difference, documented: tlm has no alarm; an ALRM sent to it is forwarded,
    /// through the inner tlm, to the command, which handles it as without tlm.
    @Test("coreutils timeout-group.sh: ALRM to nested tlm reaches the command (a documented difference)")
    func nestedAlarm() throws {
        let box = Sandbox()
        let process = try box.start([
            "run", "--timeout", "30", "--", TLMBinary.path, "run", "--timeout", "25", "--timeout-signal", "USR1",
            "--", "sh", "-c",
            "trap 'echo got-ALRM; exit 3' ALRM; trap 'echo got-USR1; exit 4' USR1; echo ready; "
                + "while :; do sleep 0.05; done",
        ])
        try process.read(until: "ready")
        process.signal(SIGALRM)
        try process.finish()
        #expect(process.status == .exited(3))
        #expect(process.text == "ready\ngot-ALRM\n")
    }

    // MARK: dumb-init tests/exit_status_test.py, tests/cwd_test.py

    /// exit_status_test.py: `test_exit_status_regular_exit`, then tini's
    /// run_inner_tests.py exit code test (every code, 0 to 255).
    @Test("dumb-init exit_status_test.py, tini run_inner_tests.py: every exit status passes through")
    func exitStatus() throws {
        let box = Sandbox()
        for code in [0, 1, 2, 32, 64, 127, 254, 255] {
            let run = try box.tlm(["run", "--", "sh", "-c", "exit \(code)"])
            #expect(run.status == .exited(Int32(code)))
        }
        let loop = try box.direct([
            "sh", "-c",
            "code=0; while [ $code -lt 256 ]; do \(Self.tlm) run -- sh -c \"exit $code\"; "
                + "got=$?; [ $got = $code ] || echo \"$code gave $got\"; code=$((code + 1)); done",
        ])
        #expect(loop.text == "")
    }

    /// exit_status_test.py: `test_exit_status_terminated_by_signal` (TERM, HUP,
    /// QUIT, KILL): tlm dies of the command's signal, so its status is 128+N.
    @Test(
        "dumb-init exit_status_test.py: a command killed by a signal: tlm dies of it too",
        arguments: [SIGTERM, SIGHUP, SIGQUIT, SIGKILL])
    func killedBySignal(signal: Int32) throws {
        let run = try Sandbox().direct([
            "sh", "-c", "ulimit -c 0; \(Self.tlm) run -- sh -c 'kill -\(signal) $$'; echo $?",
        ])
        #expect(run.text == "\(128 + signal)\n")
    }

    /// cwd_test.py: the command starts in the directory tlm was started in.
    /// (dumb-init also leaves it itself; tlm, not a container's init, keeps it.)
    @Test("dumb-init cwd_test.py: the command starts in tlm's directory")
    func workingDirectory() throws {
        let run = try Sandbox().direct(["sh", "-c", "cd /tmp && \(Self.tlm) run -- pwd"])
        #expect(run.text == "/tmp\n")
    }

    // MARK: dumb-init tests/proxies_signals_test.py, tini test/signals

    /// A command that prints `got-N.` for each signal N in `signals`, once ready.
    static func printSignals(_ signals: [Int32]) -> String {
        let traps = signals.map { "trap 'echo got-\($0).' \($0);" }.joined(separator: " ")
        return "echo $$ > pid; \(traps) echo ready; while :; do sleep 0.05; done"
    }

    /// Ends a `printSignals` command (KILL to it: KILL to tlm would leave it running), then tlm.
    static func stopPrintSignals(_ box: Sandbox, _ process: Spawned) throws {
        if let command = Self.pid(box, "pid") { kill(command, SIGKILL) }
        try process.finish()
        #expect(process.status == .signaled(SIGKILL))
    }

    /// proxies_signals_test.py: `test_proxies_signals`, for NORMAL_SIGNALS (1 to 31
    /// but KILL, STOP, CHLD and the stop signals) that end a process by default and
    /// are not faults: each one sent to tlm reaches the command, once, in order.
    @Test("dumb-init proxies_signals_test.py: each signal sent to tlm reaches the command once")
    func proxiesSignals() throws {
        let signals = [
            SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, SIGSTKFLT, SIGXCPU, SIGXFSZ,
            SIGVTALRM, SIGPROF, SIGIO, SIGPWR,
        ]
        let box = Sandbox()
        let process = try box.start(["run", "--", "sh", "-c", Self.printSignals(signals)])
        try process.read(until: "ready\n")
        var expected = "ready\n"
        for signal in signals {
            process.signal(signal)
            expected += "got-\(signal).\n"
            try process.read(until: "got-\(signal).\n")
        }
        #expect(process.text == expected)
        try Self.stopPrintSignals(box, process)
    }

    /// proxies_signals_test.py: `test_proxies_signals`, the fault signals among
    /// NORMAL_SIGNALS (ILL, TRAP, ABRT, BUS, FPE, SEGV, SYS) sent with `kill`: dumb-init
    /// forwards them, and issue 15 asks tlm to (si_code ≤ 0 tells them from a fault).
    @Test(
        "dumb-init proxies_signals_test.py: a fault signal sent with kill reaches the command")
    func proxiesFaultSignals() throws {
        let signals = [SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGSYS]
        let box = Sandbox()
        let process = try box.start(["run", "--", "sh", "-c", Self.printSignals(signals)])
        try process.read(until: "ready\n")
        for signal in signals {
            process.signal(signal)
            try process.read(until: "got-\(signal).\n")
        }
        try Self.stopPrintSignals(box, process)
    }

    /// proxies_signals_test.py: `test_proxies_signals` also forwards CONT, URG and
    /// WINCH. Difference, documented: tlm forwards only what would end it; these do
    /// not (and a terminal's WINCH goes to the command's group directly).
    @Test("dumb-init proxies_signals_test.py: CONT, URG, WINCH are not forwarded (a documented difference)")
    func notProxied() throws {
        let box = Sandbox()
        let process = try box.start([
            "run", "--", "sh", "-c", Self.printSignals([SIGCONT, SIGURG, SIGWINCH, SIGTERM]),
        ])
        try process.read(until: "ready\n")
        for signal in [SIGCONT, SIGURG, SIGWINCH, SIGTERM] { process.signal(signal) }
        try process.read(until: "got-\(SIGTERM).\n")
        #expect(process.text == "ready\ngot-\(SIGTERM).\n")
        try Self.stopPrintSignals(box, process)
    }

    /// tini test/signals/test.py with run_inner_tests.py's signal test: TERM, USR1,
    /// USR2 to tini while its command waits for a `sleep`: exit 128+N.
    @Test("tini test/signals: TERM, USR1, USR2 to tlm end it with 128+N", arguments: [SIGTERM, SIGUSR1, SIGUSR2])
    func tiniSignals(signal: Int32) throws {
        let box = Sandbox()
        let process = try box.start([
            "run", "--", "sh", "-c", "sleep 100 >/dev/null 2>&1 & echo $! > pid; echo ready; wait",
        ])
        try process.read(until: "ready")
        process.signal(signal)
        try process.finish()
        #expect(process.status == .signaled(signal))
        if let sleeper = Self.pid(box, "pid") { kill(sleeper, SIGKILL) }
    }

    // MARK: tini test/pgroup, test/reaping, test/sigconf; dumb-init tests/child_processes_test.py

    /// tini test/pgroup/stage_1.py: the command ignores USR1 and waits for a child
    /// that does not. `tini -g` signals the whole group, and the grandchild dies.
    /// Difference, documented: tlm forwards to the command alone, as `kill PID`
    /// would reach it without tlm: the command ignores it, the grandchild runs on.
    @Test("tini test/pgroup: USR1 to tlm reaches the command alone (a documented difference)")
    func processGroup() throws {
        let box = Sandbox()
        let process = try box.start([
            "run", "--", "sh", "-c",
            "trap '' USR1; env --default-signal=USR1 sleep 100 >/dev/null 2>&1 & echo $! > pid; echo ready; wait",
        ])
        try process.read(until: "ready")
        let grandchild = try #require(Self.pid(box, "pid"))
        process.signal(SIGUSR1)
        usleep(300_000)
        #expect(Self.alive(grandchild))
        #expect(Self.alive(process.pid))
        kill(grandchild, SIGKILL)
        try process.finish()
        #expect(process.status == .exited(0))  // `wait` without operands is 0
    }

    /// tini test/reaping/stage_1.py: orphans the command leaves behind are reaped,
    /// no zombie is left. tlm reaps orphans only as a subreaper, with --timeout;
    /// without it they go to init, as without tlm.
    @Test("tini test/reaping: with --timeout, tlm leaves no zombie of the orphans it adopted")
    func reaping() throws {
        let box = Sandbox()
        let process = try box.start([
            "run", "--timeout", "30", "--", "sh", "-c",
            "for i in 1 2 3 4 5; do sh -c 'sleep 0.1 >/dev/null 2>&1 &'; done; echo ready; sleep 1; echo done",
        ])
        try process.read(until: "ready")
        usleep(600_000)
        // tlm's children while the command still runs: the command only, no zombie.
        let zombies = Self.childrenOf(process.pid).filter { ProcessStat.state($0) == "Z" }
        #expect(zombies.isEmpty, "zombies: \(zombies)")
        try process.finish()
        #expect(process.status == .exited(0))
    }

    static func childrenOf(_ parent: pid_t) -> [pid_t] {
        let text = String(decoding: readFile("/proc/\(parent)/task/\(parent)/children") ?? [], as: UTF8.self)
        return text.split(separator: " ").compactMap { pid_t($0) }
    }

    /// tini test/sigconf: the command's blocked and ignored signals are the ones
    /// its caller gave tlm, as if tlm were not there (here USR1 and WINCH blocked,
    /// USR2 and HUP ignored).
    @Test("tini test/sigconf: the command gets the caller's blocked and ignored signals")
    func signalConfiguration() throws {
        let box = Sandbox()
        let lines =
            "trap '' USR2 HUP; exec perl -MPOSIX -e "
            + "'sigprocmask(SIG_BLOCK, POSIX::SigSet->new(10, 28)); exec @ARGV' "
        let direct = try box.direct(["sh", "-c", lines + "grep -E '^Sig(Blk|Ign)' /proc/self/status"])
        let wrapped = try box.direct([
            "sh", "-c", lines + "\(Self.tlm) run -- grep -E '^Sig(Blk|Ign)' /proc/self/status",
        ])
        #expect(direct.text.contains("SigBlk"))
        #expect(wrapped.text == direct.text)
    }

    /// child_processes_test.py: `test_processes_dont_receive_term_on_exit_if_no_setsid`
    /// (dumb-init's mode where it does not lead a session, as tlm never does): when
    /// the command exits, the processes it left behind get nothing. Also with
    /// --timeout, when the command ends in time.
    @Test(
        "dumb-init child_processes_test.py: a background process outlives the command, unsignalled",
        arguments: [[], ["--timeout", "30"]])
    func backgroundLeftAlone(options: [String]) throws {
        let box = Sandbox()
        let run = try box.tlm(
            ["run"] + options + [
                "--", "sh", "-c",
                "sh -c 'trap \"echo x > signalled; exit\" TERM HUP INT; echo $$ > pid; "
                    + "while :; do sleep 0.05; done' >/dev/null 2>&1 & "
                    + "while [ ! -s pid ]; do sleep 0.01; done",
            ])
        #expect(run.status == .exited(0))
        let background = try #require(Self.pid(box, "pid"))
        usleep(300_000)
        #expect(Self.alive(background))
        #expect(box.folder.text("signalled") == nil)
        kill(background, SIGKILL)
    }

    /// shell_background_test.py: `test_shell_background_support_without_setsid`:
    /// TSTP, TTOU, TTIN sent to the supervisor reach the command, the supervisor
    /// then stops, and CONT resumes both. Issue 15 asks tlm to forward them and
    /// follow the command's state: asserted here is what holds whatever tlm does
    /// itself without a terminal (stop too, or wait): the command stops, and CONT
    /// to tlm resumes it, as `kill -TSTP`/`-CONT` would without tlm.
    @Test(
        "dumb-init shell_background_test.py: a stop signal sent to tlm stops the command, CONT resumes it")
    func stopSignals() throws {
        let box = Sandbox()
        let process = try box.start([
            "run", "--", "sh", "-c", "echo $$ > pid; echo ready; while :; do sleep 0.05; done",
        ])
        try process.read(until: "ready")
        let command = try #require(Self.pid(box, "pid"))
        for signal in [SIGTSTP, SIGTTOU, SIGTTIN] {
            process.signal(signal)
            #expect(ProcessStat.eventually { ProcessStat.state(command) == "T" }, "\(SignalName.name(of: signal))")
            process.signal(SIGCONT)
            #expect(
                ProcessStat.eventually { ProcessStat.state(command) != "T" && ProcessStat.state(process.pid) != "T" })
        }
        process.signal(SIGKILL)
        kill(command, SIGKILL)
        try process.finish()
    }
}
