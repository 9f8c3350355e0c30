import TLMTestSupport
import Testing

/// A project's test suite that calls wrapped commands does not fill the developer's log.
@Suite("quiet in test runners")
struct TestRunnerTests {
    let sandbox = Sandbox()

    @Test(
        "PYTEST_CURRENT_TEST or TEST_MODE=true: nothing recorded, status names the rule; TLM_TELEMETRY=1 records",
        arguments: [["PYTEST_CURRENT_TEST": "tests/test_build.py::test_make (call)"], ["TEST_MODE": "true"]])
    func quiet(runner: [String: String]) throws {
        try sandbox.on()
        let run = try sandbox.tlm(["run", "--", "sh", "-c", "exit 4"], environment: runner)
        #expect(run.status == .exited(4))
        #expect(run.errorText.isEmpty)
        #expect(!sandbox.logExists)
        let status = try sandbox.tlm(["status"], environment: runner)
        #expect(status.text.hasPrefix("telemetry off (inside a test runner (PYTEST_CURRENT_TEST or TEST_MODE=true)"))
        let json = try sandbox.tlm(["status", "--json"], environment: runner)
        #expect(json.text.contains("\"rule\":\"test_runner\""))
        let forced = try sandbox.tlm(
            ["run", "--", "true"], environment: runner.merging(["TLM_TELEMETRY": "1"]) { $1 })
        #expect(forced.status == .exited(0))
        #expect(sandbox.events.count == 1)
    }
}
