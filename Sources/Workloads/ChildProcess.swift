import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn` (not fork-then-exec, so its `ru_maxrss` starts from its own
/// image, not from a copy of this process), its stdout captured through a pipe.
final class ChildProcess {
    /// Process id.
    let pid: pid_t
    private var stdoutFD: Int32

    /// What `wait()` learned.
    struct Exit {
        /// Exit code, or nil when a signal ended the process.
        var exitCode: Int32?
        /// Terminating signal, or nil.
        var signal: Int32?
        /// Peak resident set size of the child, in bytes (`wait4` rusage `ru_maxrss`, KiB on Linux).
        var peakRSSBytes: Int
        var userSeconds: Double
        var systemSeconds: Double
        /// Everything the child wrote to stdout.
        var stdout: String
    }

    /// Starts `executable` with `arguments` (not including argv[0]) and this process's environment plus `environment`.
    init(executable: String, arguments: [String], environment: [String: String] = [:]) throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw ChildProcessError("pipe failed: \(String(cString: strerror(errno)))") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO)
        posix_spawn_file_actions_addclose(&actions, fds[1])

        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, nil, argv, envp)
        close(fds[1])
        guard rc == 0 else {
            close(fds[0])
            throw ChildProcessError("posix_spawn \(executable) failed: \(String(cString: strerror(rc)))")
        }
        pid = child
        stdoutFD = fds[0]
    }

    deinit {
        if stdoutFD >= 0 { close(stdoutFD) }
    }

    /// Reads stdout to its end, then reaps the child with `wait4`.
    func wait() throws -> Exit {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(stdoutFD, $0.baseAddress, $0.count) }
            if n > 0 { data.append(contentsOf: buffer[0..<n]); continue }
            if n < 0 && errno == EINTR { continue }
            break
        }
        close(stdoutFD)
        stdoutFD = -1
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw ChildProcessError("wait4 \(pid) failed: \(String(cString: strerror(errno)))") }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, spelled out (the macros are not imported).
        let signal = status & 0x7F
        let exited = signal == 0
        return Exit(exitCode: exited ? (status >> 8) & 0xFF : nil,
                    signal: exited ? nil : signal,
                    peakRSSBytes: usage.ru_maxrss * 1024,
                    userSeconds: Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
                    systemSeconds: Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6,
                    stdout: String(decoding: data, as: UTF8.self))
    }
}

/// A child process could not be started or reaped.
struct ChildProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
