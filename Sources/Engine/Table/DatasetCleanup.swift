import Foundation

/// What `Dataset.cleanup(at:minimumAgeSeconds:)` did.
public struct CleanupReport: Sendable, Equatable {
    /// A writer held the dataset's writer lock, so nothing was examined or removed.
    public var skippedBecauseWritersActive = false
    /// Data files (`data/*.hwd`) no version names, removed.
    public var removedDataFiles = 0
    /// Deletion files (`_deletions/*.del`) no version names, removed.
    public var removedDeletionFiles = 0
    /// Temporary manifests (`_versions/.tmp-*`) left by interrupted commits, removed.
    public var removedTemporaryManifests = 0
    /// Bytes of the removed files.
    public var removedBytes = 0
    /// Unreferenced files kept because they are younger than the minimum age.
    public var keptYoungFiles = 0
    /// Files some version names (never touched).
    public var referencedFiles = 0

    public init() {}
}

extension Dataset {
    /// Removes what crashed or abandoned writers left behind: data and deletion files that no version's
    /// manifest names, and temporary manifests of interrupted commits.
    ///
    /// The rule that makes it safe against concurrent writers: cleanup runs only while it holds the dataset's
    /// writer lock exclusively (`_writers.lock`, which every writer holds shared while it has uncommitted files;
    /// if a writer holds it now, nothing is done and `skippedBecauseWritersActive` is set), and it removes only
    /// files whose last modification is at least `minimumAgeSeconds` old. The age also covers files a
    /// `FragmentWriter` finished whose fragments the caller has not committed yet (after the writer is gone):
    /// keep it above the longest such gap. Every version's manifest is read first; a damaged manifest makes
    /// cleanup throw before anything is removed, since its files cannot be told apart from garbage.
    /// - Parameters:
    ///   - url: dataset root.
    ///   - minimumAgeSeconds: only files at least this old are removed. Default 3,600 s.
    /// - Throws: `EngineError` from reading manifests or listing directories; `.io` when a removal fails.
    public static func cleanup(at url: URL, minimumAgeSeconds: Double = 3_600) throws -> CleanupReport {
        var report = CleanupReport()
        guard let lease = try WriterLease.exclusiveIfIdle(root: url) else {
            report.skippedBecauseWritersActive = true
            return report
        }
        defer { lease.release() }
        let store = ManifestStore(root: url)
        var referenced = Set<String>()
        for version in try store.versions() {
            for fragment in try store.read(version: version).manifest.fragments {
                referenced.insert(fragment.dataFile)
                if let deletion = fragment.deletionFile { referenced.insert(deletion) }
            }
        }
        report.referencedFiles = referenced.count
        let cutoff = Date().timeIntervalSince1970 - minimumAgeSeconds
        try sweep(url, directory: DataFileName.dataDirectory, suffix: ".hwd", referenced: referenced, cutoff: cutoff,
                  report: &report) { $0.removedDataFiles += 1 }
        try sweep(url, directory: DataFileName.deletionDirectory, suffix: ".del", referenced: referenced, cutoff: cutoff,
                  report: &report) { $0.removedDeletionFiles += 1 }
        try sweep(url, directory: store.versionsDirectory.lastPathComponent, prefix: ".tmp-", referenced: [], cutoff: cutoff,
                  report: &report) { $0.removedTemporaryManifests += 1 }
        return report
    }

    /// Removes the unreferenced files of `directory` whose names match and whose mtime is before `cutoff`.
    private static func sweep(_ root: URL, directory: String, prefix: String = "", suffix: String = "", referenced: Set<String>,
                              cutoff: Double, report: inout CleanupReport, count: (inout CleanupReport) -> Void) throws {
        let dirPath = root.appendingPathComponent(directory).path
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: dirPath)
        } catch CocoaError.fileReadNoSuchFile {
            return
        } catch {
            guard FileManager.default.fileExists(atPath: dirPath) else { return }
            throw EngineError.io(path: dirPath, operation: "list directory", errno: Int32((error as NSError).code))
        }
        var removed = false
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(suffix) && !referenced.contains(directory + "/" + name) {
            let path = dirPath + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            guard Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9 <= cutoff else {
                report.keptYoungFiles += 1
                continue
            }
            guard unlink(path) == 0 else {
                if errno == ENOENT { continue }
                throw EngineError.io(path: path, operation: "unlink", errno: errno)
            }
            removed = true
            report.removedBytes += Int(st.st_size)
            count(&report)
        }
        if removed { try fsyncDirectory(dirPath) }
    }
}
