import Glibc
import TLMRecorder
import TLMSupervisor
import TLMTestSupport
import Testing

/// `tlm run --retries`: when a failed command is run again, when it is not,
/// what is said between attempts, and what the one event of the run says.
@Suite("tlm run --retries")
struct RetryTests {
    /// A command that fails until its `n`-th attempt (counted in a file), then
    /// exits 0; with `n` 0 it fails every time, with the attempt's number.
    static func flaky(succeedingAt n: Int) -> [String] {
        let script = """
            count=$(( $(cat attempts 2>/dev/null || echo 0) + 1 )); echo $count > attempts
            [ \(n) -ne 0 ] && [ $count -ge \(n) ] && exit 0
            exit $count
            """
        return ["sh", "-c", script]
    }

    @Test("a command that fails twice then succeeds: three attempts, status 0, one line per retry")
    func retriesUntilSuccess() throws {
        let box = Sandbox()
        try box.on()
        let run = try box.tlm(["run", "--retries", "3", "--retry-delay", "50ms", "--"] + Self.flaky(succeedingAt: 3))
        #expect(run.status == .exited(0))
        #expect(run.errorLines.count == 2)
        #expect(run.errorLines.first?.hasPrefix("tlm: sh exited 1, retry 1/3 in 0.") == true, "\(run.errorLines)")
        #expect(run.errorLines.last?.hasPrefix("tlm: sh exited 2, retry 2/3 in 0.") == true, "\(run.errorLines)")
        let event = try #require(box.events.first ?? nil)
        #expect(box.events.count == 1)
        #expect(event.attempts == 3)
        #expect(event.exitCode == 0)
        #expect(event.timedOut == false)
        // The duration covers the attempts and the waits between them (at least 25 ms + 50 ms).
        #expect(event.durationSeconds >= 0.075)
    }

    @Test("when every attempt fails, tlm exits with the last attempt's status")
    func lastStatus() throws {
        let box = Sandbox()
        try box.on()
        let run = try box.tlm(["run", "--retries", "2", "--retry-delay", "10ms", "--"] + Self.flaky(succeedingAt: 0))
        #expect(run.status == .exited(3))
        #expect(run.errorLines.count == 3)
        #expect(run.errorLines.last == "tlm: sh failed 3 times, giving up")
        let event = try #require(box.events.first ?? nil)
        #expect(event.attempts == 3)
        #expect(event.exitCode == 3)
    }

    @Test("--quiet says nothing between attempts; --retries 0 never retries")
    func quietAndZero() throws {
        let box = Sandbox()
        let quiet = try box.tlm([
            "run", "--retries", "1", "--retry-delay", "10ms", "--quiet", "--", "sh", "-c", "exit 4",
        ])
        #expect(quiet.status == .exited(4))
        #expect(quiet.stderr.isEmpty)
        #expect(box.folder.exists("attempts") == false)
        let zero = try box.tlm(["run", "--retries", "0", "--"] + Self.flaky(succeedingAt: 0))
        #expect(zero.status == .exited(1))
        #expect(zero.stderr.isEmpty)
    }

    @Test("no retry when the command dies of INT, TERM or HUP", arguments: ["INT", "TERM", "HUP"])
    func noRetryAfterCancelSignal(signal: String) throws {
        let box = Sandbox()
        try box.on()
        let run = try box.tlm([
            "run", "--retries", "3", "--retry-delay", "10ms", "--", "sh", "-c",
            "echo x >> attempts; kill -\(signal) $$",
        ])
        #expect(run.status == .signaled(SignalName.number(named: signal)!))
        #expect(run.stderr.isEmpty)
        #expect(box.folder.text("attempts") == "x\n")
        #expect(box.events.first??.attempts == 1)
    }

    @Test("a death by another signal is a failure, and is retried")
    func retryAfterOtherSignal() throws {
        let box = Sandbox()
        let run = try box.tlm([
            "run", "--retries", "1", "--retry-delay", "10ms", "--", "sh", "-c", "echo x >> attempts; kill -USR1 $$",
        ])
        #expect(run.status == .signaled(SIGUSR1))
        #expect(run.errorLines.first?.hasPrefix("tlm: sh died of SIGUSR1, retry 1/1 in ") == true, "\(run.errorLines)")
        #expect(box.folder.text("attempts") == "x\nx\n")
    }

    @Test("no retry when tlm receives TERM while the command runs, whatever the command then exits with")
    func noRetryAfterTermToTLM() throws {
        let box = Sandbox()
        try box.on()
        let process = try box.start([
            "run", "--retries", "3", "--retry-delay", "10ms", "--", "sh", "-c",
            "echo x >> attempts; trap 'exit 5' TERM; echo ready; sleep 30 >/dev/null 2>&1 & wait",
        ])
        try process.read(until: "ready")
        process.signal(SIGTERM)
        try process.finish(timeout: 20)
        #expect(process.status == .exited(5))
        #expect(box.folder.text("attempts") == "x\n")
        #expect(box.events.first??.attempts == 1)
    }

    @Test("TERM while tlm waits to retry: no retry, the last attempt's status, at once")
    func termDuringBackoff() throws {
        let box = Sandbox()
        try box.on()
        let process = try box.start(["run", "--retries", "3", "--retry-delay", "30s", "--", "sh", "-c", "exit 6"])
        try process.read(until: "retry 1/3", fromStderr: true)
        let sent = Spawned.now()
        process.signal(SIGTERM)
        try process.finish(timeout: 20)
        #expect(process.status == .exited(6))
        #expect(Spawned.now() - sent < 10)  // not the 15 to 30 s of the wait
        #expect(box.events.first??.attempts == 1)
    }

