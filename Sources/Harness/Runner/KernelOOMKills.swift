import Foundation

/// The kernel's count of OOM kills (`oom_kill` in /proc/vmstat, Linux 4.13+): read before and after a run, it tells a
/// SIGKILL from the OOM killer from one the program or someone else sent.
enum KernelOOMKills {
    /// The current count, or nil when /proc/vmstat has no such line or cannot be read.
    static func count() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/vmstat", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("oom_kill ") {
            return Int(line.dropFirst("oom_kill ".count))
        }
        return nil
    }
}
