import Foundation

/// One version of a dataset: a directory of data files (`data/`), deletion files (`_deletions/`) and
/// immutable manifests (`_versions/`). A `Dataset` value is a read-only view of one version; commits
/// return a new `Dataset` for the version they created.
///
/// With a `Session`, manifests and data-file footers are cached in `session.metadataCache` under keys
/// that include the dataset path and the version (`CacheKey`), as in Lance: every new version adds
/// entries and the old ones stay until the cache's LRU evicts them.
public final class Dataset: Sendable {
    /// Dataset root directory.
    public let url: URL
    /// The version this view shows.
    public let manifest: Manifest
    /// Session whose metadata cache this view uses, if any.
    public let session: Session?
    /// Retries (lost races) the commit that created this view needed; 0 for opened datasets.
    public let commitRetries: Int
    /// Bytes the commit that created this view wrote (manifest and deletion files); 0 for opened datasets.
    public let commitBytesWritten: Int
    let store: ManifestStore

    init(url: URL, manifest: Manifest, session: Session?, commitRetries: Int = 0, commitBytesWritten: Int = 0) {
        self.url = url
        self.manifest = manifest
        self.session = session
        self.commitRetries = commitRetries
        self.commitBytesWritten = commitBytesWritten
        self.store = ManifestStore(root: url)
    }

    /// Version number (1 is the version `create` writes).
    public var version: Int { manifest.version }
    /// Schema of this version.
    public var schema: Schema { manifest.schema }
    /// Fragments of this version, in scan order.
    public var fragments: [FragmentMetadata] { manifest.fragments }

    /// Live rows of this version, from the manifest alone (no data file is read).
    public func countRows() -> Int { manifest.rowCount }

    /// Estimated bytes this version's data takes: the sum of its data files' sizes (what Lance-Ray reports).
    public func estimateInMemoryDataSize() -> Int { manifest.dataBytes }

    // MARK: Creating and opening

    /// Whether `url` holds a dataset (a versions directory with at least one version).
    public static func exists(at url: URL) -> Bool {
        let store = ManifestStore(root: url)
        return store.exists && ((try? store.latestVersion()) ?? nil) != nil
    }

    /// Creates an empty dataset (version 1, no fragments) at `url`.
    /// - Throws: `EngineError.alreadyExists` when a dataset already exists there.
    public static func create(at url: URL, schema: Schema, session: Session? = nil) throws -> Dataset {
        guard !schema.fields.isEmpty else { throw EngineError.invalidArgument(reason: "a dataset needs at least one column") }
        let store = ManifestStore(root: url)
        try ensureDirectory(url.path)
        let manifest = Manifest(version: 1, schema: schema, fragments: [], nextFragmentId: 0)
        let bytes: Int
        do {
            bytes = try store.commit(manifest)
        } catch EngineError.commitConflict(_) {
            throw EngineError.alreadyExists(path: url.path)
        }
        let dataset = Dataset(url: url, manifest: manifest, session: session, commitBytesWritten: bytes)
        dataset.cacheManifest(bytes: bytes)
        return dataset
    }

    /// Opens `version` of the dataset at `url`, or its newest version when `version` is nil.
    /// - Throws: `EngineError.missingFile` when there is no dataset, `.versionNotFound` when there is no such version;
    ///   `.truncated`/`.corrupt` naming the manifest and the byte offset when it is damaged.
    public static func open(at url: URL, version: Int? = nil, session: Session? = nil) throws -> Dataset {
        let store = ManifestStore(root: url)
        let target: Int
        if let version {
            target = version
        } else {
            guard let latest = try store.latestVersion() else {
                throw EngineError.missingFile(path: store.versionsDirectory.path)
            }
            target = latest
        }
        return try open(url: url, store: store, version: target, session: session)
    }

