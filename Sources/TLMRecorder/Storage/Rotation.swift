/// When the log is rotated, and how many old logs are kept (`max_log_bytes`,
/// `keep_rotated`).
public struct Rotation: Sendable, Equatable {
    /// `usage.jsonl` is rotated once a write leaves it at least this large.
    public var maximumBytes: Int64
    /// How many rotated logs (`usage.jsonl.1` … `.N`) are kept; 0 drops the log.
    public var keep: Int

    public init(maximumBytes: Int64 = 16_777_216, keep: Int = 4) {
        self.maximumBytes = max(1, maximumBytes)
        self.keep = max(0, keep)
    }
}
