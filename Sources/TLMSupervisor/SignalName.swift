#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Signal names as a shell prints them: `SIGINT`, `SIGTERM`…
public enum SignalName {
    /// The conventional name of `signal`, or `SIG<number>` for one without a name here.
    /// Real-time signals are named as bash's `kill -l` names them on Linux:
    /// `SIGRTMIN`, `SIGRTMIN+1` … `SIGRTMAX-1`, `SIGRTMAX` (34 to 64 with glibc).
    public static func name(of signal: Int32) -> String {
        if let known = names.first(where: { $0.0 == signal }) { return known.1 }
        #if os(Linux)
            let first: Int32 = 34
            let last: Int32 = 64
            if signal >= first && signal <= last {
                let fromFirst = signal - first
                let fromLast = last - signal
                if fromFirst == 0 { return "SIGRTMIN" }
                if fromLast == 0 { return "SIGRTMAX" }
                return fromFirst <= fromLast ? "SIGRTMIN+\(fromFirst)" : "SIGRTMAX-\(fromLast)"
            }
        #endif
        return "SIG\(signal)"
    }

    /// The number of a signal named `TERM`, `SIGTERM` or `15`; nil if unknown.
    public static func number(named text: String) -> Int32? {
        if let value = Int32(text), value > 0, value < 65 { return value }
        let upper = text.uppercased()
        let full = upper.hasPrefix("SIG") ? upper : "SIG" + upper
        return names.first(where: { $0.1 == full })?.0
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
