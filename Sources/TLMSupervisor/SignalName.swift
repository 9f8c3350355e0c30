import TLMSystem

/// Signal names as a shell prints them: `SIGINT`, `SIGTERM`…
public enum SignalName {
    /// The conventional name of `signal`, or `SIG<number>` for one without a name here.
    /// Real-time signals are named as bash's `kill -l` names them on Linux:
    /// `SIGRTMIN`, `SIGRTMIN+1` … `SIGRTMAX-1`, `SIGRTMAX` (34 to 64 with glibc).
    public static func name(of signal: Int32) -> String {
        if let known = names.first(where: { $0.0 == signal }) { return known.1 }
        let first: Int32 = 34
        let last: Int32 = 64
        if signal >= first && signal <= last {
            let fromFirst = signal - first
            let fromLast = last - signal
            if fromFirst == 0 { return "SIGRTMIN" }
            if fromLast == 0 { return "SIGRTMAX" }
            return fromFirst <= fromLast ? "SIGRTMIN+\(fromFirst)" : "SIGRTMAX-\(fromLast)"
        }
        return "SIG\(signal)"
    }

    /// The number of a signal named `TERM`, `SIGTERM` or `15`; nil if unknown.
    ///
    /// On Linux, 32 and 33 are refused as GNU `timeout` and `kill` refuse them: glibc
    /// keeps them for itself (thread cancellation, `setxid`), below its `SIGRTMIN` of 34.
    public static func number(named text: String) -> Int32? {
        if let value = Int32(text) { return isSignal(value) ? value : nil }
        let upper = text.uppercased()
        let full = upper.hasPrefix("SIG") ? upper : "SIG" + upper
        return names.first(where: { $0.1 == full })?.0
    }

    /// Whether `number` is a signal a user may send: 1 to 31, and on Linux the
    /// real-time ones glibc leaves to programs, 34 to 64.
    static func isSignal(_ number: Int32) -> Bool {
        return (number > 0 && number < 32) || (number >= 34 && number <= 64)
    }

    static let names: [(Int32, String)] = [
        (SIGHUP, "SIGHUP"), (SIGINT, "SIGINT"), (SIGQUIT, "SIGQUIT"), (SIGILL, "SIGILL"),
        (SIGTRAP, "SIGTRAP"), (SIGABRT, "SIGABRT"), (SIGBUS, "SIGBUS"), (SIGFPE, "SIGFPE"),
        (SIGKILL, "SIGKILL"), (SIGUSR1, "SIGUSR1"), (SIGSEGV, "SIGSEGV"), (SIGUSR2, "SIGUSR2"),
        (SIGPIPE, "SIGPIPE"), (SIGALRM, "SIGALRM"), (SIGTERM, "SIGTERM"), (SIGCHLD, "SIGCHLD"),
        (SIGCONT, "SIGCONT"), (SIGSTOP, "SIGSTOP"), (SIGTSTP, "SIGTSTP"), (SIGTTIN, "SIGTTIN"),
        (SIGTTOU, "SIGTTOU"), (SIGURG, "SIGURG"), (SIGXCPU, "SIGXCPU"), (SIGXFSZ, "SIGXFSZ"),
        (SIGVTALRM, "SIGVTALRM"), (SIGPROF, "SIGPROF"), (SIGWINCH, "SIGWINCH"), (SIGIO, "SIGIO"),
        (SIGSYS, "SIGSYS"),
    ]
}
