import Glibc
import TLMRecorder
import TLMTestSupport
import Testing

/// Log rotation (`max_log_bytes`, `keep_rotated`) under concurrent writers, and
/// a torn last line.
@Suite("Log rotation")
struct RotationTests {
    @Test(
        "32 concurrent writers × 200 events, tiny threshold: exactly 6,400 valid events across the files, no duplicate")
    func concurrentWriters() throws {
        let box = Sandbox()
        let script = """
            i=0
            while [ $i -lt 200 ]; do
                "$0" log --target "w$1e$i" --duration 1 --exit-code 0 || exit 1
                i=$((i + 1))
            done
            """
        let environment = [
            "TLM_TELEMETRY": "1", "TLM_MAX_LOG_BYTES": "4096", "TLM_KEEP_ROTATED": "1000",
        ]
        let writers = try (0..<32).map { writer in
            try Spawned(
                ["sh", "-c", script, TLMBinary.path, String(writer)],
                environment: box.environment.merging(environment) { $1 }, directory: box.folder.path)
        }
        for writer in writers {
            try writer.finish(timeout: 600)
            #expect(writer.status == .exited(0), "\(writer.errorText)")
        }
        let files = try box.folder.list("tlm-home").filter { $0.hasPrefix("usage.jsonl") && $0 != "usage.jsonl.lock" }
        #expect(files.count > 10)  // it did rotate, many times
        var targets: [String] = []
        var malformed = 0
        for name in files {
            // Blank lines count as malformed here: a JSON Lines file has none.
            var lines = (box.folder.text("tlm-home/" + name) ?? "").split(
                separator: "\n", omittingEmptySubsequences: false)
            if lines.last == "" { lines.removeLast() }
            for line in lines {
                if let event = EventParser.parse(String(line)) { targets.append(event.target) } else { malformed += 1 }
            }
            #expect(box.folder.mode("tlm-home/" + name) == 0o600)
        }
        #expect(targets.count == 6400)
        #expect(Set(targets).count == 6400)
        #expect(malformed == 0)
        // Every reader sees them all: status counts the rotated files too.
        let status = try box.tlm(["status", "--json"])
        #expect(status.text.contains("\"events\":6400,"))
        let report = try box.tlm(["report", "--format", "csv", "--top", "0"])
        #expect(report.text.split(separator: "\n").count == 6401)
    }

    @Test("keep_rotated N keeps the N newest rotated logs; 0 keeps none")
    func keep() throws {
        let box = Sandbox()
        try box.on()
        let environment = ["TLM_MAX_LOG_BYTES": "1", "TLM_KEEP_ROTATED": "2"]
        for index in 0..<5 {
            try box.tlm(
                ["log", "--target", "t\(index)", "--duration", "1", "--exit-code", "0"], environment: environment)
        }
        // Each event fills the log: it is rotated after every write.
        #expect(
            try box.folder.list("tlm-home").filter { $0.hasPrefix("usage.jsonl.") } == [
                "usage.jsonl.1", "usage.jsonl.2", "usage.jsonl.lock",
            ])
        #expect(box.folder.text("tlm-home/usage.jsonl.1")?.contains("\"t4\"") == true)
        #expect(box.folder.text("tlm-home/usage.jsonl.2")?.contains("\"t3\"") == true)
        // Lowering keep drops the logs beyond it at the next rotation.
        try box.tlm(
            ["log", "--target", "t5", "--duration", "1", "--exit-code", "0"],
            environment: ["TLM_MAX_LOG_BYTES": "1", "TLM_KEEP_ROTATED": "0"])
        #expect(try box.folder.list("tlm-home").filter { $0.hasPrefix("usage.jsonl") } == ["usage.jsonl.lock"])
    }

    @Test(
        "a torn last line (a writer killed mid-line) is skipped; every complete event stays readable, through rotations"
    )
    func tornLine() throws {
        let box = Sandbox()
        try box.on()
        try box.tlm(["log", "--target", "before", "--duration", "1", "--exit-code", "0"])
        // What a writer killed mid-write leaves: half a line, no newline.
        let fd = open(box.logPath, O_WRONLY | O_APPEND)
        let fragment = Array(#"{"timestamp":"2026-02-14T10:30:00.000+00:00","target":"tor"#.utf8)
        _ = fragment.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        for index in 0..<100 {
            try box.tlm(
                ["log", "--target", "a\(index)", "--duration", "1", "--exit-code", "0"],
                environment: ["TLM_MAX_LOG_BYTES": "8192", "TLM_KEEP_ROTATED": "100"])
        }
        let status = try box.tlm(["status", "--json"])
        #expect(status.text.contains("\"events\":101,\"malformed_lines\":1,"), "\(status.text)")
        #expect(try box.folder.list("tlm-home").contains("usage.jsonl.1"))
    }

    @Test("a rotated log keeps mode 0600, whatever the umask")
    func modes() throws {
        let box = Sandbox()
        try box.on()
        let run = try box.direct(
            [
                "sh", "-c",
                "umask 000; \"$0\" log --target a --duration 1 --exit-code 0 && \"$0\" log --target b --duration 1 --exit-code 0",
                TLMBinary.path,
            ], environment: ["TLM_MAX_LOG_BYTES": "1"])
        #expect(run.status == .exited(0))
        for name in ["usage.jsonl.1", "usage.jsonl.2", "usage.jsonl.lock"] {
            #expect(box.folder.mode("tlm-home/" + name) == 0o600, "\(name)")
        }
    }
}

