import Testing

@testable import TLMRecorder

@Suite("The logbook's JSON")
struct LogbookEncoderTests {
    static let start = Timestamp(millisecondsSinceEpoch: 1_771_065_000_000)  // 2026-02-14T10:30:00Z

    static let logbook = Logbook(
        status: .timeout, exitCode: 124, signal: nil, durationSeconds: 12.3456, startedAt: start,
        endedAt: Timestamp(millisecondsSinceEpoch: 1_771_065_012_346), command: "make", target: "a\"b\\c\n",
        domain: nil, host: HostInfo(os: "linux", arch: "x86_64", cpuCount: 8, memoryGB: 31.25),
        attempts: [
            Logbook.Attempt(
                startedAt: start, durationSeconds: 2, exitCode: 2, signal: nil, timedOut: false, cpuUserSeconds: 1.5,
                cpuSystemSeconds: 0.25, maxRSSKilobytes: 81234),
            Logbook.Attempt(
                startedAt: Timestamp(millisecondsSinceEpoch: 1_771_065_002_346), durationSeconds: 10, exitCode: 143,
                signal: "SIGTERM", timedOut: true, cpuUserSeconds: nil, cpuSystemSeconds: nil, maxRSSKilobytes: nil),
        ],
        maxRetries: 3)

    @Test("the documented layout, keys in order, strings escaped, null when unknown")
    func golden() {
        #expect(
            LogbookEncoder.json(Self.logbook) == """
                {
                  "schema_version": 1,
                  "summary": {"status": "timeout", "exit_code": 124, "signal": null, "duration_seconds": 12.346, \
                "attempts": 2, "started_at": "2026-02-14T10:30:00.000+00:00", "ended_at": "2026-02-14T10:30:12.346+00:00"},
                  "command": {"name": "make", "target": "a\\"b\\\\c\\n", "domain": null},
                  "host": {"os": "linux", "arch": "x86_64", "cpu_count": 8, "memory_gb": 31.3},
                  "attempts": [
                    {"number": 1, "started_at": "2026-02-14T10:30:00.000+00:00", "duration_seconds": 2.000, \
                "exit_code": 2, "signal": null, "timed_out": false, "cpu_user_seconds": 1.500, \
                "cpu_system_seconds": 0.250, "max_rss_kb": 81234},
                    {"number": 2, "started_at": "2026-02-14T10:30:02.346+00:00", "duration_seconds": 10.000, \
                "exit_code": 143, "signal": "SIGTERM", "timed_out": true, "cpu_user_seconds": null, \
                "cpu_system_seconds": null, "max_rss_kb": null}
                  ],
                  "retry_statistics": {"retry_attempts": 1, "max_retries": 3, "was_retried": true, "retry_succeeded": false}
                }

                """)
    }

    @Test("retry statistics follow the attempts and the status")
    func statistics() {
        var once = Self.logbook
        once.attempts.removeLast()
        once.status = .success
        #expect(once.retryAttempts == 0 && !once.wasRetried && !once.retrySucceeded)
        var retried = Self.logbook
        retried.status = .success
        #expect(retried.retryAttempts == 1 && retried.wasRetried && retried.retrySucceeded)
    }
}
