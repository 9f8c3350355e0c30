import TLMSystem

/// The processes a command started, for `tlm run --timeout`: found by walking
/// parent links from tlm down, through `/proc`.
///
/// tlm is made a child subreaper before it starts a command with a time limit,
/// so a process whose parent exits is handed to tlm rather than to init: a
/// background job, or a daemon that double-forks into a new session, stays in
/// tlm's tree however it detaches. Zombies are not counted: they have ended.
///
/// Children tlm had before it started the command (`sh -c 'sidecar & exec tlm
/// run --timeout …'`: the shell's background job becomes tlm's child) are not
/// the command's: they and their trees are noted before the spawn and left out.
/// One limit: a process such a child starts later and then leaves (its parent
/// exits) is handed to tlm like the command's own, and counted with them.
///
/// Only used with a time limit: nothing here is on a run's usual path.
enum ProcessTree {
    /// The processes this process (`root`) has before it starts the command: its
    /// live descendants, or none at once (one `waitid`) when it has no child.
    static func preexisting(of root: pid_t) -> [pid_t] {
        var info = siginfo_t()
        let options = WEXITED | WSTOPPED | WCONTINUED | WNOHANG | WNOWAIT
        if waitid(P_ALL, 0, &info, options) < 0 && errno == ECHILD { return [] }
        return descendants(of: root)
    }

    /// The live descendants of `root`, but those in `excluded` and theirs.
    static func descendants(of root: pid_t, excluding excluded: [pid_t] = []) -> [pid_t] {
        // A name of up to 15 bytes (every pid) is stored inline: no allocation per process.
        guard let names = try? Folder.names("/proc") else { return [] }
        var pids: [pid_t] = []
        var parents: [pid_t] = []
        for name in names {
            var pid: pid_t = 0
            for byte in name.utf8 {
                guard byte >= 48, byte <= 57, pid < 100_000_000 else {
                    pid = 0
                    break
                }
                pid = pid * 10 + pid_t(byte - 48)
            }
            guard pid > 0, let (state, parent) = status(of: pid), state != UInt8(ascii: "Z") else { continue }
            pids.append(pid)
            parents.append(parent)
        }
        // Breadth first from root, over the parent links read above.
        var found: [pid_t] = []
        var frontier = [root]
        while !frontier.isEmpty {
            var next: [pid_t] = []
            for (index, parent) in parents.enumerated() where frontier.contains(parent) {
                let pid = pids[index]
                if pid != root && !found.contains(pid) && !excluded.contains(pid) {
                    found.append(pid)
                    next.append(pid)
                }
            }
            frontier = next
        }
        return found
    }

    /// Sends `signal` to every descendant of `root`, in rounds until a scan finds
    /// none not yet signalled (a process forked during the sweep is caught by the
    /// next one), then continues the stopped ones so that they can act on it.
    /// `also` is signalled first in any case (the command itself, where the tree
    /// cannot be read), unless it is 0 (already reaped): never `kill(0, …)`,
    /// which would signal tlm's whole process group. Those in `excluded`, and
    /// theirs, are left alone. Returns how many processes were signalled.
    @discardableResult
    static func signalAll(of root: pid_t, also command: pid_t, signal: Int32, excluding excluded: [pid_t] = [])
        -> Int
    {
        var signalled: [pid_t] = []
        if command > 0 {
            kill(command, signal)
            signalled.append(command)
        }
        for _ in 0..<64 {
            let fresh = descendants(of: root, excluding: excluded).filter { $0 > 0 && !signalled.contains($0) }
            if fresh.isEmpty { break }
            for pid in fresh { kill(pid, signal) }
            signalled += fresh
        }
        if signal != SIGKILL && signal != SIGCONT && signal != SIGSTOP {
            for pid in signalled { kill(pid, SIGCONT) }
        }
        return signalled.count
    }

    /// Reaps the ended children of this process other than `command` (orphans
    /// handed to tlm as their subreaper), without waiting.
    static func reapOrphans(except command: pid_t) {
        while true {
            var info = siginfo_t()
            guard waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0 else { return }
            let pid = info._sifields._sigchld.si_pid
            if pid == 0 || pid == command { return }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) != pid { return }
        }
    }

    /// The state letter and parent of `pid`, from /proc/PID/stat: `pid (comm) S ppid …`.
    /// The command name may hold spaces and parentheses, so fields are read after the last `)`.
    static func status(of pid: pid_t) -> (state: UInt8, parent: pid_t)? {
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let bytes = buffer[0..<count]
        guard let paren = bytes.lastIndex(of: UInt8(ascii: ")")), paren + 4 < count else { return nil }
        let state = bytes[paren + 2]
        var parent: pid_t = 0
        var index = paren + 4
        while index < count, bytes[index] >= 48, bytes[index] <= 57 {
            parent = parent * 10 + pid_t(bytes[index] - 48)
            index += 1
        }
        return (state, parent)
    }
}
