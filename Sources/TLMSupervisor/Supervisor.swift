import CSystem
import TLMSystem

/// What a supervised run measured.
public struct RunResult: Sendable, Equatable {
    /// How the command ended.
    public let status: TerminationStatus
    /// Wall-clock start, milliseconds since the Unix epoch.
    public let startedAtMilliseconds: Int64
    /// Monotonic time from just before the spawn to the reap.
    public let durationNanoseconds: UInt64
    /// CPU time of the command and the children it waited for, from `wait4`.
    public let userCPUSeconds: Double
    public let systemCPUSeconds: Double
    /// Peak resident set size in kilobytes, from `wait4`.
    public let maxRSSKilobytes: Int
    /// Whether the time limit expired and tlm ended the command (see `TimeLimit`).
    public let timedOut: Bool
    /// The first INT, TERM or HUP tlm received while the command ran, from the
    /// terminal or from another process: the user (or a CI runner) cancelled the
    /// run, whatever the command then did with it. nil when none came.
    public let cancelSignal: Int32?

    public var durationSeconds: Double { Double(durationNanoseconds) / 1e9 }
}

/// Runs one command transparently and measures it.
///
/// The command is spawned in tlm's process group (see `Spawn`) and reaped with
/// `wait4`, which also gives its CPU time and peak memory. While it runs:
/// - a signal the terminal sends to the foreground group (Ctrl-C, Ctrl-\,
///   hang-up) reaches the command directly; tlm neither forwards a second copy
///   nor dies of it;
/// - TERM, HUP, INT, QUIT, USR1, USR2 (and every other signal that would end
///   tlm, see `forwardedSignals`, the faults `kill` sends included, see
///   `faultSignals`) sent to tlm alone (`kill PID`, as CI runners do to cancel
///   a step) is forwarded to the command once;
/// - a stop signal (Ctrl-Z, `kill -TSTP PID`) does not stop tlm by itself: tlm
///   stops once the command has stopped, by the same signal (see `followStop`).
public enum Supervisor {
    /// The signals tlm forwards when they are sent to it alone: every signal that
    /// would otherwise end tlm and leave the command running without it. Not the
    /// stop signals (`stopSignals`) nor the faults (`faultSignals`), which tlm
    /// also waits for but treats apart.
    public static let forwardedSignals: [Int32] = {
        var signals: [Int32] = [
            SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGPIPE,
            SIGXCPU, SIGXFSZ, SIGIO,
        ]
        signals += [SIGPWR, SIGSTKFLT]
        // The real-time signals: glibc keeps 32 and 33 for itself, SIGRTMIN is 34.
        signals += Array(34...64)
        return signals
    }()

    /// The stop signals tlm can catch. Blocked while the command runs, so that
    /// Ctrl-Z does not stop tlm at once, before the command has (`less` and `vi`
    /// are still restoring the terminal then, and a command that ignores TSTP
    /// never stops): tlm stops only when the command has stopped (`followStop`).
    /// Sent by a process to tlm alone, one is forwarded to the command.
    public static let stopSignals: [Int32] = [SIGTSTP, SIGTTIN, SIGTTOU]

    /// The fault signals. Sent by another process (`kill -SEGV PID`: si_code
    /// ≤ 0) they are forwarded like TERM, as dumb-init does. Blocking them costs
    /// nothing for a real fault of tlm's own: the kernel delivers a fault signal
    /// that is blocked by resetting it to the default action, so tlm still
    /// crashes; and `abort` unblocks SIGABRT before raising it.
    public static let faultSignals: [Int32] = [SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS]

    /// Waited for too (blocking it does not stop it continuing tlm): a CONT sent to
    /// tlm alone continues the command when the command is stopped, as `kill -CONT`
    /// would without tlm after a `kill -TSTP` that tlm passed on. To a running
    /// command it is not passed on (a CONT the group got, `fg`, reached it already).
    public static let continueSignal: Int32 = SIGCONT

