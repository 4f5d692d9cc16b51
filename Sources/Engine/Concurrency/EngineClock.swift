#if canImport(Glibc)
import Glibc
#endif

/// The engine's one clock: monotonic time for durations, the calling thread's CPU time for encode timings, and
/// wall-clock time for commit timestamps, all in nanoseconds from `clock_gettime`.
public enum EngineClock {
    /// `CLOCK_MONOTONIC` in nanoseconds (durations, deadlines).
    @inline(__always)
    public static func monotonicNanoseconds() -> UInt64 { read(CLOCK_MONOTONIC) }

    /// CPU time of the calling thread in nanoseconds (`CLOCK_THREAD_CPUTIME_ID`): time the thread spent
    /// preempted by other work is not counted.
    @inline(__always)
    public static func threadCPUNanoseconds() -> UInt64 { read(CLOCK_THREAD_CPUTIME_ID) }

    /// `CLOCK_REALTIME` in nanoseconds since the Unix epoch (manifest commit times).
    @inline(__always)
    public static func realtimeNanoseconds() -> UInt64 { read(CLOCK_REALTIME) }

    @inline(__always)
    private static func read(_ clock: clockid_t) -> UInt64 {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return UInt64(truncatingIfNeeded: ts.tv_sec) &* 1_000_000_000 &+ UInt64(truncatingIfNeeded: ts.tv_nsec)
    }
}
