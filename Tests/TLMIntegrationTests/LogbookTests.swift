import Foundation
import Glibc
import TLMRecorder
import TLMTestSupport
import Testing

/// `tlm run --logbook FILE`: one JSON report per run, checked against its
/// documented JSON Schema by an independent validator (Python's jsonschema).
@Suite("tlm run --logbook")
struct LogbookTests {
    static let schema = ShippedFile.path("Sources/TLMRecorder/Logbook/logbook-v1.schema.json")

    /// Validates `document` against the schema; returns the validator's complaint, or nil when valid.
    static func complaint(_ document: String) throws -> String? {
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(json.loads(sys.argv[2]))]
            print("; ".join(errors))
            """
        let run = try ShippedFileTool.run("python3", ["-c", script, schema, document])
        guard run.status == .exited(0) else {
            throw ShippedFileTool.MissingTool(name: "python3 with jsonschema (\(run.errorText))")
        }
        let text = run.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("a successful run, telemetry off: the logbook is written anyway, valid, 0600, and nothing else")
    func success() throws {
        let box = Sandbox()
        let run = try box.tlm(["run", "--logbook", "run.json", "--", "make", "-f", "/dev/null", "-s", "G=web", "all"])
        #expect(run.stderr.isEmpty || run.status != .exited(0))
        let text = try #require(box.folder.text("run.json"))
        #expect(try Self.complaint(text) == nil)
        let logbook = try Self.object(text)
        let summary = try #require(logbook["summary"] as? [String: Any])
        #expect(summary["status"] as? String == (run.status == .exited(0) ? "success" : "failure"))
        #expect(summary["attempts"] as? Int == 1)
        let command = try #require(logbook["command"] as? [String: Any])
        #expect(command["name"] as? String == "make")
        #expect(command["target"] as? String == "all")
        #expect(command["domain"] as? String == "web")
        #expect(box.folder.mode("run.json") == 0o600)
        #expect(try box.folder.list(".").filter { $0.hasPrefix(".run.json") }.isEmpty)  // no temporary left
        #expect(!box.logExists)
    }

    @Test("retried until success: one entry per attempt, Ch-aOS's retry statistics")
    func retried() throws {
        let box = Sandbox()
        try box.on()
        let script = "n=$(( $(cat n 2>/dev/null || echo 0) + 1 )); echo $n > n; [ $n -ge 3 ]"
        let run = try box.tlm([
            "run", "--retries", "4", "--retry-delay", "10ms", "--quiet", "--logbook", "run.json", "--", "sh", "-c",
            script,
        ])
        #expect(run.status == .exited(0))
        let text = try #require(box.folder.text("run.json"))
        #expect(try Self.complaint(text) == nil)
        let logbook = try Self.object(text)
        let attempts = try #require(logbook["attempts"] as? [[String: Any]])
        #expect(attempts.map { $0["exit_code"] as? Int } == [1, 1, 0])
        #expect(attempts.map { $0["number"] as? Int } == [1, 2, 3])
        let statistics = try #require(logbook["retry_statistics"] as? [String: Any])
        #expect(statistics["retry_attempts"] as? Int == 2)
        #expect(statistics["max_retries"] as? Int == 4)
        #expect(statistics["was_retried"] as? Bool == true)
        #expect(statistics["retry_succeeded"] as? Bool == true)
        let summary = try #require(logbook["summary"] as? [String: Any])
        #expect(summary["status"] as? String == "success")
        // The same run as the event says.
        let event = try #require(box.events.first ?? nil)
        #expect(event.attempts == 3)
        #expect(summary["started_at"] as? String == event.timestamp.iso8601)
    }

    @Test(
        "a failure, a cancellation (died of TERM) and a death by another signal",
        arguments: [
            ("exit 3", "failure", 3, nil), ("kill -TERM $$", "cancelled", 143, "SIGTERM"),
            ("kill -SEGV $$", "failure", 139, "SIGSEGV"),
        ] as [(String, String, Int, String?)])
    func outcomes(script: String, status: String, exitCode: Int, signal: String?) throws {
        let box = Sandbox()
        try box.tlm(["run", "--logbook", "run.json", "--", "sh", "-c", script])
        let text = try #require(box.folder.text("run.json"))
        #expect(try Self.complaint(text) == nil)
        let summary = try #require(try Self.object(text)["summary"] as? [String: Any])
        #expect(summary["status"] as? String == status)
        #expect(summary["exit_code"] as? Int == exitCode)
        #expect(summary["signal"] as? String == signal)
    }

    @Test("a logbook that cannot be written: one warning, the command's status unchanged")
    func unwritable() throws {
        let box = Sandbox()
        try box.on()
        let run = try box.tlm(["run", "--logbook", "missing/run.json", "--", "sh", "-c", "exit 7"])
        #expect(run.status == .exited(7))
        #expect(run.errorLines.count == 1)
        #expect(run.errorLines.first?.contains("missing/run.json") == true)
        #expect(run.errorLines.first?.hasSuffix("(logbook skipped; exit code unchanged)") == true)
        #expect(box.events.count == 1)
    }

    @Test("an existing logbook is replaced whole")
    func replaced() throws {
        let box = Sandbox()
        box.folder.write("run.json", String(repeating: "old ", count: 10_000))
        try box.tlm(["run", "--logbook", "run.json", "--", "true"])
        let text = try #require(box.folder.text("run.json"))
        #expect(!text.contains("old"))
        #expect(try Self.complaint(text) == nil)
    }

    @Test("no argument, path, user or host name reaches the logbook")
    func privacy() throws {
        let box = Sandbox()
        let run = try box.tlm([
            "run", "--logbook", "run.json", "--", "sh", "-c", "exit 0", "CANARY=ARG", "/home/CANARYPATH",
        ])
        #expect(run.status == .exited(0))
        let text = try #require(box.folder.text("run.json"))
        #expect(!text.contains("CANARY") && !text.contains("exit 0") && !text.contains(box.folder.path))
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        let hostName = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #expect(!text.contains("\"\(hostName)\""))
    }

    @Test("the schema is real: it refuses an extra key, a wrong status, a missing field")
    func schemaRefuses() throws {
        let box = Sandbox()
        try box.tlm(["run", "--logbook", "run.json", "--", "true"])
        let text = try #require(box.folder.text("run.json"))
        #expect(try Self.complaint(text) == nil)
        #expect(
            try Self.complaint(
                text.replacingOccurrences(
                    of: "\"schema_version\": 1,", with: "\"schema_version\": 1, \"host_name\": \"x\",")) != nil)
        #expect(
            try Self.complaint(text.replacingOccurrences(of: "\"status\": \"success\"", with: "\"status\": \"ok\""))
                != nil)
        #expect(try Self.complaint(text.replacingOccurrences(of: "\"timed_out\": false, ", with: "")) != nil)
    }
}
