import TLMRecorder
import TLMTestSupport
import Testing

/// The lists the man page (and README.md where it has them) spells out, held
/// against the code they describe: `tlm status --json`'s keys, the consent
/// rules, the configuration keys; and the shell-init undo line README gives.
@Suite("Man page and README: the lists the code defines")
struct ManPageTests {
    /// The paragraph that describes `status --json` in SUBCOMMANDS: from its
    /// `.B --json` tag to the next tag.
    static func statusJSONEntry() throws -> String {
        let entry = try #require(try ShippedFile.manSubcommandEntries()["status"], "man/tlm.1 has no status entry")
        let lines = entry.split(separator: "\n")
        let start = try #require(lines.firstIndex(of: ".B --json"), "the status entry has no '.B --json' tag")
        let rest = lines[(start + 1)...]
        return rest.prefix { !$0.hasPrefix(".TP") }.joined(separator: "\n")
    }

    /// The top-level keys of a real `tlm status --json`, in order.
    static func statusKeys() throws -> [String] {
        let status = try Sandbox().tlm(["status", "--json"])
        #expect(status.status == .exited(0), "tlm status --json: \(status.errorText)")
        guard case .object(let members) = try JSONParser.parse(Array(status.text.utf8)) else {
            Issue.record("tlm status --json printed no object: \(status.text)")
            return []
        }
        return members.map(\.key)
    }

    @Test("the man page names every key tlm status --json prints")
    func statusJSONKeys() throws {
        let keys = try Self.statusKeys()
        #expect(keys.count >= 14 && keys.contains("problems"), "\(keys)")
        let entry = try Self.statusJSONEntry()
        let missing = keys.filter { !entry.containsToken($0) }
        #expect(missing.isEmpty, "status --json in man/tlm.1 lacks \(missing)")
    }

    @Test("the man page's status --json 'rule' names every rule status can print")
    func statusJSONRules() throws {
        let entry = try Self.statusJSONEntry()
        // The rule names, between `.B rule` and the next key, `reason`.
        let start = try #require(entry.range(of: "\n.B rule\n"), "no '.B rule' in status --json")
        let end = try #require(entry.range(of: ".BR reason ,"), "no '.BR reason ,' in status --json")
        let list = entry[start.upperBound..<end.lowerBound]
        // `tracked_targets` is decided per run: status has no run, and never prints it.
        let printed = ConsentRule.allCases.filter { $0 != .untracked }
        let missing = printed.map(\.rawValue).filter { !list.containsToken($0) }
        #expect(missing.isEmpty, "the rule list of status --json in man/tlm.1 lacks \(missing)")
        #expect(!list.containsToken(ConsentRule.untracked.rawValue), "status never prints tracked_targets")
    }

    @Test("OPT-IN names each consent rule as '(rule NAME' after the rule it names")
    func optInRules() throws {
        let section = try ShippedFile.manSection("OPT-IN")
        let missing = ConsentRule.allCases.map(\.rawValue).filter { !section.contains(".RB \"(rule \" \($0) ") }
        #expect(missing.isEmpty, "OPT-IN in man/tlm.1 lacks '.RB \"(rule \" NAME' for \(missing)")
    }

    @Test("CONFIGURATION has an entry for every config key, with its variable; README a table row")
    func configKeys() throws {
        let section = try ShippedFile.manSection("CONFIGURATION").split(separator: "\n")
        let readme = try ShippedFile.text("README.md").split(separator: "\n")
        for key in ConfigKey.all {
            let tag = ".BR \(key.name) \" (\" \(key.environment) )"
            #expect(section.contains { $0 == tag }, "CONFIGURATION in man/tlm.1 lacks the tag \(tag)")
            let row = "| `\(key.name)` |"
            #expect(
                readme.contains { $0.hasPrefix(row) && $0.contains("`\(key.environment)") },
                "README.md's configuration table lacks a row '\(row) … | `\(key.environment)` …'")
        }
    }

    @Test("shell-init's undo comment is README's undo command, and it undoes", arguments: ["bash", "zsh", "fish"])
    func shellInitUndo(_ shell: String) throws {
        let box = Sandbox()
        let code = try box.tlm(["shell-init", shell, "--wrap", "make"])
        let comment = try #require(code.text.split(separator: "\n").first { $0.hasPrefix("# Undo: ") })
        let undo = String(comment.dropFirst("# Undo: ".count).prefix { $0 != ";" })
        // README gives bash's and fish's (zsh's is bash's with its name), on wrapped lines:
        // compare with its spaces and line breaks collapsed.
        let readme = try ShippedFile.text("README.md").split(whereSeparator: { $0 == " " || $0 == "\n" })
            .joined(separator: " ")
        let given = shell == "zsh" ? undo.replacing("zsh", with: "bash") : undo
        let isGiven = readme.contains("`\(given)`")  // not in the #expect: it would print all of README
        #expect(isGiven, "README.md does not give '\(given)' as \(shell)'s undo")
        // Run it as the comment says, with tlm found on PATH.
        let folder = String(TLMBinary.path[..<TLMBinary.path.lastIndex(of: "/")!])
        let load =
            shell == "fish"
            ? "tlm shell-init fish --wrap make | source" : "eval \"$(tlm shell-init \(shell) --wrap make)\""
        let check =
            shell == "fish"
            ? "functions -q make; and echo wrapped; or echo gone"
            : "if typeset -f make >/dev/null; then echo wrapped; else echo gone; fi"
        let script = "\(load); \(check); \(undo); \(check)"
        let run = try box.direct(
            shell == "fish" ? ["fish", "--no-config", "-c", script] : [shell, "-f", "-c", script],
            environment: ["PATH": folder + ":" + box.environment["PATH"]!])
        #expect(run.text == "wrapped\ngone\n" && run.status == .exited(0), "\(shell): \(run.text)\(run.errorText)")
    }
}
