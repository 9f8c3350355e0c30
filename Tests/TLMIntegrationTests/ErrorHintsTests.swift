import Glibc
import TLMRecorder
import TLMTestSupport
import Testing

@testable import TLMCLI

/// Errors that show the way (issue 17): each names the problem and the way
/// out, on one line, with the documented status (64; 125 for run's own).
@Suite("errors that show the way")
struct ErrorHintsTests {
    static let usageErrors: [(arguments: [String], message: String)] = [
        (["rnu"], "tlm: unknown subcommand 'rnu'; did you mean 'run'? (try 'tlm --help')"),
        (["stauts"], "tlm: unknown subcommand 'stauts'; did you mean 'status'? (try 'tlm --help')"),
        // Too far from every subcommand to guess.
        (["xy"], "tlm: unknown subcommand 'xy' (try 'tlm --help')"),
        (["--hepl"], "tlm: unknown option '--hepl'; did you mean '--help'? (try 'tlm --help')"),
        (
            ["report", "--sinse", "2d"],
            "tlm report: unknown option '--sinse'; did you mean '--since'? (try 'tlm report --help')"
        ),
        (
            ["run", "--retires", "2", "--", "true"],
            "tlm run: unknown option '--retires'; did you mean '--retries'? (try 'tlm run --help')"
        ),
        (
            ["report", "--since", "2", "days"],
            "tlm report: --since takes one word, e.g. 2d, not '2 days' (try 'tlm report --help')"
        ),
        (
            ["report", "--since", "2days"],
            "tlm report: --since '2days' is not a time: an age takes one word, e.g. 2d (s, m, h, d or w)"
                + " (try 'tlm report --help')"
        ),
        (
            ["report", "--until", "3 Hours"],
            "tlm report: --until '3 Hours' is not a time: an age takes one word, e.g. 3h (s, m, h, d or w)"
                + " (try 'tlm report --help')"
        ),
        (
            ["config", "set", "max_log_bytes", "-5"],
            "tlm config: max_log_bytes '-5' is not valid: use a whole number from 1 to 1099511627776"
                + " (try 'tlm config --help')"
        ),
        (
            ["run", "--timeout", "400d", "--", "true"],
            "tlm run: --timeout '400d' is too long: at most a year (366d) (try 'tlm run --help')"
        ),
        (
            ["run", "--timeout", "0", "--kill-after", "1s", "--", "true"],
            "tlm run: --kill-after needs --timeout above 0 (0 is no time limit) (try 'tlm run --help')"
        ),
        (
            ["help", "nosuch"],
            "tlm help: no help for 'nosuch': the subcommands are run, on, off, status, report, config, export,"
                + " shell-init, clear, log, help (try 'tlm help --help')"
        ),
        (["help", "rnu"], "tlm help: no help for 'rnu'; did you mean 'run'? (try 'tlm help --help')"),
        (["log"], "tlm log: missing --target, --duration and --exit-code (try 'tlm log --help')"),
        (
            ["log", "--target", "sync", "--exit-code", "0"],
            "tlm log: missing --duration (try 'tlm log --help')"
        ),
        (
            ["log", "--target", "sync", "--duration", "-1s", "--exit-code", "0"],
            "tlm log: --duration must be seconds (1.5) or a duration (1.5s, 90s, 2m), 0 or more, not '-1s'"
                + " (try 'tlm log --help')"
        ),
    ]

    @Test("a usage error names the way out, on one line, with 64 (run: 125)", arguments: usageErrors)
    func usageError(arguments: [String], message: String) throws {
        let run = try Sandbox().tlm(arguments)
        #expect(run.errorLines == [message])
        #expect(run.status == .exited(arguments.first == "run" ? 125 : 64))
        #expect(run.stdout.isEmpty)
    }

    @Test("suggestions: one edit or a swap away, never a tie, never a wild guess")
    func suggestions() {
        let names = CommandCatalog.commands.map(\.name)
        #expect(Suggestion.closest(to: "rnu", among: names) == "run")
        #expect(Suggestion.closest(to: "reprot", among: names) == "report")
        #expect(Suggestion.closest(to: "shellinit", among: names) == "shell-init")
        #expect(Suggestion.closest(to: "of", among: names) == nil)  // on and off: a tie
        #expect(Suggestion.closest(to: "zzzzzz", among: names) == nil)
        #expect(Suggestion.closest(to: "run", among: names) == nil)
        #expect(Suggestion.editDistance(Array("ab".unicodeScalars), Array("ba".unicodeScalars)) == 1)
    }

    @Test("log --duration takes units as every duration option does; --domain \"\" records null")
    func logAsAnklume() throws {
        let box = Sandbox()
        try box.on()
        for (text, seconds) in [("1.5s", 1.5), ("90s", 90.0), ("2m", 120.0), ("45", 45.0)] {
            let run = try box.tlm(["log", "--target", "sync", "--duration", text, "--exit-code", "0", "--domain", ""])
            #expect(run.status == .exited(0), "\(text): \(run.errorText)")
            #expect(run.errorText.isEmpty)
            #expect(box.events.last??.durationSeconds == seconds, "\(text)")
        }
        #expect(box.logLines.allSatisfy { $0.contains("\"domain\":null") })
    }

