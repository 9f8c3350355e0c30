import TLMTestSupport
import Testing

@testable import TLMRecorder

@Suite("JSON for config.json: values, and errors with their position")
struct JSONParserTests {
    static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test("values of every kind")
    func values() throws {
        let value = try Self.parse(
            #" { "a": [1, -2.5e3, true, false, null], "b": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "c": {} } "#)
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["a", "b", "c"])
        #expect(
            members[0].value == .array([.number("1", 1), .number("-2.5e3", -2500), .bool(true), .bool(false), .null]))
        #expect(members[1].value == .string("x\"\\/\u{08}\u{0C}\n\r\té😀"))
        #expect(members[2].value == .object([]))
    }

    @Test(
        "errors name the line and column",
        arguments: [
            ("{\"a\": tru}", 1, 7, "'true' was expected"),
            ("{\n  \"a\": 1\n  \"b\": 2\n}", 3, 3, "',' or '}' was expected"),
            ("{\"a\": 1,}", 1, 9, "a key in double quotes was expected"),
            ("{\"a\": 1, \"a\": 2}", 1, 10, "the key \"a\" appears twice"),
            ("", 1, 1, "a value was expected, not the end of the file"),
            ("{\"é\": x}", 1, 7, "a value was expected (a string, number, true, false, null, [ or {)"),
            ("[1, 2", 1, 6, "']' was expected, not the end of the file"),
            ("{} x", 1, 4, "unexpected text after the JSON value"),
            ("\"a\nb\"", 1, 3, "a control character must be escaped in a string"),
            ("01", 1, 2, "unexpected text after the JSON value"),
            ("1e999", 1, 1, "the number is out of range"),
            ("\"\\ud800\"", 1, 8, "a lone surrogate in \\u escape"),
            ("\"\\q\"", 1, 2, "an unknown escape in a string"),
        ] as [(String, Int, Int, String)])
    func errors(text: String, line: Int, column: Int, message: String) {
        #expect(throws: JSONSyntaxError(line: line, column: column, message: message)) { try Self.parse(text) }
    }

    @Test("deep nesting is an error, not a crash")
    func deep() {
        #expect(throws: JSONSyntaxError.self) { try Self.parse(String(repeating: "[", count: 100_000)) }
    }

    @Test("random bytes never crash the parser")
    func fuzz() {
        var random = SystemRandomNumberGenerator()
        let pieces = Array("{}[]\",:0123456789.eE+-truefalsn \\u\n".utf8) + [0xC3, 0xA9, 0xFF]
        for _ in 0..<20_000 {
            let length = Int.random(in: 0..<24, using: &random)
            let bytes = (0..<length).map { _ in pieces.randomElement(using: &random)! }
            _ = try? JSONParser.parse(bytes)
        }
    }
}

@Suite("Settings: defaults, config.json, environment")
struct SettingsTests {
    func home(_ config: String?) -> (TemporaryFolder, TelemetryHome) {
        let folder = TemporaryFolder()
        if let config { folder.write("config.json", config) }
        return (folder, TelemetryHome(folder: folder.path))
    }

