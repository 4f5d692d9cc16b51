import Foundation

/// What one merge-insert did.
public struct MergeInsertResult: Sendable {
    /// Target rows replaced by their source row (matched keys, with `whenMatchedUpdateAll`).
    public var rowsUpdated = 0
    /// Source rows whose key was not in the target, added (with `whenNotMatchedInsertAll`).
    public var rowsInserted = 0
    /// Target rows whose key was not in the source, deleted (with `whenNotMatchedBySourceDelete`).
    public var rowsDeleted = 0
    /// Target rows whose key column was read (full scan or key-index build); 0 when the cached index served.
    public var rowsScanned = 0
    /// Whether the key index came from the session's index cache.
    public var keyIndexCacheHit = false
    /// Bytes the key index of the new version is charged in the index cache (0 without a session or commit).
    public var keyIndexBytes = 0
    /// The version after the merge (the input version when nothing changed and nothing was committed).
    public var version = 0
    /// Bytes written: the new data file, deletion files and the manifest.
    public var bytesWritten = 0
    /// Data files written (0 or 1).
    public var filesWritten = 0
    /// The dataset at `version`.
    public var dataset: Dataset?

    public init() {}
}

/// Upsert by key, as Lance's `merge_insert`: source rows whose key matches a live target row replace it
/// (`whenMatchedUpdateAll`), source rows with new keys are added (`whenNotMatchedInsertAll`), and target rows whose
/// key is absent from the source are deleted (`whenNotMatchedBySourceDelete`).
///
/// Matching uses a `KeyIndex` of the target version, taken from the session's index cache under
/// `CacheKey.keyIndex(path:version:column:)` or built by reading the key column of every fragment on a miss.
/// `whenNotMatchedBySourceDelete` always reads the whole key column (every live target row must be checked), as in
/// Lance. An update is a deletion of the old row (deletion file) plus the new row in a new fragment; all of it is one
/// `.update` commit. After the commit, the new version's index (a copy of the old one with the changes applied) is
/// cached under the new version's key while the old version's entry stays until evicted: the note's growth.
///
/// The source must have the dataset's schema. If a key repeats in the source, its last row wins. Null keys never
/// match (such source rows are inserted when inserting).
public struct MergeInsert: Sendable {
    /// The key column (Int64, Int32 or UTF-8).
    public let keyColumn: String
    /// Replace matched target rows by their source rows. Default false.
    public private(set) var updateMatched = false
    /// Insert source rows whose key is not in the target. Default false.
    public private(set) var insertNotMatched = false
    /// Delete target rows whose key is not in the source. Default false.
    public private(set) var deleteNotMatchedBySource = false
    /// With `deleteNotMatchedBySource`: only target rows matching this predicate may be deleted (nil: any row).
    public private(set) var deleteFilter: RowFilter?
    /// zstd level of the new data file's pages (0 = off). Default 1.
    public var compressionLevel = 1
    /// Commit retry policy. Default `CommitRetryPolicy.default`.
    public var retryPolicy = CommitRetryPolicy.default

    /// A merge on `keyColumn` that does nothing until options are added.
    public init(on keyColumn: String) {
        self.keyColumn = keyColumn
    }

    /// Matched target rows are replaced by the source rows.
    public func whenMatchedUpdateAll() -> MergeInsert {
        var m = self
        m.updateMatched = true
        return m
    }

    /// Source rows without a matching target row are inserted.
    public func whenNotMatchedInsertAll() -> MergeInsert {
        var m = self
        m.insertNotMatched = true
        return m
    }

    /// Target rows without a matching source row are deleted (forces a full scan of the target's key column).
    /// - Parameter filter: only rows matching it are deleted (e.g. the rows of the files being re-indexed, as
    ///   Lance's `when_not_matched_by_source_delete(expr)`); nil (default) deletes every unmatched row.
    public func whenNotMatchedBySourceDelete(filter: RowFilter? = nil) -> MergeInsert {
        var m = self
        m.deleteNotMatchedBySource = true
        m.deleteFilter = filter
        return m
    }

