import Foundation
import CProcess

/// The cgroup v2 one run's processes live in (see `CgroupProbe` for when there is one): created empty below the
/// delegated parent before the spawn, joined by the child itself before it execs (highwater-spawn writes `0` to the
/// `cgroup.procs` named by `HW_CGROUP_PROCS`), read during the run (`memory.current`, through a descriptor kept
/// open: a sample allocates nothing) and at its end (`memory.peak`), and removed once every process of the run is
/// gone. Whatever fails on the way is a reason in the run's log, and the run falls back to sampling.
final class RunCgroup {
    /// The cgroup's directory.
    let path: String
    private let currentFD: Int32

    /// Creates `parent/name` and checks it offers `memory.peak` and `memory.current`; removes it again and throws the
    /// reason when it does not.
    init(parent: String, name: String) throws {
        path = parent + "/" + name
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw HarnessError(source: path, reason: "cannot create the run's cgroup: \(String(cString: strerror(errno)))")
        }
        guard access(path + "/memory.peak", R_OK) == 0 else {
            rmdir(path)
            throw HarnessError(source: path, reason: "no memory.peak (Linux 5.19 or later has it)")
        }
        currentFD = open(path + "/memory.current", O_RDONLY | O_CLOEXEC)
        guard currentFD >= 0 else {
            rmdir(path)
            throw HarnessError(source: path, reason: "cannot read memory.current: \(String(cString: strerror(errno)))")
        }
    }

    /// For a cgroup directory that already exists (tests use a plain directory with the interface files).
    init(existing path: String) {
        self.path = path
        currentFD = open(path + "/memory.current", O_RDONLY | O_CLOEXEC)
    }

    deinit { if currentFD >= 0 { close(currentFD) } }

    /// The file the child writes `0` to, so it joins before it execs.
    var procsFile: String { path + "/cgroup.procs" }

    /// Whether `pid` is a member (listed in `cgroup.procs`).
    func contains(_ pid: pid_t) -> Bool {
        guard let data = FileManager.default.contents(atPath: procsFile) else { return false }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").contains { pid_t($0) == pid }
    }

    /// `memory.current` in bytes, or -1. Allocates nothing.
    func currentBytes() -> Int64 { currentFD >= 0 ? hw_read_decimal_fd(currentFD) : -1 }

    /// `memory.peak` in bytes: the most memory charged to the cgroup since it was created (anonymous memory, page
    /// cache and kernel memory of every process that ran in it), or nil.
    func peakBytes() -> Int64? {
        let fd = open(path + "/memory.peak", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let v = hw_read_decimal_fd(fd)
        return v >= 0 ? v : nil
    }

    /// Removes the cgroup once its processes are gone (killed and reaped just before): retries for up to
    /// `timeoutMs` while the kernel still counts dying members. Returns the reason when it could not.
    @discardableResult
    func remove(timeoutMs: Int = 500) -> String? {
        var waitedMs = 0
        while rmdir(path) != 0 {
            if errno == ENOENT { return nil }
            guard errno == EBUSY, waitedMs < timeoutMs else { return "cannot remove \(path): \(String(cString: strerror(errno)))" }
            usleep(10_000)
            waitedMs += 10
        }
        return nil
    }
}
