import Glibc
import TLMRecorder
import TLMTestSupport
import Testing

/// `tlm run` and W3C trace context: each recorded run is a span; the command
/// gets `TRACEPARENT` naming it, so that nested runs form one trace.
@Suite("Trace context: nested runs form a tree")
struct TraceContextTests {
    static let parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    /// `00-<32 hex>-<16 hex>-01` split in its four fields, or nil.
    static func fields(_ traceparent: String) -> [String]? {
        let parts = traceparent.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        let hex = { (text: String, count: Int) in
            text.utf8.count == count && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        }
        guard parts.count == 4, parts[0] == "00", hex(parts[1], 32), hex(parts[2], 16), parts[3] == "01" else {
            return nil
        }
        return parts
    }

    @Test("telemetry on: the command gets a TRACEPARENT naming this run's span, and the event records it")
    func newTrace() throws {
        let box = Sandbox()
        try box.on()
        let run = try box.tlm(["run", "--", "sh", "-c", "printf %s \"$TRACEPARENT\""])
        let parts = try #require(Self.fields(run.text), "\(run.text)")
        let event = try #require(box.events.first ?? nil)
        #expect(event.traceID == parts[1])
        #expect(event.spanID == parts[2])
        #expect(event.parentSpanID == nil)
        // Random, not derived from anything: a second run is another trace.
        let again = try box.tlm(["run", "--", "sh", "-c", "printf %s \"$TRACEPARENT\""])
        #expect(Self.fields(again.text)?[1] != parts[1])
    }

    @Test("a valid TRACEPARENT is continued: same trace, the caller's span as parent, a new span")
    func continued() throws {
        let box = Sandbox()
        try box.on()
        let run = try box.tlm(
            ["run", "--", "sh", "-c", "printf %s \"$TRACEPARENT\""], environment: ["TRACEPARENT": Self.parent])
        let parts = try #require(Self.fields(run.text), "\(run.text)")
        #expect(parts[1] == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(parts[2] != "00f067aa0ba902b7")
        let event = try #require(box.events.first ?? nil)
        #expect(event.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(event.parentSpanID == "00f067aa0ba902b7")
        #expect(event.spanID == parts[2])
    }

    @Test("three nested tlm run: three events, one trace, each run the parent of the one it started")
    func nested() throws {
        let box = Sandbox()
        try box.on()
        let tlm = TLMBinary.path
        let run = try box.tlm([
            "run", "--target", "outer", "--", tlm, "run", "--target", "middle", "--", tlm, "run", "--target", "inner",
            "--", "true",
        ])
        #expect(run.status == .exited(0))
        let events = box.events.compactMap { $0 }
        #expect(events.count == 3)
        let byTarget = Dictionary(uniqueKeysWithValues: events.map { ($0.target, $0) })
        let outer = try #require(byTarget["outer"])
        let middle = try #require(byTarget["middle"])
        let inner = try #require(byTarget["inner"])
        #expect(outer.traceID != nil && middle.traceID == outer.traceID && inner.traceID == outer.traceID)
        #expect(outer.parentSpanID == nil)
        #expect(middle.parentSpanID == outer.spanID)
        #expect(inner.parentSpanID == middle.spanID)
        #expect(Set([outer.spanID, middle.spanID, inner.spanID]).count == 3)
    }

    @Test("tlm log inside a wrapped run is a child span of it, and names the CI provider")
    func logInsideRun() throws {
        let box = Sandbox()
        try box.on()
        let run = try box.tlm(
            [
                "run", "--target", "outer", "--", TLMBinary.path, "log", "--target", "inner", "--duration", "1",
                "--exit-code", "0",
            ], environment: ["CI": "true"])
        #expect(run.status == .exited(0))
        let events = box.events.compactMap { $0 }
        let outer = try #require(events.first { $0.target == "outer" })
        let inner = try #require(events.first { $0.target == "inner" })
        #expect(inner.traceID == outer.traceID && inner.parentSpanID == outer.spanID && inner.spanID != outer.spanID)
        #expect(inner.ci == "generic" && outer.ci == "generic")
        #expect(inner.attempts == nil && inner.timedOut == nil)
    }

