import Glibc
import TLMRecorder
import TLMTestSupport

/// The `tlm` binary under test: `TLM_TEST_BINARY` if set (to test a release
/// build), else the one `swift build` put beside this test bundle.
enum TLMBinary {
    static let path: String = {
        if let chosen = getenv("TLM_TEST_BINARY") { return String(cString: chosen) }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        precondition(count > 0, "cannot locate the test bundle")
        let bundle = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let folder = bundle[..<bundle.lastIndex(of: "/")!]
        return folder + "/tlm"
    }()
}

/// A private world for one test: a temporary HOME and TLM_HOME, and an
/// environment that holds nothing of the developer's or CI's own.
final class Sandbox: @unchecked Sendable {
    let folder = TemporaryFolder()
    var home: String { folder.path + "/tlm-home" }
    var logPath: String { home + "/usage.jsonl" }

    var environment: [String: String] {
        ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": folder.path, "TLM_HOME": home, "LC_ALL": "C"]
    }

    /// Runs `tlm ARGS` to the end.
    @discardableResult
    func tlm(
        _ arguments: [String], environment extra: [String: String] = [:], stdin: Spawned.Input = .null,
        keep: [Int32] = [], timeout: Double = 60
    ) throws -> Spawned {
        try Spawned.run(
            [TLMBinary.path] + arguments, environment: environment.merging(extra) { $1 }, stdin: stdin,
            directory: folder.path, keep: keep, timeout: timeout)
    }

    /// Starts `tlm ARGS` and returns at once.
    func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Spawned {
        try Spawned(
            [TLMBinary.path] + arguments, environment: environment.merging(extra) { $1 }, directory: folder.path)
    }

    /// Runs any command in the sandbox's environment (to compare with tlm in front).
    @discardableResult
    func direct(_ arguments: [String], environment extra: [String: String] = [:], keep: [Int32] = []) throws -> Spawned
    {
        try Spawned.run(arguments, environment: environment.merging(extra) { $1 }, directory: folder.path, keep: keep)
    }

    /// Opts in.
    func on() throws {
        let result = try tlm(["on"])
        precondition(result.status == .exited(0), "tlm on failed: \(result.errorText)")
    }

    /// The log's lines, empty when there is no log.
    var logLines: [String] {
        guard let bytes = readFile(logPath) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// The events in the log; fails the caller's expectations through nil entries for bad lines.
    var events: [Event?] { logLines.map { EventParser.parse($0) } }

    var logExists: Bool { folder.exists("tlm-home/usage.jsonl") }
}
