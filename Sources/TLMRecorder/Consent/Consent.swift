/// The rule that decided whether tlm records, in the order they are tried.
public enum ConsentRule: String, Sendable, Equatable, CaseIterable {
    /// `DO_NOT_TRACK` is set to anything but empty or `0`: off, whatever else says.
    case doNotTrack = "DO_NOT_TRACK"
    /// `TLM_TELEMETRY=0` (or `false`, `no`, `off`): off.
    case environmentOff = "TLM_TELEMETRY=0"
    /// `TLM_TELEMETRY=1` (or `true`, `yes`, `on`): on, without a marker file.
    case environmentOn = "TLM_TELEMETRY=1"
    /// Inside a test runner (`PYTEST_CURRENT_TEST` set, or `TEST_MODE=true`) and
    /// `TLM_TELEMETRY` not set: off, so that a project's test suite does not fill the log.
    case testRunner = "test_runner"
    /// `config.json` sets `enabled` (true or false), which then decides.
    case config = "config"
    /// The `enabled` marker file exists (`tlm on`).
    case marker = "marker"
    /// Nothing says yes: off.
    case defaultOff = "default"
    /// Telemetry is on, but `tracked_targets` does not list this run's target.
    case untracked = "tracked_targets"
}

/// Whether tlm records, and why.
public struct ConsentDecision: Sendable, Equatable {
    /// Whether events are recorded.
    public let enabled: Bool
    /// The rule that decided.
    public let rule: ConsentRule
    /// A `TLM_TELEMETRY` value that was not understood and so ignored, if any.
    public let ignoredValue: String?

    public init(enabled: Bool, rule: ConsentRule, ignoredValue: String?) {
        self.enabled = enabled
        self.rule = rule
        self.ignoredValue = ignoredValue
    }

    /// One sentence saying what decided, for `tlm status`.
    public var explanation: String {
        switch rule {
        case .doNotTrack: return "DO_NOT_TRACK is set"
        case .environmentOff: return "TLM_TELEMETRY turns it off"
        case .environmentOn: return "TLM_TELEMETRY turns it on"
        case .testRunner:
            return "inside a test runner (PYTEST_CURRENT_TEST or TEST_MODE=true); TLM_TELEMETRY=1 records anyway"
        case .config: return enabled ? "config.json sets enabled to true" : "config.json sets enabled to false"
        case .marker: return "opted in with 'tlm on': the marker file exists"
        case .defaultOff: return "off by default; 'tlm on' opts in"
        case .untracked: return "this target is not in tracked_targets"
        }
    }
}

/// Decides whether tlm records (SpecFact's order): the environment, then the
/// configuration, then the opt-in marker.
///
/// 1. `DO_NOT_TRACK` set, not empty, not `0`, or `TLM_TELEMETRY=0`: off.
/// 2. `TLM_TELEMETRY=1`: on.
/// 3. inside a test runner (`PYTEST_CURRENT_TEST` set and not empty, or
///    `TEST_MODE` `true`, `1` or `yes`), as SpecFact does: off.
/// 4. `config.json`'s `enabled`, when it is set.
/// 5. the `enabled` marker file: on.  6. otherwise: off.
public enum Consent {
    /// The decision for this environment; `configEnabled` is `config.json`'s
    /// `enabled` (nil when unset); `markerExists` is asked only when the
    /// environment and the configuration leave the question open.
    public static func decide(
        _ environment: Environment, configEnabled: Bool? = nil, markerExists: () -> Bool
    ) -> ConsentDecision {
        if let value = environment["DO_NOT_TRACK"], !value.isEmpty, value != "0" {
            return ConsentDecision(enabled: false, rule: .doNotTrack, ignoredValue: nil)
        }
        var ignored: String?
        if let value = environment["TLM_TELEMETRY"], !value.isEmpty {
            switch value.lowercased() {
            case "0", "false", "no", "off":
                return ConsentDecision(enabled: false, rule: .environmentOff, ignoredValue: nil)
            case "1", "true", "yes", "on":
                return ConsentDecision(enabled: true, rule: .environmentOn, ignoredValue: nil)
            default:
                ignored = value
            }
        }
        if isTestRunner(environment) {
            return ConsentDecision(enabled: false, rule: .testRunner, ignoredValue: ignored)
        }
        if let configEnabled {
            return ConsentDecision(enabled: configEnabled, rule: .config, ignoredValue: ignored)
        }
        if markerExists() {
            return ConsentDecision(enabled: true, rule: .marker, ignoredValue: ignored)
        }
        return ConsentDecision(enabled: false, rule: .defaultOff, ignoredValue: ignored)
    }

    /// Whether a test runner is running this process: pytest sets
    /// `PYTEST_CURRENT_TEST` for each test; `TEST_MODE=true` is SpecFact's switch.
    public static func isTestRunner(_ environment: Environment) -> Bool {
        if let test = environment["PYTEST_CURRENT_TEST"], !test.isEmpty { return true }
        guard let mode = environment["TEST_MODE"] else { return false }
        return ["true", "1", "yes"].contains(mode.lowercased())
    }
}
