import TLMRecorder
import TLMTestSupport
import Testing

/// Issue 17, "one rule per setting": `config set wrap`, `shell-init --wrap`
/// and `TLM_WRAP` take the same names; a bad environment value says what is
/// used instead; a report filter that matches nothing is one line.
@Suite("One rule per setting, through the binary")
struct SettingRuleTests {
    static let rule = WrapList.rule

    @Test("config set wrap refuses what shell-init could not wrap: the bad word and the rule, exit 64")
    func configSetWrap() throws {
        let box = Sandbox()
        let refused = try box.tlm(["config", "set", "wrap", "a:b,tlm,cd"])
        #expect(refused.status == .exited(64))
        #expect(
            refused.errorText
                == "tlm config: wrap 'a:b,tlm,cd': 'a:b' cannot be wrapped: \(Self.rule) (try 'tlm config --help')\n")
        #expect(refused.text.isEmpty)
        for (value, bad) in [("make,cd", "cd"), ("tlm", "tlm"), ("a/b", "a/b"), ("x=y", "x=y")] {
            let result = try box.tlm(["config", "set", "wrap", value])
            #expect(result.status == .exited(64))
            #expect(result.errorText.contains(": '\(bad)' cannot be wrapped: "), "\(result.errorText)")
        }
        // g++ was refused by config set and taken by --wrap: now both take it, and shell-init wraps it.
        let set = try box.tlm(["config", "set", "wrap", "g++,make"])
        #expect(set.status == .exited(0) && set.text == "wrap = g++,make\n")
        let code = try box.tlm(["shell-init", "bash"])
        #expect(code.status == .exited(0) && code.errorText.isEmpty)
        #expect(code.text.contains("run g++ make through 'tlm run --'"), "\(code.text)")
    }

    @Test("a wrap in config.json that the rule refuses: named with the rule; config set and unset wrap repair it")
    func repair() throws {
        let box = Sandbox()
        try box.on()  // the data folder
        let written = "{\n  \"keep_rotated\": 2,\n  \"wrap\": [\"a:b\"]\n}\n"
        box.folder.write("tlm-home/config.json", written)
        let list = try box.tlm(["config", "list"])
        #expect(list.status == .exited(1))
        #expect(
            list.errorText.hasSuffix(
                "config.json: 'wrap' must be a list of command names, like [\"make\", \"terraform\"] (\(Self.rule))\n"),
            "\(list.errorText)")
        // Another key cannot be set while the file cannot be used: it is never overwritten.
        #expect(try box.tlm(["config", "set", "keep_rotated", "3"]).status == .exited(1))
        #expect(box.folder.text("tlm-home/config.json") == written)
        let set = try box.tlm(["config", "set", "wrap", "make"])
        #expect(set.status == .exited(0) && set.text == "wrap = make\n")
        #expect(box.folder.text("tlm-home/config.json") == "{\n  \"keep_rotated\": 2,\n  \"wrap\": [\"make\"]\n}\n")
        box.folder.write("tlm-home/config.json", written)
        let unset = try box.tlm(["config", "unset", "wrap"])
        #expect(unset.status == .exited(0) && unset.text == "wrap unset (default: none)\n")
        #expect(box.folder.text("tlm-home/config.json") == "{\n  \"keep_rotated\": 2\n}\n")
    }

    @Test("shell-init --wrap: the same rule and message, exit 64")
    func wrapOption() throws {
        let box = Sandbox()
        let refused = try box.tlm(["shell-init", "bash", "--wrap", "make,a:b"])
        #expect(refused.status == .exited(64))
        #expect(
            refused.errorText
                == "tlm shell-init: --wrap 'make,a:b': 'a:b' cannot be wrapped: \(Self.rule)"
                + " (try 'tlm shell-init --help')\n")
        #expect(try box.tlm(["shell-init", "zsh", "--wrap", "g++"]).status == .exited(0))
    }

    @Test("TLM_WRAP: a bad value is a warning and ignored, the wrap key used instead")
    func wrapEnvironment() throws {
        let box = Sandbox()
        try box.tlm(["config", "set", "wrap", "make"])
        let result = try box.tlm(["shell-init", "fish"], environment: ["TLM_WRAP": "cd,make"])
        #expect(result.status == .exited(0))
        #expect(
            result.errorText
                == "tlm: TLM_WRAP='cd,make': 'cd' cannot be wrapped: \(Self.rule): ignored"
                + " (using wrap from config.json: make)\n")
        #expect(result.text.contains("run make through 'tlm run --'"))
        let good = try box.tlm(["shell-init", "bash"], environment: ["TLM_WRAP": "g++"])
        #expect(good.errorText.isEmpty && good.text.contains("run g++ through"))
    }

    @Test("a bad TLM_MAX_LOG_BYTES: run says it uses config.json's value, not 'the defaults'")
    func environmentOverride() throws {
        let box = Sandbox()
        try box.on()
        try box.tlm(["config", "set", "max_log_bytes", "1048576"])
        let run = try box.tlm(["run", "--", "true"], environment: ["TLM_MAX_LOG_BYTES": "abc"])
        #expect(run.status == .exited(0))
        #expect(
            run.errorText
                == "tlm: TLM_MAX_LOG_BYTES='abc' is not a whole number from 1 to 1099511627776: ignored"
                + " (using max_log_bytes from config.json: 1048576; exit code unchanged)\n")
        try box.tlm(["config", "unset", "max_log_bytes"])
        let status = try box.tlm(["status"], environment: ["TLM_KEEP_ROTATED": "many"])
        #expect(
            status.errorText.contains(
                "tlm: TLM_KEEP_ROTATED='many' is not a whole number from 0 to 1000: ignored (using the default: 4)\n"),
            "\(status.errorText)")
    }

    @Test("report: a filter that matches nothing is one line; CSV adds the groups beyond --top up")
    func report() throws {
        let box = Sandbox()
        try box.on()
        for target in ["a", "b", "c"] { try box.tlm(["run", "--target", target, "--", "true"]) }
        let none = try box.tlm(["report", "--target", "nosuch"], environment: ["COLUMNS": "80"])
        #expect(none.status == .exited(0))
        #expect(none.text == "no runs match: target nosuch\n")
        let csv = try box.tlm(["report", "--format", "csv", "--top", "1"])
        let rows = csv.text.split(separator: "\n")
        #expect(rows.count == 3 && rows.last?.hasPrefix("(2 more),2,2,0,0,") == true, "\(csv.text)")
    }
}
