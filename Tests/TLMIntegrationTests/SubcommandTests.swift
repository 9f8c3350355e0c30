import Glibc
import TLMCLI
import TLMRecorder
import TLMTestSupport
import Testing

@Suite("on, off, status, clear, log, help")
struct SubcommandTests {
    @Test("on makes the folder 0700 and the marker 0600 whatever the umask, and says where data goes")
    func on() throws {
        let box = Sandbox()
        let run = try box.direct(["sh", "-c", "umask 0277; exec \"$0\" on", TLMBinary.path])
        #expect(run.status == .exited(0))
        #expect(run.text.contains(box.logPath))
        #expect(box.folder.mode("tlm-home") == 0o700)
        #expect(box.folder.mode("tlm-home/enabled") == 0o600)
        try box.direct(["sh", "-c", "umask 0277; exec \"$0\" run -- true", TLMBinary.path])
        #expect(box.folder.mode("tlm-home/usage.jsonl") == 0o600)
        #expect(box.events.count == 1)
    }

    @Test("on refuses a marker that is not a regular file, without hanging on a FIFO")
    func onWithFIFOMarker() throws {
        let box = Sandbox()
        mkdir(box.home, 0o700)
        #expect(mkfifo(box.home + "/enabled", 0o600) == 0)
        let run = try box.tlm(["on"], timeout: 20)
        #expect(run.status == .exited(1))
        #expect(run.errorLines.count == 1)
        let status = try box.tlm(["status", "--json"])
        #expect(status.text.hasPrefix("{\"enabled\":false"))
    }

    @Test("nothing is recorded, and no file touched, until opted in")
    func offByDefault() throws {
        let box = Sandbox()
        let run = try box.tlm(["run", "--", "sh", "-c", "exit 0"])
        #expect(run.status == .exited(0))
        #expect(!box.folder.exists("tlm-home"))
        // The default location under HOME is not touched either.
        try box.tlm(["run", "--", "true"], environment: ["TLM_HOME": ""])
        #expect(!box.folder.exists(".local"))
    }

    @Test("off stops recording and keeps the data")
    func off() throws {
        let box = Sandbox()
        try box.on()
        try box.tlm(["run", "--", "true"])
        let off = try box.tlm(["off"])
        #expect(off.status == .exited(0))
        #expect(off.text.contains("kept"))
        try box.tlm(["run", "--", "true"])
        #expect(box.events.count == 1)
        #expect(!box.folder.exists("tlm-home/enabled"))
        // Already off where nothing can be written (here, below a file of /proc): still off.
        let readOnly = try box.tlm(["off"], environment: ["TLM_HOME": "/proc/version/tlm"])
        #expect(readOnly.status == .exited(0))
        #expect(readOnly.errorText.isEmpty)
    }

    @Test("the environment overrides the marker, and on/off say so")
    func environmentWins() throws {
        let box = Sandbox()
        try box.on()
        try box.tlm(["run", "--", "true"], environment: ["DO_NOT_TRACK": "1"])
        try box.tlm(["run", "--", "true"], environment: ["TLM_TELEMETRY": "0"])
        #expect(box.events.isEmpty)
        let note = try box.tlm(["on"], environment: ["DO_NOT_TRACK": "1"])
        #expect(note.text.hasPrefix("telemetry stays off in this environment: DO_NOT_TRACK is set"))
        try box.tlm(["off"])
        try box.tlm(["run", "--", "true"], environment: ["TLM_TELEMETRY": "1"])
        #expect(box.events.count == 1)
        let status = try box.tlm(["status", "--json"], environment: ["TLM_TELEMETRY": "1"])
        #expect(status.text.contains("\"enabled\":true,\"rule\":\"TLM_TELEMETRY=1\""))
    }

    @Test("status names the rule, the paths, and counts events and malformed lines")
    func status() throws {
        let box = Sandbox()
        let empty = try box.tlm(["status"])
        #expect(empty.status == .exited(0))
        #expect(empty.text.contains("telemetry off"))
        #expect(empty.text.contains("events    0"))
        try box.on()
        try box.tlm(["log", "--target", "sync", "--duration", "2", "--exit-code", "0"])
        try box.tlm(["log", "--target", "apply", "--duration", "1", "--exit-code", "1"])
        let log = try #require(readFile(box.logPath))
        box.folder.write("tlm-home/usage.jsonl", log + Array("not json\n".utf8))
        let text = try box.tlm(["status"])
        #expect(text.text.contains("telemetry on (opted in with 'tlm on'"))
        #expect(text.text.contains("events    2 (1 malformed line skipped)"))
        #expect(text.text.contains(box.logPath))
        let json = try box.tlm(["status", "--json"])
        #expect(json.text.hasPrefix("{\"enabled\":true,\"rule\":\"marker\""))
        #expect(json.text.contains("\"events\":2,\"malformed_lines\":1"))
        #expect(json.text.contains("\"folder\":\"\(box.home)\""))
        let dnt = try box.tlm(["status", "--json"], environment: ["DO_NOT_TRACK": "yes"])
        #expect(dnt.text.hasPrefix("{\"enabled\":false,\"rule\":\"DO_NOT_TRACK\""))
    }