    static func open(url: URL, store: ManifestStore, version: Int, session: Session?) throws -> Dataset {
        let key = CacheKey.manifest(path: url.path, version: version)
        if let session, let cached = session.metadataCache.get(key) as? Manifest {
            return Dataset(url: url, manifest: cached, session: session)
        }
        let (manifest, bytes) = try store.read(version: version)
        let dataset = Dataset(url: url, manifest: manifest, session: session)
        dataset.cacheManifest(bytes: bytes)
        return dataset
    }

    private func cacheManifest(bytes: Int) {
        guard let session else { return }
        // The in-memory manifest is somewhat larger than its file: strings and arrays carry headers.
        let estimate = bytes + manifest.fragments.count * 64 + manifest.schema.count * 48
        _ = session.metadataCache.insert(CacheKey.manifest(path: url.path, version: version), manifest, bytes: estimate)
    }

    /// Committed version numbers of the dataset at `url`, ascending.
    public static func versions(at url: URL) throws -> [Int] {
        try ManifestStore(root: url).versions()
    }

    /// Another version of this dataset (same session).
    public func checkout(version: Int) throws -> Dataset {
        try Dataset.open(url: url, store: store, version: version, session: session)
    }

    /// The dataset's newest version now (same session).
    public func latest() throws -> Dataset {
        try Dataset.open(at: url, session: session)
    }

    // MARK: Committing

    /// Commits `operation` as a new version on top of the newest one, atomically.
    ///
    /// The first attempt builds on this view's version; if another committer created that version
    /// number first, the commit backs off (`policy`), re-reads the newest version, re-applies the
    /// operation to it and tries again.
    /// - Returns: the new version (`commitRetries` says how many races it lost).
    /// - Throws: `EngineError.commitRetriesExhausted(attempts:)` after `policy.maxAttempts` lost races;
    ///   `.commitConflict` when the operation cannot apply to the newer version (it deletes from a
    ///   fragment that no longer exists, or adds fragments to a version whose schema changed).
    public func commit(_ operation: CommitOperation, retryPolicy policy: CommitRetryPolicy = .default) throws -> Dataset {
        // Deletion files and the temporary manifest exist before the version names them: hold off `cleanup`.
        let lease = try WriterLease.shared(root: url)
        defer { lease.release() }
        var base = manifest
        var attempt = 1
        while true {
            let (next, extraBytes) = try operation.apply(to: base, schema: schema, root: url)
            do {
                let bytes = try store.commit(next)
                let dataset = Dataset(url: url, manifest: next, session: session, commitRetries: attempt - 1,
                                      commitBytesWritten: bytes + extraBytes)
                dataset.cacheManifest(bytes: bytes)
                return dataset
            } catch EngineError.commitConflict(_) {
                if attempt >= policy.maxAttempts {
                    throw EngineError.commitRetriesExhausted(attempts: attempt)
                }
                policy.backOff(afterAttempt: attempt)
                attempt += 1
                guard let latest = try store.latestVersion() else { throw EngineError.missingFile(path: store.versionsDirectory.path) }
                base = try Dataset.open(url: url, store: store, version: latest, session: session).manifest
            }
        }
    }

    /// Deletes the live rows matching `predicate` (Lance's `delete(predicate)`): reads only the filter's
    /// columns (pages excluded by statistics stay unread), writes one deletion file per touched fragment
    /// and commits an `.update`.
    /// - Returns: the new version, or `self` when no row matches (nothing is committed).
    public func delete(where predicate: RowFilter, retryPolicy policy: CommitRetryPolicy = .default) throws -> Dataset {
        var deletions: [Int: [UInt32]] = [:]
        for fragment in fragments {
            let reader = try FragmentReader(dataset: self, fragment: fragment, columns: [], filter: predicate)
            while let (_, offsets) = try reader.next() {
                deletions[fragment.id, default: []] += offsets
            }
        }
        if deletions.isEmpty { return self }
        return try commit(.update(deletions: deletions, added: []), retryPolicy: policy)
    }

    // MARK: Files

