import Foundation
import Glibc
import TLMCLI
import TLMRecorder
import TLMSupervisor
import TLMTestSupport
import Testing

@Suite("tlm run: exit status, signals, errors")
struct RunTests {
    @Test("the command's exit code passes through and is recorded", arguments: [0, 1, 2, 255])
    func exitCodes(code: Int32) throws {
        let box = Sandbox()
        try box.on()
        let run = try box.tlm(["run", "--", "sh", "-c", "exit \(code)"])
        #expect(run.status == .exited(code))
        #expect(run.stderr.isEmpty)
        let event = try #require(box.events.first ?? nil)
        #expect(box.events.count == 1)
        #expect(event.exitCode == Int(code))
        #expect(event.signal == nil)
        #expect(event.command == "sh")
        #expect(event.target == "sh")
        #expect(event.cpuUserSeconds != nil && event.maxRSSKilobytes.map { $0 > 0 } == true)
    }

    @Test("without '--' the first word that is not a tlm option starts the command")
    func withoutDoubleDash() throws {
        let box = Sandbox()
        let run = try box.tlm(["run", "sh", "-c", "echo hi; exit 3"])
        #expect(run.status == .exited(3))
        #expect(run.text == "hi\n")
    }

    @Test("a command that is not found: 127, one line, nothing recorded")
    func notFound() throws {
        let box = Sandbox()
        try box.on()
        let run = try box.tlm(["run", "--", "tlm-no-such-command"])
        #expect(run.status == .exited(127))
        #expect(run.errorLines == ["tlm: tlm-no-such-command: command not found"])
        let missingPath = try box.tlm(["run", "--", "./missing.sh"])
        #expect(missingPath.status == .exited(127))
        #expect(missingPath.errorLines == ["tlm: ./missing.sh: No such file or directory"])
        #expect(!box.logExists)
    }

    @Test("a file that cannot be executed: 126")
    func notExecutable() throws {
        let box = Sandbox()
        box.folder.write("data.txt", "not a program\n", mode: 0o644)
        let run = try box.tlm(["run", "--", "./data.txt"])
        #expect(run.status == .exited(126))
        #expect(run.errorLines == ["tlm: ./data.txt: Permission denied"])
        let folder = try box.tlm(["run", "--", "/tmp"])
        #expect(folder.status == .exited(126))
        #expect(folder.errorLines == ["tlm: /tmp: Is a directory"])
        // A file where a folder should be: bash's 126 "Not a directory".
        let belowFile = try box.tlm(["run", "--", "./data.txt/x"])
        #expect(belowFile.status == .exited(126))
        #expect(belowFile.errorLines == ["tlm: ./data.txt/x: Not a directory"])
        // Found in PATH but not executable, as bash and dash say: 126, not 127.
        let bin = box.folder.path + "/bin"
        mkdir(bin, 0o755)
        box.folder.write("bin/tool", "#!/bin/sh\n", mode: 0o644)
        let inPath = try box.tlm(["run", "--", "tool"], environment: ["PATH": bin + ":/usr/bin:/bin"])
        #expect(inPath.status == .exited(126))
    }

    @Test("a script without #! runs with /bin/sh, as the shell runs it")
    func noShebang() throws {
        let box = Sandbox()
        box.folder.write("script", "echo from-script \"$1\"\nexit 5\n", mode: 0o755)
        let run = try box.tlm(["run", "--", "./script", "arg"])
        #expect(run.status == .exited(5))
        #expect(run.text == "from-script arg\n")
        // Binary data the kernel cannot execute is no script: 126, as bash says, not
        // /bin/sh's complaints about the bytes it tried to run.
        box.folder.write("blob", "\u{7F}ELF\u{0}\u{0}garbage\necho should-not-run\n", mode: 0o755)
        let blob = try box.tlm(["run", "--", "./blob"])
        #expect(blob.status == .exited(126))
        #expect(blob.errorLines == ["tlm: ./blob: cannot execute binary file"])
        #expect(blob.stdout.isEmpty)
    }

    @Test(
        "bad tlm usage before the command starts: 125 and one line",
        arguments: [
            ["run", "--frobnicate", "--", "true"], ["run"], ["run", "--"], ["run", "--target"],
            ["run", "--target", "/etc/passwd", "--", "true"], ["run", "--domain=a b", "true"],
            ["run", "--target", "--", "true"], ["run", "--domain", "--target", "x", "true"],
        ])
    func usage(arguments: [String]) throws {
        let box = Sandbox()
        try box.on()
        let run = try box.tlm(arguments)
        #expect(run.status == .exited(125))
        #expect(run.errorLines.count == 1)
        #expect(run.errorLines.first?.hasPrefix("tlm run: ") == true)
        #expect(run.stdout.isEmpty)
        #expect(!box.logExists)
    }