    @Test("defaults without a config.json")
    func defaults() {
        let (folder, home) = home(nil)
        let settings = Settings.load(home: home, environment: Environment([:]))
        #expect(settings.problems.isEmpty)
        #expect(settings.enabled == nil && settings.configEnabled == nil)
        #expect(settings.trackedTargets.isEmpty && settings.tracks("anything"))
        #expect(settings.domainKey == "G")
        #expect(settings.maxLogBytes == 16_777_216 && settings.keepRotated == 4)
        #expect(settings.traceContext && settings.killAfter == 10_000_000_000)
        for key in ConfigKey.all { #expect(settings.source(of: key) == .defaultValue) }
        #expect(settings.text(of: .killAfter) == "10s")
        withExtendedLifetime(folder) {}
    }

    @Test("config.json over the defaults, the environment over config.json")
    func layers() {
        let (folder, home) = home(
            #"{"enabled": false, "tracked_targets": ["apply", "sync"], "domain_key": "ENV", "keep_rotated": 2, "kill_after": "3s"}"#
        )
        let settings = Settings.load(
            home: home,
            environment: Environment(["TLM_KEEP_ROTATED": "9", "TLM_TRACKED_TARGETS": "", "TLM_KILL_AFTER": "1m"]))
        #expect(settings.problems.isEmpty)
        #expect(settings.configEnabled == false)
        #expect(settings.source(of: .enabled) == .config)
        #expect(settings.trackedTargets.isEmpty && settings.source(of: .trackedTargets) == .environment)
        #expect(settings.domainKey == "ENV" && settings.source(of: .domainKey) == .config)
        #expect(settings.keepRotated == 9 && settings.source(of: .keepRotated) == .environment)
        #expect(settings.killAfter == 60_000_000_000 && settings.text(of: .killAfter) == "1m")
        #expect(settings.maxLogBytes == 16_777_216 && settings.source(of: .maxLogBytes) == .defaultValue)
        withExtendedLifetime(folder) {}
    }

    @Test("target_programs from config.json, and the environment over it, make the naming")
    func targetPrograms() {
        let (folder, home) = home(#"{"target_programs": ["+mytool", "-git"]}"#)
        let settings = Settings.load(home: home, environment: Environment([:]))
        #expect(settings.problems.isEmpty && settings.text(of: .targetPrograms) == "+mytool,-git")
        #expect(settings.naming.target(["mytool", "deploy"]) == "deploy")
        #expect(settings.naming.target(["git", "status"]) == "git")
        let overridden = Settings.load(home: home, environment: Environment(["TLM_TARGET_PROGRAMS": ""]))
        #expect(overridden.source(of: .targetPrograms) == .environment)
        #expect(overridden.naming.target(["git", "status"]) == "status")
        #expect(overridden.naming.target(["mytool", "deploy"]) == "mytool")
        withExtendedLifetime(folder) {}
    }

    @Test(
        "a config.json that cannot be used sets nothing and is named with its problem",
        arguments: [
            ("{\"keep_rotated\": 2,}", "line 1, column 20"), ("[1]", "a JSON object"),
            ("{\"nope\": 1}", "unknown key 'nope'"), ("{\"keep_rotated\": \"2\"}", "'keep_rotated' must be"),
            ("{\"keep_rotated\": 2.5}", "'keep_rotated' must be"), ("{\"tracked_targets\": [\"a b\"]}", "plain words"),
            ("{\"domain_key\": \"G=\"}", "'domain_key' must be"), ("{\"kill_after\": \"soon\"}", "duration"),
            ("{\"target_programs\": [\"+my tool\"]}", "'target_programs' must be a list of program names"),
            ("{\"target_programs\": \"+mytool\"}", "'target_programs' must be"),
        ])
    func unusable(text: String, message: String) {
        let (folder, home) = home(text)
        let settings = Settings.load(home: home, environment: Environment([:]))
        #expect(settings.keepRotated == 4 && settings.trackedTargets.isEmpty && settings.domainKey == "G")
        #expect(settings.problems.count == 1)
        #expect(settings.problems.first?.contains(message) == true, "\(settings.problems)")
        #expect(settings.problems.first?.hasPrefix(folder.path + "/config.json: ") == true)
    }

    @Test("an environment value that is not one of the key's forms is ignored and named")
    func badEnvironment() {
        let (folder, home) = home(#"{"keep_rotated": 2}"#)
        let settings = Settings.load(home: home, environment: Environment(["TLM_KEEP_ROTATED": "many"]))
        #expect(settings.keepRotated == 2 && settings.source(of: .keepRotated) == .config)
        #expect(
            settings.problems == [
                "TLM_KEEP_ROTATED='many' is not a whole number from 0 to 1000: ignored"
                    + " (using keep_rotated from config.json: 2)"
            ])
        withExtendedLifetime(folder) {}
    }

    @Test("a bad environment value says what is used instead: config.json's value, or the default")
    func whatIsUsed() {
        let (folder, home) = home(#"{"max_log_bytes": 1048576}"#)
        let bad = Environment(["TLM_MAX_LOG_BYTES": "abc", "TLM_KILL_AFTER": "soon", "TLM_EXPORT_ENDPOINT": "ftp://x"])
        let settings = Settings.load(home: home, environment: bad)
        #expect(settings.maxLogBytes == 1_048_576 && settings.killAfter == 10_000_000_000)
        #expect(
            settings.problems == [
                "TLM_MAX_LOG_BYTES='abc' is not a whole number from 1 to 1099511627776: ignored"
                    + " (using max_log_bytes from config.json: 1048576)",
                "TLM_KILL_AFTER='soon' is not a duration: \(DurationValue.forms): ignored (using the default: 10s)",
                "TLM_EXPORT_ENDPOINT='ftp://x' \(HTTPURL.problem("ftp://x")): ignored (using the default: none)",
            ])
        // tlm run adds its note to the same parenthesis.
        #expect(
            settings.problems(noting: "exit code unchanged").first
                == "TLM_MAX_LOG_BYTES='abc' is not a whole number from 1 to 1099511627776: ignored"
                + " (using max_log_bytes from config.json: 1048576; exit code unchanged)")
        let defaults = Settings.load(home: nil, environment: Environment(["TLM_MAX_LOG_BYTES": "-5"]))
        #expect(
            defaults.problems == [
                "TLM_MAX_LOG_BYTES='-5' is not a whole number from 1 to 1099511627776: ignored"
                    + " (using the default: 16777216)"
            ])
        // A config.json that cannot be used: its own message, and the defaults for tlm run.
        let (brokenFolder, broken) = self.home("{")
        let problems = Settings.load(home: broken, environment: Environment([:])).problems(
            noting: "exit code unchanged")
        #expect(problems.count == 1 && problems[0].hasSuffix(" (using the defaults; exit code unchanged)"))
        withExtendedLifetime((folder, brokenFolder)) {}
    }