    /// Runs `arguments` (the program, then its arguments, as raw C strings passed
    /// through byte for byte) with tlm's descriptors, and `environment` (a
    /// null-terminated `NAME=value` array) or, when nil, tlm's own environment.
    ///
    /// With a `timeLimit`, the command is ended when it expires (see `TimeLimit`).
    ///
    /// The command starts with `signalMask`, or when nil with the calling thread's
    /// mask: a caller that runs several commands after keeping signals blocked
    /// passes the mask it started with, so that each gets that one.
    ///
    /// With `keepSignalsBlocked`, the signals tlm waited for (forwarded, stop and
    /// fault signals, SIGCHLD) stay blocked after the command ends, so that a
    /// signal arriving while the caller records the run cannot cut it short; a
    /// process that is about to exit wants that (and one syscall fewer).
    public static func run(
        _ arguments: [UnsafeMutablePointer<CChar>],
        environment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil,
        timeLimit: TimeLimit? = nil, keepSignalsBlocked: Bool = false, signalMask: sigset_t? = nil
    ) throws(SupervisorError) -> RunResult {
        precondition(!arguments.isEmpty)
        // The name and PATH stay bytes: one that is not UTF-8 is a path all the same.
        let name = String(cString: arguments[0])  // for messages only
        let path: [CChar]
        switch ExecutableLookup.resolve(arguments[0], searchPath: getenv("PATH")) {
        case .found(let found): path = found
        case .notFound: throw .commandNotFound(name)
        case .notExecutable: throw .cannotExecute(name, errno: EACCES)
        }

        // Without a SIGCHLD disposition other than "ignore", the kernel reaps the child
        // itself and wait4 could not report its status.
        var previous = sigaction()
        sigaction(SIGCHLD, nil, &previous)
        if isIgnored(previous) { signal(SIGCHLD, SIG_DFL) }

        // Block the signals we wait for before spawning, so none is lost between the
        // spawn and the wait; the child gets the mask tlm was started with.
        var waited = sigset_t()
        sigemptyset(&waited)
        sigaddset(&waited, SIGCHLD)
        for signal in forwardedSignals { sigaddset(&waited, signal) }
        for signal in stopSignals { sigaddset(&waited, signal) }
        for signal in faultSignals { sigaddset(&waited, signal) }
        sigaddset(&waited, continueSignal)
        var original = sigset_t()
        pthread_sigmask(SIG_BLOCK, &waited, &original)
        if let signalMask { original = signalMask }

        // A C array by hand: an `[UnsafeMutablePointer<CChar>?]` would cost a generic
        // instantiation in the Swift runtime, on the path every run takes.
        let argv = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: arguments.count + 2)
        defer { argv.deallocate() }
        for (index, argument) in arguments.enumerated() { argv[index] = argument }
        argv[arguments.count] = nil
        // Children tlm already had (`sh -c 'sidecar & exec tlm run --timeout …'`) are
        // not the command's: noted before the spawn, left out of the teardown.
        var preexisting: [pid_t] = []
        if timeLimit != nil { preexisting = ProcessTree.preexisting(of: getpid()) }
        // With a time limit, every process the command starts must be found when it
        // expires, however it detaches: tlm becomes their reaper (ProcessTree).
        if timeLimit != nil { _ = tlm_become_child_subreaper() }
        var wall = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        let started = MonotonicClock.nanoseconds()
        var (pid, code) = Spawn.start(path: path, argv: argv, environment: environment, signalMask: original)
        if code == ENOEXEC {
            // A script without a #! line: the shell runs such a file with /bin/sh:
            // `/bin/sh PATH ARGS...`, in place of `PROGRAM ARGS...`. Unless it holds
            // binary data (a NUL in its first line, as bash checks): that is no script.
            if looksBinary(path) {
                pthread_sigmask(SIG_SETMASK, &original, nil)
                throw .binaryFile(name)
            }
            let shell = strdup("/bin/sh")
            let script = strdup(path)
            defer {
                free(shell)
                free(script)
            }
            argv[0] = script
            for index in stride(from: arguments.count, through: 0, by: -1) { argv[index + 1] = argv[index] }
            argv[0] = shell
            (pid, code) = Spawn.start(path: "/bin/sh", argv: argv, environment: environment, signalMask: original)
        }
        if code != 0 {
            pthread_sigmask(SIG_SETMASK, &original, nil)
            switch code {
            case ENOENT: throw .commandNotFound(name)
            case EACCES where Folder.exists(path): throw .cannotExecute(name, errno: EISDIR)
            case EACCES, EPERM, EISDIR, ENOTDIR, ENOEXEC, ETXTBSY, ELOOP, ENAMETOOLONG:
                throw .cannotExecute(name, errno: code)
            default: throw .spawnFailed(name, errno: code)
            }
        }

