import Foundation
import Glibc
import TLMRecorder
import TLMTestSupport
import Testing

/// `eval "$(tlm shell-init SHELL)"` in real bash, zsh and fish: the wrapped
/// command records an event and keeps its status, `command NAME` and a missing
/// command behave as without tlm, twice is once, `--uninstall` undoes it, and
/// the command's own completion still works.
@Suite("shell-init")
struct ShellInitTests {
    let sandbox = Sandbox()

    init() throws {
        mkdir(sandbox.folder.path + "/project", 0o755)
        sandbox.folder.write("project/Makefile", "tlm-alpha:\n\t@echo alpha\ntlm-beta:\n\t@exit 3\n")
        try sandbox.on()
    }

    var project: String { sandbox.folder.path + "/project" }

    /// Runs `script` in `shell` (no rc files) in the project folder; `INIT` in it
    /// stands for the evaluation of `tlm shell-init SHELL ARGS`.
    func shell(
        _ shell: String, _ script: String, initArguments: [String] = ["--wrap", "make,tlm-no-such-command"],
        tlm: String = TLMBinary.path
    ) throws -> Spawned {
        let generate = ([tlm, "shell-init", shell] + initArguments).map { "'\($0)'" }.joined(separator: " ")
        let initLine = shell == "fish" ? "\(generate) | source" : "eval \"$(\(generate))\""
        let body = script.replacingOccurrences(of: "INIT", with: initLine)
        let arguments = shell == "fish" ? ["fish", "--no-config", "-c", body] : [shell, "-f", "-c", body]
        let command = shell == "bash" ? ["bash", "--norc", "--noprofile", "-c", body] : arguments
        return try Spawned.run(command, environment: sandbox.environment, directory: project, timeout: 60)
    }

    static func status(_ shell: String) -> String { shell == "fish" ? "$status" : "$?" }

    @Test(
        "make through the wrapper: an event, the same status; command make: none", arguments: ["bash", "zsh", "fish"])
    func wraps(shell name: String) throws {
        let s = Self.status(name)
        let result = try shell(
            name,
            "INIT; make tlm-alpha; echo st=\(s); make tlm-beta; echo st=\(s); command make tlm-alpha; echo st=\(s)")
        #expect(result.text == "alpha\nst=0\nst=2\nalpha\nst=0\n", "\(result.errorText)")
        let events = sandbox.events.compactMap { $0 }
        #expect(events.map(\.target) == ["tlm-alpha", "tlm-beta"])
        #expect(events.map(\.exitCode) == [0, 2])
        #expect(events.allSatisfy { $0.command == "make" })
    }

    @Test(
        "every argument reaches the command as typed (bash quotes the words for its eval)", arguments: ["bash", "zsh"])
    func arguments(shell name: String) throws {
        let script =
            #"INIT; python3 -c 'import sys; print(sys.argv[1:])' 'a b' '$x' "it's" $'new\nline' '*' '' ';' '\'"#
        let result = try shell(name, script, initArguments: ["--wrap", "python3"])
        #expect(result.text == #"['a b', '$x', "it's", 'new\nline', '*', '', ';', '\\']"# + "\n", "\(result.errorText)")
        #expect(sandbox.events.count == 1)
    }

    @Test(
        "a wrapped command that is not installed: the shell's own error, 127, nothing from tlm",
        arguments: ["bash", "zsh", "fish"])
    func missingCommand(shell name: String) throws {
        let result = try shell(name, "INIT; tlm-no-such-command x; echo st=\(Self.status(name))")
        #expect(result.text == "st=127\n")
        #expect(result.errorText.contains("tlm-no-such-command"))
        #expect(!result.errorText.contains("tlm:"))
        #expect(sandbox.events.isEmpty)
    }

