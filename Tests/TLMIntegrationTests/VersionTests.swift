import Glibc
import TLMCLI
import TLMTestSupport
import Testing

/// `tlm --version`: the version, and the commit the Makefile's release build
/// compiled in. The test build (`swift build`) is told no commit; the static
/// pass of `make check` (TLM_TEST_BINARY, see STATIC_SUITES) runs this suite
/// again against the release binary, which must name the checkout's commit.
@Suite("Version: tlm --version")
struct VersionTests {
    /// Whether the binary under test is the release build (TLM_TEST_BINARY).
    static let releaseBinary = getenv("TLM_TEST_BINARY") != nil

    /// tlm-export, beside the tlm under test; nil when it was not built (`make
    /// build-tlm` alone builds no tlm-export).
    static var exportBinary: String? {
        let path = String(TLMBinary.path.dropLast("tlm".count)) + "tlm-export"
        return access(path, X_OK) == 0 ? path : nil
    }

    @Test(
        "the test build prints 'tlm VERSION' alone, on stdout, exit 0, nothing on stderr; tlm-export the same",
        .enabled(if: !releaseBinary, "TLM_TEST_BINARY is set: the release build names its commit"),
        arguments: ["--version", "-V"])
    func testBuild(_ flag: String) throws {
        let box = Sandbox()
        try expectLine("tlm 0.3.0\n", from: box.tlm([flag]))
        #expect(CommandCatalog.version == "0.3.0")
        let export = try #require(Self.exportBinary, "swift build puts tlm-export beside tlm")
        try expectLine("tlm 0.3.0\n", from: box.direct([export, flag]))
    }

    @Test(
        "the release build prints 'tlm VERSION (COMMIT)', COMMIT as the Makefile computes it from git",
        .enabled(if: releaseBinary, "only the Makefile's release build is told a commit"),
        arguments: ["--version", "-V"])
    func releaseBuild(_ flag: String) throws {
        let expected = "tlm \(CommandCatalog.version) (\(try Self.checkoutCommit()))\n"
        let box = Sandbox()
        try expectLine(expected, from: box.tlm([flag]))
        if let export = Self.exportBinary { try expectLine(expected, from: box.direct([export, flag])) }
    }

    @Test("the Makefile's VERSION finds the version in the Swift source: one line, in the shape its sed reads")
    func versionInSource() throws {
        let source = try ShippedFile.text("Sources/TLMCLI/CommandSpec.swift")
        let lines = source.split(separator: "\n").filter { $0.contains("public static let version = ") }
        #expect(lines == ["    public static let version = \"\(CommandCatalog.version)\""])
    }

    private func expectLine(_ line: String, from result: Spawned) throws {
        #expect(result.status == .exited(0))
        #expect(result.text == line)
        #expect(result.errorLines.isEmpty, "stderr: \(result.errorText)")
    }

    /// `git rev-parse --short=7 HEAD`, then `-dirty` when tracked files differ
    /// from HEAD: what the Makefile's COMMIT is.
    static func checkoutCommit() throws -> String {
        let head = try ShippedFileTool.run("git", ["rev-parse", "--short=7", "HEAD"])
        #expect(head.status == .exited(0), "git rev-parse: \(head.errorText)")
        let commit = head.text.split(separator: "\n").first.map(String.init) ?? ""
        #expect(commit.utf8.count >= 7)
        let diff = try ShippedFileTool.run("git", ["diff", "--quiet", "HEAD", "--"])
        return diff.status == .exited(0) ? commit : commit + "-dirty"
    }
}