    @Test(
        "an invalid TRACEPARENT is ignored: a new trace starts, no error",
        arguments: [
            "garbage", "", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
        ])
    func invalid(value: String) throws {
        let box = Sandbox()
        try box.on()
        let run = try box.tlm(
            ["run", "--", "sh", "-c", "printf %s \"$TRACEPARENT\""], environment: ["TRACEPARENT": value])
        #expect(run.status == .exited(0))
        #expect(run.stderr.isEmpty)
        let parts = try #require(Self.fields(run.text), "\(run.text)")
        let event = try #require(box.events.first ?? nil)
        #expect(event.parentSpanID == nil)
        #expect(event.traceID == parts[1])
        #expect(parts[1] != "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    @Test("telemetry off: the command's environment is untouched, TRACEPARENT included")
    func offChangesNothing() throws {
        let box = Sandbox()
        for extra in [[:], ["TRACEPARENT": Self.parent]] {
            let direct = try box.direct(["/usr/bin/env"], environment: extra)
            let wrapped = try box.tlm(["run", "--", "/usr/bin/env"], environment: extra)
            #expect(Self.withoutProfiler(wrapped.text) == direct.text)
        }
        #expect(!box.logExists)
    }

    @Test("--no-trace-context: telemetry on, the environment untouched; the event still has its ids")
    func noInjection() throws {
        let box = Sandbox()
        try box.on()
        for extra in [[:], ["TRACEPARENT": Self.parent]] {
            let direct = try box.direct(["/usr/bin/env"], environment: extra)
            let wrapped = try box.tlm(["run", "--no-trace-context", "--", "/usr/bin/env"], environment: extra)
            #expect(Self.withoutProfiler(wrapped.text) == direct.text)
        }
        let events = box.events.compactMap { $0 }
        #expect(events.count == 2)
        #expect(events.allSatisfy { $0.traceID != nil && $0.spanID != nil })
        #expect(events[1].parentSpanID == "00f067aa0ba902b7")
    }

    @Test("telemetry on: TRACEPARENT is the one variable that differs, replaced in place")
    func onlyTraceparentDiffers() throws {
        let box = Sandbox()
        try box.on()
        let extra = ["TRACEPARENT": Self.parent, "TLM_CANARY": "a b"]
        let direct = Self.withoutProfiler(try box.direct(["/usr/bin/env"], environment: extra).text)
        let wrapped = Self.withoutProfiler(try box.tlm(["run", "--", "/usr/bin/env"], environment: extra).text)
        let directLines = direct.split(separator: "\n").map(String.init)
        let wrappedLines = wrapped.split(separator: "\n").map(String.init)
        #expect(directLines.count == wrappedLines.count)
        for (before, after) in zip(directLines, wrappedLines) where before != after {
            #expect(before == "TRACEPARENT=" + Self.parent)
            #expect(after.hasPrefix("TRACEPARENT=00-4bf92f3577b34da6a3ce929d0e0e4736-"))
        }
    }

    /// A coverage-instrumented tlm adds one variable of the profiling runtime's own.
    static func withoutProfiler(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("__LLVM_PROFILE_RT_INIT_ONCE=") }.joined(separator: "\n")
    }
}

@Suite("CI context")
struct CIContextTests {
    @Test(
        "the event names the CI provider, and only that",
        arguments: [
            ([:], nil), (["CI": "true"], "generic"), (["GITHUB_ACTIONS": "true", "CI": "true"], "github-actions"),
            (["GITLAB_CI": "true", "CI": "true"], "gitlab"), (["CI": "false"], nil),
        ] as [([String: String], String?)])
    func provider(environment: [String: String], expected: String?) throws {
        let box = Sandbox()
        try box.on()
        let extra = environment.merging(["GITHUB_REPOSITORY": "alice/secret-repo", "GITHUB_REF": "refs/heads/x"]) { $1 }
        try box.tlm(["run", "--", "true"], environment: extra)
        let event = try #require(box.events.first ?? nil)
        #expect(event.ci == expected)
        #expect(!box.logLines.joined().contains("secret-repo") && !box.logLines.joined().contains("refs/heads"))
    }
}
