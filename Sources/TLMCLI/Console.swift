#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// tlm's two voices: stdout for what was asked for (help, status, reports),
/// stderr for everything tlm says about itself. Unbuffered `write(2)`, so a
/// message is out before tlm ends, even when it ends by a signal.
enum Console {
    static func out(_ text: String) { writeAll(1, text) }
    static func err(_ text: String) { writeAll(2, text) }

    /// A one-line warning that changes nothing else: `tlm: <message>`.
    static func warn(_ message: String) { err("tlm: " + message + "\n") }

    private static func writeAll(_ fd: Int32, _ text: String) {
        var copy = text
        copy.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                // EPIPE (a reader that went away) or anything else: stop quietly.
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
