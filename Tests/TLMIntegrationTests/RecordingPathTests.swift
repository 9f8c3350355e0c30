import TLMRecorder
import TLMTestSupport
import Testing

/// `tlm run` and `tlm log` record by one path (`Recorder.prepare`): over one
/// table of consent cases, each records exactly when the rules say, and
/// neither when the other would not.
@Suite("One recording path: tlm run and tlm log")
struct RecordingPathTests {
    /// One consent case: how the sandbox is set up, the run's target, and
    /// whether the rules say that the run is recorded.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// `tlm on` first.
        var marker = false
        /// `tlm config set KEY VALUE`, in order.
        var config: [(String, String)] = []
        var environment: [String: String] = [:]
        var target = "apply"
        let recorded: Bool

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "opted in with the marker", marker: true, recorded: true),
        Case(name: "nothing says yes", recorded: false),
        Case(name: "TLM_TELEMETRY=1 without a marker", environment: ["TLM_TELEMETRY": "1"], recorded: true),
        Case(
            name: "TLM_TELEMETRY=0 over the marker", marker: true, environment: ["TLM_TELEMETRY": "0"],
            recorded: false),
        Case(name: "DO_NOT_TRACK over the marker", marker: true, environment: ["DO_NOT_TRACK": "1"], recorded: false),
        Case(
            name: "DO_NOT_TRACK over TLM_TELEMETRY=1", environment: ["DO_NOT_TRACK": "1", "TLM_TELEMETRY": "1"],
            recorded: false),
        Case(
            name: "inside a test runner", marker: true, environment: ["PYTEST_CURRENT_TEST": "t.py::t (call)"],
            recorded: false),
        Case(
            name: "config enabled false over the marker", marker: true, config: [("enabled", "false")],
            recorded: false),
        Case(name: "config enabled true without a marker", config: [("enabled", "true")], recorded: true),
        Case(
            name: "tracked_targets lists the target", marker: true, config: [("tracked_targets", "apply")],
            recorded: true),
        Case(
            name: "tracked_targets leaves the target out", marker: true, config: [("tracked_targets", "apply")],
            target: "other", recorded: false),
        Case(
            name: "TLM_TRACKED_TARGETS leaves the target out", marker: true,
            environment: ["TLM_TRACKED_TARGETS": "apply,sync"], target: "other", recorded: false),
        Case(
            name: "tracked_targets over TLM_TELEMETRY=1", config: [("tracked_targets", "apply")],
            environment: ["TLM_TELEMETRY": "1"], target: "other", recorded: false),
        Case(
            name: "an empty TLM_TRACKED_TARGETS tracks every target", marker: true,
            config: [("tracked_targets", "apply")], environment: ["TLM_TRACKED_TARGETS": ""], target: "other",
            recorded: true),
    ]

    /// A sandbox set up as `rule` says.
    static func sandbox(_ rule: Case) throws -> Sandbox {
        let box = Sandbox()
        if rule.marker { try box.on() }
        for (key, value) in rule.config {
            let set = try box.tlm(["config", "set", key, value])
            precondition(set.status == .exited(0), "tlm config set failed: \(set.errorText)")
        }
        return box
    }

    @Test("tlm run records exactly when the rules say", arguments: cases)
    func run(rule: Case) throws {
        let box = try Self.sandbox(rule)
        let run = try box.tlm(["run", "--target", rule.target, "--", "true"], environment: rule.environment)
        #expect(run.status == .exited(0))
        #expect(run.stderr.isEmpty, "\(run.errorLines)")
        #expect(box.logLines.count == (rule.recorded ? 1 : 0))
        if rule.recorded { #expect(box.events.first??.target == rule.target) }
    }

    @Test("tlm log records exactly when the rules say", arguments: cases)
    func log(rule: Case) throws {
        let box = try Self.sandbox(rule)
        let log = try box.tlm(
            ["log", "--target", rule.target, "--duration", "1.5", "--exit-code", "0"], environment: rule.environment)
        #expect(log.status == .exited(0))
        #expect(log.stderr.isEmpty, "\(log.errorLines)")
        #expect(box.logLines.count == (rule.recorded ? 1 : 0))
        if rule.recorded { #expect(box.events.first??.target == rule.target) }
    }
}