    @Test("run accepts every option its help and the man page list, in both spellings")
    func catalogOptions() throws {
        let box = Sandbox()
        let spec = try #require(CommandCatalog.command("run"))
        let samples = ["NAME": "word", "DURATION": "5s", "SIGNAL": "TERM", "N": "1", "FILE": "logbook.json"]
        // The options that only mean something with another.
        func needs(_ option: String) -> [String] {
            switch option {
            case "--timeout-signal", "--kill-after": return ["--timeout", "5"]
            case "--retry-delay", "--retry-max-delay": return ["--retries", "1"]
            case "--retry-on-timeout": return ["--timeout", "5", "--retries", "1"]
            default: return []
            }
        }
        for option in spec.options {
            let before = needs(option.long)
            if let valueName = option.valueName {
                let value = try #require(samples[valueName], "no sample for \(valueName)")
                let spaced = try box.tlm(["run"] + before + [option.long, value, "--", "true"])
                #expect(spaced.status == .exited(0), "\(option.long): \(spaced.errorText)")
                let joined = try box.tlm(["run"] + before + [option.long + "=" + value, "true"])
                #expect(joined.status == .exited(0), "\(option.long)=: \(joined.errorText)")
            } else if option.long == "--help" {
                for spelling in [option.long] + (option.short.map { [$0] } ?? []) {
                    let run = try box.tlm(["run", spelling])
                    #expect(run.status == .exited(0), "\(spelling)")
                    #expect(run.text.hasPrefix("Usage: tlm run"))
                }
            } else {
                let run = try box.tlm(["run"] + before + [option.long, "--", "true"])
                #expect(run.status == .exited(0), "\(option.long): \(run.errorText)")
            }
        }
    }

    @Test("--target and --domain name the event")
    func explicitNames() throws {
        let box = Sandbox()
        try box.on()
        try box.tlm(["run", "--target", "deploy", "--domain=web", "--", "sh", "-c", "true", "G=db"])
        let event = try #require(box.events.first ?? nil)
        #expect(event.target == "deploy")
        #expect(event.domain == "web")
    }

    @Test("target and domain from make's command line; the rest is never kept")
    func makeNaming() throws {
        let box = Sandbox()
        try box.on()
        let bin = box.folder.path + "/bin"
        mkdir(bin, 0o755)
        box.folder.write("bin/make", "#!/bin/sh\nexit 0\n", mode: 0o755)
        let path = bin + ":/usr/bin:/bin"
        try box.tlm(["run", "--", "make", "-j4", "-C", "src", "test"], environment: ["PATH": path])
        try box.tlm(["run", "--", "make", "apply", "G=web", "SECRET=hunter2"], environment: ["PATH": path])
        try box.tlm(["run", "--", bin + "/make", "/home/alice/private", "G=/srv/x"], environment: ["PATH": path])
        let events = box.events.compactMap { $0 }
        #expect(events.map(\.target) == ["test", "apply", "make"])
        #expect(events.map(\.domain) == [nil, "web", nil])
        #expect(events.map(\.command) == ["make", "make", "make"])
        let log = String(decoding: readFile(box.logPath) ?? [], as: UTF8.self)
        for secret in ["hunter2", "SECRET", "alice", "private", "/srv", "src", box.folder.path, "-j4"] {
            #expect(!log.contains(secret), "\(secret) leaked into the log")
        }
    }

    @Test(
        "a command killed by a signal: the caller sees the same signal; the event says 128+N",
        arguments: [SIGTERM, SIGKILL, SIGINT])
    func killed(signal: Int32) throws {
        let box = Sandbox()
        try box.on()
        let run = try box.tlm(["run", "--", "sh", "-c", "kill -\(signal) $$"])
        #expect(run.status == .signaled(signal))
        #expect(run.stderr.isEmpty)
        let event = try #require(box.events.first ?? nil)
        #expect(event.exitCode == 128 + Int(signal))
        #expect(event.signal == SignalName.name(of: signal))
    }

