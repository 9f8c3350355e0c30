import TLMSystem

/// Why `config.json` could not be used. Prints as one sentence naming the file.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotRead(path: String, errno: Int32)
    case notARegularFile(path: String)
    case tooLarge(path: String)
    case syntax(path: String, JSONSyntaxError)
    case notAnObject(path: String)
    case unknownKey(path: String, key: String)
    /// `value`: the member's string, when it is one (export names a refused `export.protocol`).
    case badValue(path: String, key: ConfigKey, value: String? = nil)

    public var description: String {
        switch self {
        case .cannotRead(let path, let code): return "cannot read \(path): \(Errno(code).message)"
        case .notARegularFile(let path): return "cannot use \(path): not a regular file"
        case .tooLarge(let path): return "cannot use \(path): larger than 64 KiB"
        case .syntax(let path, let error): return "\(path): \(error)"
        case .notAnObject(let path): return "\(path): line 1: a JSON object ({...}) was expected"
        case .unknownKey(let path, let key):
            return "\(path): unknown key '\(key)' (keys: \(ConfigKey.all.map(\.name).joined(separator: ", ")))"
        case .badValue(let path, let key, _): return "\(path): '\(key.name)' must be \(key.jsonForms)"
        }
    }
}

extension ConfigKey {
    /// The accepted JSON forms, for error messages.
    var jsonForms: String {
        switch kind {
        case .bool: return "true or false"
        case .words: return "a list of plain words, like [\"apply\", \"sync\"]"
        case .commands: return "a list of command names, like [\"make\", \"terraform\"] (\(WrapList.rule))"
        case .programs:
            return "a list of program names, each alone or after + (add) or - (remove), like [\"+mytool\", \"-task\"]"
        case .name: return "a string of letters, digits and _, like \"G\""
        case .integer(let range): return "a whole number from \(range.lowerBound) to \(range.upperBound)"
        case .duration: return "a duration string (\(DurationValue.forms))"
        case .url: return "a string holding an http:// or https:// URL"
        case .headers: return "a string of name=value pairs separated by commas"
        case .text: return "a string of printable text (1 to 255 bytes)"
        case .choice(let words): return ConfigKey.either(words.map { "\"\($0)\"" })
        }
    }
}

/// `$TLM_HOME/config.json`: the keys a user set with `tlm config set`, in a
/// JSON object. A missing file sets nothing.
public enum ConfigFile {
    /// The keys set in the file, in file order. A missing file is an empty one.
    /// `replacing`'s value is left out unread: `tlm config set wrap make` and
    /// `unset wrap` repair a value that a later rule refuses (a `wrap` of
    /// `a:b`, taken before `WrapList`), rather than calling the file unusable.
    public static func load(_ home: TelemetryHome, replacing: ConfigKey? = nil) throws(ConfigError) -> [(
        key: ConfigKey, value: ConfigValue
    )] {
        let path = home.configPath
        let bytes: [UInt8]
        // No link followed, no FIFO waited on: a file planted in its place is refused (ELOOP).
        do {
            bytes = try SystemFile.read(path, limit: 65_536)
        } catch {
            switch error {
            case .cannotOpen(let code) where code.rawValue == ENOENT || code.rawValue == ENOTDIR: return []
            case .cannotOpen(let code) where code.rawValue == ELOOP: throw .notARegularFile(path: path)
            case .notARegularFile: throw .notARegularFile(path: path)
            case .tooLarge: throw .tooLarge(path: path)
            case .cannotOpen(let code), .cannotExamine(let code), .cannotRead(let code):
                throw .cannotRead(path: path, errno: code.rawValue)
            }
        }
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw .syntax(path: path, error)
        }
        guard case .object(let members) = document else { throw .notAnObject(path: path) }
        var values: [(key: ConfigKey, value: ConfigValue)] = []
        for member in members {
            guard let key = ConfigKey.named(member.key) else { throw .unknownKey(path: path, key: member.key) }
            if key == replacing { continue }
            guard let value = key.parse(json: member.value) else {
                var text: String?
                if case .string(let string) = member.value { text = string }
                throw .badValue(path: path, key: key, value: text)
            }
            values.append((key, value))
        }
        return values
    }

    /// The file's text for `values`: one key per line, in the keys' order.
    public static func encode(_ values: [(key: ConfigKey, value: ConfigValue)]) -> String {
        let ordered = ConfigKey.all.compactMap { key in values.first { $0.key == key } }
        if ordered.isEmpty { return "{}\n" }
        var out = "{\n"
        for (index, entry) in ordered.enumerated() {
            out += "  \"\(entry.key.name)\": \(entry.value.json)"
            out += index == ordered.count - 1 ? "\n" : ",\n"
        }
        return out + "}\n"
    }
}

extension TelemetryHome {
    /// `config.json`, the keys set with `tlm config set`.
    public var configPath: String { folder + "/config.json" }
}
