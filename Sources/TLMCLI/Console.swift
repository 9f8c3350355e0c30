import TLMRecorder
import TLMSupervisor
import TLMSystem

/// tlm's two voices: stdout for what was asked for (help, status, reports),
/// stderr for everything tlm says about itself. Unbuffered `write(2)`, so a
/// message is out before tlm ends, even when it ends by a signal.
enum Console {
    /// The errno of the first failed write to stdout, or 0. tlm is one thread.
    nonisolated(unsafe) private(set) static var outputError: Int32 = 0

    static func out(_ text: String) {
        let code = writeAll(1, text)
        if code != 0 && outputError == 0 { outputError = code }
    }

    static func err(_ text: String) { _ = writeAll(2, text) }

    /// A one-line warning that changes nothing else: `tlm: <message>`. The
    /// message often quotes data (a program name, a path, a collector's answer):
    /// its control characters are shown, not sent to the terminal.
    static func warn(_ message: String) { err("tlm: " + Escaping.terminal(message) + "\n") }

    /// An error's message on one line of stderr, its control characters shown.
    static func fail(_ message: String) { err(Escaping.terminal(message) + "\n") }

    /// `status`, unless what was asked for could not be written (`tlm status >
    /// /dev/full`): then one line on stderr, and a failure. A reader that went
    /// away (`| head -1`) ends tlm by SIGPIPE first, as it ends `cat`.
    static func finish(_ status: Int32) -> Int32 {
        guard outputError != 0 else { return status }
        err("tlm: cannot write to standard output: \(Errno(outputError).message)\n")
        return ExitStatus.failure
    }

    /// Writes all of `text` to `fd`; 0, or the errno that stopped it (EINTR retried).
    static func writeAll(_ fd: Int32, _ text: String) -> Int32 {
        do throws(Errno) {
            try SystemFile.writeAll(fd, text)
            return 0
        } catch {
            return error.rawValue
        }
    }
}
