/// A W3C `traceparent` value (Trace Context, https://www.w3.org/TR/trace-context/,
/// section 3.2): `version-traceid-parentid-flags`, lowercase hex.
public struct TraceParent: Sendable, Equatable {
    /// 32 lowercase hex digits, not all zero.
    public let traceID: String
    /// 16 lowercase hex digits, not all zero: the caller's span.
    public let parentID: String
    public let flags: UInt8

    /// Parses a `traceparent` value; nil for anything invalid (tlm then starts a
    /// new trace: an invalid TRACEPARENT is ignored, never an error).
    ///
    /// Rules (section 3.2.2): the version is two lowercase hex digits, `ff` being
    /// invalid; version `00` is exactly 55 characters; a higher version may be
    /// longer (fields it adds come after a `-` at position 55), and its first
    /// four fields are read as version 00's. Uppercase hex, an all-zero trace or
    /// parent id, or a wrong separator make it invalid. Spaces and tabs around
    /// the value are ignored (HTTP's optional white space; an environment
    /// variable may carry a stray one), nothing else is trimmed.
    public init?(header: String) {
        var bytes = Array(header.utf8)
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        let start = bytes.firstIndex { $0 != 0x20 && $0 != 0x09 } ?? bytes.count
        bytes.removeFirst(start)
        guard bytes.count >= 55, Self.isHex(bytes[0..<2]) else { return nil }
        let version = bytes[0..<2]
        if version.elementsEqual("ff".utf8) { return nil }
        if version.elementsEqual("00".utf8) {
            guard bytes.count == 55 else { return nil }
        } else if bytes.count > 55 {
            guard bytes[55] == 0x2D else { return nil }
        }
        guard bytes[2] == 0x2D, bytes[35] == 0x2D, bytes[52] == 0x2D else { return nil }
        let trace = bytes[3..<35]
        let parent = bytes[36..<52]
        let flags = bytes[53..<55]
        guard Self.isHex(trace), Self.isHex(parent), Self.isHex(flags) else { return nil }
        guard trace.contains(where: { $0 != 0x30 }), parent.contains(where: { $0 != 0x30 }) else { return nil }
        traceID = String(decoding: trace, as: UTF8.self)
        parentID = String(decoding: parent, as: UTF8.self)
        self.flags = UInt8(Self.value(flags[53]) << 4 | Self.value(flags[54]))
    }

    private static func isHex(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    private static func value(_ digit: UInt8) -> UInt8 { digit <= 0x39 ? digit - 0x30 : digit - 0x61 + 10 }
}

/// The trace context of one recorded run: which trace it belongs to, its own
/// span, and the span of the run that started it.
///
/// A run started under a valid `TRACEPARENT` (a wrapped `make` recipe inside a
/// wrapped `make`) continues that trace with the caller's span as its parent;
/// any other run starts a new trace. Identifiers are random
/// (`SystemRandomNumberGenerator`, which reads the kernel's `getrandom`), never
/// derived from user data, and never all zero (which the spec forbids).
public struct TraceContext: Sendable, Equatable {
    /// 32 lowercase hex digits.
    public let traceID: String
    /// 16 lowercase hex digits: this run's span.
    public let spanID: String
    /// The caller's span, from a valid `TRACEPARENT`; nil for a new trace.
    public let parentSpanID: String?

    public init(traceID: String, spanID: String, parentSpanID: String?) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
    }

    /// Continues `traceparent` when it is valid, else starts a new trace; a new
    /// span either way.
    public static func start(traceparent: String?) -> TraceContext {
        var random = SystemRandom()
        let span = randomHex(words: 1, using: &random)
        if let traceparent, let parent = TraceParent(header: traceparent) {
            return TraceContext(traceID: parent.traceID, spanID: span, parentSpanID: parent.parentID)
        }
        return TraceContext(traceID: randomHex(words: 2, using: &random), spanID: span, parentSpanID: nil)
    }

    /// The `TRACEPARENT` the command gets: this run's span, sampled.
    public var childTraceparent: String { "00-" + traceID + "-" + spanID + "-01" }

    /// `words` random 64-bit words as lowercase hex (16 digits each), not all zero.
    static func randomHex(words: Int, using random: inout some RandomNumberGenerator) -> String {
        while true {
            var text = ""
            var allZero = true
            for _ in 0..<words {
                let word = random.next()
                if word != 0 { allZero = false }
                let digits = String(word, radix: 16)
                text += String(repeating: "0", count: 16 - digits.count) + digits
            }
            if !allZero { return text }
        }
    }
}
