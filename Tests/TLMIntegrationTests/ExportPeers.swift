import Foundation
import Glibc
import TLMTestSupport

/// The OTLP receiver of Fixtures/otlp_receiver.py (opentelemetry-proto's parser),
/// started on 127.0.0.1 on a port the system picks, stopped by `stop()`.
final class OTLPReceiver: @unchecked Sendable {
    let folder: TemporaryFolder
    let process: Spawned
    let port: Int
    var spansPath: String { folder.path + "/spans.jsonl" }
    var requestsPath: String { folder.path + "/requests.jsonl" }
    var holdPath: String { folder.path + "/release" }

    static let script = ShippedFile.path("Tests/TLMIntegrationTests/Fixtures/otlp_receiver.py")

    init(_ options: [String] = [], in folder: TemporaryFolder = TemporaryFolder()) throws {
        self.folder = folder
        let environment = ["PATH": ShippedFileTool.searchPath, "HOME": folder.path]
        var arguments = ["python3", Self.script, "--record", folder.path + "/spans.jsonl"]
        arguments += ["--requests", folder.path + "/requests.jsonl"] + options
        // `HOLD` in the options stands for the file whose creation releases held requests.
        arguments = arguments.map { $0 == "HOLD" ? folder.path + "/release" : $0 }
        process = try Spawned(arguments, environment: environment)
        try process.read(until: "\n", timeout: 30)
        guard let number = Int(process.text.split(separator: "\n").first ?? "") else {
            throw PeerFailure(description: "the receiver printed no port: \(process.text) \(process.errorText)")
        }
        port = number
    }

    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Every span received, as the receiver parsed it.
    var spans: [[String: Any]] { Self.jsonLines(spansPath) }
    /// One entry per request: its status, and why it was refused when it was invalid.
    var requests: [[String: Any]] { Self.jsonLines(requestsPath) }

    func stop() {
        process.signal(SIGKILL)
        try? process.finish(timeout: 10)
    }

    deinit { stop() }

    static func jsonLines(_ path: String) -> [[String: Any]] {
        guard let bytes = readFile(path) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { line in
            try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
    }

    /// Waits until `condition` holds (checked every 50 ms), at most `timeout` seconds.
    static func wait(timeout: Double = 30, _ condition: () -> Bool) -> Bool {
        let deadline = Spawned.now() + timeout
        while Spawned.now() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }
}

/// Fixtures/redirector.py on 127.0.0.1: a redirector (`--redirect STATUS URL`)
/// or, without it, a sink that answers 200 to anything; both log every request.
final class LoopbackPeer: @unchecked Sendable {
    let folder = TemporaryFolder()
    let process: Spawned
    let port: Int

    static let script = ShippedFile.path("Tests/TLMIntegrationTests/Fixtures/redirector.py")

    /// A sink, or a peer answering every request with `status` and `Location: to`.
    init(redirect status: Int? = nil, to target: String = "") throws {
        var arguments = ["python3", Self.script, "--requests", folder.path + "/requests.jsonl"]
        if let status { arguments += ["--redirect", String(status), target] }
        process = try Spawned(arguments, environment: ["PATH": ShippedFileTool.searchPath, "HOME": folder.path])
        try process.read(until: "\n", timeout: 30)
        guard let number = Int(process.text.split(separator: "\n").first ?? "") else {
            throw PeerFailure(description: "the peer printed no port: \(process.text) \(process.errorText)")
        }
        port = number
    }

    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// An address where nothing listens (a port that was free a moment ago).
    static func downEndpoint() -> String { "http://127.0.0.1:\(freePort())" }

    /// Every request received: method, path (with its query), headers (names lowercased), bodyLength.
    var requests: [[String: Any]] { OTLPReceiver.jsonLines(folder.path + "/requests.jsonl") }

    deinit {
        process.signal(SIGKILL)
        try? process.finish(timeout: 10)
    }
}

/// A port free on 127.0.0.1 now (for peers that cannot pick their own).
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// An HTTP GET through Python's urllib (the test bundle links no HTTP client): the body, or nil.
func httpGet(_ url: String) -> String? {
    let code =
        "import sys,urllib.request;sys.stdout.write(urllib.request.urlopen(sys.argv[1],timeout=5).read().decode())"
    guard
        let result = try? Spawned.run(
            ["python3", "-c", code, url], environment: ["PATH": ShippedFileTool.searchPath], timeout: 30),
        result.status == .exited(0)
    else { return nil }
    return result.text
}

/// A test peer that would not start.
struct PeerFailure: Error, CustomStringConvertible {
    let description: String
}
