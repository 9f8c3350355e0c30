import Glibc
import TLMRecorder
import TLMSupervisor
import TLMTestSupport
import Testing

/// Issue 15, sections 1 and 2: every signal sent to tlm with `kill` reaches the
/// command, a stop sent to tlm stops the command (tlm follows its state), and
/// children tlm had before the command are none of the teardown's business.
@Suite("tlm run passes on every signal sent to it, and tears down only the command's tree")
struct SignalFollowingTests {
    @Test("a fault signal sent to tlm kills a command that does not trap it, and tlm dies of it too, without a core")
    func faultSignalKills() throws {
        let box = Sandbox()
        try box.on()
        let process = try box.start(["run", "--", "sh", "-c", "echo ready; exec sleep 30"])
        try process.read(until: "ready")
        process.signal(SIGSEGV)
        try process.finish()
        #expect(process.status == .signaled(SIGSEGV))
        #expect(!process.dumpedCore)
        let event = try #require(box.events.first ?? nil)
        #expect(event.signal == "SIGSEGV")
        #expect(event.durationSeconds < 30)
    }

    @Test("kill -TSTP to tlm stops the command, and a continued command ends as usual")
    func stopForwarded() throws {
        let box = Sandbox()
        try box.on()
        let process = try box.start(["run", "--", "sh", "-c", "echo $$; exec sleep 30"])
        try process.read(until: "\n")
        let child = try #require(pid_t(process.text.prefix { $0.isNumber }))
        process.signal(SIGTSTP)
        // Before: tlm stopped and the command slept on.
        #expect(ProcessStat.reaches(child, state: "T"))
        // Without a controlling terminal tlm does not follow the stop (nobody could
        // continue it); with one, it would: continue it either way.
        kill(child, SIGKILL)
        process.signal(SIGCONT)
        try process.finish()
        #expect(process.status == .signaled(SIGKILL))
    }

    @Test("children tlm had before the command are left out of the timeout's teardown and its wait")
    func preexistingChildrenLeftAlone() throws {
        let box = Sandbox()
        try box.on()
        // A container entrypoint's shape: the shell's background job becomes tlm's child
        // through `exec`. It ignores TERM: signalled and waited for, it would hold tlm
        // the whole kill-after (30 s) before being killed.
        let script = """
            trap '' TERM; sleep 60 >/dev/null 2>&1 & echo $! > sidecar.pid; trap - TERM
            exec "$0" run --timeout 0.5 --kill-after 30 -- sleep 20
            """
        let started = Spawned.now()
        let run = try box.direct(["sh", "-c", script, TLMBinary.path])
        let elapsed = Spawned.now() - started
        let sidecar = try #require(pid_t((box.folder.text("sidecar.pid") ?? "").prefix { $0.isNumber }))
        defer { kill(sidecar, SIGKILL) }
        #expect(run.status == .exited(124))
        #expect(elapsed < 15, "tlm waited for a process it did not start")
        #expect(kill(sidecar, 0) == 0, "the sidecar was killed")
        #expect(ProcessStat.state(sidecar) != "Z")
        #expect(box.events.first??.timedOut == true)
    }
}
