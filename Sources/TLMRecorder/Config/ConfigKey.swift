/// The keys of `config.json`, their types, defaults and environment overrides.
///
/// `tlm config`, `tlm status`, the README and the man page all follow this
/// table (the tests check it).
public struct ConfigKey: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case bool
        /// A list of plain words (`apply,sync` on the command line).
        case words
        /// Commands `tlm shell-init` can wrap (`make,terraform`): see `WrapList`.
        case commands
        /// Edits of a built-in list of programs: `name` or `+name` adds, `-name` removes (`just,-task`).
        case programs
        /// A `NAME` of letters, digits and `_`.
        case name
        case integer(ClosedRange<Int64>)
        case duration
        /// An `http://` or `https://` URL.
        case url
        /// HTTP headers as `name=value,name2=value2` (OpenTelemetry's form, values percent-encoded).
        case headers
        /// Printable text (at most 255 bytes).
        case text
        /// One of these words, exactly (`http/protobuf`, `http/json`).
        case choice([String])
    }

    public let name: String
    public let kind: Kind
    /// The variable that overrides the key for one command (`TLM_DOMAIN_KEY`).
    public let environment: String
    /// The default, as `tlm config get` prints it; nil when the key has none
    /// (`enabled`: absent, the other consent rules decide).
    public let defaultText: String?
    public let summary: String

    /// The accepted forms, for error messages.
    public var forms: String {
        switch kind {
        case .bool: return "true or false"
        case .words: return "a comma-separated list of plain words (letters, digits and ._:-), empty for none"
        case .commands: return "a comma-separated list of command names, empty for none (\(WrapList.rule))"
        case .programs:
            return "a comma-separated list of program names, each alone or +name to add it, -name to remove it"
                + " (like +mytool,-task), empty for the built-in list"
        case .name: return "a name of letters, digits and _ (at most 64)"
        case .integer(let range): return "a whole number from \(range.lowerBound) to \(range.upperBound)"
        case .duration: return "a duration: \(DurationValue.forms)"
        case .url: return "an http:// or https:// URL, empty for none"
        case .headers:
            return
                "name=value pairs separated by commas, values percent-encoded (Authorization=Bearer%20TOKEN), empty for none"
        case .text: return "printable text of 1 to 255 bytes"
        case .choice(let words): return ConfigKey.either(words)
        }
    }

    /// `a, b or c`.
    static func either(_ words: [String]) -> String {
        words.count < 2 ? words.joined() : words.dropLast().joined(separator: ", ") + " or " + words.last!
    }

    /// Whether the value is kept out of `tlm status` and `tlm config list` (it may hold an API key).
    public var isSecret: Bool { kind == .headers }

    /// A value of this key as tlm may print it: a header list's values and a
    /// URL's user:password@ and query hidden; other kinds as they are. Every
    /// message, `status` and `config list` and `config set` show this; only
    /// `config get` prints the value itself.
    public func shown(_ text: String) -> String {
        switch kind {
        case .url: return HTTPURL.redacted(text)
        case .headers: return HeaderList.redacted(text)
        default: return text
        }
    }
}

