import TLMTestSupport
import Testing

@testable import TLMRecorder

@Suite("W3C traceparent: parsing and new contexts")
struct TraceParentTests {
    static let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test("the specification's example, and its fields")
    func example() throws {
        let parent = try #require(TraceParent(header: Self.valid))
        #expect(parent.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(parent.parentID == "00f067aa0ba902b7")
        #expect(parent.flags == 1)
        #expect(TraceParent(header: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")?.flags == 0)
        #expect(TraceParent(header: " \t" + Self.valid + " ")?.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    @Test("a higher version may be longer, after a dash; its first fields are read as version 00's")
    func futureVersion() {
        #expect(TraceParent(header: "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")?.flags == 1)
        #expect(
            TraceParent(header: "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09-what-the-future-holds") != nil)
        #expect(TraceParent(header: "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09x") == nil)
    }

    @Test(
        "invalid values are refused",
        arguments: [
            "", "garbage", "00", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0G",
            "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
            "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-701",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
            "00-4bf92f3577b34da6a3ce929d0e0e4736\n00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e47é-00f067aa0ba902b7-01",
        ])
    func invalid(value: String) {
        #expect(TraceParent(header: value) == nil)
    }

    @Test("a new trace: random lowercase hex ids, 32 and 16 digits, different each time")
    func newTrace() {
        let hex = { (text: String, count: Int) in
            text.utf8.count == count && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        }
        var seen = Set<String>()
        for _ in 0..<200 {
            let context = TraceContext.start(traceparent: nil)
            #expect(hex(context.traceID, 32) && hex(context.spanID, 16))
            #expect(context.parentSpanID == nil)
            #expect(context.childTraceparent == "00-\(context.traceID)-\(context.spanID)-01")
            #expect(TraceParent(header: context.childTraceparent) != nil)
            seen.insert(context.traceID)
        }
        #expect(seen.count == 200)
    }

    @Test("a valid parent is continued; an invalid one starts a new trace")
    func continuation() {
        let child = TraceContext.start(traceparent: Self.valid)
        #expect(child.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(child.parentSpanID == "00f067aa0ba902b7")
        #expect(child.spanID != "00f067aa0ba902b7")
        let fresh = TraceContext.start(traceparent: "00-00000000000000000000000000000000-00f067aa0ba902b7-01")
        #expect(fresh.parentSpanID == nil)
        #expect(fresh.traceID != "00000000000000000000000000000000")
    }

    /// A generator that first gives zeros, to show that an all-zero id is never used.
    struct ZerosFirst: RandomNumberGenerator {
        var zeros: Int
        mutating func next() -> UInt64 {
            if zeros > 0 {
                zeros -= 1
                return 0
            }
            return 0xABC
        }
    }

    @Test("an all-zero id is drawn again")
    func neverZero() {
        var random = ZerosFirst(zeros: 4)
        #expect(TraceContext.randomHex(words: 2, using: &random) == "0000000000000abc0000000000000abc")
        var one = ZerosFirst(zeros: 1)
        #expect(TraceContext.randomHex(words: 2, using: &one) == "00000000000000000000000000000abc")
    }
}

@Suite("CI provider")
struct CIProviderTests {
    @Test(
        "each provider by its own variable; generic for CI=true alone; nothing outside CI",
        arguments: [
            (["GITHUB_ACTIONS": "true", "CI": "true"], "github-actions"),
            (["GITLAB_CI": "true", "CI": "true"], "gitlab"),
            (["JENKINS_URL": "https://ci.example/"], "jenkins"),
            (["BUILDKITE": "true", "CI": "true"], "buildkite"),
            (["CIRCLECI": "true", "CI": "true"], "circleci"),
            (["TF_BUILD": "True"], "azure-pipelines"),
            (["BITBUCKET_BUILD_NUMBER": "42", "CI": "true"], "bitbucket"),
            (["TRAVIS": "true", "CI": "true"], "travis"),
            (["CI": "true"], "generic"), (["CI": "TRUE"], "generic"), (["CI": "1"], "generic"),
            (["CI": "false"], nil), (["CI": "0"], nil), (["CI": ""], nil), ([:], nil),
            (["GITHUB_ACTIONS": "false"], nil), (["JENKINS_URL": ""], nil), (["GITLAB_CI": ""], nil),
        ] as [([String: String], String?)])
    func detect(environment: [String: String], expected: String?) {
        #expect(CIProvider.detect(Environment(environment)) == expected)
    }
}

@Suite("Host facts")
struct HostInfoTests {
    @Test("the values uname, nproc and /proc/meminfo give, and no name")
    func current() throws {
        let host = HostInfo.current()
        let path = ["PATH": "/usr/bin:/bin"]
        #expect(try Spawned.run(["uname", "-m"], environment: path).text == host.arch + "\n")
        #expect(try Spawned.run(["nproc"], environment: path).text == "\(host.cpuCount)\n")
        #if os(Linux)
            let meminfo = try #require(readFile("/proc/meminfo"))
            let line = try #require(String(decoding: meminfo, as: UTF8.self).split(separator: "\n").first)
            let kilobytes = try #require(Double(line.split(separator: " ").dropFirst().first ?? ""))
            #expect(abs(kilobytes * 1024 / 1e9 - host.memoryGB) <= 0.06)
        #endif
        #if os(Linux)
            #expect(host.os == "linux")
        #endif
        #expect(host.cpuCount >= 1)
        #expect(host.memoryGB > 0.1)
        #expect(["x86_64", "aarch64", "arm64", "riscv64", "ppc64le", "s390x", "i686", "armv7l"].contains(host.arch))
        #expect((host.memoryGB * 10).rounded() == host.memoryGB * 10)
    }
}
