import TLMRecorder

/// The collector's `partial_success`: how many spans of a request it rejected
/// and why (`ExportTracePartialSuccess`). A collector that accepted everything
/// leaves it out; one that accepted everything with a warning sends a message
/// and no rejected spans.
public struct OTLPPartialSuccess: Sendable, Equatable {
    public var rejectedSpans: Int64
    public var errorMessage: String

    public init(rejectedSpans: Int64, errorMessage: String) {
        self.rejectedSpans = rejectedSpans
        self.errorMessage = errorMessage
    }

    /// Reads an `ExportTraceServiceResponse` in the protobuf wire format: nil when it has no
    /// `partial_success` (an empty answer is a full success). Unknown fields are skipped.
    public static func decode(protobuf bytes: [UInt8]) throws(OTLPResponseError) -> OTLPPartialSuccess? {
        var reader = ProtobufReader(bytes: bytes, range: 0..<bytes.count)
        var result: OTLPPartialSuccess? = nil
        while let (field, wireType) = try reader.tag() {
            guard field == 1, wireType == 2 else {
                try reader.skip(wireType)
                continue
            }
            // A message field seen twice merges, as the format says.
            var partial = result ?? OTLPPartialSuccess(rejectedSpans: 0, errorMessage: "")
            var inner = ProtobufReader(bytes: bytes, range: try reader.lengthDelimited())
            while let (innerField, innerType) = try inner.tag() {
                switch (innerField, innerType) {
                case (1, 0): partial.rejectedSpans = Int64(bitPattern: try inner.varint())
                case (2, 2): partial.errorMessage = String(decoding: bytes[try inner.lengthDelimited()], as: UTF8.self)
                default: try inner.skip(innerType)
                }
            }
            result = partial
        }
        return result
    }

    /// Reads an `ExportTraceServiceResponse` in the OTLP JSON mapping (`partialSuccess`,
    /// `rejectedSpans` as a number or a decimal string, `errorMessage`): nil when it has no
    /// `partialSuccess`; an empty body is a full success too.
    public static func decode(json bytes: [UInt8]) throws(OTLPResponseError) -> OTLPPartialSuccess? {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return nil }
        let document: JSONValue
        do { document = try JSONParser.parse(bytes) } catch {
            throw OTLPResponseError(description: "the answer is not JSON (\(error))")
        }
        guard case .object(let members) = document else {
            throw OTLPResponseError(description: "the answer is not a JSON object")
        }
        guard let found = members.first(where: { $0.key == "partialSuccess" })?.value else { return nil }
        if found == .null { return nil }
        guard case .object(let fields) = found else {
            throw OTLPResponseError(description: "partialSuccess is not an object")
        }
        var partial = OTLPPartialSuccess(rejectedSpans: 0, errorMessage: "")
        for (key, value) in fields {
            switch (key, value) {
            case ("rejectedSpans", .string(let text)), ("rejectedSpans", .number(let text, _)):
                guard let count = Int64(text) else {
                    throw OTLPResponseError(description: "rejectedSpans is not an integer: \(text.prefix(40))")
                }
                partial.rejectedSpans = count
            case ("rejectedSpans", _): throw OTLPResponseError(description: "rejectedSpans is not an integer")
            case ("errorMessage", .string(let text)): partial.errorMessage = text
            case ("errorMessage", _): throw OTLPResponseError(description: "errorMessage is not a string")
            default: continue
            }
        }
        return partial
    }
}

/// Why a collector's answer could not be read, as a sentence.
public struct OTLPResponseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
}

/// Reads protobuf fields within `range` of `bytes`, checking every varint, length and
/// wire type against the bounds: hostile input ends in an error, never a trap.
struct ProtobufReader {
    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    init(bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
    }

    private func malformed(_ what: String) -> OTLPResponseError {
        OTLPResponseError(description: "malformed protobuf answer: \(what) at byte \(position)")
    }

    /// At most ten bytes, the tenth holding only the 64th bit.
    mutating func varint() throws(OTLPResponseError) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<10 {
            guard position < end else { throw malformed("truncated varint") }
            let byte = bytes[position]
            position += 1
            if index == 9, byte > 1 { throw malformed("varint longer than 64 bits") }
            value |= UInt64(byte & 0x7F) << UInt64(7 * index)
            if byte < 0x80 { return value }
        }
        throw malformed("varint longer than 64 bits")
    }

    /// The next field's number and wire type, nil at the end.
    mutating func tag() throws(OTLPResponseError) -> (field: UInt64, wireType: UInt64)? {
        guard position < end else { return nil }
        let key = try varint()
        guard key >> 3 >= 1, key >> 3 <= 0x1FFF_FFFF else { throw malformed("field number \(key >> 3)") }
        return (key >> 3, key & 7)
    }

    /// A length-delimited field's content, which must lie within the bounds.
    mutating func lengthDelimited() throws(OTLPResponseError) -> Range<Int> {
        let length = try varint()
        guard length <= UInt64(end - position) else { throw malformed("length \(length) past the end") }
        let start = position
        position += Int(length)
        return start..<position
    }

    /// Skips a field of an unknown number; groups (wire types 3 and 4, unused since proto3)
    /// and the undefined wire types 6 and 7 are refused.
    mutating func skip(_ wireType: UInt64) throws(OTLPResponseError) {
        switch wireType {
        case 0: _ = try varint()
        case 1, 5:
            let size = wireType == 1 ? 8 : 4
            guard end - position >= size else { throw malformed("truncated fixed-size field") }
            position += size
        case 2: _ = try lengthDelimited()
        default: throw malformed("wire type \(wireType)")
        }
    }
}
