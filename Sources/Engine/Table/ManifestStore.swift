import Foundation

/// The versions of one dataset on disk: `<root>/_versions/<version, 20 digits>.manifest`.
///
/// Commit protocol (crash-safe and race-free):
/// 1. write the manifest to a unique temporary file `_versions/.tmp-<pid>-<random>` and fsync it;
/// 2. `link(2)` it to the final name: the link fails with EEXIST when another committer already
///    created that version, so exactly one committer wins each version number (a conflict);
/// 3. unlink the temporary name and fsync the directory.
///
/// A version file is therefore visible only once complete and durable; a process killed at any
/// moment leaves at most an orphaned `.tmp-*` file, which readers ignore.
public struct ManifestStore: Sendable {
    /// Dataset root directory.
    public let root: URL
    /// `<root>/_versions`.
    public let versionsDirectory: URL

    public init(root: URL) {
        self.root = root
        self.versionsDirectory = root.appendingPathComponent("_versions", isDirectory: true)
    }

    /// Tests only: commit with `renameat2(RENAME_NOREPLACE)` as on file systems without hard links.
    nonisolated(unsafe) static var useRenameOnly = false

    /// File name of `version`'s manifest (`00000000000000000007.manifest`).
    public static func fileName(version: Int) -> String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".manifest"
    }

    /// Path of `version`'s manifest.
    public func path(version: Int) -> String {
        versionsDirectory.appendingPathComponent(ManifestStore.fileName(version: version)).path
    }

    /// Whether the versions directory exists.
    public var exists: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: versionsDirectory.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Committed version numbers, ascending (temporary files ignored).
    /// - Throws: `EngineError.missingFile` when the dataset has no versions directory.
    public func versions() throws -> [Int] {
        let dirPath = versionsDirectory.path
        guard let dir = opendir(dirPath) else {
            let code = errno
            if code == ENOENT { throw EngineError.missingFile(path: dirPath) }
            throw EngineError.io(path: dirPath, operation: "opendir", errno: code)
        }
        defer { closedir(dir) }
        var result: [Int] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> String in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if let v = ManifestStore.version(fromFileName: name) { result.append(v) }
        }
        result.sort()
        return result
    }

    /// The version number a manifest file name denotes, or nil for other names.
    static func version(fromFileName name: String) -> Int? {
        guard name.hasSuffix(".manifest"), !name.hasPrefix(".") else { return nil }
        let digits = name.dropLast(".manifest".count)
        guard digits.count == 20, let v = Int(digits), v > 0 else { return nil }
        return v
    }

    /// Newest committed version, or nil when there is none.
    public func latestVersion() throws -> Int? {
        try versions().last
    }

    /// Reads and verifies `version`'s manifest.
    /// - Throws: `EngineError.versionNotFound` when absent; `.truncated`/`.corrupt` naming the file and offset.
    public func read(version: Int) throws -> (manifest: Manifest, bytes: Int) {
        let p = path(version: version)
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(path: p)
        } catch EngineError.missingFile(_) {
            throw EngineError.versionNotFound(path: root.path, version: version)
        }
        let manifest = try bytes.withUnsafeBytes { try Manifest.deserialize($0, file: p) }
        guard manifest.version == version else {
            throw EngineError.corrupt(file: p, offset: 16, reason: "file holds version \(manifest.version)")
        }
        return (manifest, bytes.count)
    }

    /// Writes `manifest` as version `manifest.version` unless that version exists.
    /// - Returns: bytes written.
    /// - Throws: `EngineError.commitConflict` when another committer created the version first.
    @discardableResult
    public func commit(_ manifest: Manifest) throws -> Int {
        try ensureDirectory(versionsDirectory.path)
        let bytes = manifest.serialized()
        let tmp = versionsDirectory.appendingPathComponent(".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))").path
        try writeFileDurably(path: tmp, bytes: bytes, exclusive: true)
        defer { unlink(tmp) }
        let final = path(version: manifest.version)
        if ManifestStore.useRenameOnly || link(tmp, final) != 0 {
            var code = ManifestStore.useRenameOnly ? EPERM : errno
            // File systems without hard links: rename that refuses to replace (same guarantee).
            if code == EPERM || code == EOPNOTSUPP || code == ENOSYS, let renameNoReplace {
                if renameNoReplace(AT_FDCWD, tmp, AT_FDCWD, final, 1 /* RENAME_NOREPLACE */) == 0 {
                    try fsyncDirectory(versionsDirectory.path)
                    return bytes.count
                }
                code = errno
            }
            if code == EEXIST { throw EngineError.commitConflict(version: manifest.version) }
            throw EngineError.io(path: final, operation: "link", errno: code)
        }
        try fsyncDirectory(versionsDirectory.path)
        return bytes.count
    }
}

// MARK: - Small POSIX file helpers (dataset layer)

/// glibc's `renameat2` (2.28+), looked up at run time; nil when the C library lacks it.
private let renameNoReplace: (@convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32)? = {
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