    @Test("a signal that dumps core: tlm dies of it too, without a core file of its own")
    func coreSignal() throws {
        let box = Sandbox()
        // tlm may dump core (its limit is raised); the command may not (no core file to clean up).
        let run = try box.direct([
            "sh", "-c", "ulimit -c unlimited; exec \"$0\" run -- sh -c 'ulimit -c 0; kill -QUIT $$'", TLMBinary.path,
        ])
        #expect(run.status == .signaled(SIGQUIT))
        #expect(!run.dumpedCore)
        #expect(!box.folder.exists("core"))
    }

    @Test(
        "a signal sent to tlm alone reaches the command once",
        arguments: [
            ("TERM", SIGTERM), ("HUP", SIGHUP), ("INT", SIGINT), ("QUIT", SIGQUIT), ("USR1", SIGUSR1),
            ("USR2", SIGUSR2),
            ("ALRM", SIGALRM), ("PIPE", SIGPIPE), ("XCPU", SIGXCPU), ("40", 40),
            // The faults, sent with kill (si_code ≤ 0), as dumb-init forwards them: before
            // issue 15, tlm died of them and left the command running.
            ("ABRT", SIGABRT), ("SEGV", SIGSEGV), ("BUS", SIGBUS), ("FPE", SIGFPE), ("ILL", SIGILL),
            ("TRAP", SIGTRAP), ("SYS", SIGSYS),
        ])
    func forwarded(name: String, signal: Int32) throws {
        let box = Sandbox()
        try box.on()
        let script = "trap 'echo got-\(name); exit 42' \(name); echo ready; while :; do sleep 0.05; done"
        let process = try box.start(["run", "--", "sh", "-c", script])
        try process.read(until: "ready")
        process.signal(signal)
        try process.finish()
        #expect(process.status == .exited(42))
        #expect(process.text == "ready\ngot-\(name)\n")
        #expect(box.events.first??.exitCode == 42)
    }

    @Test("TERM to tlm while the command runs: the command dies of it, and so does tlm")
    func terminated() throws {
        let box = Sandbox()
        try box.on()
        let process = try box.start(["run", "--", "sh", "-c", "echo ready; exec sleep 30"])
        try process.read(until: "ready")
        process.signal(SIGTERM)
        try process.finish()
        #expect(process.status == .signaled(SIGTERM))
        let event = try #require(box.events.first ?? nil)
        #expect(event.exitCode == 143)
        #expect(event.signal == "SIGTERM")
        #expect(event.durationSeconds < 30)
    }
}

extension RunTests {
    @Test("an alarm tlm inherited still ends the command, as it would have without tlm")
    func inheritedAlarm() throws {
        let box = Sandbox()
        try box.on()
        // alarm() survives execve: the kernel sends SIGALRM to tlm, not to the command.
        let exec = "import os, signal, sys; signal.alarm(1); os.execv(sys.argv[1], sys.argv[1:])"
        let run = try box.direct(["python3", "-c", exec, TLMBinary.path, "run", "--", "sleep", "30"])
        #expect(run.status == .signaled(SIGALRM))
        let event = try #require(box.events.first ?? nil)
        #expect(event.signal == "SIGALRM")
        #expect(event.exitCode == 128 + Int(SIGALRM))
        #expect(event.durationSeconds < 20)
    }
}

