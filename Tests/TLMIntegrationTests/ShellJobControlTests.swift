import Glibc
import TLMRecorder
import TLMTestSupport
import Testing

/// The shell integration at a real interactive prompt, in a pseudo-terminal:
/// what a completion runs is not a run, Ctrl-C stops a fish loop or list as
/// without tlm, and a stopped job is named after its command.
@Suite("shell-init at an interactive prompt")
struct ShellJobControlTests {
    let sandbox = Sandbox()

    init() throws {
        mkdir(sandbox.folder.path + "/project", 0o755)
        sandbox.folder.write("project/Makefile", "tlm-alpha:\n\t@echo alpha\ntlm-beta:\n\t@exit 3\n")
        try sandbox.on()
    }

    var project: String { sandbox.folder.path + "/project" }

    /// An interactive `shell` in a terminal, with `--wrap wrap` evaluated and the
    /// project as its folder, at its prompt. tlm is found in `PATH` (a link in the
    /// sandbox), as once installed: fish's abbreviation then writes `tlm run --`.
    func prompt(_ shell: String, wrap: String, before: String = "") throws -> PseudoTerminal {
        let bin = sandbox.folder.path + "/bin"
        mkdir(bin, 0o755)
        symlink(TLMBinary.path, bin + "/tlm")
        let arguments =
            shell == "bash"
            ? ["bash", "--norc", "--noprofile", "-i"]
            : shell == "zsh" ? ["zsh", "-f", "-i"] : ["fish", "--no-config", "-i"]
        var environment = sandbox.environment.merging(["TERM": "dumb", "PS1": "> "]) { $1 }
        environment["PATH"] = bin + ":" + (environment["PATH"] ?? "")
        let terminal = try PseudoTerminal(arguments, environment: environment)
        let generate = "tlm shell-init \(shell) --wrap \(wrap)"
        let load = shell == "fish" ? "\(generate) | source" : "eval \"$(\(generate))\""
        // "RE""ADY" is echoed as typed, and printed as READY once the line has run.
        terminal.type("\(before)\(load); cd '\(project)'; echo \"RE\"\"ADY\"\n")
        try terminal.read(until: "READY\r\n")
        return terminal
    }

    /// Reads the terminal until the text after the last `marker` holds `needle`:
    /// the shell's prompt after its stop message, once it has the terminal back
    /// (keys typed sooner can still land in the stopped command's line).
    func read(_ terminal: PseudoTerminal, until needle: String, after marker: String) throws {
        let deadline = Spawned.now() + 30
        while !(terminal.text.components(separatedBy: marker).last ?? "").contains(needle)
            || !terminal.text.contains(marker)
        {
            // Past the deadline, fails with what the terminal shows.
            if Spawned.now() > deadline { try terminal.read(until: needle + " after " + marker, timeout: 0) }
            _ = try? terminal.read(until: "\u{0}\u{0}", timeout: 0.05)
        }
    }

    @Test("bash: Tab after a wrapped make lists the targets and records nothing (bash-completion's _make)")
    func bashTabRecordsNothing() throws {
        let terminal = try prompt(
            "bash", wrap: "make", before: "source /usr/share/bash-completion/bash_completion; ")
        terminal.type("make tlm-\t\t")
        try terminal.read(until: "tlm-alpha")
        try terminal.read(until: "tlm-beta")
        terminal.type("\u{15}exit\n")
        _ = try terminal.wait(timeout: 30)
        #expect(sandbox.events.isEmpty, "\(sandbox.logLines)")
    }

    /// A wrapped `sh` that says START once it runs, then sleeps.
    static let long = "sh -c 'echo ST\"\"ART; exec sleep 30'"

    @Test(
        "fish: Ctrl-C in a wrapped command stops the loop and the list around it, as without tlm",
        arguments: 1...3)
    func fishControlCStopsLoop(trial: Int) throws {
        let terminal = try prompt("fish", wrap: "sh")
        terminal.type("for i in 1 2 3; \(Self.long); echo IT\"\"ER$i; end; echo NE\"\"XT\n")
        try terminal.read(until: "START\r\n")
        terminal.type("\u{03}")
        terminal.type("echo \"AF\"\"TER\"\n")
        try terminal.read(until: "AFTER\r\n")
        #expect(!terminal.text.contains("ITER"), "\(terminal.text)")
        #expect(!terminal.text.contains("NEXT"), "\(terminal.text)")
        terminal.type("sh -c 'echo BE\"\"GIN; exec sleep 30'; echo NE\"\"XT\n")
        try terminal.read(until: "BEGIN\r\n")
        terminal.type("\u{03}")
        terminal.type("echo \"EN\"\"D\"\n")
        try terminal.read(until: "END\r\n")
        #expect(!terminal.text.contains("NEXT"), "\(terminal.text)")
        // What runs is on the command line, as if typed so.
        #expect(terminal.text.contains("tlm run -- sh -c"))
        terminal.type("exit\n")
        _ = try terminal.wait(timeout: 30)
        // Both went through tlm, and both died of the Ctrl-C.
        let events = sandbox.events.compactMap { $0 }
        #expect(events.count == 2)
        #expect(events.allSatisfy { $0.signal == "SIGINT" })
    }

