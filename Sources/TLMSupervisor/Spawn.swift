import TLMSystem

/// Starts a program with `posix_spawn`, keeping it in tlm's own process group
/// and session, so that it stays in the terminal's foreground group: it can
/// read the terminal, and Ctrl-C / Ctrl-Z reach it as they would without tlm.
///
/// glibc's `posix_spawn` runs the child on a `CLONE_VFORK` stack and returns
/// the `execve` error itself, so a failed exec is reported here, in the parent.
enum Spawn {
    /// Spawns `path` with `argv` (null-terminated) and `environment` (likewise),
    /// or tlm's own environment when nil.
    /// The child gets `signalMask` as its signal mask; its signal dispositions are
    /// tlm's: those tlm inherited (an ignored SIGHUP under `nohup` stays ignored,
    /// as it would without tlm), since tlm sets no handler of its own before
    /// spawning, and any handler is reset by `execve` anyway.
    ///
    /// One exception: glibc's `posix_spawn` sets its two internal signals (32 and
    /// 33, kept by NPTL for thread cancellation and set*id) to "ignore" in the
    /// child before `execve`, which would keep them ignored in the command. They
    /// are asked back to their default (`POSIX_SPAWN_SETSIGDEF`), as they are in
    /// a command started by a shell.
    static func start(
        path: UnsafePointer<CChar>, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
        environment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, signalMask: sigset_t
    ) -> (pid: pid_t, errno: Int32) {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = signalMask
        posix_spawnattr_setsigmask(&attributes, &mask)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK)
        var defaults = internalSignals()
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        flags |= Int32(POSIX_SPAWN_SETSIGDEF)
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var pid: pid_t = 0
        let code = posix_spawn(&pid, path, nil, &attributes, argv, environment ?? environ)
        return (pid, code)
    }

    /// Signals 32 and 33 as a set. `sigaddset` refuses them (EINVAL: glibc keeps
    /// them for itself), so their bits are set directly: bit N-1 of the mask.
    /// A function, not a stored global: a global costs a `swift_once` at start-up.
    static func internalSignals() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        withUnsafeMutableBytes(of: &set) { bytes in
            bytes[31 / 8] |= UInt8(1 << (31 % 8))  // signal 32
            bytes[32 / 8] |= UInt8(1 << (32 % 8))  // signal 33
        }
        return set
    }
}
