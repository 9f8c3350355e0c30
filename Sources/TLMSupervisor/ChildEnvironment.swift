import TLMSystem

/// The command's environment when tlm changes one variable in it: tlm's own
/// environment, byte for byte and in order, with `NAME=value` in place of any
/// `NAME=…` entry (appended when there was none). The only variable tlm ever
/// sets is `TRACEPARENT`, and only when telemetry is on (see `TraceContext`).
///
/// Built once per `tlm run` and kept until tlm exits.
public struct ChildEnvironment {
    /// The null-terminated `NAME=value` array, for `Supervisor.run`'s `environment`.
    public let entries: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

    /// This process's environment with `name` set to `value`.
    public init(setting name: String, to value: String) {
        var count = 0
        while environ[count] != nil { count += 1 }
        entries = .allocate(capacity: count + 2)
        let prefix = Array((name + "=").utf8)
        let replacement = strdup(name + "=" + value)
        var kept = 0
        var placed = false
        for index in 0..<count {
            guard let entry = environ[index] else { continue }
            if Self.starts(entry, with: prefix) {
                // The first one is replaced where it stands; any duplicate is dropped.
                if placed { continue }
                entries[kept] = replacement
                placed = true
            } else {
                entries[kept] = entry
            }
            kept += 1
        }
        if !placed {
            entries[kept] = replacement
            kept += 1
        }
        entries[kept] = nil
    }

    private static func starts(_ entry: UnsafeMutablePointer<CChar>, with prefix: [UInt8]) -> Bool {
        for (offset, byte) in prefix.enumerated() where UInt8(bitPattern: entry[offset]) != byte { return false }
        return true
    }
}