    @Test("clear removes what tlm wrote, names it, and nothing else")
    func clear() throws {
        let box = Sandbox()
        try box.on()
        try box.tlm(["run", "--", "true"])
        box.folder.write("tlm-home/notes.txt", "mine")
        let clear = try box.tlm(["clear"])
        #expect(clear.status == .exited(0))
        #expect(
            clear.text
                == "removed \(box.logPath)\nremoved \(box.home)/usage.jsonl.lock\nremoved \(box.home)/enabled\n")
        #expect(box.folder.text("tlm-home/notes.txt") == "mine")
        unlink(box.home + "/notes.txt")
        // Now empty, the folder tlm made goes too; then there is nothing left.
        let again = try box.tlm(["clear"])
        #expect(again.text == "removed \(box.home)\n")
        let third = try box.tlm(["clear"])
        #expect(third.text.hasPrefix("nothing to remove"))
    }

    @Test("log records an event measured elsewhere, as anklume's script does")
    func log() throws {
        let box = Sandbox()
        try box.on()
        let run = try box.tlm(["log", "--target", "sync", "--duration", "1.5", "--exit-code", "0", "--domain", "web"])
        #expect(run.status == .exited(0))
        #expect(run.stdout.isEmpty && run.stderr.isEmpty)
        let event = try #require(box.events.first ?? nil)
        #expect(event.target == "sync" && event.domain == "web" && event.durationSeconds == 1.5 && event.exitCode == 0)
        #expect(event.command == nil && event.signal == nil)
    }

    @Test(
        "log refuses bad values with 64 and writes nothing",
        arguments: [
            ["--target", "sync", "--duration", "-1", "--exit-code", "0"],
            ["--target", "sync", "--duration", "abc", "--exit-code", "0"],
            ["--target", "sync", "--duration", "1e3", "--exit-code", "0"],
            ["--target", "sync", "--duration", "inf", "--exit-code", "0"],
            ["--target", "sync", "--duration", "", "--exit-code", "0"],
            ["--target", "sync", "--duration", "1", "--exit-code", "-1"],
            ["--target", "sync", "--duration", "1", "--exit-code", "256"],
            ["--target", "sync", "--duration", "1", "--exit-code", "2.5"],
            ["--target", "sync", "--duration", "1", "--exit-code", "x"],
            ["--duration", "1", "--exit-code", "0"],
            ["--target", "sync", "--exit-code", "0"],
            ["--target", "sync", "--duration", "1"],
            ["--target", "/etc/passwd", "--duration", "1", "--exit-code", "0"],
            ["--target", "sync", "--duration", "1", "--exit-code", "0", "--domain", "a b"],
            ["--target", "sync", "--duration", "1", "--exit-code", "0", "--bogus"],
            ["--target", "sync", "--duration", "1", "--exit-code", "0", "extra"],
        ])
    func logRefuses(arguments: [String]) throws {
        let box = Sandbox()
        try box.on()
        let run = try box.tlm(["log"] + arguments)
        #expect(run.status == .exited(64))
        #expect(run.errorLines.count == 1)
        #expect(run.errorLines.first?.hasPrefix("tlm log: ") == true)
        #expect(!box.logExists)
    }

    @Test("log writes nothing when telemetry is off")
    func logOff() throws {
        let box = Sandbox()
        let run = try box.tlm(["log", "--target", "sync", "--duration", "1", "--exit-code", "0"])
        #expect(run.status == .exited(0))
        #expect(!box.folder.exists("tlm-home"))
    }

    @Test("help and version go to stdout; usage errors are one line and 64")
    func helpAndUsage() throws {
        let box = Sandbox()
        let help = try box.tlm(["--help"])
        #expect(help.status == .exited(0))
        for command in CommandCatalog.commands { #expect(help.text.contains("  \(command.name) ")) }
        for command in CommandCatalog.commands {
            let sub = try box.tlm([command.name, "--help"])
            #expect(sub.status == .exited(0))
            #expect(sub.text.hasPrefix("Usage: tlm \(command.name)"))
            for option in command.options { #expect(sub.text.contains(option.long)) }
            let viaHelp = try box.tlm(["help", command.name])
            #expect(viaHelp.text == sub.text)
        }
        let version = try box.tlm(["--version"])
        #expect(version.text == "tlm \(CommandCatalog.version)\n")
        for bad in [
            [], ["frobnicate"], ["--frobnicate"], ["status", "--bogus"], ["on", "extra"], ["help", "nope"],
            ["--version", "x"], ["-h", "x"],
        ] {
            let run = try box.tlm(bad)
            #expect(run.status == .exited(64), "\(bad)")
            #expect(run.errorLines.count == 1, "\(bad)")
            #expect(run.errorText.contains("--help"), "\(bad)")
            #expect(run.stdout.isEmpty)
        }
    }

    @Test("output that cannot be written (a full disk) is a failure, said once, not a silent success")
    func outputToFullDisk() throws {
        let box = Sandbox()
        for arguments in [["status"], ["--version"], ["help"], ["run", "--help"], ["status", "--json"]] {
            let run = try box.direct(["sh", "-c", "exec \"$0\" \"$@\" >/dev/full", TLMBinary.path] + arguments)
            #expect(run.status == .exited(1), "\(arguments)")
            #expect(run.errorLines == ["tlm: cannot write to standard output: no space left on device"], "\(arguments)")
        }
    }

    @Test("an option's value is not the next option, nor --")
    func optionValueIsNotAnOption() throws {
        let box = Sandbox()
        try box.on()
        let run = try box.tlm(["log", "--target", "--", "--duration", "1", "--exit-code", "0"])
        #expect(run.status == .exited(64))
        #expect(run.errorLines.first?.contains("'--target' needs a value") == true)
        let next = try box.tlm(["log", "--target", "--duration", "1", "--exit-code", "0"])
        #expect(next.status == .exited(64))
        let twice = try box.tlm(["log", "--target", "a", "--target", "b", "--duration", "1", "--exit-code", "0"])
        #expect(twice.status == .exited(64))
        #expect(twice.errorLines.first?.contains("'--target' given twice") == true)
        #expect(!box.logExists)
    }
}
