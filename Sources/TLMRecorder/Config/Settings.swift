/// The effective value of every `ConfigKey`, and where each came from: the
/// default, `config.json`, or an environment variable (which wins, for one
/// command).
///
/// Never fails: a `config.json` that cannot be used, or an environment value
/// that is not one of the key's forms, is set aside and named in `problems`
/// (`tlm run` prints them as one warning and goes on with what is left; `tlm
/// status` and `tlm config` show them). A run with no `config.json` costs one
/// failed `open` and a `getenv` per key.
public struct Settings: Sendable {
    public enum Source: String, Sendable, Equatable {
        case defaultValue = "default"
        case config
        case environment
    }

    /// `enabled` from `config.json` (or `TLM_TELEMETRY`), nil when neither says.
    public private(set) var enabled: Bool?
    /// `enabled` from `config.json` alone: the consent rules' third (see `Consent`).
    public private(set) var configEnabled: Bool?
    public private(set) var trackedTargets: [String] = []
    /// The commands `tlm shell-init` wraps.
    public private(set) var wrap: [String] = []
    public private(set) var domainKey = "G"
    /// `target_programs`: edits of `CommandNaming`'s built-in list (`+name`, `-name`).
    public private(set) var targetPrograms: [String] = []
    public private(set) var maxLogBytes: Int64 = 16_777_216
    public private(set) var keepRotated = 4
    public private(set) var traceContext = true
    public private(set) var killAfter: UInt64 = 10_000_000_000
    public private(set) var retryDelay: UInt64 = 1_000_000_000
    public private(set) var retryMaxDelay: UInt64 = 60_000_000_000
    /// The collector's address from `config.json` or `TLM_EXPORT_ENDPOINT`, nil when none.
    public private(set) var exportEndpoint: String?
    /// `export.headers` as written (`name=value,…`).
    public private(set) var exportHeaders = ""
    public private(set) var exportAuto = false
    public private(set) var exportInterval: UInt64 = 60_000_000_000
    public private(set) var serviceName = "tlm"
    /// `export.protocol`: `http/protobuf` or `http/json` (OTLPDestination reads the OTEL_* variables too).
    public private(set) var exportProtocol = "http/protobuf"
    /// `export.compression`: `gzip` or `none`.
    public private(set) var exportCompression = "none"

    /// The config file's problem, if it could not be used (then none of its keys apply).
    public private(set) var configError: ConfigError?
    /// Environment values set aside: `TLM_KEEP_ROTATED='x' is not …: ignored`.
    public private(set) var environmentProblems: [String] = []
    // What is used instead of each, in step with environmentProblems ("" when
    // nothing is): `max_log_bytes from config.json: 1048576`.
    private var environmentUses: [String] = []

    // Where each key's value came from, in `ConfigKey.all`'s order: stored as
    // one field each rather than a collection (a collection of a new type costs
    // the Swift runtime a generic instantiation on every run's start).
    private var sourceBits: UInt64 = 0  // two bits per key

    /// Every problem, one sentence each, with what is used instead: `TLM_KEEP_ROTATED='x'
    /// is not …: ignored (using keep_rotated from config.json: 2)`.
    public var problems: [String] { problems(noting: nil) }

    /// `problems`, with `note` added to each (`tlm run`: `exit code unchanged`), and
    /// a config.json that cannot be used said to leave the defaults.
    public func problems(noting note: String?) -> [String] {
        // Nothing built on a run with no problem (the usual one).
        if configError == nil && environmentProblems.isEmpty { return [] }
        var out: [String] = []
        if let configError {
            out.append(configError.description + (note.map { " (using the defaults; \($0))" } ?? ""))
        }
        for (index, problem) in environmentProblems.enumerated() {
            let use = environmentUses[index]
            let parts = (use.isEmpty ? [] : ["using " + use]) + (note.map { [$0] } ?? [])
            out.append(parts.isEmpty ? problem : problem + " (" + parts.joined(separator: "; ") + ")")
        }
        return out
    }

    /// What `key` has now, and from where: `max_log_bytes from config.json: 1048576`,
    /// `the default: 16777216`.
    private func used(_ key: ConfigKey) -> String {
        let value = displayText(of: key).map { $0.isEmpty ? "none" : $0 } ?? "not set"
        return source(of: key) == .config ? "\(key.name) from config.json: \(value)" : "the default: \(value)"
    }

    /// Defaults only.
    public init() {}

