#if canImport(Glibc)
import Glibc
#endif

/// The one clock of Highwater: monotonic nanoseconds shared by the parent and every child (so a child's phase
/// marks line up with the parent's RSS samples), and the calling thread's and process's CPU time.
public enum Clock {
    /// Nanoseconds on `CLOCK_MONOTONIC`.
    @inline(__always)
    public static func nowNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// CPU time of the calling thread, nanoseconds.
    public static func threadCPUNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// User and system CPU time of this process so far, seconds.
    public static func processCPUSeconds() -> (user: Double, sys: Double) {
        var ru = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &ru)
        return (seconds(ru.ru_utime), seconds(ru.ru_stime))
    }

    /// A `timeval` in seconds.
    public static func seconds(_ tv: timeval) -> Double { Double(tv.tv_sec) + Double(tv.tv_usec) / 1e6 }
}