        var status: Int32 = 0
        var usage = rusage()
        var cancelSignal: Int32?
        if let timeLimit {
            var wait = LimitedWait(
                child: pid, limit: timeLimit, started: started, waited: waited, preexisting: preexisting)
            wait.run()
            if !keepSignalsBlocked { pthread_sigmask(SIG_SETMASK, &original, nil) }
            return RunResult(
                status: TerminationStatus(waitStatus: wait.status)!,
                startedAtMilliseconds: Int64(wall.tv_sec) * 1000 + Int64(wall.tv_nsec) / 1_000_000,
                durationNanoseconds: wait.ended &- started,
                userCPUSeconds: seconds(wait.usage.ru_utime),
                systemCPUSeconds: seconds(wait.usage.ru_stime),
                maxRSSKilobytes: Int(wait.usage.ru_maxrss), timedOut: wait.timedOut, cancelSignal: wait.cancelSignal)
        }
        waiting: while true {
            var info = siginfo_t()
            let signal = sigwaitinfo(&waited, &info)
            if signal < 0 { continue }  // EINTR: a stop and continue of tlm itself
            if cancelSignal == nil && (signal == SIGINT || signal == SIGTERM || signal == SIGHUP) {
                cancelSignal = signal
            }
            if signal == SIGCHLD {
                let reaped = valueOrErrno { wait4(pid, &status, WNOHANG, &usage) }
                if case .success(pid) = reaped, TerminationStatus(waitStatus: status) != nil { break waiting }
                followStop(of: pid)
            } else if shouldForward(info, signal: signal, child: pid) {
                kill(pid, signal)
            }
        }
        let ended = MonotonicClock.nanoseconds()
        if !keepSignalsBlocked { pthread_sigmask(SIG_SETMASK, &original, nil) }

