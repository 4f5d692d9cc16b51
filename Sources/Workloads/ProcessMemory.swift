import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// This process's resident memory, read from `/proc/self` (Linux).
enum ProcessMemory {
    /// Resident set size now, in bytes (`/proc/self/statm`, second field × page size); 0 if unreadable.
    static func residentBytes() -> Int {
        let fd = open("/proc/self/statm", O_RDONLY)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return 0 }
        let fields = buffer[0..<n].split(separator: UInt8(ascii: " "))
        guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Peak resident set size of this process's address space, in bytes (`VmHWM` of `/proc/self/status`);
    /// unlike `wait4`'s `ru_maxrss` it does not include the spawning process's RSS at exec. 0 if unreadable.
    static func peakResidentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.dropFirst(6).filter { $0.isNumber }
            return (Int(String(digits)) ?? 0) * 1024
        }
        return 0
    }
}
