import TLMSystem

/// Why `config.json` could not be used. Prints as one sentence naming the file.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotRead(path: String, errno: Int32)
    case notARegularFile(path: String)
    case tooLarge(path: String)
    case syntax(path: String, JSONSyntaxError)
    case notAnObject(path: String)
    case unknownKey(path: String, key: String)
    case badValue(path: String, key: ConfigKey)

    public var description: String {
        switch self {
        case .cannotRead(let path, let code): return "cannot read \(path): \(SystemMessage.describe(code))"
        case .notARegularFile(let path): return "cannot use \(path): not a regular file"
        case .tooLarge(let path): return "cannot use \(path): larger than 64 KiB"
        case .syntax(let path, let error): return "\(path): \(error)"
        case .notAnObject(let path): return "\(path): line 1: a JSON object ({...}) was expected"
        case .unknownKey(let path, let key):
            return "\(path): unknown key '\(key)' (keys: \(ConfigKey.all.map(\.name).joined(separator: ", ")))"
        case .badValue(let path, let key): return "\(path): '\(key.name)' must be \(key.jsonForms)"
        }
    }
}

extension ConfigKey {
    /// The accepted JSON forms, for error messages.
    var jsonForms: String {
        switch kind {
        case .bool: return "true or false"
        case .words: return "a list of plain words, like [\"apply\", \"sync\"]"
        case .programs:
            return "a list of program names, each alone or after + (add) or - (remove), like [\"+mytool\", \"-task\"]"
        case .name: return "a string of letters, digits and _, like \"G\""
        case .integer(let range): return "a whole number from \(range.lowerBound) to \(range.upperBound)"
        case .duration: return "a duration string (\(DurationValue.forms))"
        case .url: return "a string holding an http:// or https:// URL"
        case .headers: return "a string of name=value pairs separated by commas"
        case .text: return "a string of printable text (1 to 255 bytes)"
        }
    }
}

/// `$TLM_HOME/config.json`: the keys a user set with `tlm config set`, in a
/// JSON object. A missing file sets nothing.
public enum ConfigFile {
    /// The keys set in the file, in file order. A missing file is an empty one.
    public static func load(_ home: TelemetryHome) throws(ConfigError) -> [(key: ConfigKey, value: ConfigValue)] {
        let path = home.configPath
        // O_NOFOLLOW: a link planted in its place is not followed; O_NONBLOCK: nor is a FIFO waited on.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return [] }
            if errno == ELOOP { throw .notARegularFile(path: path) }
            throw .cannotRead(path: path, errno: errno)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotRead(path: path, errno: errno) }
        guard POSIX.isRegularFile(info) else { throw .notARegularFile(path: path) }
        guard info.st_size <= 65_536 else { throw .tooLarge(path: path) }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if got < 0 && errno == EINTR { continue }
            if got < 0 { throw .cannotRead(path: path, errno: errno) }
            if got == 0 { break }
            count += got
        }
        guard count <= 65_536 else { throw .tooLarge(path: path) }
        let document: JSONValue
        do {
            document = try JSONParser.parse(Array(bytes[0..<count]))
        } catch {
            throw .syntax(path: path, error)
        }
        guard case .object(let members) = document else { throw .notAnObject(path: path) }
        var values: [(key: ConfigKey, value: ConfigValue)] = []
        for member in members {
            guard let key = ConfigKey.named(member.key) else { throw .unknownKey(path: path, key: member.key) }
            guard let value = key.parse(json: member.value) else { throw .badValue(path: path, key: key) }
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
