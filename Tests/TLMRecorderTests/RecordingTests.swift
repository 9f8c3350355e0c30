import TLMTestSupport
import Testing

@testable import TLMRecorder

/// `Recorder.prepare`: what it settles before a run, and what `append` writes after.
@Suite("Recorder.prepare and Recording.append")
struct RecordingTests {
    static let parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

    func event(_ target: String) -> Event {
        Event(
            timestamp: Timestamp(millisecondsSinceEpoch: 1_771_065_000_000), target: target, durationSeconds: 1,
            exitCode: 0)
    }

    @Test("tracked_targets: a target left out is off (.untracked), with no trace, CI or file")
    func untracked() throws {
        let tmp = TemporaryFolder()
        let environment = Environment([
            "TLM_HOME": tmp.path + "/tlm", "TLM_TELEMETRY": "1", "TLM_TRACKED_TARGETS": "apply,sync",
            "GITHUB_ACTIONS": "true",
        ])
        let other = Recorder(environment: environment).prepare(target: "other")
        #expect(!other.isOn)
        #expect(other.consent.rule == .untracked)
        #expect(other.trace == nil && other.ci == nil)
        #expect(try other.append(event("other")) == false)
        #expect(!tmp.exists("tlm"))

        let apply = Recorder(environment: environment).prepare(target: "apply")
        #expect(apply.isOn)
        #expect(apply.consent.rule == .environmentOn)
        #expect(apply.trace != nil && apply.ci == "github-actions")
        #expect(try apply.append(event("apply")) == true)
        let (events, _) = try Recorder(environment: environment).events()
        #expect(events.map(\.target) == ["apply"])
        #expect(events.first?.traceID == apply.trace?.traceID && events.first?.ci == "github-actions")
    }

    @Test("without a given target, the command names it (and its domain) for tracked_targets")
    func namedFromCommand() {
        let environment = Environment([
            "TLM_HOME": "/nonexistent/tlm", "TLM_TELEMETRY": "1", "TLM_TRACKED_TARGETS": "apply",
        ])
        let make = Recorder(environment: environment).prepare(command: ["/usr/bin/make", "-j4", "apply", "G=web"])
        #expect(make.isOn)
        #expect(make.target == "apply" && make.domain == "web")
        let given = Recorder(environment: environment).prepare(target: "apply", domain: "db", command: ["make", "x"])
        #expect(given.isOn && given.target == "apply" && given.domain == "db")
        let other = Recorder(environment: environment).prepare(command: ["make", "plan"])
        #expect(!other.isOn && other.consent.rule == .untracked)
    }

    @Test("the trace continues a valid TRACEPARENT; placing keeps fields already set")
    func context() {
        let environment = Environment([
            "TLM_HOME": "/nonexistent/tlm", "TLM_TELEMETRY": "1", "TRACEPARENT": Self.parent,
        ])
        let recording = Recorder(environment: environment).prepare(target: "apply")
        let trace = recording.trace
        #expect(trace != nil)
        #expect(trace?.traceID == "0af7651916cd43dd8448eb211c80319c")
        #expect(trace?.parentSpanID == "b7ad6b7169203331")
        #expect(recording.ci == nil)
        let placed = recording.placed(event("apply"))
        #expect(placed.traceID == trace?.traceID && placed.spanID == trace?.spanID)
        var own = event("apply")
        own.traceID = "1"
        own.spanID = "2"
        own.ci = "mine"
        #expect(recording.placed(own) == own)
    }

    @Test("no data folder: prepare still decides; append throws why only when on")
    func noFolder() {
        let on = Recorder(environment: Environment(["TLM_TELEMETRY": "1"])).prepare(target: "apply")
        #expect(on.isOn)
        #expect(throws: RecorderError.noHomeFolder) { try on.append(event("apply")) }
        let off = Recorder(environment: Environment([:])).prepare(target: "apply")
        #expect(!off.isOn && off.consent.rule == .defaultOff)
        #expect(throws: Never.self) { try off.append(event("apply")) }
    }

    @Test("settings problems are kept for the caller, and the defaults used")
    func problems() {
        let environment = Environment(["TLM_HOME": "/nonexistent/tlm", "TLM_KEEP_ROTATED": "x"])
        let recording = Recorder(environment: environment).prepare(target: "apply")
        #expect(recording.settings.problems.count == 1)
        #expect(recording.settings.keepRotated == 4)
    }

    @Test("Recorder.record(_:) follows the same rules: tracked_targets included")
    func recordEvent() throws {
        let tmp = TemporaryFolder()
        let environment = Environment([
            "TLM_HOME": tmp.path + "/tlm", "TLM_TELEMETRY": "1", "TLM_TRACKED_TARGETS": "apply",
        ])
        let recorder = Recorder(environment: environment)
        #expect(try recorder.record(event("other")) == false)
        #expect(try recorder.record(target: "other", durationSeconds: 1, exitCode: 0) == false)
        #expect(try recorder.record(event("apply")) == true)
        let (events, _) = try recorder.events()
        #expect(events.map(\.target) == ["apply"])
        // As given: record(_:) places nothing of its own.
        #expect(events.first?.traceID == nil)
    }
}