    /// Reads `config.json` in `home` (if any) and the environment.
    public static func load(home: TelemetryHome?, environment: Environment) -> Settings {
        var settings = Settings()
        if let home {
            do {
                for (key, value) in try ConfigFile.load(home) { settings.apply(key, value, from: .config) }
            } catch {
                settings.configError = error
            }
        }
        for key in ConfigKey.all where key != .enabled {
            guard let text = environment[key.environment],
                !(text.isEmpty && key.kind != .words && key.kind != .programs && key.kind != .commands)
            else { continue }
            if let value = key.parse(text: text) {
                settings.apply(key, value, from: .environment)
            } else if key.isSecret {
                // Never the value of a secret: these lines reach CI logs on every run.
                settings.environmentProblems.append(
                    "\(key.environment) (value not shown) is not \(key.forms): nothing is exported until it is fixed")
                settings.environmentUses.append("")
            } else {
                let why: String
                switch key.kind {
                case .url: why = " " + HTTPURL.problem(text)
                case .commands: why = ": " + WrapList.problem(text)
                default: why = " is not \(key.forms)"
                }
                settings.environmentProblems.append("\(key.environment)='\(key.shown(text))'\(why): ignored")
                settings.environmentUses.append(settings.used(key))
            }
        }
        // TLM_TELEMETRY is the consent rules' (see Consent); shown here as enabled's override.
        if let text = environment["TLM_TELEMETRY"], let value = ConfigKey.enabled.parse(text: text) {
            settings.apply(.enabled, value, from: .environment)
        }
        return settings
    }

    /// Where `key`'s value came from.
    public func source(of key: ConfigKey) -> Source {
        guard let index = ConfigKey.all.firstIndex(of: key) else { return .defaultValue }
        switch (sourceBits >> (2 * UInt64(index))) & 3 {
        case 1: return .config
        case 2: return .environment
        default: return .defaultValue
        }
    }

    /// The effective value of `key` as text (`tlm config get`); nil for an unset `enabled`.
    public func text(of key: ConfigKey) -> String? {
        switch key.name {
        case "enabled": return enabled.map { $0 ? "true" : "false" }
        case "tracked_targets": return trackedTargets.joined(separator: ",")
        case "wrap": return wrap.joined(separator: ",")
        case "domain_key": return domainKey
        case "target_programs": return targetPrograms.joined(separator: ",")
        case "max_log_bytes": return String(maxLogBytes)
        case "keep_rotated": return String(keepRotated)
        case "trace_context": return traceContext ? "true" : "false"
        case "kill_after": return durationText(key, killAfter)
        case "retry_delay": return durationText(key, retryDelay)
        case "retry_max_delay": return durationText(key, retryMaxDelay)
        case "export.endpoint": return exportEndpoint ?? ""
        case "export.headers": return exportHeaders
        case "export.auto": return exportAuto ? "true" : "false"
        case "export.interval": return durationText(key, exportInterval)
        case "export.service_name": return serviceName
        case "export.protocol": return exportProtocol
        case "export.compression": return exportCompression
        default: return nil
        }
    }

    /// As `text(of:)`, but as `ConfigKey.shown` hides secrets (`Authorization=<hidden>`,
    /// `https://host/path?…`): what `tlm status` and `tlm config list` show.
    public func displayText(of key: ConfigKey) -> String? {
        text(of: key).map(key.shown)
    }

    private var durationTexts: [String] = []

    private func durationText(_ key: ConfigKey, _ nanoseconds: UInt64) -> String {
        if source(of: key) == .defaultValue { return key.defaultText ?? "" }
        return durationTexts.first { $0.hasPrefix(key.name + "=") }.map { String($0.dropFirst(key.name.count + 1)) }
            ?? DurationValue.text(nanoseconds: nanoseconds)
    }

    /// How `tlm run` names its events: `domain_key` and `target_programs`.
    public var naming: CommandNaming { CommandNaming(domainKey: domainKey, programEdits: targetPrograms) }

    /// Whether `target` is recorded: every target when `tracked_targets` is empty.
    public func tracks(_ target: String) -> Bool {
        trackedTargets.isEmpty || trackedTargets.contains(target)
    }

    mutating func apply(_ key: ConfigKey, _ value: ConfigValue, from source: Source) {
        switch value {
        case .bool(let flag):
            if key == .enabled {
                enabled = flag
                if source == .config { configEnabled = flag }
            } else if key == .traceContext {
                traceContext = flag
            } else if key == .exportAuto {
                exportAuto = flag
            }
        case .words(let words):
            switch key.name {
            case "wrap": wrap = words
            case "target_programs": targetPrograms = words
            default: trackedTargets = words
            }
        case .string(let text):
            switch key.name {
            case "export.endpoint": exportEndpoint = text.isEmpty ? nil : text
            case "export.headers": exportHeaders = text
            case "export.protocol": exportProtocol = text
            case "export.compression": exportCompression = text
            default: serviceName = text
            }
        case .name(let name): domainKey = name
        case .integer(let number):
            if key == .maxLogBytes { maxLogBytes = number } else { keepRotated = Int(number) }
        case .duration(let text, let nanoseconds):
            switch key.name {
            case "kill_after": killAfter = nanoseconds
            case "retry_delay": retryDelay = nanoseconds
            case "export.interval": exportInterval = nanoseconds
            default: retryMaxDelay = nanoseconds
            }
            durationTexts.removeAll { $0.hasPrefix(key.name + "=") }
            durationTexts.append(key.name + "=" + text)
        }
        guard let index = ConfigKey.all.firstIndex(of: key) else { return }
        let shift = 2 * UInt64(index)
        sourceBits = (sourceBits & ~(3 << shift)) | ((source == .config ? 1 : 2) << shift)
    }
}
