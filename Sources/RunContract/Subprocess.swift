import Foundation

/// A program started with `posix_spawn` (not fork-then-exec, so its `ru_maxrss` starts from its own image, not
/// from a copy of this process) and reaped with `wait4`: the one way Highwater runs a helper program (workers,
/// gnuplot, git, another highwater build). The monitored runs of a sweep go through the Harness's `ProcessMonitor`.
public final class Subprocess {
    /// Where a standard stream of the program goes.
    public enum Stream: Sendable {
        /// Captured through a pipe, returned by `wait()`.
        case capture
        /// This process's own stream.
        case inherit
        /// `/dev/null`.
        case discard
        /// This process's standard error (for stdout: progress of a nested tool shown on our stderr).
        case standardError
    }

    /// What `wait()` learned.
    public struct Exit: Sendable {
        /// Exit code, or nil when a signal ended the process.
        public var exitCode: Int32?
        /// Terminating signal, or nil.
        public var signal: Int32?
        /// Peak resident set size of the program, bytes (`wait4` rusage `ru_maxrss`, KiB on Linux).
        public var peakRSSBytes: Int
        public var userSeconds: Double
        public var systemSeconds: Double
        /// What the program wrote to captured streams ("" otherwise).
        public var stdout: String
        public var stderr: String
        /// Exited with status 0.
        public var succeeded: Bool { exitCode == 0 }
    }

    /// A program could not be started or reaped.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public let pid: pid_t
    private var stdoutFD: Int32 = -1
    private var stderrFD: Int32 = -1

    /// Starts `executable` (an absolute path) with `arguments` (not including argv[0]) and this process's
    /// environment plus `environment`.
    public init(executable: String, arguments: [String], environment: [String: String] = [:],
                stdout: Stream = .capture, stderr: Stream = .inherit) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var toClose: [Int32] = []
        defer { for fd in toClose { close(fd) } }
        func plumb(_ stream: Stream, _ target: Int32) throws -> Int32 {
            switch stream {
            case .inherit: return -1
            case .discard: posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0); return -1
            case .standardError: posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, target); return -1
            case .capture:
                var fds: [Int32] = [0, 0]
                guard pipe(&fds) == 0 else { throw Failure(description: "pipe: \(String(cString: strerror(errno)))") }
                for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
                posix_spawn_file_actions_adddup2(&actions, fds[1], target)
                toClose.append(fds[1])
                return fds[0]
            }
        }
        let out = try plumb(stdout, STDOUT_FILENO)
        let err = try plumb(stderr, STDERR_FILENO)
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
        guard rc == 0 else {
            if out >= 0 { close(out) }
            if err >= 0 { close(err) }
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        pid = child
        stdoutFD = out
        stderrFD = err
    }

    deinit {
        if stdoutFD >= 0 { close(stdoutFD) }
        if stderrFD >= 0 { close(stderrFD) }
    }

    /// Reads the captured streams to their end (both at once, so neither pipe can fill and block the program),
    /// then reaps the program.
    public func wait() throws -> Exit {
        var captured: [[UInt8]] = [[], []]
        var fds = [pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0), pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while fds.contains(where: { $0.fd >= 0 }) {
            let r = poll(&fds, 2, -1)
            if r < 0 { if errno == EINTR { continue }; break }
            for i in 0..<2 where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(fds[i].fd, $0.baseAddress, $0.count) }
                if n > 0 { captured[i] += buffer[0..<n] } else if n == 0 || errno != EINTR { fds[i].fd = -1 }
            }
        }
        if stdoutFD >= 0 { close(stdoutFD); stdoutFD = -1 }
        if stderrFD >= 0 { close(stderrFD); stderrFD = -1 }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw Failure(description: "wait4 \(pid): \(String(cString: strerror(errno)))") }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, spelled out (the macros are not imported).
        let signal = status & 0x7F
        let exited = signal == 0
        return Exit(exitCode: exited ? (status >> 8) & 0xFF : nil, signal: exited ? nil : signal,
                    peakRSSBytes: usage.ru_maxrss * 1024, userSeconds: Clock.seconds(usage.ru_utime),
                    systemSeconds: Clock.seconds(usage.ru_stime),
                    stdout: String(decoding: captured[0], as: UTF8.self), stderr: String(decoding: captured[1], as: UTF8.self))
    }

    /// Runs a program found on `PATH` to its end; nil when it is not found or cannot start.
    public static func run(_ name: String, _ arguments: [String], stdout: Stream = .capture, stderr: Stream = .discard) -> Exit? {
        guard let path = which(name), let p = try? Subprocess(executable: path, arguments: arguments, stdout: stdout, stderr: stderr) else {
            return nil
        }
        return try? p.wait()
    }

    /// The executable called `name` on `PATH` (or `name` itself when it contains a `/`), or nil.
    public static func which(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if access(p, X_OK) == 0 { return p }
        }
        return nil
    }
}
