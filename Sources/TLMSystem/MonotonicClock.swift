/// `CLOCK_MONOTONIC`: time that only goes forward, for durations and
/// deadlines (the wall clock can be set back or forward while a command runs).
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary start (the machine's boot): compare two, never print one.
    /// Inlined: read twice on every `tlm run`.
    @inlinable
    public static func nanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// Sleeps for `nanoseconds`, the whole time even when signals interrupt
    /// the sleep (`nanosleep` resumed with the time left; Linux measures it on
    /// this clock).
    public static func sleep(nanoseconds: UInt64) {
        var pause = timespec(
            tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        var left = timespec()
        while nanosleep(&pause, &left) < 0 && errno == EINTR { pause = left }
    }
}