    /// Opens `fragment`'s data file, taking its footer from the session's metadata cache when present
    /// (key: dataset path + this version + file) and caching it otherwise.
    /// - Throws: `EngineError.missingFile` naming the data file when it is absent; `.corrupt` when its
    ///   footer disagrees with the manifest (row count or schema); footer errors from `DataFileReader`.
    public func openDataFile(_ fragment: FragmentMetadata) throws -> DataFileReader {
        let fileURL = url.appendingPathComponent(fragment.dataFile)
        let key = session.map { _ in CacheKey.footer(path: url.path, version: version, file: fragment.dataFile) }
        var cached: DataFileFooter?
        if let session, let key { cached = session.metadataCache.get(key) as? DataFileFooter }
        let reader = try DataFileReader(url: fileURL, footer: cached)
        if cached == nil {
            guard reader.rowCount == fragment.physicalRows else {
                throw EngineError.corrupt(file: fileURL.path, offset: reader.fileBytes,
                                          reason: "footer says \(reader.rowCount) rows, manifest says \(fragment.physicalRows)")
            }
            guard reader.schema == schema else {
                throw EngineError.corrupt(file: fileURL.path, offset: reader.fileBytes,
                                          reason: "footer schema \(reader.schema) differs from the dataset's \(schema)")
            }
            if let session, let key {
                // In memory a footer costs about its serialized size plus array and enum overhead per page.
                let pages = reader.footer.pages.reduce(0) { $0 + $1.count }
                _ = session.metadataCache.insert(key, reader.footer, bytes: reader.footer.byteCount + pages * 96 + 256)
            }
        }
        return reader
    }

    /// A streaming scan of this version (see `DatasetScanner`).
    public func scanner(_ options: ScanOptions = ScanOptions()) throws -> DatasetScanner {
        try DatasetScanner(dataset: self, options: options)
    }

    /// Every live row of the given columns (all when nil) as one batch: the whole table in memory at once,
    /// like `to_pandas()` in seed note 004. Peak memory grows with the table (the pages plus the result).
    public func materializeAll(columns: [String]? = nil) throws -> RecordBatch {
        let scanner = try DatasetScanner(dataset: self, options: ScanOptions(columns: columns, batchSize: Int.max, readAhead: true))
        return try scanner.materialize()
    }

    /// Absolute path of a file named relative to the dataset root.
    public func path(of relativePath: String) -> String {
        url.appendingPathComponent(relativePath).path
    }

    /// The deletion file of `fragment`, or nil when it has none. With a session, verified deletion files
    /// are cached in its metadata cache (key: dataset path + this version + file, like footers).
    /// - Throws: `EngineError.missingFile` / `.truncated` / `.corrupt` naming the deletion file.
    public func deletionFile(of fragment: FragmentMetadata) throws -> DeletionFile? {
        guard let relative = fragment.deletionFile else { return nil }
        let key = session.map { _ in CacheKey.deletionFile(path: url.path, version: version, file: relative) }
        if let session, let key, let cached = session.metadataCache.get(key) as? DeletionFile { return cached }
        let file = try DeletionFile.read(root: url, relativePath: relative)
        guard file.fragmentId == fragment.id, file.count == fragment.deletedRows else {
            throw EngineError.corrupt(file: path(of: relative), offset: ChecksummedContainer.headerBytes,
                                      reason: "deletion file is for fragment \(file.fragmentId) with \(file.count) rows, manifest says \(fragment.id) with \(fragment.deletedRows)")
        }
        if let last = file.deletedOffsets.last, Int(last) >= fragment.physicalRows {
            throw EngineError.corrupt(file: path(of: relative), offset: DeletionFile.countOffset + 4,
                                      reason: "deleted offset \(last) beyond the fragment's \(fragment.physicalRows) rows")
        }
        if let session, let key { _ = session.metadataCache.insert(key, file, bytes: 64 + file.count * 4) }
        return file
    }
}
