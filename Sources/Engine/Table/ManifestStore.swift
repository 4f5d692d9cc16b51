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
    static var useRenameOnly: Bool {
        get { renameOnly.current }
        set { renameOnly.withLock { $0 = newValue } }
    }
    private static let renameOnly = Locked(false)

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
            throw EngineError.corrupt(file: p, offset: ChecksummedContainer.headerBytes, reason: "file holds version \(manifest.version)")
        }
        return (manifest, bytes.count)
    }

    /// Writes `manifest` as version `manifest.version` unless that version exists.
    /// - Returns: bytes written.
    /// - Throws: `EngineError.commitConflict` when another committer created the version first.
    @discardableResult
    public func commit(_ manifest: Manifest) throws -> Int {
        try ensureDirectory(versionsDirectory.path)
        let bytes = try manifest.serialized()
        let tmp = versionsDirectory.appendingPathComponent(".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))").path
        try writeFileDurably(path: tmp, bytes: bytes, exclusive: true)
        defer { unlink(tmp) }
        let final = path(version: manifest.version)
        let renameOnly = ManifestStore.useRenameOnly
        if renameOnly || link(tmp, final) != 0 {
            var code = renameOnly ? EPERM : errno
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
