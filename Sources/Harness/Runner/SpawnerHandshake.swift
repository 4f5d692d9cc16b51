import Foundation
import RunContract

/// The conversation with `highwater-spawn`, the ~1 MB C program between the harness and each child (so the child's
/// `ru_maxrss` starts from the spawner's RSS, not this process's). It reports on descriptor 4: `pid <child pid>` once
/// the child is spawned (or `error <errno>`), then `exit <status> <maxrss KiB> <utime s> <stime s>` from its wait4.
struct SpawnerHandshake {
    /// The read end of the report pipe (closed by `close()`).
    let reportFD: Int32
    private var text = ""

    init(reportFD: Int32) { self.reportFD = reportFD }

    /// `highwater-spawn` next to the running binary (or `HIGHWATER_SPAWN_HELPER`), nil when absent or set to `none`
    /// (then children are spawned directly and `ru_maxrss` cannot be below this process's RSS).
    static var helperPath: String? {
        let env = ProcessInfo.processInfo.environment["HIGHWATER_SPAWN_HELPER"] ?? ""
        if env == "none" { return nil }
        let candidates = (env.isEmpty ? [] : [env]) + [URL(fileURLWithPath: HarnessPaths.executable).deletingLastPathComponent().appendingPathComponent("highwater-spawn").path]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Waits (up to 10 s) for the spawner's `pid` line. On an error line or silence, kills the spawner's group,
    /// reaps it and throws naming `program`.
    mutating func awaitChild(spawner pid: pid_t, program: String) throws -> pid_t {
        text = Self.read(reportFD, until: { $0.contains("\n") }, timeoutMs: 10_000)
        let lines = text.split(separator: "\n")
        if let first = lines.first, first.hasPrefix("pid "), let child = pid_t(first.dropFirst(4)) { return child }
        var st: Int32 = 0
        kill(-pid, SIGKILL)
        _ = waitpid(pid, &st, 0)
        let err = lines.first.flatMap { $0.hasPrefix("error ") ? Int32($0.dropFirst(6)) : nil }.map { String(cString: strerror($0)) }
        throw HarnessError(source: "spawn", value: program, reason: err ?? "no report from highwater-spawn")
    }

    /// Reads the spawner's `exit` line (up to 2 s) into `status` and `ru`; false when the spawner itself died.
    mutating func readExit(status: inout Int32, ru: inout rusage) -> Bool {
        text += Self.read(reportFD, until: { _ in false }, timeoutMs: 2_000)
        guard let f = text.split(separator: "\n").first(where: { $0.hasPrefix("exit ") })?.split(separator: " "), f.count == 5,
              let st = Int32(f[1]), let maxrss = Int(f[2]), let ut = Double(f[3]), let stime = Double(f[4]) else { return false }
        status = st
        ru.ru_maxrss = maxrss
        ru.ru_utime = timeval(tv_sec: Int(ut), tv_usec: Int((ut - Double(Int(ut))) * 1e6))
        ru.ru_stime = timeval(tv_sec: Int(stime), tv_usec: Int((stime - Double(Int(stime))) * 1e6))
        return true
    }

    func close() { Glibc.close(reportFD) }

    /// Reads from `fd` until `done(text)` or EOF or the timeout; returns what was read.
    static func read(_ fd: Int32, until done: (String) -> Bool, timeoutMs: Int32) -> String {
        var out = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 4096)
        let deadline = Clock.nowNs() + UInt64(timeoutMs) * 1_000_000
        while true {
            let now = Clock.nowNs()
            if now >= deadline { break }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = poll(&p, 1, Int32((deadline - now) / 1_000_000) + 1)
            if r < 0 && errno == EINTR { continue }
            if r <= 0 { break }
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            out += buf[0..<n]
            if done(String(decoding: out, as: UTF8.self)) { break }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