    @Test("no retry after Ctrl-C at a terminal, even when the command exits normally on it")
    func noRetryAfterControlC() throws {
        let box = Sandbox()
        try box.on()
        let terminal = try PseudoTerminal(
            [
                TLMBinary.path, "run", "--retries", "3", "--retry-delay", "10ms", "--", "sh", "-c",
                "cd '\(box.folder.path)'; echo x >> attempts; trap 'exit 7' INT; echo ready; sleep 30 & wait",
            ], environment: box.environment)
        try terminal.read(until: "ready")
        terminal.type("\u{03}")
        #expect(try terminal.wait() == .exited(7))
        #expect(!terminal.text.contains("retry"))
        #expect(box.folder.text("attempts") == "x\n")
        #expect(box.events.first??.attempts == 1)
    }

    @Test("the waits grow from --retry-delay, doubling, jittered into their upper half, capped by --retry-max-delay")
    func waitsWithinBounds() throws {
        let box = Sandbox()
        let run = try box.tlm([
            "run", "--retries", "5", "--retry-delay", "100ms", "--retry-max-delay", "400ms", "--", "sh", "-c", "exit 1",
        ])
        #expect(run.status == .exited(1))
        let waits = run.errorLines.compactMap { line -> Double? in
            guard let range = line.range(of: " in ", options: .backwards), line.hasSuffix("s") else { return nil }
            return Double(line[range.upperBound...].dropLast())
        }
        #expect(waits.count == 5)
        // Ceilings 0.1, 0.2, 0.4, 0.4, 0.4 s; each wait in [ceiling/2, ceiling], printed to the tenth.
        for (index, wait) in waits.enumerated() {
            let ceiling = min(0.1 * Double(1 << index), 0.4)
            #expect(
                wait >= (ceiling / 2 * 10).rounded(.down) / 10 && wait <= ceiling + 0.05, "wait \(index + 1): \(wait)")
        }
    }

    @Test("backoff bounds: doubling from the base, capped, never overflowing")
    func backoffBounds() {
        let backoff = Backoff(base: 1_000_000_000, maximum: 60_000_000_000)
        #expect(backoff.bounds(retry: 1) == 500_000_000...1_000_000_000)
        #expect(backoff.bounds(retry: 2) == 1_000_000_000...2_000_000_000)
        #expect(backoff.bounds(retry: 6) == 16_000_000_000...32_000_000_000)
        #expect(backoff.bounds(retry: 7) == 30_000_000_000...60_000_000_000)
        #expect(backoff.bounds(retry: 1000) == 30_000_000_000...60_000_000_000)
        let huge = Backoff(base: UInt64.max / 3, maximum: UInt64.max)
        #expect(huge.bounds(retry: 100).upperBound == UInt64.max)
        var generator = SystemRandomNumberGenerator()
        for retry in 1...10 {
            let delay = backoff.delay(retry: retry, using: &generator)
            #expect(backoff.bounds(retry: retry).contains(delay))
        }
        let zero = Backoff(base: 0, maximum: 60_000_000_000)
        #expect(zero.bounds(retry: 3) == 0...0)
    }

    @Test(
        "bad values are one-line usage errors (125), nothing run",
        arguments: [
            ["--retries", "-1"], ["--retries", "x"], ["--retries", "1001"], ["--retry-delay", "1s"],
            ["--retries", "2", "--retry-delay", "soon"], ["--retry-on-timeout"], ["--retries", "1", "--retries", "2"],
            ["--quiet=yes"],
        ])
    func badValues(options: [String]) throws {
        let box = Sandbox()
        let run = try box.tlm(["run"] + options + ["--", "sh", "-c", "echo ran"])
        #expect(run.status == .exited(125))
        #expect(run.errorLines.count == 1)
        #expect(run.errorLines.first?.hasPrefix("tlm run: ") == true, "\(run.errorLines)")
        #expect(run.text.isEmpty)
    }
}

@Suite("Durations as tlm run takes them")
struct DurationValueTests {
    @Test(
        "accepted forms",
        arguments: [
            ("90", 90.0), ("90s", 90), ("1.5s", 1.5), ("1.5", 1.5), ("500ms", 0.5), ("10m", 600), ("1h30m", 5400),
            ("2d", 172_800), ("1h0.5m", 3630), ("0", 0), ("0s", 0), ("1m30s", 90),
        ])
    func accepted(text: String, seconds: Double) {
        #expect(DurationValue.nanoseconds(text) == UInt64((seconds * 1e9).rounded()))
    }

    @Test(
        "refused forms",
        arguments: [
            "", "s", "-1", "1x", "1 s", "1h 30m", "90 ", "1S", "10m5", "367d", "ms",
            "1..5s", "１",
        ])
    func refused(text: String) {
        #expect(DurationValue.nanoseconds(text) == nil)
    }

    @Test("delays as tlm prints them")
    func text() {
        #expect(DurationValue.text(nanoseconds: 0) == "0.0s")
        #expect(DurationValue.text(nanoseconds: 1_449_000_000) == "1.4s")
        #expect(DurationValue.text(nanoseconds: 59_940_000_000) == "59.9s")
        #expect(DurationValue.text(nanoseconds: 90_000_000_000) == "1m30s")
        #expect(DurationValue.text(nanoseconds: 3_900_000_000_000) == "1h05m")
    }
}
