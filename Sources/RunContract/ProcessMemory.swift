#if canImport(Glibc)
import Glibc
#endif

/// This process's resident memory, read from `/proc/self` (Linux), without Foundation and without allocating
/// on the `statm` path.
public enum ProcessMemory {
    /// `/proc/self/statm`, opened once for the life of the process (phase marks read it often: one pread per call).
    private static let statmFD: Int32 = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
    private static let pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))

    /// Resident set size now, bytes (`/proc/self/statm`, second field × page size); -1 if unreadable.
    /// Allocates nothing: safe to call per phase mark from any thread.
    public static func residentBytes() -> Int64 { residentBytes(statmFD: statmFD) }

    /// Resident bytes from a kept-open `/proc/PID/statm` descriptor (one pread, no allocation); -1 if unreadable,
    /// 0 when the process has no address space (before exec, or exiting).
    @inline(__always)
    public static func residentBytes(statmFD fd: Int32) -> Int64 {
        guard fd >= 0 else { return -1 }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { buf in
            let n = pread(fd, buf.baseAddress, 127, 0)
            guard n > 0 else { return -1 }
            return parseStatmResidentPages(UnsafeBufferPointer(rebasing: buf[0..<n])).map { $0 &* pageSize } ?? -1
        }
    }

    /// The second field (resident pages) of a `statm` line, or nil when malformed.
    public static func parseStatmResidentPages(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        while i < text.count && text[i] != UInt8(ascii: " ") { i += 1 }
        i += 1
        var pages: Int64 = 0
        var digits = 0
        while i < text.count, text[i] >= UInt8(ascii: "0"), text[i] <= UInt8(ascii: "9") {
            pages = pages &* 10 &+ Int64(text[i] - UInt8(ascii: "0"))
            digits += 1
            i += 1
        }
        return digits > 0 ? pages : nil
    }

    /// Peak resident set size of this address space, bytes (`VmHWM` of `/proc/self/status`): unlike `wait4`'s
    /// `ru_maxrss` it does not include the spawning process's RSS at exec, and `resetPeak()` restarts it. -1 if unreadable.
    public static func peakResidentBytes() -> Int64 {
        guard let text = readSmallFile("/proc/self/status") else { return -1 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.dropFirst(6).filter { $0.isNumber }
            return Int64(String(digits)).map { $0 * 1024 } ?? -1
        }
        return -1
    }

    /// Resets this process's RSS high-water mark (`echo 5 > /proc/self/clear_refs`); false when the kernel refused.
    @discardableResult
    public static func resetPeak() -> Bool {
        let fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return write(fd, "5", 1) == 1
    }

    /// A small /proc file as text (up to 64 KiB), or nil.
    static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 65_536 {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
