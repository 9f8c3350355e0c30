import TLMRecorder

/// The trace and span ids of an event's span.
///
/// tlm's events carry their own (`trace_id`, `span_id`, `parent_span_id`), so
/// that nested runs arrive as one tree. An event without them (anklume's, or
/// recorded with no trace context) gets ids derived from its line's bytes: the
/// same line always gives the same ids, so a span sent twice (see
/// `ExportCursor`) is the same span to the backend, not a second one.
public struct SpanIdentity: Sendable, Equatable {
    public let traceID: String
    public let spanID: String
    public let parentSpanID: String?

    public init(_ pending: PendingEvent) {
        let event = pending.event
        let (high, low) = pending.lineHash
        if let trace = event.traceID, Self.isID(trace, digits: 32), let span = event.spanID, Self.isID(span, digits: 16)
        {
            traceID = trace
            spanID = span
            parentSpanID = event.parentSpanID.flatMap { Self.isID($0, digits: 16) ? $0 : nil }
        } else {
            traceID = Self.hex(high | 1) + Self.hex(low)
            spanID = Self.hex(low | 1)
            parentSpanID = nil
        }
    }

    /// `digits` lowercase hex digits, not all zero (the W3C rule).
    static func isID(_ text: String, digits: Int) -> Bool {
        text.utf8.count == digits
            && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
            && text.utf8.contains { $0 != 0x30 }
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Two 64-bit FNV-1a hashes of `bytes` with different offsets: stable across
    /// runs and machines (Swift's `Hasher` is seeded per process).
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x84222325_cbf29ce4
        for byte in bytes {
            first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            second = (second ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            second ^= second >> 29
        }
        return (first, second)
    }
}