extension ConfigKey {
    public static let enabled = ConfigKey(
        name: "enabled", kind: .bool, environment: "TLM_TELEMETRY", defaultText: nil,
        summary: "opt in (true) or out (false); below the environment, above the marker file")
    public static let trackedTargets = ConfigKey(
        name: "tracked_targets", kind: .words, environment: "TLM_TRACKED_TARGETS", defaultText: "",
        summary: "record only these targets (empty: all); others run with no telemetry work")
    public static let domainKey = ConfigKey(
        name: "domain_key", kind: .name, environment: "TLM_DOMAIN_KEY", defaultText: "G",
        summary: "the NAME= argument the domain comes from")
    public static let targetPrograms = ConfigKey(
        name: "target_programs", kind: .programs, environment: "TLM_TARGET_PROGRAMS", defaultText: "",
        summary: "add (+name) or remove (-name) programs whose first operand is the target")
    public static let maxLogBytes = ConfigKey(
        name: "max_log_bytes", kind: .integer(1...1 << 40), environment: "TLM_MAX_LOG_BYTES",
        defaultText: "16777216", summary: "rotate usage.jsonl when it reaches this size")
    public static let keepRotated = ConfigKey(
        name: "keep_rotated", kind: .integer(0...1000), environment: "TLM_KEEP_ROTATED", defaultText: "4",
        summary: "how many rotated logs to keep (usage.jsonl.1 ...)")
    public static let traceContext = ConfigKey(
        name: "trace_context", kind: .bool, environment: "TLM_TRACE_CONTEXT", defaultText: "true",
        summary: "set TRACEPARENT for the command when telemetry is on (run --no-trace-context)")
    public static let killAfter = ConfigKey(
        name: "kill_after", kind: .duration, environment: "TLM_KILL_AFTER", defaultText: "10s",
        summary: "run --kill-after's default")
    public static let retryDelay = ConfigKey(
        name: "retry_delay", kind: .duration, environment: "TLM_RETRY_DELAY", defaultText: "1s",
        summary: "run --retry-delay's default")
    public static let retryMaxDelay = ConfigKey(
        name: "retry_max_delay", kind: .duration, environment: "TLM_RETRY_MAX_DELAY", defaultText: "60s",
        summary: "run --retry-max-delay's default")

    public static let wrap = ConfigKey(
        name: "wrap", kind: .commands, environment: "TLM_WRAP", defaultText: "",
        summary: "the commands 'tlm shell-init' makes your shell run through tlm run (make,terraform)")
    public static let exportEndpoint = ConfigKey(
        name: "export.endpoint", kind: .url, environment: "TLM_EXPORT_ENDPOINT", defaultText: "",
        summary: "the OpenTelemetry collector's OTLP/HTTP address (tlm export otlp adds /v1/traces)")
    public static let exportHeaders = ConfigKey(
        name: "export.headers", kind: .headers, environment: "TLM_EXPORT_HEADERS", defaultText: "",
        summary: "HTTP headers sent with each export (an API key: shown hidden)")
    public static let exportAuto = ConfigKey(
        name: "export.auto", kind: .bool, environment: "TLM_EXPORT_AUTO", defaultText: "false",
        summary: "after recording, run starts an export in the background (needs an endpoint)")
    public static let exportInterval = ConfigKey(
        name: "export.interval", kind: .duration, environment: "TLM_EXPORT_INTERVAL", defaultText: "60s",
        summary: "the shortest time between two automatic exports")
    public static let serviceName = ConfigKey(
        name: "export.service_name", kind: .text, environment: "TLM_EXPORT_SERVICE_NAME", defaultText: "tlm",
        summary: "service.name in exported traces (below OTEL_SERVICE_NAME)")
    public static let exportProtocol = ConfigKey(
        name: "export.protocol", kind: .choice(["http/protobuf", "http/json"]), environment: "TLM_EXPORT_PROTOCOL",
        defaultText: "http/protobuf", summary: "OTLP/HTTP's encoding: http/protobuf or http/json (--protocol)")
    public static let exportCompression = ConfigKey(
        name: "export.compression", kind: .choice(["gzip", "none"]), environment: "TLM_EXPORT_COMPRESSION",
        defaultText: "none", summary: "gzip export's request bodies, or none (--compression)")

    /// Every key, in the order `tlm config list` shows them.
    public static let all: [ConfigKey] = [
        enabled, trackedTargets, domainKey, targetPrograms, maxLogBytes, keepRotated, traceContext, killAfter,
        retryDelay, retryMaxDelay, wrap, exportEndpoint, exportHeaders, exportAuto, exportInterval, serviceName,
        exportProtocol, exportCompression,
    ]

    public static func named(_ name: String) -> ConfigKey? { all.first { $0.name == name } }
}