    @Test(
        "wrap: one rule for config set, config.json, TLM_WRAP and shell-init --wrap",
        arguments: [
            ("make,terraform", true), ("g++", true), ("c++filt,python3.12,x_y", true), ("", true), ("a:b", false),
            ("tlm", false), ("cd", false), ("exec", false), ("eval", false), ("-x", false), (".x", false),
            ("a/b", false), ("a=b", false), ("'q'", false), ("__tlm_run", false), ("make,,git", false),
            ("make,", false), ("tlm-export", false),
        ])
    func wrapRule(text: String, accepted: Bool) {
        #expect((WrapList.parse(text) != nil) == accepted)
        #expect((ConfigKey.wrap.parse(text: text) != nil) == accepted)
        let settings = Settings.load(home: nil, environment: Environment(["TLM_WRAP": text]))
        #expect(settings.problems.isEmpty == accepted, "\(settings.problems)")
        let json =
            "["
            + text.split(separator: ",", omittingEmptySubsequences: false).map { "\"\($0)\"" }
            .joined(separator: ",") + "]"
        let (folder, home) = home(#"{"wrap": "# + (text.isEmpty ? "[]" : json) + "}")
        #expect((Settings.load(home: home, environment: Environment([:])).configError == nil) == accepted)
        withExtendedLifetime(folder) {}
    }

    @Test("wrap: the message names the first bad word and the rule")
    func wrapMessage() {
        #expect(WrapList.parse("g++,make") == ["g++", "make"])
        #expect(WrapList.problem("a:b,tlm,cd") == "'a:b' cannot be wrapped: \(WrapList.rule)")
        #expect(WrapList.problem("make,,git") == "an empty name cannot be wrapped: \(WrapList.rule)")
        #expect(
            WrapList.rule
                == "a command name is letters, digits and _ - . + (not first: - or .), not tlm or a shell keyword"
                + " or builtin (cd, exec, eval, ...); names are separated by commas")
        let (folder, home) = home(#"{"wrap": ["make"]}"#)
        let settings = Settings.load(home: home, environment: Environment(["TLM_WRAP": "make,cd"]))
        #expect(settings.wrap == ["make"])
        #expect(
            settings.problems == [
                "TLM_WRAP='make,cd': 'cd' cannot be wrapped: \(WrapList.rule): ignored (using wrap from config.json: make)"
            ])
        withExtendedLifetime(folder) {}
    }