    @Test("on and off: the headline says what is true now, when the environment overrules the marker")
    func onOffHeadlines() throws {
        let box = Sandbox()
        let on = try box.tlm(["on"], environment: ["DO_NOT_TRACK": "1"])
        #expect(on.status == .exited(0))
        #expect(
            on.text
                == "telemetry stays off in this environment: DO_NOT_TRACK is set"
                + " (opted in: runs are recorded where it is not)\n")
        #expect(on.errorText.isEmpty)
        #expect(box.folder.exists("tlm-home/enabled"))
        let off = try box.tlm(["off"], environment: ["TLM_TELEMETRY": "1"])
        #expect(off.status == .exited(0))
        #expect(
            off.text
                == "telemetry stays on in this environment: TLM_TELEMETRY turns it on"
                + " (opted out: nothing is recorded where it does not)\n")
        #expect(off.errorText.isEmpty)
        #expect(!box.folder.exists("tlm-home/enabled"))
        // Without the variables, the headlines are today's.
        #expect(try box.tlm(["on"]).text == "telemetry on: each 'tlm run' appends one line to \(box.logPath)\n")
        #expect(try box.tlm(["off"]).text == "telemetry off\n")
    }

    @Test("run: one line when it gives up after its retries, or times out; nothing for a plain failure")
    func givingUpAndTimingOut() throws {
        let box = Sandbox()
        let plain = try box.tlm(["run", "--", "sh", "-c", "exit 3"])
        #expect(plain.status == .exited(3))
        #expect(plain.errorText.isEmpty)
        let retried = try box.tlm(["run", "--retries", "2", "--retry-delay", "10ms", "--", "sh", "-c", "exit 3"])
        #expect(retried.status == .exited(3))
        #expect(retried.errorLines.count == 3)
        #expect(retried.errorLines.last == "tlm: sh failed 3 times, giving up")
        // A retry that succeeds did not give up.
        box.folder.write("count", "")
        let script = "echo x >> count; [ $(wc -l < count) -ge 2 ]"
        let healed = try box.tlm(["run", "--retries", "2", "--retry-delay", "10ms", "--", "sh", "-c", script])
        #expect(healed.status == .exited(0))
        #expect(healed.errorLines.count == 1)
        let timedOut = try box.tlm(["run", "--timeout", "1s", "--", "sleep", "5"])
        #expect(timedOut.status == .exited(124))
        #expect(timedOut.errorLines == ["tlm: sleep timed out after 1s"])
        let quiet = try box.tlm(["run", "--quiet", "--retries", "1", "--retry-delay", "10ms", "--", "false"])
        #expect(quiet.status == .exited(1))
        #expect(quiet.errorText.isEmpty)
        let quietTimeout = try box.tlm(["run", "--quiet", "--timeout", "500ms", "--", "sleep", "5"])
        #expect(quietTimeout.status == .exited(124))
        #expect(quietTimeout.errorText.isEmpty)
    }

    @Test("TLM_DEBUG=1: whether an automatic export started, or why not")
    func debugAutomaticExport() throws {
        let box = Sandbox()
        try box.on()
        let debug = ["TLM_DEBUG": "1"]
        func lastLine() throws -> String? { try box.tlm(["run", "--", "true"], environment: debug).errorLines.last }
        #expect(try lastLine() == "tlm: debug: automatic export not started: export.auto is off")
        #expect(try box.tlm(["config", "set", "export.auto", "true"]).status == .exited(0))
        #expect(
            try lastLine()
                == "tlm: debug: automatic export not started: no endpoint (export.endpoint or OTEL_EXPORTER_OTLP_ENDPOINT)"
        )
        // Nothing listens on port 9: the background export fails, silently.
        #expect(try box.tlm(["config", "set", "export.endpoint", "http://127.0.0.1:9"]).status == .exited(0))
        #expect(try box.tlm(["config", "set", "export.interval", "1h"]).status == .exited(0))
        #expect(try lastLine()?.hasPrefix("tlm: debug: automatic export started (") == true)
        for _ in 0..<200 where !box.folder.exists("tlm-home/export.lock") { usleep(10_000) }
        let notYet = "tlm: debug: automatic export not started: interval not reached (the last started "
        #expect(try lastLine()?.hasPrefix(notYet) == true)
        // Without TLM_DEBUG, nothing is said.
        #expect(try box.tlm(["run", "--", "true"]).errorText.isEmpty)
    }

    @Test("TLM_DEBUG=1: no automatic export while another export holds the lock")
    func debugLockHeld() throws {
        let box = Sandbox()
        try box.on()
        for (key, value) in [
            ("export.endpoint", "http://127.0.0.1:9"), ("export.auto", "true"), ("export.interval", "0s"),
        ] {
            #expect(try box.tlm(["config", "set", key, value]).status == .exited(0))
        }
        // Another export holds the lock (this test, here): the automatic one would give up.
        let fd = open(box.home + "/export.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let run = try box.tlm(["run", "--", "true"], environment: ["TLM_DEBUG": "1"])
        #expect(run.status == .exited(0))
        #expect(
            run.errorLines.last
                == "tlm: debug: automatic export not started: another export holds \(box.home)/export.lock")
    }
}
