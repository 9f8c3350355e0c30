import Glibc
import TLMTestSupport

/// What the tests read of another process in `/proc/PID/stat`, and polling for
/// a state a loaded CI machine may take a moment to reach.
enum ProcessStat {
    /// The state letter of `pid` (R, S, T, Z…), nil when it is gone.
    static func state(_ pid: pid_t) -> Character? {
        guard let fields = fieldsAfterName(pid) else { return nil }
        return fields.first
    }

    /// The parent of `pid`, nil when it is gone.
    static func parent(of pid: pid_t) -> pid_t? {
        guard let fields = fieldsAfterName(pid) else { return nil }
        return pid_t(fields.dropFirst(2).prefix { $0.isNumber })
    }

    /// Whether `pid` reaches `wanted` within `seconds`.
    static func reaches(_ pid: pid_t, state wanted: Character, within seconds: Double = 20) -> Bool {
        eventually(within: seconds) { state(pid) == wanted }
    }

    /// Polls `condition` for up to `seconds` (generous: a loaded CI machine is slow).
    static func eventually(within seconds: Double = 10, _ condition: () -> Bool) -> Bool {
        let deadline = Spawned.now() + seconds
        repeat {
            if condition() { return true }
            usleep(5_000)
        } while Spawned.now() < deadline
        return condition()
    }

    /// The stat line after the command's name and its closing parenthesis
    /// (a name may hold spaces and parentheses: the last `)` ends it).
    private static func fieldsAfterName(_ pid: pid_t) -> Substring? {
        guard let bytes = readFile("/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let paren = text.lastIndex(of: ")") else { return nil }
        return text[text.index(paren, offsetBy: 2)...]
    }
}
