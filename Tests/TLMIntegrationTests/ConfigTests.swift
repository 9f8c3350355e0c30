import Glibc
import TLMCLI
import TLMRecorder
import TLMTestSupport
import Testing

/// `tlm config`, and what the settings change for `run`, `status`, `on` and `off`.
@Suite("tlm config and the settings")
struct ConfigTests {
    @Test("set, get, list, unset: typed values, 0600, sources named")
    func roundTrip() throws {
        let box = Sandbox()
        #expect(
            try box.tlm(["config", "set", "tracked_targets", "apply,sync"]).text == "tracked_targets = apply,sync\n")
        #expect(try box.tlm(["config", "set", "keep_rotated", "2"]).status == .exited(0))
        #expect(try box.tlm(["config", "get", "tracked_targets"]).text == "apply,sync\n")
        #expect(try box.tlm(["config", "get", "domain_key"]).text == "G\n")
        #expect(box.folder.mode("tlm-home/config.json") == 0o600)
        #expect(box.folder.mode("tlm-home") == 0o700)
        let list = try box.tlm(["config", "list"], environment: ["TLM_DOMAIN_KEY": "ENV"])
        #expect(list.status == .exited(0))
        let lines = list.text.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(lines.count == ConfigKey.all.count)
        #expect(
            lines.first { $0.first == "tracked_targets" }?.dropFirst().map(String.init) == [
                "apply,sync", "(config.json)",
            ])
        #expect(lines.first { $0.first == "domain_key" }?.dropFirst().map(String.init) == ["ENV", "(TLM_DOMAIN_KEY)"])
        #expect(lines.first { $0.first == "max_log_bytes" }?.dropFirst().map(String.init) == ["16777216", "(default)"])
        #expect(try box.tlm(["config", "unset", "keep_rotated"]).status == .exited(0))
        #expect(try box.tlm(["config", "get", "keep_rotated"]).text == "4\n")
        #expect(box.folder.text("tlm-home/config.json") == "{\n  \"tracked_targets\": [\"apply\", \"sync\"]\n}\n")
    }

    @Test(
        "an unknown key, a bad value or a bad action: one line naming the valid ones, exit 64",
        arguments: [
            (["config", "set", "nope", "1"], "unknown key 'nope': use one of enabled, tracked_targets"),
            (["config", "set", "keep_rotated", "1001"], "use a whole number from 0 to 1000"),
            (["config", "set", "enabled", "maybe"], "use true or false"),
            (["config", "set", "tracked_targets", "a/b"], "a comma-separated list of plain words"),
            (["config", "set", "kill_after", "soon"], "a duration"),
            (["config", "set", "target_programs", "+my tool"], "a comma-separated list of program names"),
            (["config", "set", "target_programs", "make,,git"], "-name to remove it"),
            (
                ["config", "set", "export.protocol", "grpc"],
                "export.protocol 'grpc' is not valid: use http/protobuf or http/json"
            ),
            (["config", "set", "export.compression", "br"], "export.compression 'br' is not valid: use gzip or none"),
            (["config", "get"], "use 'tlm config get KEY'"), (["config", "frob"], "unknown action 'frob'"),
            (["config"], "missing action"),
        ])
    func usage(arguments: [String], message: String) throws {
        let box = Sandbox()
        let run = try box.tlm(arguments)
        #expect(run.status == .exited(64))
        #expect(run.errorLines.count == 1)
        #expect(run.errorLines.first?.contains(message) == true, "\(run.errorLines)")
        #expect(!box.folder.exists("tlm-home/config.json"))
    }

    @Test("a corrupt config.json: config and status name line and column; run warns once, status unchanged")
    func corrupt() throws {
        let box = Sandbox()
        try box.on()
        let broken = "{\n  \"keep_rotated\": 2\n  \"domain_key\": \"ENV\"\n}\n"
        box.folder.write("tlm-home/config.json", broken)
        let list = try box.tlm(["config", "list"])
        #expect(list.status == .exited(1))
        #expect(list.errorText.contains("config.json: line 3, column 3: ',' or '}' was expected"))
        let set = try box.tlm(["config", "set", "keep_rotated", "3"])
        #expect(set.status == .exited(1))
        #expect(box.folder.text("tlm-home/config.json") == broken)  // never overwritten
        let status = try box.tlm(["status"])
        #expect(status.status == .exited(0))
        #expect(status.errorText.contains("line 3, column 3"))
        let run = try box.tlm(["run", "--", "sh", "-c", "exit 3", "ENV=web"])
        #expect(run.status == .exited(3))
        #expect(run.errorLines.count == 1)
        #expect(run.errorLines.first?.hasSuffix("(using the defaults; exit code unchanged)") == true)
        let event = try #require(box.events.first ?? nil)
        #expect(event.domain == nil)  // the default key, G, not the broken file's ENV
    }

    @Test("config.json's enabled decides over the marker; on and off keep it in step; the environment wins")
    func enabledKey() throws {
        let box = Sandbox()
        try box.on()
        try box.tlm(["config", "set", "enabled", "false"])
        try box.tlm(["run", "--", "true"])
        #expect(!box.logExists)
        #expect(try box.tlm(["status"]).text.contains("config.json sets enabled to false"))
        try box.tlm(["run", "--", "true"], environment: ["TLM_TELEMETRY": "1"])
        #expect(box.events.count == 1)
        let on = try box.tlm(["on"])
        #expect(on.text.contains("config.json: enabled set to true"))
        try box.tlm(["run", "--", "true"])
        #expect(box.events.count == 2)
        try box.tlm(["off"])
        #expect(try box.tlm(["config", "get", "enabled"]).text == "false\n")
        try box.tlm(["run", "--", "true"])
        #expect(box.events.count == 2)
    }

    @Test("tracked_targets: other targets run with no telemetry work at all")
    func tracked() throws {
        let box = Sandbox()
        try box.on()
        try box.tlm(["config", "set", "tracked_targets", "apply"])
        let untracked = try box.tlm(["run", "--", "sh", "-c", "printf %s \"$TRACEPARENT\""])
        #expect(untracked.text.isEmpty)
        #expect(!box.logExists)
        let tracked = try box.tlm(["run", "--target", "apply", "--", "sh", "-c", "printf %s \"$TRACEPARENT\""])
        #expect(!tracked.text.isEmpty)
        #expect(box.events.map { $0?.target } == ["apply"])
        // The environment overrides the key for one command: empty tracks everything.
        try box.tlm(["run", "--", "true"], environment: ["TLM_TRACKED_TARGETS": ""])
        #expect(box.events.map { $0?.target } == ["apply", "true"])
    }

    @Test("domain_key: the domain comes from another NAME=")
    func domainKey() throws {
        let box = Sandbox()
        try box.on()
        try box.tlm(["config", "set", "domain_key", "ENV"])
        try box.tlm(["run", "--", "sh", "-c", "true", "G=web", "ENV=prod"])
        #expect(box.events.first??.domain == "prod")
    }

    @Test("target_programs: programs added read their target, programs removed record their name")
    func targetPrograms() throws {
        let box = Sandbox()
        try box.on()
        let path = PrivacyTests.standIns(box, ["mytool", "just"])
        let set = try box.tlm(["config", "set", "target_programs", "+mytool,-just"])
        #expect(set.status == .exited(0), "\(set.errorText)")
        #expect(try box.tlm(["config", "get", "target_programs"]).text == "+mytool,-just\n")
        #expect(box.folder.text("tlm-home/config.json")?.contains(#""target_programs": ["+mytool", "-just"]"#) == true)
        try box.tlm(["run", "--", "mytool", "deploy"], environment: ["PATH": path])
        try box.tlm(["run", "--", "just", "deploy"], environment: ["PATH": path])
        // The environment overrides the key for one command (empty: the built-in list); --target still wins.
        try box.tlm(["run", "--", "just", "deploy"], environment: ["PATH": path, "TLM_TARGET_PROGRAMS": ""])
        try box.tlm(["run", "--target", "x", "--", "mytool", "deploy"], environment: ["PATH": path])
        #expect(box.events.map { $0?.target } == ["deploy", "just", "deploy", "x"])
        // A removal first in the list looks like an option: after `--`, it is a value.
        let dash = try box.tlm(["config", "set", "target_programs", "-just"])
        #expect(dash.status == .exited(64) && dash.errorText.contains("goes after '--'"), "\(dash.errorText)")
        #expect(try box.tlm(["config", "set", "target_programs", "--", "-just"]).status == .exited(0))
        #expect(try box.tlm(["config", "unset", "target_programs"]).text == "target_programs unset (default: none)\n")
    }

    @Test("configured defaults for run's options; the command line wins")
    func runDefaults() throws {
        let box = Sandbox()
        try box.on()
        try box.tlm(["config", "set", "retry_delay", "10ms"])
        try box.tlm(["config", "set", "trace_context", "false"])
        let run = try box.tlm(["run", "--retries", "1", "--", "sh", "-c", "printf %s \"$TRACEPARENT\"; exit 1"])
        #expect(run.errorLines.first?.hasSuffix("retry 1/1 in 0.0s") == true, "\(run.errorLines)")
        #expect(run.text.isEmpty)
        let slow = try box.start(["run", "--retries", "1", "--retry-delay", "30s", "--", "sh", "-c", "exit 1"])
        try slow.read(until: "retry 1/1 in ", fromStderr: true)
        #expect(!slow.errorText.contains("in 0.0s"))
        slow.signal(SIGTERM)
        try slow.finish()
    }

    @Test("TLM_DEBUG=1: run prints the decision and the event on stderr")
    func debug() throws {
        let box = Sandbox()
        try box.on()
        let run = try box.tlm(["run", "--", "sh", "-c", "exit 0"], environment: ["TLM_DEBUG": "1"])
        #expect(run.errorLines.count == 3)
        #expect(run.errorLines.first == "tlm: debug: telemetry on (opted in with 'tlm on': the marker file exists)")
        let event = run.errorLines.dropFirst().first
        #expect(event?.hasPrefix("tlm: debug: event {\"timestamp\":") == true)
        #expect(event.map { String($0.dropFirst("tlm: debug: event ".count)) } == box.logLines.first)
        #expect(run.errorLines.last == "tlm: debug: automatic export not started: export.auto is off")
        let off = try box.tlm(["run", "--", "true"], environment: ["TLM_DEBUG": "1", "DO_NOT_TRACK": "1"])
        #expect(off.errorLines == ["tlm: debug: telemetry off (DO_NOT_TRACK is set)"])
    }

    @Test("status shows every key, its value and its source; --json too")
    func status() throws {
        let box = Sandbox()
        try box.tlm(["config", "set", "keep_rotated", "7"])
        let text = try box.tlm(["status"], environment: ["TLM_MAX_LOG_BYTES": "1000"]).text
        let rows = text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.contains(["keep_rotated", "7", "(config.json)"]))
        #expect(rows.contains(["max_log_bytes", "1000", "(TLM_MAX_LOG_BYTES)"]))
        let json = try box.tlm(["status", "--json"]).text
        #expect(json.contains("\"keep_rotated\":{\"value\":\"7\",\"source\":\"config\"}"))
        #expect(json.contains("\"problems\":[]"))
    }

    @Test("bash completes config's actions and keys")
    func completion() throws {
        #expect(try ShippedFileTool.bashCompletions(["tlm", "config", ""]) == ["list", "get", "set", "unset"])
        #expect(try ShippedFileTool.bashCompletions(["tlm", "config", "set", ""]) == ConfigKey.all.map(\.name))
        #expect(try ShippedFileTool.bashCompletions(["tlm", "config", "set", "keep_rotated", ""]).isEmpty)
    }

    @Test("every key and its variable are in tlm help config, the README and the man page")
    func documented() throws {
        let help = try Sandbox().tlm(["help", "config"]).text
        let readme = try ShippedFile.text("README.md")
        let man = try ShippedFile.manText()
        for key in ConfigKey.all {
            #expect(help.contains("  \(key.name)  ") && help.contains(key.environment), "help lacks \(key.name)")
            #expect(
                readme.contains("`\(key.name)`") && readme.contains("`\(key.environment)"), "README lacks \(key.name)")
            #expect(man.contains(key.name), "man lacks \(key.name)")
            #expect(man.contains(key.environment), "man lacks \(key.environment)")
        }
    }
}