    @Test("evaluated twice, wrapped once; --uninstall gives the real command back", arguments: ["bash", "zsh", "fish"])
    func twiceAndUninstall(shell name: String) throws {
        let uninstall =
            name == "fish"
            ? "'\(TLMBinary.path)' shell-init fish --uninstall | source"
            : "eval \"$('\(TLMBinary.path)' shell-init \(name) --uninstall)\""
        let kind = name == "bash" ? "type -t make" : name == "zsh" ? "whence -w make" : "type -t make"
        let result = try shell(name, "INIT; INIT; make tlm-alpha; \(kind); \(uninstall); \(kind); make tlm-alpha")
        let lines = result.text.split(separator: "\n").map(String.init)
        #expect(lines.first == "alpha")
        #expect(lines.dropFirst().first.map { $0.hasSuffix("function") } == true, "\(result.text)")
        #expect(
            lines.dropFirst(2).first.map { $0.hasSuffix("file") || $0.hasSuffix("command") } == true, "\(result.text)")
        #expect(sandbox.events.count == 1)
        #expect(result.errorText.isEmpty, "\(result.errorText)")
    }

    @Test(
        "tlm gone: checked at start-up (nothing defined) and at each call (the real command runs)",
        arguments: ["bash", "zsh", "fish"])
    func tlmMissing(shell name: String) throws {
        let copy = sandbox.folder.path + "/bin/tlm"
        #expect(mkdir(sandbox.folder.path + "/bin", 0o755) == 0)
        #expect(try Spawned.run(["cp", TLMBinary.path, copy], environment: sandbox.environment).status == .exited(0))
        let generate = "'\(copy)' shell-init \(name) --wrap make"
        let code = try Spawned.run(
            name == "fish" ? ["fish", "--no-config", "-c", generate] : ["sh", "-c", generate],
            environment: sandbox.environment)
        sandbox.folder.write("init.\(name)", code.text)
        let source =
            name == "fish" ? "source '\(sandbox.folder.path)/init.\(name)'" : ". '\(sandbox.folder.path)/init.\(name)'"
        let kind = name == "zsh" ? "whence -w make" : "type -t make"
        // Removed after the code was evaluated: the wrapper runs the real make.
        let later = try shell(name, "\(source); rm '\(copy)'; make tlm-alpha; echo st=\(Self.status(name))")
        #expect(later.text == "alpha\nst=0\n", "\(later.errorText)")
        #expect(later.errorText.isEmpty, "\(later.errorText)")
        // Missing when the code is evaluated: nothing is defined.
        let before = try shell(name, "\(source); \(kind)")
        #expect(before.text.hasSuffix("file\n") || before.text.hasSuffix("command\n"), "\(before.text)")
        #expect(sandbox.events.isEmpty)
    }

    @Test("a function of the user's own is left alone, with a note", arguments: ["bash", "zsh", "fish"])
    func ownFunction(shell name: String) throws {
        let define = name == "fish" ? "function make; echo mine; end" : "make() { echo mine; }"
        let result = try shell(name, "\(define); INIT; make tlm-alpha")
        #expect(result.text == "mine\n")
        #expect(result.errorText.contains("tlm shell-init: make is already a function of yours: not wrapped"))
    }

    @Test("the wrap key decides without --wrap")
    func wrapKey() throws {
        #expect(try sandbox.tlm(["config", "set", "wrap", "make"]).status == .exited(0))
        let result = try shell("bash", "INIT; make tlm-alpha", initArguments: [])
        #expect(result.text == "alpha\n")
        #expect(sandbox.events.count == 1)
        let none = try sandbox.tlm(["shell-init", "bash"], environment: ["TLM_WRAP": ""])
        #expect(none.errorText.contains("nothing to wrap"))
    }

    @Test("bash: make's own completion (bash-completion's _make) still offers the Makefile's targets")
    func bashCompletion() throws {
        let script = """
            source /usr/share/bash-completion/bash_completion || exit 1
            INIT
            __load_completion make 2>/dev/null || _comp_load make
            spec=$(complete -p make) || exit 1
            func=${spec#*-F }; func=${func%% *}
            COMP_WORDS=(make tlm-); COMP_CWORD=1; COMP_LINE="make tlm-"; COMP_POINT=9
            "$func" make tlm- make
            printf '%s\\n' "${COMPREPLY[@]}"; type -t make
            """
        let result = try shell("bash", script)
        #expect(
            result.text.split(separator: "\n").sorted() == ["function", "tlm-alpha", "tlm-beta"], "\(result.errorText)")
        // _make ran the wrapped make (with COMP_LINE set) to read the Makefile: not a run.
        #expect(sandbox.events.isEmpty, "\(sandbox.logLines)")
    }

    @Test("fish: make's own completion still offers the Makefile's targets")
    func fishCompletion() throws {
        // Without --no-config, which would also keep fish's own completions (make.fish) from loading;
        // HOME is the sandbox's, so no configuration of the user's is read.
        let generate = "'\(TLMBinary.path)' shell-init fish --wrap make | source"
        let result = try Spawned.run(
            ["fish", "-c", "\(generate); complete -C 'make tlm-'; functions -q make; and echo wrapped"],
            environment: sandbox.environment.merging(["XDG_CONFIG_HOME": sandbox.folder.path + "/config"]) { $1 },
            directory: project)
        let words = result.text.split(separator: "\n").map { String($0.prefix { $0 != "\t" }) }
        #expect(words.contains("tlm-alpha") && words.contains("tlm-beta"), "\(result.text) \(result.errorText)")
        #expect(words.last == "wrapped")
        // make.fish ran the wrapped make in command substitutions: not runs.
        #expect(sandbox.events.isEmpty, "\(sandbox.logLines)")
    }

    @Test("fish: a wrapped command in a command substitution runs directly, unrecorded")
    func fishCommandSubstitution() throws {
        let result = try shell(
            "fish", "INIT; set v (make tlm-alpha); echo \"v=$v\"; echo (make tlm-beta; echo st=$status)")
        #expect(result.text == "v=alpha\nst=2\n", "\(result.errorText)")
        #expect(sandbox.events.isEmpty, "\(sandbox.logLines)")
    }

    @Test(
        "bash and zsh: a command substitution is still recorded (a subshell cannot tell itself from one)",
        arguments: ["bash", "zsh"])
    func commandSubstitutionRecorded(shell name: String) throws {
        let result = try shell(name, "INIT; v=$(make tlm-alpha); echo \"v=$v\"")
        #expect(result.text == "v=alpha\n", "\(result.errorText)")
        #expect(sandbox.events.compactMap { $0 }.map(\.target) == ["tlm-alpha"])
    }

    @Test("zsh: in a terminal, Tab after make lists the Makefile's targets")
    func zshCompletion() throws {
        let terminal = try PseudoTerminal(
            ["zsh", "-f", "-i"], environment: sandbox.environment.merging(["TERM": "dumb", "PS1": "> "]) { $1 })
        // "RE""ADY" is echoed as typed, and printed as READY once the line has run.
        terminal.type(
            "autoload -Uz compinit && compinit -u -D && eval \"$('\(TLMBinary.path)' shell-init zsh --wrap make)\""
                + " && cd '\(project)' && whence -w make && print \"RE\"\"ADY\"\n")
        try terminal.read(until: "READY\r\n")
        #expect(terminal.text.contains("make: function"))
        terminal.type("make tlm-\t")
        try terminal.read(until: "tlm-alpha")
        try terminal.read(until: "tlm-beta")
        terminal.type("\u{15}exit\n")
        _ = try terminal.wait(timeout: 30)
        // _make ran the wrapped make (in a completion widget) to read the Makefile: not a run.
        #expect(sandbox.events.isEmpty, "\(sandbox.logLines)")
    }

    @Test(
        "interactive shells in a terminal: the wrapped make records and keeps its status",
        arguments: ["bash", "zsh", "fish"])
    func interactive(shell name: String) throws {
        let arguments =
            name == "bash"
            ? ["bash", "--norc", "--noprofile", "-i"]
            : name == "zsh" ? ["zsh", "-f", "-i"] : ["fish", "--no-config", "-i"]
        let terminal = try PseudoTerminal(
            arguments, environment: sandbox.environment.merging(["TERM": "dumb", "PS1": "> "]) { $1 })
        let generate = "'\(TLMBinary.path)' shell-init \(name) --wrap make"
        let load = name == "fish" ? "\(generate) | source" : "eval \"$(\(generate))\""
        let status = name == "fish" ? "$status" : "$?"
        terminal.type("\(load); cd '\(project)'; make tlm-beta; echo \"ST\"\"=\(status)\"\n")
        try terminal.read(until: "ST=2")
        terminal.type("exit\n")
        _ = try terminal.wait(timeout: 30)
        let events = sandbox.events.compactMap { $0 }
        #expect(events.map(\.target) == ["tlm-beta"])
        #expect(events.first?.exitCode == 2)
    }

    @Test(
        "bad usage: one line, exit 64",
        arguments: [
            ["shell-init"], ["shell-init", "csh"], ["shell-init", "bash", "--wrap", "rm -rf"],
            ["shell-init", "bash", "--wrap", "cd"], ["shell-init", "bash", "--wrap", "tlm"],
            ["shell-init", "fish", "--uninstall", "--wrap", "make"], ["shell-init", "bash", "zsh"],
        ])
    func usage(arguments: [String]) throws {
        let result = try sandbox.tlm(arguments)
        #expect(result.status == .exited(64))
        #expect(result.errorLines.count == 1)
        #expect(result.text.isEmpty)
    }
}