    @Test("what config.json holds is what was set, in the keys' order")
    func encode() throws {
        let values: [(key: ConfigKey, value: ConfigValue)] = [
            (.keepRotated, .integer(3)), (.trackedTargets, .words(["a", "b"])), (.enabled, .bool(true)),
            (.retryDelay, .duration("2s", 2_000_000_000)),
        ]
        let text = ConfigFile.encode(values)
        #expect(
            text
                == "{\n  \"enabled\": true,\n  \"tracked_targets\": [\"a\", \"b\"],\n  \"keep_rotated\": 3,\n  \"retry_delay\": \"2s\"\n}\n"
        )
        let folder = TemporaryFolder()
        folder.write("config.json", text)
        let back = try ConfigFile.load(TelemetryHome(folder: folder.path))
        #expect(back.map(\.key.name) == ["enabled", "tracked_targets", "keep_rotated", "retry_delay"])
    }
}

@Suite("Consent precedence: environment, config.json, marker, default")
struct ConsentPrecedenceTests {
    @Test(
        "the first rule that applies decides",
        arguments: [
            // (DO_NOT_TRACK, TLM_TELEMETRY, config enabled, marker) → (enabled, rule)
            ("1", "1", true, true, false, ConsentRule.doNotTrack),
            (nil, "0", true, true, false, .environmentOff),
            (nil, "1", false, false, true, .environmentOn),
            (nil, nil, false, true, false, .config),
            (nil, nil, true, false, true, .config),
            (nil, nil, nil, true, true, .marker),
            (nil, nil, nil, false, false, .defaultOff),
            ("0", nil, nil, true, true, .marker),
            ("", nil, false, true, false, .config),
            (nil, "maybe", nil, true, true, .marker),
        ] as [(String?, String?, Bool?, Bool, Bool, ConsentRule)])
    func precedence(
        doNotTrack: String?, telemetry: String?, config: Bool?, marker: Bool, enabled: Bool, rule: ConsentRule
    ) {
        var variables: [String: String] = [:]
        if let doNotTrack { variables["DO_NOT_TRACK"] = doNotTrack }
        if let telemetry { variables["TLM_TELEMETRY"] = telemetry }
        let decision = Consent.decide(Environment(variables), configEnabled: config) { marker }
        #expect(decision.enabled == enabled)
        #expect(decision.rule == rule)
    }
}

@Suite("Durations as messages print them")
struct DurationTextTests {
    @Test(
        "tenths under a minute, seconds under an hour, minutes rounded beyond",
        arguments: [
            (1_400_000_000, "1.4s"), (59_940_000_000, "59.9s"), (90_000_000_000, "1m30s"),
            (3_599_000_000_000, "59m59s"), (9_090_000_000_000, "2h32m"),  // 9090s: found by fuzzing (was 2h31m)
            (9_089_000_000_000, "2h31m"), (86_400_000_000_000, "24h00m"),
        ] as [(UInt64, String)])
    func text(nanoseconds: UInt64, expected: String) {
        #expect(DurationValue.text(nanoseconds: nanoseconds) == expected)
        #expect(DurationValue.nanoseconds(expected) != nil)
    }
}
