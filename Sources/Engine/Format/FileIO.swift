#if canImport(Glibc)
import Glibc
#endif

/// Reads exactly `count` bytes into `destination`: at file offset `offset` with `pread`, or from the current
/// position with `read` when `offset` is nil. Retries short reads and `EINTR`.
/// - Throws: `EngineError.truncated` naming `path` and the offset where the file ended, `.io` on a failed call.
func readExactly(fd: Int32, path: String, into destination: UnsafeMutableRawPointer, count: Int, offset: Int? = nil) throws {
    var done = 0
    while done < count {
        let n = offset.map { pread(fd, destination + done, count - done, off_t($0 + done)) }
            ?? read(fd, destination + done, count - done)
        if n < 0 {
            if errno == EINTR { continue }
            throw EngineError.io(path: path, operation: offset == nil ? "read" : "pread", errno: errno)
        }
        if n == 0 { throw EngineError.truncated(file: path, offset: (offset ?? 0) + done) }
        done += n
    }
}

/// Writes exactly `count` bytes from `source`: at file offset `offset` with `pwrite`, or at the current position
/// with `write` when `offset` is nil. Retries short writes and `EINTR`.
/// - Throws: `EngineError.io` on a failed call.
func writeExactly(fd: Int32, path: String, from source: UnsafeRawPointer, count: Int, offset: Int? = nil) throws {
    var done = 0
    while done < count {
        let n = offset.map { pwrite(fd, source + done, count - done, off_t($0 + done)) }
            ?? write(fd, source + done, count - done)
        if n < 0 {
            if errno == EINTR { continue }
            throw EngineError.io(path: path, operation: offset == nil ? "write" : "pwrite", errno: errno)
        }
        done += n
    }
}
