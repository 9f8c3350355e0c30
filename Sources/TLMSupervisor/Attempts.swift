import TLMSystem

/// The attempts of one `tlm run`, and the rules for another (`--retries`).
public struct Attempts: Sendable {
    /// The rules another attempt follows.
    public let policy: RetryPolicy
    /// Each attempt's result, in order; never empty once `Supervisor.run` returns.
    public private(set) var results: [RunResult] = []
    /// Whether the user cancelled: the command died of INT, TERM or HUP, or tlm
    /// received one (while the command ran, or while it waited to retry).
    public private(set) var cancelled = false
    /// Why a later attempt could not start (the command removed meanwhile?): the
    /// retries stopped there, and the run ends as the last attempt that ran.
    public internal(set) var startError: SupervisorError?

    init(policy: RetryPolicy) {
        self.policy = policy
    }

    mutating func add(_ result: RunResult) {
        results.append(result)
        if result.cancelSignal != nil { cancelled = true }
        if !result.timedOut, case .signaled(let signal) = result.status,
            signal == SIGINT || signal == SIGTERM || signal == SIGHUP
        {
            cancelled = true
        }
    }

    /// Whether the last attempt calls for another: it failed, retries are left,
    /// nobody cancelled, and it did not time out (unless `--retry-on-timeout`).
    public var shouldRetry: Bool {
        guard let last = results.last, !last.status.isSuccess || last.timedOut else { return false }
        guard results.count <= policy.retries, !cancelled else { return false }
        return !last.timedOut || policy.onTimeout
    }

    /// From the first attempt's start to the last one's end, waits included:
    /// what the user waited for.
    public var totalSeconds: Double {
        guard let first = results.first, let last = results.last else { return 0 }
        let between = Double(last.startedAtMilliseconds - first.startedAtMilliseconds) / 1000
        return max(0, between) + last.durationSeconds
    }

    /// The status tlm exits with: the last attempt's, 124 when it timed out.
    public var exitStatus: Int32 {
        guard let last = results.last else { return 0 }
        return last.timedOut ? ExitStatus.timedOut : last.status.shellStatus
    }

    /// The signal the last attempt died of, unless the time limit ended it.
    public var signalName: String? {
        guard let last = results.last, !last.timedOut else { return nil }
        return Self.signalName(last)
    }

    /// `SIGTERM`… when `result` died of a signal.
    public static func signalName(_ result: RunResult) -> String? {
        if case .signaled(let number) = result.status { return SignalName.name(of: number) }
        return nil
    }

    /// Tells `beforeRetry` what happened and how long the pause is, then waits
    /// the backoff delay. Returns false when the wait was cancelled by INT, TERM
    /// or HUP: no retry then.
    mutating func pauseBeforeRetry(
        using random: inout some RandomNumberGenerator, _ beforeRetry: (RetryPause) -> Void
    ) -> Bool {
        let retry = results.count
        let backoff = Backoff(base: policy.delay, maximum: policy.maximumDelay)
        let delay = backoff.delay(retry: retry, using: &random)
        beforeRetry(RetryPause(retry: retry, result: results[retry - 1], delay: delay))
        if Self.wait(nanoseconds: delay) != nil {
            cancelled = true
            return false
        }
        return true
    }

    /// `exited 2`, `died of SIGSEGV`, `timed out`.
    public static func outcome(_ result: RunResult) -> String {
        if result.timedOut { return "timed out" }
        switch result.status {
        case .exited(let code): return "exited \(code)"
        case .signaled(let signal): return "died of \(SignalName.name(of: signal))"
        }
    }

    /// Waits `nanoseconds` for INT, TERM or HUP, which the supervisor left blocked
    /// (any other signal tlm would forward, a fault signal sent with `kill`
    /// included, is taken and dropped: there is no command to forward it to).
    /// Returns the cancelling signal, or nil when the whole delay passed.
    ///
    /// The stop signals, which the supervisor also left blocked, are unblocked for
    /// the wait: with no command to follow, Ctrl-Z stops tlm itself, as before the
    /// command. The next attempt blocks them again.
    static func wait(nanoseconds: UInt64) -> Int32? {
        var stops = sigset_t()
        sigemptyset(&stops)
        for signal in Supervisor.stopSignals { sigaddset(&stops, signal) }
        pthread_sigmask(SIG_UNBLOCK, &stops, nil)
        var set = sigset_t()
        sigemptyset(&set)
        for signal in Supervisor.forwardedSignals { sigaddset(&set, signal) }
        for signal in Supervisor.faultSignals { sigaddset(&set, signal) }
        let end = MonotonicClock.nanoseconds() + nanoseconds
        while true {
            let current = MonotonicClock.nanoseconds()
            guard current < end else { return nil }
            let left = end - current
            var timeout = timespec(tv_sec: Int(left / 1_000_000_000), tv_nsec: Int(left % 1_000_000_000))
            let signal = sigtimedwait(&set, nil, &timeout)
            if signal == SIGINT || signal == SIGTERM || signal == SIGHUP { return signal }
        }
    }
}
