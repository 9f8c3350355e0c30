import Testing

@testable import TLMRecorder

@Suite("Opt-in precedence")
struct ConsentTests {
    @Test(
        "environment over marker over default",
        arguments: [
            ([:], false, false, ConsentRule.defaultOff),
            ([:], true, true, .marker),
            (["TLM_TELEMETRY": "1"], false, true, .environmentOn),
            (["TLM_TELEMETRY": "true"], false, true, .environmentOn),
            (["TLM_TELEMETRY": "0"], true, false, .environmentOff),
            (["TLM_TELEMETRY": "OFF"], true, false, .environmentOff),
            (["DO_NOT_TRACK": "1"], true, false, .doNotTrack),
            (["DO_NOT_TRACK": "1", "TLM_TELEMETRY": "1"], true, false, .doNotTrack),
            (["DO_NOT_TRACK": "true"], true, false, .doNotTrack),
            (["DO_NOT_TRACK": "0"], true, true, .marker),
            (["DO_NOT_TRACK": ""], true, true, .marker),
            (["DO_NOT_TRACK": "0", "TLM_TELEMETRY": "1"], false, true, .environmentOn),
            (["TLM_TELEMETRY": ""], true, true, .marker),
            (["TLM_TELEMETRY": "maybe"], false, false, .defaultOff),
            (["PYTEST_CURRENT_TEST": "tests/test_a.py::test_b (call)"], true, false, .testRunner),
            (["TEST_MODE": "true"], true, false, .testRunner),
            (["TEST_MODE": "TRUE"], true, false, .testRunner),
            (["TEST_MODE": "false"], true, true, .marker),
            (["PYTEST_CURRENT_TEST": ""], true, true, .marker),
            (["PYTEST_CURRENT_TEST": "t", "TLM_TELEMETRY": "1"], false, true, .environmentOn),
            (["TEST_MODE": "true", "TLM_TELEMETRY": "maybe"], true, false, .testRunner),
            (["TEST_MODE": "true", "DO_NOT_TRACK": "1"], true, false, .doNotTrack),
        ] as [([String: String], Bool, Bool, ConsentRule)])
    func precedence(environment: [String: String], marker: Bool, enabled: Bool, rule: ConsentRule) {
        let decision = Consent.decide(Environment(environment)) { marker }
        #expect(decision.enabled == enabled)
        #expect(decision.rule == rule)
    }

    @Test("a value it does not understand is reported, not guessed")
    func ignoredValue() {
        let decision = Consent.decide(Environment(["TLM_TELEMETRY": "maybe"])) { true }
        #expect(decision.ignoredValue == "maybe")
        #expect(decision.rule == .marker)
    }

    @Test("the environment decides without looking at the marker")
    func markerNotConsulted() {
        var asked = false
        _ = Consent.decide(Environment(["TLM_TELEMETRY": "1"])) {
            asked = true
            return false
        }
        #expect(!asked)
    }

    @Test(
        "where data lives",
        arguments: [
            (["TLM_HOME": "/t/h", "XDG_STATE_HOME": "/x", "HOME": "/h"], "/t/h"),
            (["TLM_HOME": "/t/h/", "HOME": "/h"], "/t/h"),
            (["XDG_STATE_HOME": "/x", "HOME": "/h"], "/x/tlm"),
            (["XDG_STATE_HOME": "relative", "HOME": "/h"], "/h/.local/state/tlm"),
            (["TLM_HOME": "", "HOME": "/h"], "/h/.local/state/tlm"),
            (["HOME": "/h"], "/h/.local/state/tlm"),
        ])
    func home(environment: [String: String], folder: String) throws {
        let home = try TelemetryHome.resolve(Environment(environment))
        #expect(home.folder == folder)
        #expect(home.logPath == folder + "/usage.jsonl")
        #expect(home.markerPath == folder + "/enabled")
    }

    @Test("no home at all is an error that says what to set")
    func noHome() {
        #expect(throws: RecorderError.noHomeFolder) { try TelemetryHome.resolve(Environment([:])) }
        #expect(RecorderError.noHomeFolder.description.contains("TLM_HOME"))
    }

    @Test("a relative TLM_HOME is an error: the data would follow the working folder")
    func relativeHome() {
        #expect(throws: RecorderError.relativeHome("data")) {
            try TelemetryHome.resolve(Environment(["TLM_HOME": "data", "HOME": "/h"]))
        }
        #expect(RecorderError.relativeHome("data").description == "TLM_HOME must be an absolute path, not 'data'")
    }
}

@Suite("Quiet in test runners")
struct TestRunnerConsentTests {
    @Test("a test runner outranks config.json and the marker, not TLM_TELEMETRY=1")
    func outranksConfig() {
        let runner = Environment(["TEST_MODE": "true"])
        #expect(Consent.decide(runner, configEnabled: true) { true }.rule == .testRunner)
        #expect(!Consent.decide(runner, configEnabled: true) { true }.enabled)
        let forced = Environment(["TEST_MODE": "true", "TLM_TELEMETRY": "1"])
        #expect(Consent.decide(forced, configEnabled: false) { false }.enabled)
    }
}