@Suite("Privacy: only the listed fields are ever written")
struct PrivacyTests {
    @Test("canaries in arguments, environment, working folder, user and host never reach the log")
    func canaries() throws {
        let box = Sandbox()
        try box.on()
        let secretFolder = box.folder.path + "/home-alice-CANARYDIR"
        mkdir(secretFolder, 0o700)
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        let hostName = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let userName = String(cString: getpwuid(getuid())!.pointee.pw_name)
        let arguments = [
            "sh", "-c", "exit 0", "PASSWORD=hunter2", "https://user:CANARYTOKEN@example.com/x?token=CANARYQ",
            "/home/alice/CANARYPATH", "G=/etc/CANARYDOMAIN",
        ]
        let run = try Spawned.run(
            [TLMBinary.path, "run", "--"] + arguments,
            environment: box.environment.merging(["CANARY_ENV": "CANARYVALUE", "SECRET_TOKEN": "CANARYSECRET"]) { $1 },
            directory: secretFolder)
        #expect(run.status == .exited(0))
        let status = try box.tlm(["status", "--json"])
        let written = box.logLines.joined(separator: "\n")
        #expect(box.logLines.count == 1)
        for canary in [
            "hunter2", "PASSWORD", "CANARYTOKEN", "CANARYQ", "CANARYPATH", "CANARYDOMAIN", "CANARYVALUE",
            "CANARYSECRET", "CANARYDIR", "alice", hostName, "\"\(userName)\"",
        ] {
            #expect(!written.contains(canary), "\(canary) is in the log")
        }
        #expect(!status.text.contains("hunter2") && !status.text.contains("CANARY"))
        // Exactly the documented keys, read by an independent JSON parser.
        let object = try JSONSerialization.jsonObject(with: Data(written.utf8)) as? [String: Any]
        #expect(
            Set(object?.keys.map { $0 } ?? [])
                == [
                    "timestamp", "target", "domain", "duration_seconds", "exit_code", "command", "signal",
                    "cpu_user_seconds", "cpu_system_seconds", "max_rss_kb", "timed_out", "attempts", "trace_id",
                    "span_id", "parent_span_id", "ci",
                ])
        #expect(object?["target"] as? String == "sh")
        #expect(object?["domain"] is NSNull)
    }

    @Test("no canary reaches any file under TLM_HOME, the logbook, or anything status, config and report print")
    func canariesEverywhere() throws {
        let box = Sandbox()
        try box.on()
        try box.tlm(["config", "set", "keep_rotated", "2"])
        let secretFolder = box.folder.path + "/home-alice-CANARYDIR"
        mkdir(secretFolder, 0o700)
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        let hostName = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let userName = String(cString: getpwuid(getuid())!.pointee.pw_name)
        let environment = box.environment.merging([
            "CANARY_ENV": "CANARYVALUE", "SECRET_TOKEN": "CANARYSECRET", "GITHUB_ACTIONS": "true",
            "GITHUB_REPOSITORY": "alice/CANARYREPO", "GITHUB_REF": "refs/heads/CANARYBRANCH", "USER": "CANARYUSER",
        ]) { $1 }
        let secrets = [
            "PASSWORD=hunter2", "https://user:CANARYTOKEN@example.com/x?token=CANARYQ", "/home/alice/CANARYPATH",
        ]
        let runs: [[String]] = [
            ["run", "--logbook", box.folder.path + "/logbook.json", "--", "sh", "-c", "exit 0"] + secrets,
            ["run", "--retries", "1", "--retry-delay", "10ms", "--quiet", "--", "sh", "-c", "exit 3"] + secrets,
            ["run", "--timeout", "0.2", "--", "sh", "-c", "sleep 5"] + secrets,
            ["log", "--target", "sync", "--duration", "1", "--exit-code", "0"],
        ]
        for arguments in runs {
            try Spawned.run([TLMBinary.path] + arguments, environment: environment, directory: secretFolder)
        }
        #expect(box.events.count == 4)
        var texts: [(String, String)] = []
        // Export's outputs (and its cursor and lock, listed with the folder below).
        for (arguments, file) in [
            (["export", "otlp", "--output", box.folder.path + "/traces.jsonl"], "traces.jsonl"),
            (["export", "prometheus", "--textfile", box.folder.path + "/tlm.prom"], "tlm.prom"),
        ] {
            let result = try Spawned.run(
                [TLMBinary.path] + arguments, environment: environment, directory: secretFolder)
            #expect(result.status == .exited(0), "\(arguments): \(result.errorText)")
            texts.append((file, box.folder.text(file) ?? ""))
        }
        for name in try box.folder.list("tlm-home") {
            texts.append((name, box.folder.text("tlm-home/" + name) ?? ""))
        }
        texts.append(("logbook.json", box.folder.text("logbook.json") ?? ""))
        for arguments in [
            ["status"], ["status", "--json"], ["config", "list"], ["report"], ["report", "--format", "json"],
            ["report", "--format", "csv"], ["report", "--by", "domain"], ["report", "--by", "command"],
            ["export", "json"], ["export", "csv"], ["export", "otlp", "--dry-run", "--endpoint", "http://127.0.0.1:9"],
        ] {
            let printed = try Spawned.run(
                [TLMBinary.path] + arguments, environment: environment, directory: secretFolder)
            texts.append((arguments.joined(separator: " "), printed.text + printed.errorText))
        }
        try Spawned.run(
            [TLMBinary.path, "report", "--html", box.folder.path + "/report.html"], environment: environment,
            directory: secretFolder)
        texts.append(("report.html", box.folder.text("report.html") ?? ""))
        #expect(texts.count >= 19)
        for (name, text) in texts {
            // The marker and the lock are empty.
            #expect(
                !text.isEmpty || ["enabled", "usage.jsonl.lock", "export.lock"].contains(name), "\(name) is empty")
            for canary in [
                "hunter2", "PASSWORD", "CANARYTOKEN", "CANARYQ", "CANARYPATH", "CANARYVALUE", "CANARYSECRET",
                "CANARYDIR", "CANARYREPO", "CANARYBRANCH", "CANARYUSER", "alice", "\"\(hostName)\"",
                "\"\(userName)\"", " \(userName) ",
            ] {
                #expect(!text.contains(canary), "\(canary) is in \(name)")
            }
        }
    }
}

