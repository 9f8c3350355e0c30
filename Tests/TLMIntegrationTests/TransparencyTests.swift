import Glibc
import TLMRecorder
import TLMSupervisor
import TLMTestSupport
import Testing

@Suite("tlm run is transparent: same bytes, environment, descriptors, signals, process group")
struct TransparencyTests {
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count / 8).flatMap { _ in withUnsafeBytes(of: generator.next()) { Array($0) } }
    }

    @Test("10 MB of binary data on stdout, stdin and stderr pass byte for byte")
    func binaryStreams() throws {
        let box = Sandbox()
        try box.on()
        let data = Self.randomBytes(10 << 20)
        box.folder.write("blob", data)
        let out = try box.tlm(["run", "--", "cat", "blob"])
        #expect(out.status == .exited(0))
        #expect(out.stdout == data)
        let through = try box.tlm(["run", "--", "cat"], stdin: .bytes(data))
        #expect(through.stdout == data)
        let err = try box.tlm(["run", "--", "sh", "-c", "cat blob >&2"])
        #expect(err.stderr == data)
        #expect(err.stdout.isEmpty)
        #expect(box.events.count == 3)
    }

    @Test("arguments that are not UTF-8 reach the command byte for byte")
    func rawArguments() throws {
        let box = Sandbox()
        box.folder.write("args.sh", "printf '%s' \"$1\" > arg.bin\n", mode: 0o755)
        // Through a shell, so that the bytes are made by printf, not by this test's String.
        try box.direct(["sh", "-c", "exec \"$0\" run -- ./args.sh \"$(printf 'a\\377\\376b')\"", TLMBinary.path])
        #expect(box.folder.bytes("arg.bin") == [0x61, 0xFF, 0xFE, 0x62])
    }

    @Test("the command sees the same environment as without tlm")
    func environment() throws {
        let box = Sandbox()
        try box.on()
        let extra = [
            "TLM_CANARY": "a b\tc", "EMPTY": "", "MAKEFLAGS": "-j4 --jobserver-auth=3,4", "LANG": "fr_FR.UTF-8",
        ]
        let direct = try box.direct(["/usr/bin/env"], environment: extra)
        let wrapped = try box.tlm(["run", "--", "/usr/bin/env"], environment: extra)
        // A coverage-instrumented tlm (swift test --enable-code-coverage) adds one variable
        // of the profiling runtime's own; a release or debug build adds none. With telemetry
        // on, tlm adds the one documented variable, TRACEPARENT (TraceContextTests).
        let lines = wrapped.text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("__LLVM_PROFILE_RT_INIT_ONCE=") }
        #expect(lines.filter { $0.hasPrefix("TRACEPARENT=") }.count == 1)
        #expect(lines.filter { !$0.hasPrefix("TRACEPARENT=") }.joined(separator: "\n") == direct.text)
        #expect(wrapped.text.contains("TLM_CANARY=a b\tc\n"))
    }

    @Test("the command gets the caller's descriptors and none of tlm's")
    func descriptors() throws {
        let box = Sandbox()
        try box.on()
        // An inherited descriptor (as make's jobserver passes) must reach the command.
        let fd = open(box.folder.path + "/inherited", O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        defer { close(fd) }
        let moved = fcntl(fd, F_DUPFD_CLOEXEC, 37)
        defer { close(moved) }
        let direct = try box.direct(["/bin/ls", "/proc/self/fd"], keep: [moved])
        let wrapped = try box.tlm(["run", "--", "/bin/ls", "/proc/self/fd"], keep: [moved])
        #expect(wrapped.text == direct.text)
        #expect(wrapped.text.split(separator: "\n").map(String.init) == ["0", "1", "2", "3", String(moved)])
    }

    @Test("signal mask and dispositions are the caller's: default, or ignored under nohup")
    func signalState() throws {
        let box = Sandbox()
        try box.on()
        let show = "grep -E '^Sig(Blk|Ign)' /proc/self/status"
        let direct = try box.direct(["sh", "-c", show])
        let wrapped = try box.tlm(["run", "--", "sh", "-c", show])
        #expect(wrapped.text == direct.text)
        #expect(wrapped.text.contains("SigBlk:\t0000000000000000"))
        // The command itself, with no shell in between to reset what it can: glibc's
        // posix_spawn would leave its internal signals 32 and 33 ignored.
        let grep = ["grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"]
        let directGrep = try box.direct(grep)
        let wrappedGrep = try box.tlm(["run", "--"] + grep)
        #expect(wrappedGrep.text == directGrep.text)
        #expect(wrappedGrep.text.contains("SigIgn:\t0000000000000000"))
        // `trap "" HUP` as nohup does: the command must still ignore HUP with tlm in front.
        let ignoring = "trap '' HUP; exec \"$0\" \"$@\""
        let nohupDirect = try box.direct(["sh", "-c", ignoring, "sh", "-c", show])
        let nohupWrapped = try box.direct(["sh", "-c", ignoring, TLMBinary.path, "run", "--", "sh", "-c", show])
        #expect(nohupWrapped.text == nohupDirect.text)
        let ignored = nohupWrapped.text.split(separator: "\n").first { $0.hasPrefix("SigIgn:") }
        let mask = ignored.flatMap { UInt64($0.dropFirst("SigIgn:\t".count), radix: 16) }
        #expect(mask.map { $0 & 1 == 1 } == true, "SIGHUP is not ignored: \(nohupWrapped.text)")
    }

    @Test("the command stays in tlm's process group and session")
    func processGroup() throws {
        let box = Sandbox()
        // Fields 5 and 6 of /proc/PID/stat: process group and session.
        let script = "cut -d' ' -f5,6 /proc/$$/stat; cut -d' ' -f5,6 /proc/$PPID/stat; cut -d' ' -f4 /proc/$$/stat"
        let run = try box.tlm(["run", "--", "sh", "-c", script])
        let lines = run.text.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0] == lines[1], "child and tlm in different groups: \(lines)")
        #expect(lines[2] == String(run.pid), "the command's parent is not tlm")
    }

    @Test("a command that closes its output, or starts with it closed, is no trouble")
    func closedStreams() throws {
        let box = Sandbox()
        try box.on()
        let run = try box.direct(["sh", "-c", "exec \"$0\" run -- sh -c 'echo lost; exit 6' >&- 2>&-", TLMBinary.path])
        #expect(run.status == .exited(6))
        #expect(box.events.first??.exitCode == 6)
    }
}

