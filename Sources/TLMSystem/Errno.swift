/// A C library error number (`errno`), as a typed error that prints as the
/// system's message.
public struct Errno: RawRepresentable, Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The `errno` value: `ENOENT`, `EINTR`, …
    public let rawValue: Int32

    /// The error number `rawValue`.
    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// The error number `rawValue`.
    public init(_ rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// This thread's `errno` now: read it right after the call that failed.
    @inlinable
    public static var current: Errno { Errno(rawValue: errno) }

    /// The system's description with a lower-case first letter ("read-only file
    /// system"), as it reads in the middle of tlm's sentences ("cannot write
    /// FILE: read-only file system"), so that all of tlm's messages read alike.
    /// An initialism keeps its capitals ("RPC struct is bad").
    public var message: String {
        guard let text = strerror(rawValue) else { return "error \(rawValue)" }
        var message = String(cString: text)
        if let first = message.first, first.isUppercase, !message.dropFirst().prefix(1).allSatisfy(\.isUppercase) {
            message = first.lowercased() + message.dropFirst()
        }
        return message
    }

    /// `message`.
    public var description: String { message }
}

/// The result of a system call that returns -1 and sets `errno` on failure,
/// made again when a signal interrupted it (`EINTR`) unless `retryOnInterrupt`
/// is false: the one retry loop for interrupted calls, as in swift-system.
///
/// Inlined, and the closure does not escape: no allocation, and no system call
/// besides `call`'s own, so it is fit for the run path.
@inlinable
public func valueOrErrno<Value: FixedWidthInteger>(
    retryOnInterrupt: Bool = true, _ call: () -> Value
) -> Result<Value, Errno> {
    while true {
        let value = call()
        if value >= 0 { return .success(value) }
        let error = Errno.current
        if retryOnInterrupt && error.rawValue == EINTR { continue }
        return .failure(error)
    }
}

/// `valueOrErrno` for a call whose value on success says nothing (0).
@inlinable
public func nothingOrErrno<Value: FixedWidthInteger>(
    retryOnInterrupt: Bool = true, _ call: () -> Value
) throws(Errno) {
    if case .failure(let error) = valueOrErrno(retryOnInterrupt: retryOnInterrupt, call) { throw error }
}
