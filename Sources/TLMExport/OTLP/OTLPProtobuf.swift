/// Turns events into an OTLP `ExportTraceServiceRequest` in the protobuf binary
/// wire format (`Content-Type: application/x-protobuf`), the encoding the
/// OpenTelemetry specification makes the default for OTLP/HTTP.
///
/// It says what `OTLPTraces.request` says in JSON, span for span (both write
/// `OTLPTraces.Span` and `resourceAttributes`), with the field numbers of
/// opentelemetry-proto's `trace.proto`, `common.proto`, `resource.proto` and
/// `collector/trace/v1/trace_service.proto`. Ids are raw bytes (16 and 8), times
/// fixed64, enums and int64 plain varints, doubles fixed64.
public struct OTLPProtobuf: Sendable {
    public let traces: OTLPTraces

    public init(resource: OTLPTraces.Resource) {
        traces = OTLPTraces(resource: resource)
    }

    /// The request body for `events`, in order; an event `OTLPTraces.canExpress` refuses is left out.
    public func request(_ events: [PendingEvent]) -> [UInt8] {
        var out = ProtobufWriter()
        out.reserve(events.count * 400 + 200)
        out.message(1) {  // ExportTraceServiceRequest.resource_spans
            $0.message(1) {  // ResourceSpans.resource
                for (key, value) in traces.resourceAttributes { $0.attribute(1, key, value) }  // Resource.attributes
            }
            $0.message(2) {  // ResourceSpans.scope_spans
                $0.message(1) {  // ScopeSpans.scope: InstrumentationScope name, version
                    $0.string(1, OTLPTraces.scopeName)
                    $0.string(2, traces.resource.serviceVersion)
                }
                for pending in events {
                    guard let span = OTLPTraces.span(of: pending) else { continue }
                    $0.message(2) { $0.span(span) }  // ScopeSpans.spans
                }
            }
        }
        return out.bytes
    }
}

/// Writes protobuf fields into one buffer. A nested message is written in
/// place, then its length is inserted before it: each level moves its own bytes
/// once, which at export's depth (five) costs less than sizing every message first.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    mutating func reserve(_ capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func tag(_ field: Int, _ wireType: UInt64) { varint(UInt64(field) << 3 | wireType) }

    /// An int32, int64 or enum field (wire type 0); negative numbers take ten bytes, as the format says.
    mutating func int(_ field: Int, _ value: Int64) {
        tag(field, 0)
        varint(UInt64(bitPattern: value))
    }

    mutating func bool(_ field: Int, _ value: Bool) {
        tag(field, 0)
        bytes.append(value ? 1 : 0)
    }

    /// A fixed64 or double field (wire type 1), little-endian.
    mutating func fixed64(_ field: Int, _ value: UInt64) {
        tag(field, 1)
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func string(_ field: Int, _ text: String) {
        tag(field, 2)
        var text = text
        text.withUTF8 {
            varint(UInt64($0.count))
            bytes.append(contentsOf: $0)
        }
    }

    /// A bytes field holding the id `hex` spells (lowercase hex, checked by `SpanIdentity`).
    mutating func id(_ field: Int, hex: String) {
        tag(field, 2)
        varint(UInt64(hex.utf8.count / 2))
        var high: UInt8? = nil
        for digit in hex.utf8 {
            let nibble = digit <= 0x39 ? digit &- 0x30 : (digit | 0x20) &- 0x61 &+ 10
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
    }

    /// A length-delimited message field whose content `body` writes.
    mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        tag(field, 2)
        let start = bytes.count
        body(&self)
        var length = UInt64(bytes.count - start)
        var size = 1
        while length >> UInt64(7 * size) != 0 { size += 1 }
        bytes.insert(contentsOf: repeatElement(0, count: size), at: start)
        for index in start..<start + size - 1 {
            bytes[index] = UInt8(truncatingIfNeeded: length) | 0x80
            length >>= 7
        }
        bytes[start + size - 1] = UInt8(length)
    }

    /// A `KeyValue` field: key = 1, value = 2 (an `AnyValue`, whose oneof is written even
    /// when zero or false, since its presence is the value's type).
    mutating func attribute(_ field: Int, _ key: String, _ value: OTLPTraces.Value) {
        message(field) {
            $0.string(1, key)
            $0.message(2) {
                switch value {
                case .string(let text): $0.string(1, text)
                case .bool(let flag): $0.bool(2, flag)
                case .int(let number): $0.int(3, number)
                case .double(let number): $0.fixed64(4, number.bitPattern)
                }
            }
        }
    }

    /// A `Span`'s fields, in field-number order.
    mutating func span(_ span: OTLPTraces.Span) {
        id(1, hex: span.ids.traceID)
        id(2, hex: span.ids.spanID)
        if let parent = span.ids.parentSpanID { id(4, hex: parent) }
        string(5, span.name)
        int(6, Int64(OTLPTraces.Span.kind))
        fixed64(7, UInt64(bitPattern: span.start))
        fixed64(8, UInt64(bitPattern: span.end))
        for (key, value) in span.attributes { attribute(9, key, value) }
        if let text = span.errorMessage {
            message(15) {  // Status: message = 2, code = 3
                $0.string(2, text)
                $0.int(3, Int64(OTLPTraces.Span.errorCode))
            }
        }
    }
}
