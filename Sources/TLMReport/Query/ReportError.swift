import TLMRecorder
import TLMSystem

/// Everything that can go wrong while building a report.
///
/// Each case prints as one sentence a user can act on; usage errors name the
/// accepted forms. `isUsageError` tells the CLI which exit status to use (64 for
/// a bad option value, 1 for a file that cannot be read).
public enum ReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A `--since` / `--until` value that is neither a relative age nor a date or date-time.
    case invalidTime(option: String, value: String)
    /// A `--by` value that names no grouping.
    case invalidGrouping(String)
    /// A `--top` value that is not a whole number from 0 up.
    case invalidTop(String)
    /// `--since` is not before `--until`: no event can match.
    case emptyRange(since: Timestamp, until: Timestamp)
    /// A file could not be opened or read (`errno` says why).
    case cannotRead(path: String, errno: Int32)
    /// tlm's own log is a folder, a FIFO or a device, not a regular file.
    case notARegularFile(path: String)

    /// Whether the error comes from a bad option value (exit 64) rather than from the system (exit 1).
    public var isUsageError: Bool {
        switch self {
        case .invalidTime, .invalidGrouping, .invalidTop, .emptyRange: return true
        case .cannotRead, .notARegularFile: return false
        }
    }

    public var description: String {
        switch self {
        case .invalidTime(let option, let value):
            if let age = Self.ageMeant(value) {
                return "\(option) '\(value)' is not a time: an age takes one word, e.g. \(age) (s, m, h, d or w)"
            }
            return
                "\(option) '\(value)' is not a time: use an age (90s, 30m, 12h, 7d, 2w), a date (2026-01-01) "
                + "or a date-time (2026-01-01T10:00:00Z)"
        case .invalidGrouping(let value):
            let names = ReportGrouping.allCases.map(\.rawValue)
            return
                "--by '\(value)' is not a grouping: use \(names.dropLast().joined(separator: ", ")) or \(names.last!)"
        case .invalidTop(let value):
            return "--top '\(value)' is not a count: use a whole number, 0 for every group"
        case .emptyRange(let since, let until):
            return "--since (\(since.iso8601)) must be before --until (\(until.iso8601))"
        case .cannotRead(let path, let code):
            return "cannot read \(path): \(Errno(code).message)"
        case .notARegularFile(let path):
            return "cannot use \(path): not a regular file"
        }
    }

    /// `2d` for `2days`, `2 days` or `2 Hours`: a whole number, then a word whose
    /// first letter is a unit of age (not `months` nor `ms`); nil for anything else.
    static func ageMeant(_ value: String) -> String? {
        let digits = value.prefix { $0.isASCII && $0.isNumber }
        let word = value.dropFirst(digits.count).drop { $0 == " " }
        guard !digits.isEmpty, word.count > 1, word.allSatisfy({ $0.isASCII && $0.isLetter }),
            let unit = word.first?.lowercased(), "smhdw".contains(unit),
            !word.lowercased().hasPrefix("mo"), word.lowercased() != "ms"  // months, milliseconds: no such age
        else { return nil }
        return digits + unit
    }
}
