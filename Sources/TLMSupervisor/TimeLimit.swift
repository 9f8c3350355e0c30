import TLMSystem

/// `tlm run --timeout`: how long the command may run, and how it is ended.
///
/// On expiry the command and every process it started get `signal` (then
/// SIGCONT, so that a stopped one acts on it); when what is left of them is
/// still there `killAfterNanoseconds` later, it gets KILL. Time spent stopped
/// (Ctrl-Z) counts, as with GNU `timeout`: the clock is monotonic.
public struct TimeLimit: Sendable, Equatable {
    /// How long the command may run, from its start.
    public var nanoseconds: UInt64
    /// The signal sent first (`--timeout-signal`, default TERM); 0 sends nothing, so
    /// that KILL ends the command `killAfterNanoseconds` after the limit (GNU's `-s0 -k`).
    public var signal: Int32
    /// How long to wait after `signal` before KILL (`--kill-after`, default 10 s).
    public var killAfterNanoseconds: UInt64

    public init(nanoseconds: UInt64, signal: Int32 = SIGTERM, killAfterNanoseconds: UInt64 = 10_000_000_000) {
        self.nanoseconds = nanoseconds
        self.signal = signal
        self.killAfterNanoseconds = killAfterNanoseconds
    }
}

/// The wait for a command with a time limit: `Supervisor`'s wait, with the
/// limit as the timeout of `sigtimedwait` (no thread, no timer, no polling).
///
/// 1. Until the limit: as without one (signals forwarded, stops followed),
///    and orphans handed to tlm are reaped as they end. When the command ends
///    in time, tlm returns at once and leaves its background processes alone.
/// 2. At the limit: `signal` to the whole tree (ProcessTree.signalAll), but the
///    children tlm had before the command (`preexisting`) and theirs; then
///    tlm waits for the command and every descendant to end, at most the
///    kill-after delay.
/// 3. Then KILL to whatever is left, and the last of them are reaped (for a
///    bounded second: a process in uninterruptible sleep cannot be waited out).
struct LimitedWait {
    let child: pid_t
    let limit: TimeLimit
    let started: UInt64
    var waited: sigset_t
    /// The processes tlm had before it spawned the command (see ProcessTree).
    let preexisting: [pid_t]

    var status: Int32 = 0
    var usage = rusage()
    var ended: UInt64 = 0
    var timedOut = false
    var cancelSignal: Int32?

    private enum Phase { case running, signalled, killed }
    private var phase = Phase.running
    private var childEnded = false
    private var wake: UInt64

    init(child: pid_t, limit: TimeLimit, started: UInt64, waited: sigset_t, preexisting: [pid_t] = []) {
        self.child = child
        self.preexisting = preexisting
        self.limit = limit
        self.started = started
        self.waited = waited
        wake = started &+ limit.nanoseconds
    }

    mutating func run() {
        let me = getpid()
        while true {
            if childEnded {
                if phase == .running { return }
                if ProcessTree.descendants(of: me, excluding: preexisting).isEmpty { return }
                if phase == .killed {
                    reapLast(me)
                    return
                }
            }
            let now = MonotonicClock.nanoseconds()
            if phase != .killed && now >= wake {
                expire(me, now: now)
                continue
            }
            var info = siginfo_t()
            let signal: Int32
            if phase == .killed {
                signal = sigwaitinfo(&waited, &info)
            } else {
                let left = wake - now
                var timeout = timespec(tv_sec: Int(left / 1_000_000_000), tv_nsec: Int(left % 1_000_000_000))
                signal = sigtimedwait(&waited, &info, &timeout)
            }
            if signal < 0 { continue }  // the limit (EAGAIN), or a stop and continue of tlm (EINTR)
            if cancelSignal == nil && (signal == SIGINT || signal == SIGTERM || signal == SIGHUP) {
                cancelSignal = signal
            }
            if signal == SIGCHLD {
                if !childEnded { reapChild() }
                ProcessTree.reapOrphans(except: childEnded ? 0 : child)
                if !childEnded { Supervisor.followStop(of: child) }
            } else if !childEnded, Supervisor.shouldForward(info, signal: signal, child: child) {
                kill(child, signal)
            }
        }
    }

    private mutating func reapChild() {
        let reaped = valueOrErrno { wait4(child, &status, WNOHANG, &usage) }
        if case .success(child) = reaped, TerminationStatus(waitStatus: status) != nil {
            childEnded = true
            ended = MonotonicClock.nanoseconds()
        }
    }

    private mutating func expire(_ me: pid_t, now: UInt64) {
        if phase == .running {
            timedOut = true
            phase = .signalled
            // Signal 0 is `--timeout-signal 0`: nothing now (not even CONT), KILL after kill-after.
            if limit.signal != 0 {
                ProcessTree.signalAll(
                    of: me, also: childEnded ? 0 : child, signal: limit.signal, excluding: preexisting)
            }
            wake = now &+ limit.killAfterNanoseconds
        } else {
            phase = .killed
            ProcessTree.signalAll(of: me, also: childEnded ? 0 : child, signal: SIGKILL, excluding: preexisting)
        }
    }

    /// After the final KILL, with the command gone: reaps the last orphans as they
    /// die, for at most a second.
    private mutating func reapLast(_ me: pid_t) {
        let deadline = MonotonicClock.nanoseconds() &+ 1_000_000_000
        while MonotonicClock.nanoseconds() < deadline {
            ProcessTree.reapOrphans(except: 0)
            if ProcessTree.descendants(of: me, excluding: preexisting).isEmpty { return }
            ProcessTree.signalAll(of: me, also: 0, signal: SIGKILL, excluding: preexisting)
            var pause = timespec(tv_sec: 0, tv_nsec: 10_000_000)
            nanosleep(&pause, nil)
        }
    }
}
