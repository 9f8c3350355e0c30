// Records one run of "sync" twice, as README.md's "The recorder module (Swift API)" shows: once
// with record(target:…), once with prepare/append, then reads the events back. make examples runs
// it in a temporary TLM_HOME and checks that each README line is here.
import TLMRecorder

let recorder = Recorder()  // reads TLM_HOME, TLM_TELEMETRY, DO_NOT_TRACK…
let started = Timestamp.now()
// … do the work …
try recorder.record(target: "sync", domain: "web", durationSeconds: 1.5, exitCode: 0, startedAt: started)

let decision = recorder.consent()  // .enabled, .rule, .explanation
let (events, summary) = try recorder.events()  // read back; summary.malformedLines counts skipped lines

let recording = Recorder().prepare(target: "sync", domain: "web")
// … start the work with TRACEPARENT=recording.trace?.childTraceparent when it is on …
try recording.append(
    Event(timestamp: started, target: recording.target, domain: recording.domain, durationSeconds: 1.5, exitCode: 0))

let (after, _) = try recorder.events()
print("telemetry \(decision.enabled ? "on" : "off") (\(decision.rule)): \(events.count) event, then \(after.count)")
print("malformed lines: \(summary.malformedLines); traceparent: \(recording.trace?.childTraceparent ?? "none")")