@Suite("Telemetry that fails changes nothing but one warning")
struct FailingTelemetryTests {
    /// Set by Tests/sanitizers.sh for its ThreadSanitizer run.
    static let underThreadSanitizer = getenv("TLM_SANITIZED").map { String(cString: $0) == "thread" } ?? false

    func expectOneWarning(_ run: Spawned) {
        #expect(run.errorLines.count == 1, "stderr: \(run.errorText)")
        #expect(
            run.errorLines.first?.hasPrefix("tlm: cannot ") == true
                || run.errorLines.first?.hasPrefix("tlm: refusing to write to ") == true)
        #expect(run.errorLines.first?.hasSuffix("(telemetry skipped; exit code unchanged)") == true)
    }

    @Test("TLM_HOME is a file, or below one (the folder cannot be made)", arguments: ["/file", "/file/tlm"])
    func homeNotAFolder(home: String) throws {
        let box = Sandbox()
        box.folder.write("file", "x")
        let run = try box.tlm(
            ["run", "--", "sh", "-c", "echo out; exit 3"],
            environment: ["TLM_HOME": box.folder.path + home, "TLM_TELEMETRY": "1"])
        #expect(run.status == .exited(3))
        #expect(run.text == "out\n")
        expectOneWarning(run)
    }

    @Test("the log is a folder, or a symbolic link")
    func logNotAFile() throws {
        let box = Sandbox()
        try box.on()
        mkdir(box.logPath, 0o700)
        let folder = try box.tlm(["run", "--", "sh", "-c", "exit 4"])
        #expect(folder.status == .exited(4))
        expectOneWarning(folder)
        rmdir(box.logPath)
        box.folder.write("target", "")
        symlink(box.folder.path + "/target", box.logPath)
        let link = try box.tlm(["run", "--", "sh", "-c", "exit 5"])
        #expect(link.status == .exited(5))
        expectOneWarning(link)
        #expect(box.folder.text("target") == "")
    }

    @Test("the log is a FIFO: no hang, one warning; status says what is wrong")
    func logIsFIFO() throws {
        let box = Sandbox()
        try box.on()
        #expect(mkfifo(box.logPath, 0o600) == 0)
        let run = try box.tlm(["run", "--", "sh", "-c", "exit 8"], timeout: 20)
        #expect(run.status == .exited(8))
        expectOneWarning(run)
        let status = try box.tlm(["status"], timeout: 20)
        #expect(status.status == .exited(1))
        #expect(status.errorLines == ["tlm: cannot use \(box.logPath): not a regular file"])
    }

    @Test(
        "the file-size limit is hit while appending (EFBIG, and SIGXFSZ must not kill tlm)",
        .disabled(
            if: FailingTelemetryTests.underThreadSanitizer,
            "ThreadSanitizer's own runtime is killed by the file-size limit (SIGXFSZ, SIGBUS) before tlm runs"))
    func fileSizeLimit() throws {
        let box = Sandbox()
        try box.on()
        let run = try box.direct(["sh", "-c", "ulimit -f 0; exec \"$0\" run -- sh -c 'exit 7'", TLMBinary.path])
        #expect(run.status == .exited(7))
        expectOneWarning(run)
    }

    @Test(
        "a write cut short by the file-size limit is reported, and the next run's event is whole",
        .disabled(
            if: FailingTelemetryTests.underThreadSanitizer,
            "ThreadSanitizer's own runtime is killed by the file-size limit (SIGXFSZ, SIGBUS) before tlm runs"))
    func shortWrite() throws {
        let box = Sandbox()
        try box.on()
        // 1,000 bytes of events; `ulimit -f 2` (512-byte blocks) leaves room for 24 more.
        let line =
            #"{"timestamp":"2026-01-01T00:00:00+00:00","target":"old","domain":null,"duration_seconds":1,"exit_code":0}"#
        var text = String(repeating: line + "\n", count: 9)
        text += String(repeating: " ", count: 1000 - text.utf8.count - 1) + "\n"
        box.folder.write("tlm-home/usage.jsonl", text)
        let cut = try box.direct(["sh", "-c", "ulimit -f 2; exec \"$0\" run -- sh -c 'exit 3'", TLMBinary.path])
        #expect(cut.status == .exited(3))
        #expect(cut.errorLines.count == 1)
        #expect(cut.errorText.contains("file too large"), "\(cut.errorText)")
        #expect(try box.tlm(["run", "--target", "after", "--", "true"]).status == .exited(0))
        let events = box.events
        #expect(events.compactMap { $0?.target } == Array(repeating: "old", count: 9) + ["after"])
        let status = try box.tlm(["status", "--json"])
        #expect(status.text.contains(#""malformed_lines":1"#), "\(status.text)")  // the fragment
    }

    @Test("a command killed by a signal still kills tlm when the log cannot be written")
    func signalAndFailure() throws {
        let box = Sandbox()
        let run = try box.tlm(
            ["run", "--", "sh", "-c", "kill -TERM $$"],
            environment: ["TLM_HOME": "/proc/version/tlm", "TLM_TELEMETRY": "1"])
        #expect(run.status == .signaled(SIGTERM))
        expectOneWarning(run)
    }

    @Test("no HOME, no TLM_HOME: with telemetry forced on, one warning; otherwise silence")
    func noHome() throws {
        let forced = try Spawned.run(
            [TLMBinary.path, "run", "--", "sh", "-c", "exit 2"],
            environment: ["PATH": "/usr/bin:/bin", "TLM_TELEMETRY": "1"])
        #expect(forced.status == .exited(2))
        #expect(forced.errorLines.count == 1)
        #expect(forced.errorText.contains("TLM_HOME"))
        let off = try Spawned.run(
            [TLMBinary.path, "run", "--", "sh", "-c", "exit 2"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(off.status == .exited(2))
        #expect(off.stderr.isEmpty)
    }

    @Test("the warning goes to a closed pipe: tlm still exits as the command did, not of SIGPIPE")
    func warningToClosedPipe() throws {
        let box = Sandbox()
        // stderr is a pipe whose reading end is already closed: the warning gets EPIPE.
        let script = """
            import os, subprocess, sys
            r, w = os.pipe()
            os.close(r)
            p = subprocess.run(sys.argv[1:], stderr=w)
            print(p.returncode)
            """
        let run = try box.direct(
            ["python3", "-c", script, TLMBinary.path, "run", "--", "sh", "-c", "exit 3"],
            environment: ["TLM_HOME": "/proc/version/tlm", "TLM_TELEMETRY": "1"])
        #expect(run.text == "3\n")
    }

    @Test("a corrupt log: the run still appends a readable event")
    func corruptLog() throws {
        let box = Sandbox()
        try box.on()
        box.folder.write("tlm-home/usage.jsonl", [0xFF, 0x00, 0x7B, 0x22, 0x0A, 0x01, 0x02])
        let run = try box.tlm(["run", "--", "true"])
        #expect(run.status == .exited(0))
        #expect(run.stderr.isEmpty)
        let status = try box.tlm(["status", "--json"])
        #expect(status.text.contains("\"events\":1,\"malformed_lines\":2"))
    }
}
