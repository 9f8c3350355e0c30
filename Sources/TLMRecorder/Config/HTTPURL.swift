/// An `http://` or `https://` address, checked enough to fail early and clearly
/// (`tlm config set export.endpoint …`) rather than at the first export.
///
/// Printing one (`description`, `"\(url)"`) hides its query, which may hold a
/// token (`https://host/path?…`); only `text` has it, for the request itself.
/// A user:password@ is refused outright (it would travel in every message).
public struct HTTPURL: Sendable, Equatable, CustomStringConvertible {
    /// `http` or `https`, lowercase.
    public let scheme: String
    /// `host`, `host:port` or `[::1]:port`, as written.
    public let authority: String
    /// The path after the authority (`/otlp`), possibly empty.
    public let path: String
    /// What follows `?`, nil when there is no `?`.
    public let query: String?

    /// The whole address, query included: what is sent, never what is shown.
    public var text: String { scheme + "://" + authority + path + (query.map { "?" + $0 } ?? "") }

    /// The address as tlm shows it: the query hidden (`https://host/path?…`).
    public var description: String { scheme + "://" + authority + path + (query == nil ? "" : "?…") }

    public init?(_ text: String) {
        guard text.utf8.count <= 2048,
            !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0.value > 0x7E })
        else { return nil }
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("http://") {
            scheme = "http"
            rest = text.dropFirst(7)
        } else if lower.hasPrefix("https://") {
            scheme = "https"
            rest = text.dropFirst(8)
        } else {
            return nil
        }
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<end]
        // No user:password@ (it would be printed in messages), no empty host.
        guard !authority.isEmpty, !authority.contains("@"), !authority.hasPrefix(":") else { return nil }
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            let port = authority[authority.index(after: colon)...]
            guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isNumber), let number = Int(port), number > 0,
                number < 65536
            else { return nil }
        }
        let after = rest[end...]
        guard !after.contains("#") else { return nil }
        let question = after.firstIndex(of: "?") ?? after.endIndex
        self.authority = String(authority)
        self.path = String(after[..<question])
        self.query = question == after.endIndex ? nil : String(after[after.index(after: question)...])
    }

    /// The address with `component` added as a path segment, before the query
    /// (`http://h:4318/otlp?k=1` + `v1/traces` → `http://h:4318/otlp/v1/traces?k=1`):
    /// the OpenTelemetry rule for a base endpoint, applied even when the path
    /// already ends in `/v1/traces`.
    public func appending(_ component: String) -> HTTPURL {
        let base = scheme + "://" + authority + path + (path.hasSuffix("/") ? "" : "/") + component
        return HTTPURL(base + (query.map { "?" + $0 } ?? "")) ?? self
    }

    /// Any text given as a URL, as it may be printed: a user:password@ shown as
    /// `…@`, a query or fragment as `?…` (`https://…@host/path?…`). For values
    /// that may not even parse (an error message must not leak what it quotes).
    public static func redacted(_ text: String) -> String {
        let rest = afterScheme(text)
        let cut = rest.firstIndex { $0 == "?" || $0 == "#" } ?? rest.endIndex
        var shown = String(text[..<rest.startIndex])
        // Up to the last @ before the query: a password may hold a / written as is.
        if let at = rest[..<cut].lastIndex(of: "@") {
            shown += "…" + String(rest[at..<cut])
        } else {
            shown += String(rest[..<cut])
        }
        if cut < rest.endIndex { shown += String(rest[cut]) + "…" }
        return shown
    }

    /// Why `text` is not taken as an endpoint, in a few words after its name.
    public static func problem(_ text: String) -> String {
        if afterScheme(text).prefix(while: { $0 != "?" && $0 != "#" }).contains("@") {
            return "has a user:password@, which tlm refuses (it would be printed): "
                + "send credentials as a header instead (Authorization=Basic%20…)"
        }
        return "is not an http:// or https:// URL"
    }

    /// What follows the scheme's `://`, or all of `text` when it has none (a `://`
    /// after a `/`, `?`, `#` or `@` is in the path or query, not after a scheme).
    private static func afterScheme(_ text: String) -> Substring {
        var index = text.startIndex
        while index < text.endIndex, !"/?#@".contains(text[index]) {
            if text[index...].hasPrefix("://") { return text[text.index(index, offsetBy: 3)...] }
            index = text.index(after: index)
        }
        return text[...]
    }
}

/// HTTP headers written as `name=value,name2=value2`, values percent-encoded:
/// the form of `OTEL_EXPORTER_OTLP_HEADERS` and of `export.headers`.
public enum HeaderList {
    /// The headers, or nil when the text is not of that form (an empty text is no header).
    public static func parse(_ text: String) -> [(name: String, value: String)]? {
        var headers: [(name: String, value: String)] = []
        for entry in text.split(separator: ",", omittingEmptySubsequences: true) {
            let trimmed = entry.trimmingSpaces
            if trimmed.isEmpty { continue }
            guard let equals = trimmed.firstIndex(of: "="), let name = name(trimmed[..<equals]),
                let value = percentDecoded(trimmed[trimmed.index(after: equals)...].trimmingSpaces)
            else { return nil }
            headers.append((name, value))
        }
        return headers
    }

    /// Headers as tlm shows them: names only (`Authorization=<hidden>,X-Tenant=<hidden>`).
    public static func redacted(_ headers: [(name: String, value: String)]) -> String {
        headers.map { $0.name + "=<hidden>" }.joined(separator: ",")
    }

    /// A header list's text as tlm shows it: the names only, or `<hidden>` as a
    /// whole when it does not parse (the value may be anywhere in it).
    public static func redacted(_ text: String) -> String {
        guard let headers = parse(text) else { return "<hidden>" }
        return redacted(headers)
    }

    /// A header name as written (spaces and tabs around it dropped), or nil unless
    /// it is one or more of RFC 9110's token characters.
    public static func name(_ text: Substring) -> String? {
        let name = text.trimmingSpaces
        guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte) else { return nil }
        return String(name)
    }

    /// RFC 9110's token characters, the bytes a header name may have.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    /// `%XX` decoded; nil for a bad escape, invalid UTF-8, or a control character
    /// (a CR or LF would split the request's headers).
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%") {
                guard iterator.count >= 2, let high = hexValue(iterator.removeFirst()),
                    let low = hexValue(iterator.removeFirst())
                else { return nil }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        guard !bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - 48
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - 87
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - 55
        default: return nil
        }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
