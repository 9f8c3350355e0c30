import Foundation
import Glibc
import TLMRecorder
import TLMTestSupport
import Testing

/// Faults from outside: a data folder tlm may not write, tlm killed while it
/// appends, readers that go away, a command that leaves a daemon behind, and
/// logs with a huge line. Each time: the command's status unchanged, no good
/// event lost, memory bounded. (The file-size limit, a TLM_HOME that is a
/// file, a missing HOME and closed standard streams are in TransparencyTests.)
@Suite("fault injection", .serialized)
struct FaultInjectionTests {
    let sandbox = Sandbox()

    static func reportTotals(_ result: Spawned) throws -> [String: Any] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.text.utf8)) as? [String: Any])
        return try #require(object["totals"] as? [String: Any])
    }

    @Test("a read-only data folder: one warning, the status unchanged, nothing written")
    func readOnlyHome() throws {
        try sandbox.on()
        let folder = sandbox.home
        var command = [TLMBinary.path, "run", "--", "sh", "-c", "exit 5"]
        if getuid() == 0 {
            // root writes anywhere: run tlm as nobody, in a folder of nobody's that nobody may not write.
            #expect(chmod(sandbox.folder.path, 0o755) == 0)
            #expect(chown(folder, 65534, 65534) == 0)
            #expect(chown(folder + "/enabled", 65534, 65534) == 0)
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + command
        }
        #expect(chmod(folder, 0o500) == 0)
        defer { chmod(folder, 0o700) }
        let run = try Spawned.run(command, environment: sandbox.environment, directory: "/")
        #expect(run.status == .exited(5))
        #expect(run.errorLines.count == 1, "\(run.errorText)")
        #expect(run.errorText.hasPrefix("tlm: cannot "))
        #expect(run.errorText.hasSuffix("(telemetry skipped; exit code unchanged)\n"))
        #expect(!sandbox.logExists)
    }

    @Test("tlm killed by KILL at random points of 100 runs, then 100 runs: every complete event is read")
    func killedMidAppend() throws {
        try sandbox.on()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let run = try sandbox.start(["run", "--target", "killed", "--", "true"])
            usleep(UInt32.random(in: 0...4000, using: &generator))
            run.signal(SIGKILL)
            try run.finish(timeout: 30)
        }
        for _ in 0..<100 { try sandbox.tlm(["run", "--target", "after", "--", "true"]) }
        let lines = sandbox.logLines
        let parsed = lines.compactMap { EventParser.parse($0) }
        #expect(parsed.filter { $0.target == "after" }.count == 100)
        let totals = try Self.reportTotals(try sandbox.tlm(["report", "--format", "json", "--top", "0"]))
        #expect(totals["events"] as? Int == parsed.count)
        #expect(totals["malformed_lines"] as? Int == lines.count - parsed.count)
        #expect(lines.count - parsed.count <= 100)
    }

    @Test(
        "a reader that goes away (| head -1): no error, tlm ends by SIGPIPE as cat does",
        arguments: [["export", "json"], ["export", "csv"], ["report", "--format", "csv", "--top", "0"]])
    func readerGoesAway(arguments: [String]) throws {
        try sandbox.on()
        // Enough events for more than a pipe's buffer of output.
        var lines = ""
        for second in 0..<3000 {
            lines +=
                "{\"timestamp\":\"2026-02-14T10:00:00+00:00\",\"target\":\"t\(second)\",\"domain\":null,"
                + "\"duration_seconds\":1.5,\"exit_code\":0}\n"
        }
        sandbox.folder.write("tlm-home/usage.jsonl", lines)
        let quoted = ([TLMBinary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let result = try sandbox.direct(["bash", "-c", "\(quoted) | head -1 >/dev/null; echo ${PIPESTATUS[0]}"])
        #expect(result.text == "141\n")
        #expect(result.errorText.isEmpty, "\(result.errorText)")
    }

    @Test("a command that leaves a daemon behind: tlm returns when the command exits, without waiting for it")
    func daemonOutlivesCommand() throws {
        try sandbox.on()
        let pidFile = sandbox.folder.path + "/daemon.pid"
        let script = "sleep 60 </dev/null >/dev/null 2>&1 & echo $! > '\(pidFile)'; exit 4"
        let start = Spawned.now()
        let run = try sandbox.tlm(["run", "--", "sh", "-c", script], timeout: 30)
        let elapsed = Spawned.now() - start
        #expect(run.status == .exited(4))
        let pid = try #require(Int32(sandbox.folder.text("daemon.pid")?.split(separator: "\n").first ?? ""))
        #expect(kill(pid, 0) == 0, "the daemon is still running after tlm returned")
        kill(pid, SIGKILL)
        #expect(elapsed < 30)
        #expect(sandbox.events.first??.exitCode == 4)
    }

    @Test("a 100 MB line among events: report and export skip it in bounded memory and read the rest")
    func hugeLine() throws {
        try sandbox.on()
        let event =
            "{\"timestamp\":\"2026-02-14T10:00:00+00:00\",\"target\":\"apply\",\"domain\":\"web\","
            + "\"duration_seconds\":1.5,\"exit_code\":0}\n"
        let path = sandbox.logPath
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(fd >= 0)
        let before = Array(String(repeating: event, count: 100).utf8)
        before.withUnsafeBytes { writeAll(fd, $0) }
        // One line of 100 MB ("{" then letters), written in 1 MB pieces.
        let piece = [UInt8](repeating: 0x61, count: 1 << 20)
        "{\"target\":\"".utf8.withContiguousStorageIfAvailable { writeAll(fd, UnsafeRawBufferPointer($0)) }
        for _ in 0..<100 { piece.withUnsafeBytes { writeAll(fd, $0) } }
        Array("\n".utf8).withUnsafeBytes { writeAll(fd, $0) }
        before.withUnsafeBytes { writeAll(fd, $0) }
        close(fd)

        for (arguments, check) in [
            (["report", "--format", "json"], "report"), (["export", "json", "--quiet"], "json"),
            (["export", "otlp", "--output", "/dev/null", "--quiet"], "otlp"),
        ] {
            let result = try sandbox.direct(
                ["/usr/bin/time", "-f", "maxrss=%M", TLMBinary.path] + arguments)
            #expect(result.status == .exited(0), "\(arguments): \(result.errorText)")
            let rss = result.errorLines.last.flatMap { Int($0.dropFirst("maxrss=".count)) } ?? Int.max
            // Under AddressSanitizer (Tests/sanitizers.sh) freed memory is held in quarantine: no bound then.
            if getenv("TLM_SANITIZED") == nil { #expect(rss < 64 * 1024, "\(arguments) used \(rss) KB") }
            switch check {
            case "report":
                let totals = try Self.reportTotals(result)
                #expect(totals["events"] as? Int == 200)
                #expect(totals["malformed_lines"] as? Int == 1)
            case "json":
                #expect(result.text.split(separator: "\n").count == 200)
            default:
                #expect(sandbox.folder.text("tlm-home/export.cursor")?.contains("\"exported\":200") == true)
            }
        }
    }
}