    /// A wrapped `sh` that says START, then reads a line and says GOT and the line.
    static let reader = "sh -c 'echo ST\"\"ART; read x; echo GO\"\"T $x'"

    @Test("fish: Ctrl-Z on a wrapped command says which job has stopped; fg resumes it")
    func fishStoppedLine() throws {
        let terminal = try prompt("fish", wrap: "sh")
        terminal.type("\(Self.reader)\n")
        try terminal.read(until: "START\r\n")
        terminal.type("\u{1A}")
        try read(terminal, until: "# ", after: "has stopped")
        let line = terminal.text.components(separatedBy: "\r\n").last { $0.contains("has stopped") } ?? ""
        #expect(line.contains("Job 1, 'tlm run -- sh -c "), "\(line)")
        terminal.type("fg\n")
        terminal.type("go\n")
        try terminal.read(until: "GOT go")
        terminal.type("exit\n")
        _ = try terminal.wait(timeout: 30)
        #expect(sandbox.events.compactMap { $0 }.map(\.exitCode) == [0])
    }

    @Test("bash: jobs lists a stopped wrapped job with its command and arguments, and fg %?NAME finds it")
    func bashJobName() throws {
        let terminal = try prompt("bash", wrap: "sh")
        terminal.type("\(Self.reader)\n")
        try terminal.read(until: "START\r\n")
        terminal.type("\u{1A}")
        try read(terminal, until: "\n> ", after: "Stopped")
        terminal.type("jobs; echo \"JO\"\"BS\"\n")
        try terminal.read(until: "JOBS\r\n")
        let line = terminal.text.components(separatedBy: "\r\n").last { $0.hasPrefix("[1]") } ?? ""
        // The words as `printf %q` quotes them, rather than the wrapper's `"$__tlm_bin" run -- "$@"`.
        #expect(line.contains(#"/tlm run -- sh -c echo\ ST\"\"ART\;\ read\ x"#), "\(line)")
        terminal.type("fg %?read\n")
        terminal.type("go\n")
        try terminal.read(until: "GOT go")
        terminal.type("exit\n")
        _ = try terminal.wait(timeout: 30)
        #expect(sandbox.events.compactMap { $0 }.map(\.exitCode) == [0])
    }

    @Test("fish: the abbreviations are defined once, --uninstall removes them, one of your own is kept")
    func fishAbbreviations() throws {
        let terminal = try prompt(
            "fish", wrap: "sh,make,tlm-no-such-command", before: "abbr -a make 'make -j2'; ")
        // Evaluated twice, as by a second `source` of config.fish.
        terminal.type("tlm shell-init fish --wrap sh,make,tlm-no-such-command | source; echo \"T\"\"WICE\"\n")
        try terminal.read(until: "TWICE\r\n")
        terminal.type("abbr --show; echo \"SH\"\"OWN\"\n")
        try terminal.read(until: "SHOWN\r\n")
        let shown = terminal.text.components(separatedBy: "TWICE").last ?? ""
        #expect(shown.components(separatedBy: "abbr -a --function __tlm_expand -- sh\r\n").count == 2, "\(shown)")
        #expect(shown.contains("abbr -a -- make 'make -j2'"), "\(shown)")
        // A wrapped command that is not installed is not expanded: fish's own error.
        terminal.type("tlm-no-such-command x; echo \"ST\"\"=$status\"\n")
        try terminal.read(until: "ST=127")
        #expect(!terminal.text.contains("run -- tlm-no-such-command"))
        terminal.type("tlm shell-init fish --uninstall | source; abbr --show; echo \"UN\"\"DONE\"\n")
        try terminal.read(until: "UNDONE\r\n")
        let after = terminal.text.components(separatedBy: "SHOWN").last ?? ""
        #expect(!after.contains("__tlm_expand"), "\(after)")
        #expect(after.contains("abbr -a -- make 'make -j2'"), "\(after)")
        terminal.type("exit\n")
        _ = try terminal.wait(timeout: 30)
        #expect(sandbox.events.isEmpty)
    }
}