/// tlm refuses to write where another user could redirect or forge its data.
@Suite("File safety")
struct FileSafetyTests {
    func expectRefusal(_ run: Spawned, _ fragment: String) {
        #expect(run.status == .exited(4))
        #expect(run.errorLines.count == 1, "\(run.errorLines)")
        #expect(run.errorLines.first?.hasPrefix("tlm: refusing to write to ") == true, "\(run.errorLines)")
        #expect(run.errorLines.first?.contains(fragment) == true, "\(run.errorLines)")
        #expect(run.errorLines.first?.hasSuffix("(telemetry skipped; exit code unchanged)") == true)
    }

    @Test("a data folder group or others may write to: refused, with the fix")
    func openFolder() throws {
        let box = Sandbox()
        try box.on()
        chmod(box.home, 0o770)
        let run = try box.tlm(["run", "--", "sh", "-c", "exit 4"])
        expectRefusal(run, "group or others may write to it (chmod 700 \(box.home))")
        #expect(!box.logExists)
    }

    @Test("a log others may write to: refused, and not written")
    func openLog() throws {
        let box = Sandbox()
        try box.on()
        box.folder.write("tlm-home/usage.jsonl", "", mode: 0o666)
        let run = try box.tlm(["run", "--", "sh", "-c", "exit 4"])
        expectRefusal(run, "chmod 600 \(box.logPath)")
        #expect(box.folder.text("tlm-home/usage.jsonl") == "")
    }

    @Test("a log that is a symbolic link: refused, its target untouched")
    func linkedLog() throws {
        let box = Sandbox()
        try box.on()
        box.folder.write("theirs", "theirs\n")
        symlink(box.folder.path + "/theirs", box.logPath)
        let run = try box.tlm(["run", "--", "sh", "-c", "exit 4"])
        expectRefusal(run, "it is a symbolic link")
        #expect(box.folder.text("theirs") == "theirs\n")
    }

    @Test("a marker that is a symbolic link does not opt in, and tlm on refuses to follow it")
    func linkedMarker() throws {
        let box = Sandbox()
        mkdir(box.home, 0o700)
        box.folder.write("theirs", "")
        symlink(box.folder.path + "/theirs", box.home + "/enabled")
        try box.tlm(["run", "--", "true"])
        #expect(!box.logExists)
        let on = try box.tlm(["on"])
        #expect(on.status == .exited(1))
    }

    @Test("a folder or log that belongs to another user: refused")
    func anotherUser() throws {
        // The tests run as root on CI, where chown can give a file away; elsewhere the
        // permission checks above are the ones that can be exercised.
        guard geteuid() == 0 else {
            Issue.record("needs root to give a file to another user (CI runs as root)")
            return
        }
        let box = Sandbox()
        try box.on()
        try box.tlm(["run", "--", "true"])
        chown(box.logPath, 65534, 65534)
        expectRefusal(try box.tlm(["run", "--", "sh", "-c", "exit 4"]), "it belongs to another user (uid 65534)")
        chown(box.logPath, 0, 0)
        chown(box.home, 65534, 65534)
        expectRefusal(try box.tlm(["run", "--", "sh", "-c", "exit 4"]), "it belongs to another user (uid 65534)")
        chown(box.home, 0, 0)
        #expect(try box.tlm(["run", "--", "true"]).status == .exited(0))
        #expect(box.events.count == 2)
    }

    @Test("the folder 0700 and files 0600 whatever the umask", arguments: ["000", "077", "022"])
    func modes(umask: String) throws {
        let box = Sandbox()
        let run = try box.direct(
            [
                "sh", "-c", "umask \(umask); \"$0\" on && \"$0\" run -- true && \"$0\" config set keep_rotated 3",
                TLMBinary.path,
            ])
        #expect(run.status == .exited(0), "\(run.errorText)")
        #expect(box.folder.mode("tlm-home") == 0o700)
        for name in ["enabled", "usage.jsonl", "usage.jsonl.lock", "config.json"] {
            #expect(box.folder.mode("tlm-home/" + name) == 0o600, "\(name)")
        }
    }
}
