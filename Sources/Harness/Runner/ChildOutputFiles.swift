import Foundation
import RunContract

/// The files a child writes its stderr and stdout to, opened here (never through a symlink) and handed to the child
/// by descriptor. The monitor reads stdout behind the child (`readNew`) and watches the total size.
final class ChildOutputFiles {
    /// Descriptors given to the child as fd 2 and fd 1 (the same file when there is no separate stdout file).
    let logFD: Int32
    let stdoutFD: Int32
    /// Read side of the stdout file (external commands), or -1.
    private let stdoutReadFD: Int32
    private var readOffset: off_t = 0

    init(logPath: String, stdoutPath: String?) throws {
        logFD = try Self.create(logPath)
        if let stdoutPath {
            do { stdoutFD = try Self.create(stdoutPath) } catch { Glibc.close(logFD); throw error }
            stdoutReadFD = open(stdoutPath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        } else {
            stdoutFD = logFD
            stdoutReadFD = -1
        }
    }

    /// Creates (or empties) `path` for writing, refusing symlinks; errors name the file and errno.
    static func create(_ path: String) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw HarnessError(source: path, reason: "cannot create: \(String(cString: strerror(errno)))") }
        return fd
    }

    /// Bytes written to both files so far.
    var totalBytes: Int64 {
        var st = stat()
        var total: Int64 = 0
        if fstat(logFD, &st) == 0 { total += Int64(st.st_size) }
        if stdoutFD != logFD, fstat(stdoutFD, &st) == 0 { total += Int64(st.st_size) }
        return total
    }

    /// Reads up to `limit` bytes the child appended to stdout since the last call into `buffer`; returns the count.
    func readNew(into buffer: UnsafeMutableRawPointer, capacity: Int, limit: Int) -> Int {
        guard stdoutReadFD >= 0 else { return 0 }
        var total = 0
        while total < limit {
            let n = pread(stdoutReadFD, buffer + total, min(capacity - total, limit - total), readOffset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            readOffset += off_t(n)
            total += n
            if total == capacity { break }
        }
        return total
    }

    var hasStdoutFile: Bool { stdoutReadFD >= 0 }

    /// Bytes of stdout not read yet.
    var unreadStdoutBytes: Int64 {
        var st = stat()
        guard stdoutReadFD >= 0, fstat(stdoutReadFD, &st) == 0 else { return 0 }
        return max(0, Int64(st.st_size) - Int64(readOffset))
    }

    func close() {
        Glibc.close(logFD)
        if stdoutFD != logFD { Glibc.close(stdoutFD) }
        if stdoutReadFD >= 0 { Glibc.close(stdoutReadFD) }
    }
}
