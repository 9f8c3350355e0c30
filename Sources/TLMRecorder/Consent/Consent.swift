/// The rule that decided whether tlm records, in the order they are tried.
public enum ConsentRule: String, Sendable, Equatable, CaseIterable {
    /// `DO_NOT_TRACK` is set to anything but empty or `0`: off, whatever else says.
    case doNotTrack = "DO_NOT_TRACK"
    /// `TLM_TELEMETRY=0` (or `false`, `no`, `off`): off.
    case environmentOff = "TLM_TELEMETRY=0"
    /// `TLM_TELEMETRY=1` (or `true`, `yes`, `on`): on, without a marker file.
    case environmentOn = "TLM_TELEMETRY=1"
    /// The `enabled` marker file exists (`tlm on`).
    case marker = "marker"
    /// Nothing says yes: off.
    case defaultOff = "default"
}

/// Whether tlm records, and why.
public struct ConsentDecision: Sendable, Equatable {
    /// Whether events are recorded.
    public let enabled: Bool
    /// The rule that decided.
    public let rule: ConsentRule
    /// A `TLM_TELEMETRY` value that was not understood and so ignored, if any.
    public let ignoredValue: String?

    /// One sentence saying what decided, for `tlm status`.
    public var explanation: String {
        switch rule {
        case .doNotTrack: return "DO_NOT_TRACK is set"
        case .environmentOff: return "TLM_TELEMETRY turns it off"
        case .environmentOn: return "TLM_TELEMETRY turns it on"
        case .marker: return "opted in with 'tlm on': the marker file exists"
        case .defaultOff: return "off by default; 'tlm on' opts in"
        }
    }
}

/// Decides whether tlm records: environment first, then the opt-in marker.
///
/// 1. `DO_NOT_TRACK` set, not empty, not `0`: off.
/// 2. `TLM_TELEMETRY=0`: off.  3. `TLM_TELEMETRY=1`: on.
/// 4. the `enabled` marker file: on.  5. otherwise: off.
public enum Consent {
    /// The decision for this environment; `markerExists` is asked only when the
    /// environment leaves the question open.
    public static func decide(_ environment: Environment, markerExists: () -> Bool) -> ConsentDecision {
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
        if markerExists() {
            return ConsentDecision(enabled: true, rule: .marker, ignoredValue: ignored)
        }
        return ConsentDecision(enabled: false, rule: .defaultOff, ignoredValue: ignored)
    }
}