    /// Merges several source batches (concatenated first).
    public func execute(source: [RecordBatch], dataset: Dataset) throws -> MergeInsertResult {
        let batch = source.count == 1 ? source[0] : RecordBatch.concatenate(source, schema: dataset.schema)
        return try execute(source: batch, dataset: dataset)
    }

    /// Merges `source` into `dataset` (the version to merge into) and commits one new version if anything changed.
    /// - Throws: `EngineError.schemaMismatch`, `.invalidArgument` (unknown or unsupported key column), read, write
    ///   and commit errors.
    public func execute(source: RecordBatch, dataset: Dataset) throws -> MergeInsertResult {
        guard source.schema == dataset.schema else {
            throw EngineError.schemaMismatch(expected: dataset.schema.description, found: source.schema.description)
        }
        guard let keyIndexInSchema = dataset.schema.index(of: keyColumn) else {
            throw EngineError.invalidArgument(reason: "merge key column \(keyColumn) not in schema \(dataset.schema)")
        }
        let keyType = dataset.schema.fields[keyIndexInSchema].type
        guard KeyIndex.supports(keyType) else {
            throw EngineError.invalidArgument(reason: "merge key column \(keyColumn) has unsupported type \(keyType)")
        }
        var result = MergeInsertResult()

        // Source keys: hash -> last source row with it; null-keyed rows separately.
        let sourceKeys = source.columns[keyIndexInSchema]
        var sourceRowOf: [UInt64: Int] = [:]
        sourceRowOf.reserveCapacity(source.rowCount)
        var nullKeyRows: [Int] = []
        for r in 0..<source.rowCount {
            if let h = KeyIndex.hash(sourceKeys, row: r) { sourceRowOf[h] = r } else { nullKeyRows.append(r) }
        }

        let cacheKey = CacheKey.keyIndex(path: dataset.url.path, version: dataset.version, column: keyColumn)
        let cache = dataset.session?.indexCache
        var index: KeyIndex
        var deletions: [Int: [UInt32]] = [:]
        var matched: [(hash: UInt64, row: Int)] = []
        var deletedHashes: [UInt64] = []

        if deleteNotMatchedBySource {
            // Every live target row must be looked at: read the whole key column, building the index on the way.
            index = KeyIndex(capacity: dataset.countRows())
            var deletable: [UInt32] = []   // with a filter: the fragment's row offsets matching it, ascending
            for fragment in dataset.fragments {
                deletable.removeAll(keepingCapacity: true)
                if let deleteFilter {
                    let filtered = try FragmentReader(dataset: dataset, fragment: fragment, columns: [keyColumn], filter: deleteFilter)
                    while let (_, offsets) = try filtered.next() { deletable.append(contentsOf: offsets) }
                }
                var nextDeletable = 0
                let reader = try FragmentReader(dataset: dataset, fragment: fragment, columns: [keyColumn])
                while let (batch, offsets) = try reader.next() {
                    let keys = batch.columns[0]
                    for r in 0..<batch.rowCount {
                        let offset = offsets[r]
                        let h = KeyIndex.hash(keys, row: r)
                        if let h { index.set(h, RowAddress(fragmentId: fragment.id, rowOffset: offset)) }
                        if let h, let s = sourceRowOf[h] {
                            matched.append((h, s))
                            if updateMatched { deletions[fragment.id, default: []].append(offset) }
                            continue
                        }
                        if deleteFilter != nil {
                            while nextDeletable < deletable.count && deletable[nextDeletable] < offset { nextDeletable += 1 }
                            guard nextDeletable < deletable.count && deletable[nextDeletable] == offset else { continue }
                        }
                        deletions[fragment.id, default: []].append(offset)
                        result.rowsDeleted += 1
                        if let h { deletedHashes.append(h) }
                    }
                    result.rowsScanned += batch.rowCount
                }
            }
            if let cache, !cache.contains(cacheKey) { cache.insert(cacheKey, index, bytes: index.byteSize) }
        } else {
            if let cached = cache?.get(cacheKey) as? KeyIndex {
                index = cached
                result.keyIndexCacheHit = true
            } else {
                let built = try KeyIndex.build(dataset: dataset, column: keyColumn)
                index = built.index
                result.rowsScanned = built.rowsScanned
                cache?.insert(cacheKey, index, bytes: index.byteSize)
            }
            for (h, s) in sourceRowOf {
                if let address = index.lookup(h) {
                    matched.append((h, s))
                    if updateMatched { deletions[address.fragmentId, default: []].append(address.rowOffset) }
                }
            }
        }

        // Source rows to write: matched (update) and new (insert), in source order.
        var write: [Int] = []
        var writeHashes: [UInt64?] = []
        if updateMatched {
            result.rowsUpdated = matched.count
        }
        if updateMatched || insertNotMatched {
            var isMatched = Set<UInt64>(minimumCapacity: matched.count)
            for m in matched { isMatched.insert(m.hash) }
            var rows: [(row: Int, hash: UInt64?)] = []
            for (h, s) in sourceRowOf {
                if isMatched.contains(h) {
                    if updateMatched { rows.append((s, h)) }
                } else if insertNotMatched {
                    rows.append((s, h))
                    result.rowsInserted += 1
                }
            }
            if insertNotMatched {
                for r in nullKeyRows { rows.append((r, nil)) }
                result.rowsInserted += nullKeyRows.count
            }
            rows.sort { $0.row < $1.row }
            write = rows.map(\.row)
            writeHashes = rows.map(\.hash)
        }
        for k in deletions.keys { deletions[k]!.sort() }

        if write.isEmpty && deletions.isEmpty {
            result.version = dataset.version
            result.dataset = dataset
            return result
        }

        var added: [FragmentMetadata] = []
        var dataFile: String?
        if !write.isEmpty {
            let name = "merge-" + String(UInt64.random(in: 0...UInt64.max), radix: 16) + ".hwd"
            let relative = "data/" + name
            let dataDirectory = dataset.url.appendingPathComponent("data")
            if !FileManager.default.fileExists(atPath: dataDirectory.path) {
                do {
                    try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
                } catch {
                    throw EngineError.io(path: dataDirectory.path, operation: "mkdir", errno: EIO)
                }
            }
            let writer = try DataFileWriter(url: dataset.url.appendingPathComponent(relative), schema: dataset.schema)
            do {
                try writer.write(source.take(write), options: EncodingOptions(compressionLevel: compressionLevel))
                let info = try writer.finish()
                added.append(FragmentMetadata(dataFile: relative, physicalRows: info.rowCount, fileBytes: info.byteCount))
                result.bytesWritten += info.byteCount
                result.filesWritten = 1
                dataFile = relative
            } catch {
                writer.abandon()
                throw error
            }
        }
        let next = try dataset.commit(.update(deletions: deletions, added: added), retryPolicy: retryPolicy)
        result.bytesWritten += next.commitBytesWritten
        result.version = next.version
        result.dataset = next

        // The new version's index: the old one with this merge applied, cached under the new version's key.
        // Only when the commit landed right on top of the version merged into (else other commits intervened).
        if let cache, next.version == dataset.version + 1 {
            let newIndex = index.copy()
            for h in deletedHashes { newIndex.remove(h) }
            if let dataFile, let fragment = next.fragments.last(where: { $0.dataFile == dataFile }) {
                for (offset, h) in writeHashes.enumerated() {
                    if let h { newIndex.set(h, RowAddress(fragmentId: fragment.id, rowOffset: UInt32(offset))) }
                }
            }
            let newKey = CacheKey.keyIndex(path: next.url.path, version: next.version, column: keyColumn)
            cache.insert(newKey, newIndex, bytes: newIndex.byteSize)
            result.keyIndexBytes = newIndex.byteSize
        }
        return result
    }
}
