import TLMSystem

/// When a failed command is run again (`tlm run --retries`).
public struct RetryPolicy: Sendable, Equatable {
    /// How many times a failed command is run again (0: never).
    public var retries: Int
    /// The backoff's first ceiling, in nanoseconds (see `Backoff`).
    public var delay: UInt64
    /// The backoff's largest ceiling, in nanoseconds.
    public var maximumDelay: UInt64
    /// Whether a command that timed out is run again too.
    public var onTimeout: Bool

    /// Never retries, unless told otherwise; `tlm run`'s default delays.
    public init(
        retries: Int = 0, delay: UInt64 = 1_000_000_000, maximumDelay: UInt64 = 60_000_000_000, onTimeout: Bool = false
    ) {
        self.retries = retries
        self.delay = delay
        self.maximumDelay = maximumDelay
        self.onTimeout = onTimeout
    }
}

/// A pause before a retry, told to the caller before the wait starts.
public struct RetryPause: Sendable, Equatable {
    /// The retry about to be made (1-based).
    public let retry: Int
    /// The attempt that failed.
    public let result: RunResult
    /// The wait before the retry, in nanoseconds.
    public let delay: UInt64
}

extension Supervisor {
    /// Runs `arguments` as `run(_:environment:timeLimit:keepSignalsBlocked:signalMask:)`
    /// does, and again while it fails and `retry` allows it, pausing between
    /// attempts (`Backoff`, drawn from `random`); `beforeRetry` is told of each
    /// pause before it starts. An INT, TERM or HUP, for the command or for tlm,
    /// ends the retries, during a pause too.
    ///
    /// Every attempt starts with the caller's signal mask. The signals the
    /// supervisor waits for stay blocked after the last attempt: a TERM that
    /// arrives while the caller records the run must not cut it short with a
    /// status of its own.
    ///
    /// Throws when the first attempt cannot start; a later one that cannot start
    /// ends the retries, its error in `Attempts.startError`.
    public static func run(
        _ arguments: [UnsafeMutablePointer<CChar>],
        environment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil, timeLimit: TimeLimit? = nil,
        retry: RetryPolicy, random: inout some RandomNumberGenerator, beforeRetry: (RetryPause) -> Void
    ) throws(SupervisorError) -> Attempts {
        // Every attempt starts with the signal mask tlm started with (the first one
        // leaves signals blocked in tlm, for the time between attempts).
        var startMask = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &startMask)
        var attempts = Attempts(policy: retry)
        while true {
            do {
                attempts.add(
                    try run(
                        arguments, environment: environment, timeLimit: timeLimit, keepSignalsBlocked: true,
                        signalMask: startMask))
            } catch {
                if attempts.results.isEmpty { throw error }
                // The command ran before and cannot be started now (removed meanwhile?):
                // stop retrying, and end as the last attempt ended.
                attempts.startError = error
                break
            }
            guard attempts.shouldRetry else { break }
            if !attempts.pauseBeforeRetry(using: &random, beforeRetry) { break }
        }
        return attempts
    }
}
