#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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
///   tlm, see `forwardedSignals`) sent to tlm alone (`kill PID`, as CI runners
///   do to cancel a step) is forwarded to the command once.
public enum Supervisor {
    /// The signals tlm forwards when they are sent to it alone: every signal that
    /// would otherwise end tlm and leave the command running without it. Not the
    /// stop signals (Ctrl-Z stops tlm and the command together, as it should), nor
    /// the faults a process raises on itself (SEGV, BUS, ILL, FPE, TRAP, SYS, ABRT).
    public static let forwardedSignals: [Int32] = {
        var signals: [Int32] = [
            SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGPIPE,
            SIGXCPU, SIGXFSZ, SIGIO,
        ]
        #if os(Linux)
            signals += [SIGPWR, SIGSTKFLT]
            // The real-time signals: glibc keeps 32 and 33 for itself, SIGRTMIN is 34.
            signals += Array(34...64)
        #endif
        return signals
    }()

    /// Runs `arguments` (the program, then its arguments, as raw C strings passed
    /// through byte for byte) with the current environment and descriptors.
    ///
    /// With `keepSignalsBlocked`, the forwarded signals and SIGCHLD stay blocked
    /// after the command ends, so that a signal arriving while the caller records
    /// the run cannot cut it short; a process that is about to exit wants that.
    public static func run(
        _ arguments: [UnsafeMutablePointer<CChar>], keepSignalsBlocked: Bool = false
    ) throws(SupervisorError) -> RunResult {
        precondition(!arguments.isEmpty)
        let name = String(cString: arguments[0])
        let path: String
        switch ExecutableLookup.resolve(name, searchPath: getenv("PATH").map { String(cString: $0) }) {
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
        var original = sigset_t()
        pthread_sigmask(SIG_BLOCK, &waited, &original)

        // A C array by hand: an `[UnsafeMutablePointer<CChar>?]` would cost a generic
        // instantiation in the Swift runtime, on the path every run takes.
        let argv = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: arguments.count + 2)
        defer { argv.deallocate() }
        for (index, argument) in arguments.enumerated() { argv[index] = argument }
        argv[arguments.count] = nil
        var wall = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        let started = monotonicNanoseconds()
        var (pid, code) = Spawn.start(path: path, argv: argv, signalMask: original)
        if code == ENOEXEC {
            // A script without a #! line: the shell runs such a file with /bin/sh:
            // `/bin/sh PATH ARGS...`, in place of `PROGRAM ARGS...`.
            let shell = strdup("/bin/sh")
            let script = strdup(path)
            defer {
                free(shell)
                free(script)
            }
            argv[0] = script
            for index in stride(from: arguments.count, through: 0, by: -1) { argv[index + 1] = argv[index] }
            argv[0] = shell
            (pid, code) = Spawn.start(path: "/bin/sh", argv: argv, signalMask: original)
        }
        if code != 0 {
            pthread_sigmask(SIG_SETMASK, &original, nil)
            switch code {
            case ENOENT, ENOTDIR: throw .commandNotFound(name)
            case EACCES, EPERM, EISDIR, ENOEXEC, ETXTBSY, ELOOP, ENAMETOOLONG: throw .cannotExecute(name, errno: code)
            default: throw .spawnFailed(name, errno: code)
            }
        }

        var status: Int32 = 0
        var usage = rusage()
        waiting: while true {
            var info = siginfo_t()
            let signal = sigwaitinfo(&waited, &info)
            if signal < 0 { continue }  // EINTR: a stop and continue of tlm itself
            if signal == SIGCHLD {
                while true {
                    let reaped = wait4(pid, &status, WNOHANG, &usage)
                    if reaped == pid, TerminationStatus(waitStatus: status) != nil { break waiting }
                    if reaped < 0 && errno == EINTR { continue }
                    break
                }
            } else if shouldForward(info, child: pid) {
                kill(pid, signal)
            }
        }
        let ended = monotonicNanoseconds()
        if !keepSignalsBlocked { pthread_sigmask(SIG_SETMASK, &original, nil) }

        return RunResult(
            status: TerminationStatus(waitStatus: status)!,
            startedAtMilliseconds: Int64(wall.tv_sec) * 1000 + Int64(wall.tv_nsec) / 1_000_000,
            durationNanoseconds: ended &- started,
            userCPUSeconds: seconds(usage.ru_utime),
            systemCPUSeconds: seconds(usage.ru_stime),
            maxRSSKilobytes: Int(usage.ru_maxrss))
    }

    /// Whether a signal tlm received was meant for tlm alone, so the command has
    /// not had it: it was sent by a process (`kill`, `sigqueue`: si_code ≤ 0),
    /// not by the kernel on behalf of the terminal (si_code `SI_KERNEL`), which
    /// delivers it to the whole foreground group, the command included. A signal
    /// the command itself sent to tlm is not sent back to it.
    static func shouldForward(_ info: siginfo_t, child: pid_t) -> Bool {
        guard info.si_code <= 0 else { return false }
        #if os(Linux)
            return info._sifields._kill.si_pid != child
        #else
            return info.si_pid != child
        #endif
    }

    static func isIgnored(_ action: sigaction) -> Bool {
        #if os(Linux)
            let handler = action.__sigaction_handler.sa_handler
        #else
            let handler = action.__sigaction_u.__sa_handler
        #endif
        return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    /// Ends tlm by `signal`, the way the command ended, so that the caller sees
    /// the same thing (`$?` = 128+N, and a shell loop interrupted by Ctrl-C stops).
    /// tlm does not dump core itself: the command already did, if it was going to.
    public static func terminate(bySignal number: Int32) -> Never {
        #if os(Linux)
            let core = __rlimit_resource_t(RLIMIT_CORE.rawValue)
        #else
            let core = RLIMIT_CORE
        #endif
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

    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    static func seconds(_ value: timeval) -> Double {
        Double(value.tv_sec) + Double(value.tv_usec) / 1e6
    }
}