        return RunResult(
            status: TerminationStatus(waitStatus: status)!,
            startedAtMilliseconds: Int64(wall.tv_sec) * 1000 + Int64(wall.tv_nsec) / 1_000_000,
            durationNanoseconds: ended &- started,
            userCPUSeconds: seconds(usage.ru_utime),
            systemCPUSeconds: seconds(usage.ru_stime),
            maxRSSKilobytes: Int(usage.ru_maxrss), timedOut: false, cancelSignal: cancelSignal)
    }

    /// Whether a signal tlm received was meant for tlm alone, so the command has
    /// not had it and should. A signal sent by a process (`kill`, `sigqueue`:
    /// si_code ≤ 0) is, unless the command itself sent it. A signal from the
    /// kernel (si_code `SI_KERNEL`) is too (an `alarm` or CPU limit tlm inherited,
    /// which would have ended the command without tlm), except those the
    /// terminal sends to the whole foreground group, the command included:
    /// Ctrl-C, Ctrl-\, Ctrl-Z, the TTIN and TTOU of a background read or write,
    /// and the hang-up a terminal sends there when the session's leader exits.
    /// When tlm leads the session itself (`ssh -t host tlm run …`), a hang-up
    /// comes to tlm alone, and is passed on. A fault signal is forwarded only
    /// when a process sent it: from the kernel it is a fault, and not the
    /// command's.
    static func shouldForward(_ info: siginfo_t, signal: Int32, child: pid_t) -> Bool {
        if signal == continueSignal { return stopSignal(of: child, consume: false) != nil }
        if info.si_code == SI_KERNEL {
            switch signal {
            case SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU: return false
            case SIGHUP: return getsid(0) == getpid()
            case SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS: return false
            default: return true
            }
        }
        guard info.si_code <= 0 else { return false }  // SIGIO's POLL_* codes, a fault's own codes
        return info._sifields._kill.si_pid != child
    }

    /// Follows the command when it stops while tlm runs on: Ctrl-Z (whose TSTP
    /// tlm keeps blocked, see `stopSignals`), a command that stopped itself
    /// (`less` and other full-screen programs send themselves SIGTSTP on Ctrl-Z,
    /// once they have restored the terminal), or someone stopped it (a TSTP
    /// sent to tlm is forwarded). Without tlm, the shell would see its job stop
    /// and take the terminal back; with tlm waiting on a stopped command, the
    /// terminal would hang. So tlm stops too, by the same signal, and only
    /// then: the shell sees the job stop as it would have, once the command is
    /// done with the terminal; a command that ignores TSTP never stops, nor does
    /// tlm. When tlm is continued (`fg`, `bg`), it continues the command, unless
    /// that came with it.
    ///
    /// Only with a controlling terminal, where a job-control shell can resume
    /// tlm: in a CI job, a command stopped and continued by someone else must
    /// not leave tlm stopped with nobody to continue it.
    static func followStop(of child: pid_t) {
        guard let stoppedBy = stopSignal(of: child, consume: false) else { return }
        // A STOP sent to the whole group stops tlm and the command together, and a
        // CONT to the group continues both; the command's stop may still be reported
        // once tlm runs again, a moment before the same SIGCONT reaches the command.
        // Let that moment pass.
        MonotonicClock.sleep(nanoseconds: 10_000_000)
        guard hasControllingTerminal(), stopSignal(of: child, consume: true) == stoppedBy else { return }

        var defaultAction = sigaction()
        var previous = sigaction()
        sigaction(stoppedBy, &defaultAction, &previous)  // SIG_DFL: stop
        // The stop signals are blocked: sent first, then unblocked, the signal is
        // delivered once, merged with a copy Ctrl-Z may have left pending (a second
        // one would stop tlm again after `fg`), and tlm stops before the unblocking
        // returns.
        kill(getpid(), stoppedBy)
        var only = sigset_t()
        sigemptyset(&only)
        sigaddset(&only, stoppedBy)
        pthread_sigmask(SIG_UNBLOCK, &only, nil)
        pthread_sigmask(SIG_BLOCK, &only, nil)
        sigaction(stoppedBy, &previous, nil)

        var info = siginfo_t()
        let continued =
            waitid(P_PID, id_t(child), &info, WCONTINUED | WNOHANG | WNOWAIT) == 0
            && info._sifields._sigchld.si_pid == child
        if !continued { kill(child, SIGCONT) }
    }

    /// The signal that stopped `child`, if it is stopped now; `consume` takes the
    /// report, as the shell would.
    static func stopSignal(of child: pid_t, consume: Bool) -> Int32? {
        var info = siginfo_t()
        let options = WSTOPPED | WNOHANG | (consume ? 0 : WNOWAIT)
        guard waitid(P_PID, id_t(child), &info, options) == 0,
            info._sifields._sigchld.si_pid == child, info.si_code == Int32(CLD_STOPPED)
        else { return nil }
        return info._sifields._sigchld.si_status
    }

    static func hasControllingTerminal() -> Bool {
        let terminal = open("/dev/tty", O_RDONLY | O_NOCTTY | O_CLOEXEC)
        if terminal < 0 { return false }
        close(terminal)
        return true
    }

    /// Whether the first line of the file (at most its first 80 bytes) holds a NUL.
    static func looksBinary(_ path: [CChar]) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 { return false }
        defer { close(fd) }
        var bytes = (
            0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64,
            0 as UInt64, 0 as UInt64
        )
        return withUnsafeMutableBytes(of: &bytes) { buffer in
            let count = read(fd, buffer.baseAddress, buffer.count)
            guard count > 0 else { return false }
            for byte in buffer.prefix(count) {
                if byte == 0 { return true }
                if byte == UInt8(ascii: "\n") { return false }
            }
            return false
        }
    }

    static func isIgnored(_ action: sigaction) -> Bool {
        let handler = action.__sigaction_handler.sa_handler
        return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    /// Ends tlm by `signal`, the way the command ended, so that the caller sees
    /// the same thing (`$?` = 128+N, and a shell loop interrupted by Ctrl-C stops).
    /// tlm does not dump core itself: the command already did, if it was going to.
    public static func terminate(bySignal number: Int32) -> Never {
        let core = __rlimit_resource_t(RLIMIT_CORE.rawValue)
        var limit = rlimit()
        if getrlimit(core, &limit) == 0 {
            limit.rlim_cur = 0
            setrlimit(core, &limit)
        }
        signal(number, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, number)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(number)
        // Only a signal whose default action is not to terminate gets here.
        _exit(128 + number)
    }

    static func seconds(_ value: timeval) -> Double {
        Double(value.tv_sec) + Double(value.tv_usec) / 1e6
    }
}
