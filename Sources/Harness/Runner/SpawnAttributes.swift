import Foundation
import RunContract

/// posix_spawn attributes and file actions for a monitored child: its own process group (so the whole tree can be
/// killed), default signal dispositions and an empty signal mask; the caller adds the descriptor plumbing.
final class SpawnAttributes {
    var fileActions = posix_spawn_file_actions_t()
    var attributes = posix_spawnattr_t()

    init() {
        posix_spawn_file_actions_init(&fileActions)
        posix_spawnattr_init(&attributes)
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    }

    deinit {
        posix_spawn_file_actions_destroy(&fileActions)
        posix_spawnattr_destroy(&attributes)
    }

    /// Opens `path` on descriptor `fd` in the child.
    func open(_ fd: Int32, _ path: String, _ flags: Int32, mode: mode_t = 0) {
        posix_spawn_file_actions_addopen(&fileActions, fd, path, flags, mode)
    }

    /// Makes the child's descriptor `to` a copy of `from`.
    func dup2(_ from: Int32, _ to: Int32) {
        posix_spawn_file_actions_adddup2(&fileActions, from, to)
    }

    /// Spawns `executable` with `arguments` and `environment`; returns the pid or throws naming the program.
    func spawn(_ executable: String, arguments: [String], environment: [String: String]) throws -> pid_t {
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &fileActions, &attributes, argv, envp)
        guard rc == 0 else { throw HarnessError(source: "spawn", value: executable, reason: String(cString: strerror(rc))) }
        return pid
    }

    /// A pipe whose ends sit at descriptors ≥ 10 with FD_CLOEXEC, so dup2 onto 0-4 in the child never collides.
    static func makePipe() throws -> (read: Int32, write: Int32) {
        var p: [Int32] = [0, 0]
        guard pipe(&p) == 0 else { throw HarnessError(source: "spawn", reason: "pipe: \(String(cString: strerror(errno)))") }
        return (highFD(p[0]), highFD(p[1]))
    }

    private static func highFD(_ fd: Int32) -> Int32 {
        let n = fcntl(fd, F_DUPFD_CLOEXEC, 10)
        close(fd)
        return n
    }
}
