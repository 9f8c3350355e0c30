/// How a command ended: a value, never an error. A failed command is a result.
public enum TerminationStatus: Sendable, Equatable {
    /// It exited with this code (0–255).
    case exited(Int32)
    /// It was killed by this signal.
    case signaled(Int32)

    /// Whether it exited with 0.
    public var isSuccess: Bool { self == .exited(0) }

    /// What a shell puts in `$?`: the exit code, or 128+N for signal N.
    public var shellStatus: Int32 {
        switch self {
        case .exited(let code): return code
        case .signaled(let signal): return 128 + signal
        }
    }

    /// Decodes a `wait(2)` status word (the W* macros, which Swift cannot import).
    public init?(waitStatus status: Int32) {
        let low = status & 0x7F
        if low == 0 {
            self = .exited((status >> 8) & 0xFF)
        } else if low != 0x7F {
            self = .signaled(low)
        } else {
            return nil  // stopped or continued: not an end
        }
    }
}
