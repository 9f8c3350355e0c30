/// A JSON value (RFC 8259), for `config.json`: small files that a person may
/// have edited by hand, so a syntax error names its line and column.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number as written, and its value.
    case number(String, Double)
    case string(String)
    case array([JSONValue])
    /// Members in file order (a duplicate key is an error, see `JSONParser`).
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a, _), .number(let b, _)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }
}

/// Where a JSON text is wrong: 1-based line and column (in characters), and what was expected.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let message: String

    public var description: String { "line \(line), column \(column): \(message)" }
}

/// A strict recursive-descent JSON parser with positions in its errors.
public struct JSONParser {
    private let bytes: [UInt8]
    private var position = 0
    private static let maximumDepth = 64

    /// Parses one JSON document (white space around it allowed).
    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.position == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        let end = min(offset ?? position, bytes.count)
        var line = 1
        var lineStart = 0
        for index in 0..<end where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        // Columns count characters, not bytes: skip UTF-8 continuation bytes.
        let column = 1 + bytes[lineStart..<end].filter { $0 & 0xC0 != 0x80 }.count
        return JSONSyntaxError(line: line, column: column, message: message)
    }

    private mutating func skipSpace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    private mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw error("nested too deeply") }
        guard position < bytes.count else { throw error("a value was expected, not the end of the file") }
        switch bytes[position] {
        case 0x7B: return try object(depth: depth)
        case 0x5B: return try array(depth: depth)
        case 0x22: return .string(try string())
        case 0x74: return try literal("true", .bool(true))
        case 0x66: return try literal("false", .bool(false))
        case 0x6E: return try literal("null", .null)
        case 0x2D, 0x30...0x39: return try number()
        default: throw error("a value was expected (a string, number, true, false, null, [ or {)")
        }
    }

    private mutating func literal(_ word: String, _ result: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        let expected = Array(word.utf8)
        guard position + expected.count <= bytes.count, Array(bytes[position..<position + expected.count]) == expected
        else { throw error("'\(word)' was expected") }
        position += expected.count
        return result
    }

    private mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        position += 1  // {
        var members: [(key: String, value: JSONValue)] = []
        skipSpace()
        if position < bytes.count, bytes[position] == 0x7D {
            position += 1
            return .object(members)
        }
        while true {
            skipSpace()
            guard position < bytes.count, bytes[position] == 0x22 else {
                throw error("a key in double quotes was expected")
            }
            let keyStart = position
            let key = try string()
            if members.contains(where: { $0.key == key }) {
                throw error("the key \"\(key)\" appears twice", at: keyStart)
            }
            skipSpace()
            guard position < bytes.count, bytes[position] == 0x3A else { throw error("':' was expected after the key") }
            position += 1
            skipSpace()
            members.append((key, try value(depth: depth + 1)))
            skipSpace()
            guard position < bytes.count else { throw error("'}' was expected, not the end of the file") }
            if bytes[position] == 0x2C {
                position += 1
                continue
            }
            guard bytes[position] == 0x7D else { throw error("',' or '}' was expected") }
            position += 1
            return .object(members)
        }
    }

    private mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        position += 1  // [
        var items: [JSONValue] = []
        skipSpace()
        if position < bytes.count, bytes[position] == 0x5D {
            position += 1
            return .array(items)
        }
        while true {
            skipSpace()
            items.append(try value(depth: depth + 1))
            skipSpace()
            guard position < bytes.count else { throw error("']' was expected, not the end of the file") }
            if bytes[position] == 0x2C {
                position += 1
                continue
            }
            guard bytes[position] == 0x5D else { throw error("',' or ']' was expected") }
            position += 1
            return .array(items)
        }
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        position += 1  // "
        var out: [UInt8] = []
        while position < bytes.count {
            let c = bytes[position]
            if c == 0x22 {
                position += 1
                guard let text = String(validating: out, as: UTF8.self) else {
                    throw error("a string is not valid UTF-8")
                }
                return text
            }
            if c < 0x20 { throw error("a control character must be escaped in a string") }
            if c != 0x5C {
                out.append(c)
                position += 1
                continue
            }
            position += 1
            do throws(JSONEscape.Failure) {
                try JSONEscape.decode(bytes, at: &position, into: &out)
            } catch {
                switch error {
                case .unclosed: throw self.error("the string is not closed")
                case .unknown: throw self.error("an unknown escape in a string", at: position - 2)
                case .hexDigits: throw self.error("four hex digits were expected after \\u")
                case .loneSurrogate: throw self.error("a lone surrogate in \\u escape")
                }
            }
        }
        throw error("the string is not closed")
    }

    private mutating func number() throws(JSONSyntaxError) -> JSONValue {
        let start = position
        if bytes[position] == 0x2D { position += 1 }
        func digits() -> Int {
            let from = position
            while position < bytes.count, (0x30...0x39).contains(bytes[position]) { position += 1 }
            return position - from
        }
        guard position < bytes.count, (0x30...0x39).contains(bytes[position]) else {
            throw error("a digit was expected")
        }
        if bytes[position] == 0x30 {
            position += 1
        } else {
            _ = digits()
        }
        if position < bytes.count, bytes[position] == 0x2E {
            position += 1
            guard digits() > 0 else { throw error("a digit was expected after '.'") }
        }
        if position < bytes.count, bytes[position] == 0x65 || bytes[position] == 0x45 {
            position += 1
            if position < bytes.count, bytes[position] == 0x2B || bytes[position] == 0x2D { position += 1 }
            guard digits() > 0 else { throw error("a digit was expected in the exponent") }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw error("the number is out of range", at: start) }
        return .number(text, value)
    }
}
