/// A typed value of a `ConfigKey`.
public enum ConfigValue: Sendable, Equatable {
    case bool(Bool)
    case words([String])
    case name(String)
    case integer(Int64)
    /// As written (`90s`), and in nanoseconds.
    case duration(String, UInt64)
    /// A URL, a header list or a name: text checked against the key's form.
    case string(String)

    /// As `tlm config get` prints it, and as `tlm config set` takes it.
    public var text: String {
        switch self {
        case .bool(let value): return value ? "true" : "false"
        case .words(let words): return words.joined(separator: ",")
        case .name(let name): return name
        case .integer(let value): return String(value)
        case .duration(let text, _): return text
        case .string(let text): return text
        }
    }

    /// As `config.json` holds it.
    public var json: String {
        switch self {
        case .bool, .integer: return text
        case .words(let words):
            var out = "["
            for (index, word) in words.enumerated() {
                if index > 0 { out += ", " }
                EventEncoder.appendString(&out, word)
            }
            return out + "]"
        case .name(let text), .duration(let text, _), .string(let text):
            var out = ""
            EventEncoder.appendString(&out, text)
            return out
        }
    }
}

extension ConfigKey {
    /// The value `text` stands for (`tlm config set`, an environment variable), or nil.
    public func parse(text: String) -> ConfigValue? {
        switch kind {
        case .bool:
            switch text.lowercased() {
            case "true", "1", "yes", "on": return .bool(true)
            case "false", "0", "no", "off": return .bool(false)
            default: return nil
            }
        case .words:
            if text.isEmpty { return .words([]) }
            let words = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard words.allSatisfy({ PlainWord.isPlain($0) }) else { return nil }
            return .words(words)
        case .commands:
            return WrapList.parse(text).map(ConfigValue.words)
        case .programs:
            guard CommandNaming.isProgramEditList(text) else { return nil }
            return .words(text.isEmpty ? [] : text.split(separator: ",").map(String.init))
        case .name:
            guard !text.isEmpty, text.utf8.count <= 64,
                text.utf8.allSatisfy({ CommandNaming.isLetter($0) || ($0 >= 48 && $0 <= 57) || $0 == 95 })
            else { return nil }
            return .name(text)
        case .integer(let range):
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = Int64(text),
                range.contains(value)
            else { return nil }
            return .integer(value)
        case .duration:
            guard let nanoseconds = DurationValue.nanoseconds(text) else { return nil }
            return .duration(text, nanoseconds)
        case .url:
            return text.isEmpty || HTTPURL(text) != nil ? .string(text) : nil
        case .headers:
            return HeaderList.parse(text) != nil ? .string(text) : nil
        case .text:
            guard !text.isEmpty, text.utf8.count <= 255,
                !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
            else { return nil }
            return .string(text)
        case .choice(let words):
            return words.contains(text) ? .string(text) : nil
        }
    }

    /// The value a `config.json` member holds, or nil when it has the wrong type or range.
    public func parse(json: JSONValue) -> ConfigValue? {
        switch (kind, json) {
        case (.bool, .bool(let value)): return .bool(value)
        case (.words, .array(let items)):
            var words: [String] = []
            for item in items {
                guard case .string(let word) = item, PlainWord.isPlain(word) else { return nil }
                words.append(word)
            }
            return .words(words)
        case (.commands, .array(let items)):
            var names: [String] = []
            for item in items {
                guard case .string(let name) = item, WrapList.isWrappable(name) else { return nil }
                names.append(name)
            }
            return .words(names)
        case (.programs, .array(let items)):
            var edits: [String] = []
            for item in items {
                guard case .string(let edit) = item, CommandNaming.isProgramEdit(edit) else { return nil }
                edits.append(edit)
            }
            return .words(edits)
        case (.name, .string(let text)): return parse(text: text)
        case (.integer, .number(let text, _)): return parse(text: text)
        case (.duration, .string(let text)): return parse(text: text)
        case (.duration, .number(let text, _)): return parse(text: text)
        case (.url, .string(let text)), (.headers, .string(let text)), (.text, .string(let text)),
            (.choice, .string(let text)):
            return parse(text: text)
        default: return nil
        }
    }
}
