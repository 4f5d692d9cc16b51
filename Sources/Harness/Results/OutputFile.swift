import Foundation

/// A result file written with POSIX calls: never through a symlink, every write checked, rows appended whole or not
/// at all (a failed append is cut back to the previous end), and whole-file rewrites atomic (temp file, fsync,
/// rename). Failures throw `OutputError` naming the file and the errno.
public enum OutputFile {
    /// Creates `url` empty (replacing a regular file, refusing a symlink) and writes `data`, atomically.
    public static func replace(_ url: URL, with data: Data) throws {
        let dir = url.deletingLastPathComponent().path
        let tmp = "\(dir)/.\(url.lastPathComponent).tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw OutputError(file: url.path, operation: "create", errno: errno) }
        do {
            try writeAll(fd, data, file: url.path)
            guard fsync(fd) == 0 else { throw OutputError(file: url.path, operation: "fsync", errno: errno) }
        } catch {
            close(fd)
            unlink(tmp)
            throw error
        }
        close(fd)
        guard rename(tmp, url.path) == 0 else {
            let e = errno
            unlink(tmp)
            throw OutputError(file: url.path, operation: "rename", errno: e)
        }
    }

    /// Opens `url` for appending (it must exist and not be a symlink).
    public static func openForAppend(_ url: URL) throws -> Int32 {
        let fd = open(url.path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw OutputError(file: url.path, operation: "open", errno: errno) }
        return fd
    }

    /// Appends `data` to `fd` whole: on a failure the file is cut back to where it ended before, then the error is thrown.
    public static func append(_ fd: Int32, _ data: Data, file: String) throws {
        let end = lseek(fd, 0, SEEK_END)
        do { try writeAll(fd, data, file: file) } catch {
            if end >= 0 { _ = ftruncate(fd, end) }
            throw error
        }
    }

    static func writeAll(_ fd: Int32, _ data: Data, file: String) throws {
        try data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
            var off = 0
            while off < buf.count {
                let n = write(fd, buf.baseAddress! + off, buf.count - off)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw OutputError(file: file, operation: "write", errno: n < 0 ? errno : ENOSPC) }
                off += n
            }
        }
    }
}