extension PrivacyTests {
    /// Stand-ins for `names` in a folder of the sandbox, each a script that exits 0:
    /// the PATH to run them with.
    static func standIns(_ box: Sandbox, _ names: [String]) -> String {
        mkdir(box.folder.path + "/bin", 0o700)
        for name in names { box.folder.write("bin/" + name, "#!/bin/sh\nexit 0\n", mode: 0o700) }
        return box.folder.path + "/bin:" + box.environment["PATH"]!
    }

    @Test("the operands of programs that take no target (hosts, users, databases, files, secrets) are never recorded")
    func personalOperands() throws {
        let box = Sandbox()
        try box.on()
        let path = Self.standIns(
            box, ["ssh", "su", "psql", "mysql", "htpasswd", "ping", "nslookup", "vi", "sleep", "curl", "sudo"])
        let runs: [[String]] = [
            ["ssh", "canary-db-7"], ["ssh", "-p", "22", "canaryhost2"], ["su", "canaryalice"],
            ["psql", "canarycustomers"], ["mysql", "-u", "canaryroot", "canarysecretdb"],
            ["htpasswd", "-b", "canaryfile", "canaryuser", "canarypass"], ["sh", "-c", "exit 0", "canaryhunter2"],
            ["ping", "10.0.0.57"], ["nslookup", "canary-internal-host"], ["vi", "canarynotes.txt"],
            ["sleep", "5"], ["curl", "-d", "G=canarydomain", "https://example.com/"], ["sudo", "canaryuser2"],
        ]
        var texts: [(String, String)] = []
        for arguments in runs {
            let run = try box.tlm(["run", "--"] + arguments, environment: ["PATH": path])
            #expect(run.status == .exited(0), "\(arguments): \(run.errorText)")
            texts.append((arguments.joined(separator: " "), run.text + run.errorText))
        }
        let events = box.events.compactMap { $0 }
        #expect(events.count == runs.count)
        for (event, arguments) in zip(events, runs) {
            #expect(event.target == arguments[0] && event.command == arguments[0] && event.domain == nil)
        }
        for name in try box.folder.list("tlm-home") {
            texts.append((name, box.folder.text("tlm-home/" + name) ?? ""))
        }
        for arguments in [
            ["status"], ["report"], ["report", "--by", "domain"], ["export", "json"], ["export", "csv"],
        ] {
            let printed = try box.tlm(arguments)
            texts.append((arguments.joined(separator: " "), printed.text + printed.errorText))
        }
        for (name, text) in texts {
            for canary in ["canary", "10.0.0.57"] {
                #expect(!text.lowercased().contains(canary), "\(canary) is in \(name)")
            }
        }
    }
}

@Suite("Signal names")
struct SignalNameTests {
    @Test(
        "named as a shell names them, real-time signals included",
        arguments: [
            (SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGSYS, "SIGSYS"), (34, "SIGRTMIN"), (35, "SIGRTMIN+1"),
            (49, "SIGRTMIN+15"), (50, "SIGRTMAX-14"), (63, "SIGRTMAX-1"), (64, "SIGRTMAX"), (99, "SIG99"),
        ] as [(Int32, String)])
    func names(number: Int32, name: String) {
        #expect(SignalName.name(of: number) == name)
    }

    @Test("tlm's exit statuses are one table (ExitStatus), which SupervisorError's statuses come from")
    func exitStatusTable() {
        let table = [
            ExitStatus.success, ExitStatus.failure, ExitStatus.usage, ExitStatus.timedOut, ExitStatus.runFailure,
            ExitStatus.cannotExecute, ExitStatus.notFound,
        ]
        #expect(table == [0, 1, 64, 124, 125, 126, 127])
        #expect(SupervisorError.commandNotFound("x").exitStatus == ExitStatus.notFound)
        #expect(SupervisorError.cannotExecute("x", errno: EACCES).exitStatus == ExitStatus.cannotExecute)
        #expect(SupervisorError.binaryFile("x").exitStatus == ExitStatus.cannotExecute)
        #expect(SupervisorError.spawnFailed("x", errno: EAGAIN).exitStatus == ExitStatus.runFailure)
    }
}
