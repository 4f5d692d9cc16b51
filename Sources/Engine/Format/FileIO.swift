import Foundation

// The engine's POSIX file helpers: exact reads and writes, whole-file reads, durable writes, fsync, mkdir -p.

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

/// glibc's `renameat2` (2.28+), looked up at run time; nil when the C library lacks it.
let renameNoReplace: (@convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32)? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32).self)
}()

/// Opens `path` read-only.
/// - Throws: `EngineError.missingFile` when absent, `.io` on other failures.
func openReadOnly(_ path: String) throws -> Int32 {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
        let code = errno
        if code == ENOENT { throw EngineError.missingFile(path: path) }
        throw EngineError.io(path: path, operation: "open", errno: code)
    }
    return fd
}

/// The whole file's bytes.
/// - Throws: `EngineError.missingFile` when absent, `.truncated` if it shrinks while read, `.io` on other failures.
func readWholeFile(path: String) throws -> [UInt8] {
    let fd = try openReadOnly(path)
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw EngineError.io(path: path, operation: "fstat", errno: errno) }
    let size = Int(st.st_size)
    var bytes = [UInt8](repeating: 0, count: size)
    if size > 0 {
        try bytes.withUnsafeMutableBytes { try readExactly(fd: fd, path: path, into: $0.baseAddress!, count: size, offset: 0) }
    }
    return bytes
}

/// Writes `bytes` to a new file and fsyncs it. With `exclusive`, fails if the file exists.
func writeFileDurably(path: String, bytes: [UInt8], exclusive: Bool) throws {
    let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC)
    let fd = open(path, flags, 0o644)
    if fd < 0 { throw EngineError.io(path: path, operation: "open", errno: errno) }
    var ok = false
    defer {
        close(fd)
        if !ok { unlink(path) }
    }
    if !bytes.isEmpty {
        try bytes.withUnsafeBytes { try writeExactly(fd: fd, path: path, from: $0.baseAddress!, count: $0.count) }
    }
    guard fsync(fd) == 0 else { throw EngineError.io(path: path, operation: "fsync", errno: errno) }
    ok = true
}

/// fsyncs a finished file (by path) so that its bytes are durable before a manifest names it.
func fsyncFile(_ path: String) throws {
    let fd = try openReadOnly(path)
    defer { close(fd) }
    guard fsync(fd) == 0 else { throw EngineError.io(path: path, operation: "fsync", errno: errno) }
}

/// fsyncs a directory so that names created in it are durable.
func fsyncDirectory(_ path: String) throws {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd < 0 { throw EngineError.io(path: path, operation: "open directory", errno: errno) }
    defer { close(fd) }
    guard fsync(fd) == 0 else { throw EngineError.io(path: path, operation: "fsync directory", errno: errno) }
}

/// Creates `path` (and parents) if missing.
func ensureDirectory(_ path: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return }
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
        throw EngineError.io(path: path, operation: "mkdir", errno: Int32((error as NSError).code))
    }
}
