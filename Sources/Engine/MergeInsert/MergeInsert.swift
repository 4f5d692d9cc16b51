import Foundation

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
        // Its data file exists before the commit names it: hold off `Dataset.cleanup` meanwhile.
        let lease = try WriterLease.shared(root: dataset.url)
        defer { lease.release() }
        let keyColumnIndex = try keyColumnIndex(source: source, dataset: dataset)
        var result = MergeInsertResult()
        let keys = SourceKeys(source.columns[keyColumnIndex], rows: source.rowCount)
        let cacheKey = CacheKey.keyIndex(path: dataset.url.path, version: dataset.version, column: keyColumn)
        let cache = dataset.session?.indexCache
        var matching: Matching
        if deleteNotMatchedBySource {
            matching = try scanTarget(dataset, keys: keys, result: &result)
            if let cache, !cache.contains(cacheKey) { cache.insert(cacheKey, matching.index, bytes: matching.index.byteSize) }
        } else {
            matching = try lookUpTarget(dataset, keys: keys, cacheKey: cacheKey, result: &result)
        }
        let rows = rowsToWrite(keys, matching: matching, result: &result)
        for k in matching.deletions.keys { matching.deletions[k]!.sort() }

        if rows.isEmpty && matching.deletions.isEmpty {
            result.version = dataset.version
            result.dataset = dataset
            return result
        }
        var added: [FragmentMetadata] = []
        if !rows.isEmpty {
            added.append(try writeDataFile(source.take(rows.map(\.row)), dataset: dataset, result: &result))
        }
        let next = try dataset.commit(.update(deletions: matching.deletions, added: added), retryPolicy: retryPolicy)
        result.bytesWritten += next.commitBytesWritten
        result.version = next.version
        result.dataset = next
        // The new version's index: the old one with this merge applied, cached under the new version's key.
        // Only when the commit landed right on top of the version merged into (else other commits intervened).
        if let cache, next.version == dataset.version + 1 {
            var newIndex = matching.index  // copy-on-write: the cached index of the old version stays as it is
            for h in matching.deletedHashes { newIndex.remove(h) }
            if let dataFile = added.first?.dataFile, let fragment = next.fragments.last(where: { $0.dataFile == dataFile }) {
                for (offset, row) in rows.enumerated() {
                    if let h = row.hash { newIndex.set(h, RowAddress(fragmentId: fragment.id, rowOffset: UInt32(truncatingIfNeeded: offset))) }
                }
            }
            let newKey = CacheKey.keyIndex(path: next.url.path, version: next.version, column: keyColumn)
            cache.insert(newKey, newIndex, bytes: newIndex.byteSize)
            result.keyIndexBytes = newIndex.byteSize
        }
        return result
    }

    /// Index of the key column, after checking the source's schema and the key's type.
    private func keyColumnIndex(source: RecordBatch, dataset: Dataset) throws -> Int {
        guard source.schema == dataset.schema else {
            throw EngineError.schemaMismatch(expected: dataset.schema.description, found: source.schema.description)
        }
        guard let index = dataset.schema.index(of: keyColumn) else {
            throw EngineError.invalidArgument(reason: "merge key column \(keyColumn) not in schema \(dataset.schema)")
        }
        let keyType = dataset.schema.fields[index].type
        guard KeyIndex.supports(keyType) else {
            throw EngineError.invalidArgument(reason: "merge key column \(keyColumn) has unsupported type \(keyType)")
        }
        return index
    }

    /// The source's keys: hash → last source row with it, and the null-keyed rows.
    private struct SourceKeys {
        var rowOf: [UInt64: Int] = [:]
        var nullKeyRows: [Int] = []

        init(_ keys: ColumnData, rows: Int) {
            rowOf.reserveCapacity(rows)
            for r in 0..<rows {
                if let h = KeyIndex.hash(keys, row: r) { rowOf[h] = r } else { nullKeyRows.append(r) }
            }
        }
    }

    /// What matching the source against the target found.
    private struct Matching {
        /// The target version's key index.
        var index: KeyIndex
        /// Target row offsets to delete, per fragment id.
        var deletions: [Int: [UInt32]] = [:]
        /// Source keys found in the target, with their source rows.
        var matched: [(hash: UInt64, row: Int)] = []
        /// Keys of the target rows deleted as not matched by the source.
        var deletedHashes: [UInt64] = []
    }

    /// `whenNotMatchedBySourceDelete`: every live target row must be looked at, so the whole key column is read,
    /// building the index on the way.
    private func scanTarget(_ dataset: Dataset, keys: SourceKeys, result: inout MergeInsertResult) throws -> Matching {
        var m = Matching(index: KeyIndex(capacity: dataset.countRows()))
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
                let column = batch.columns[0]
                for r in 0..<batch.rowCount {
                    let offset = offsets[r]
                    let h = KeyIndex.hash(column, row: r)
                    if let h { m.index.set(h, RowAddress(fragmentId: fragment.id, rowOffset: offset)) }
                    if let h, let s = keys.rowOf[h] {
                        m.matched.append((h, s))
                        if updateMatched { m.deletions[fragment.id, default: []].append(offset) }
                        continue
                    }
                    if deleteFilter != nil {
                        while nextDeletable < deletable.count && deletable[nextDeletable] < offset { nextDeletable += 1 }
                        guard nextDeletable < deletable.count && deletable[nextDeletable] == offset else { continue }
                    }
                    m.deletions[fragment.id, default: []].append(offset)
                    result.rowsDeleted += 1
                    if let h { m.deletedHashes.append(h) }
                }
                result.rowsScanned += batch.rowCount
            }
        }
        return m
    }

    /// Matches through the key index: from the session's cache, or built by reading the key column.
    private func lookUpTarget(_ dataset: Dataset, keys: SourceKeys, cacheKey: String,
                              result: inout MergeInsertResult) throws -> Matching {
        let cache = dataset.session?.indexCache
        var m: Matching
        if let cached = cache?.get(cacheKey) as? KeyIndex {
            m = Matching(index: cached)
            result.keyIndexCacheHit = true
        } else {
            let built = try KeyIndex.build(dataset: dataset, column: keyColumn)
            m = Matching(index: built.index)
            result.rowsScanned = built.rowsScanned
            cache?.insert(cacheKey, built.index, bytes: built.index.byteSize)
        }
        for (h, s) in keys.rowOf {
            if let address = m.index.lookup(h) {
                m.matched.append((h, s))
                if updateMatched { m.deletions[address.fragmentId, default: []].append(address.rowOffset) }
            }
        }
        return m
    }

    /// Source rows to write, in source order: matched ones (update) and new ones (insert), with their key hashes.
    private func rowsToWrite(_ keys: SourceKeys, matching: Matching, result: inout MergeInsertResult) -> [(row: Int, hash: UInt64?)] {
        if updateMatched { result.rowsUpdated = matching.matched.count }
        guard updateMatched || insertNotMatched else { return [] }
        var isMatched = Set<UInt64>(minimumCapacity: matching.matched.count)
        for m in matching.matched { isMatched.insert(m.hash) }
        var rows: [(row: Int, hash: UInt64?)] = []
        for (h, s) in keys.rowOf {
            if isMatched.contains(h) {
                if updateMatched { rows.append((s, h)) }
            } else if insertNotMatched {
                rows.append((s, h))
                result.rowsInserted += 1
            }
        }
        if insertNotMatched {
            for r in keys.nullKeyRows { rows.append((r, nil)) }
            result.rowsInserted += keys.nullKeyRows.count
        }
        rows.sort { $0.row < $1.row }
        return rows
    }

    /// Writes `rows` into one new data file (fsynced) and returns its fragment (id unassigned).
    private func writeDataFile(_ rows: RecordBatch, dataset: Dataset, result: inout MergeInsertResult) throws -> FragmentMetadata {
        let relative = DataFileName.newDataFile()
        let url = dataset.url.appendingPathComponent(relative)
        try ensureDirectory(url.deletingLastPathComponent().path)
        let writer = try DataFileWriter(url: url, schema: dataset.schema)
        do {
            try writer.write(rows, options: EncodingOptions(compressionLevel: compressionLevel))
            let info = try writer.finish()
            result.bytesWritten += info.byteCount
            result.filesWritten = 1
            return FragmentMetadata(dataFile: relative, physicalRows: info.rowCount, fileBytes: info.byteCount)
        } catch {
            writer.abandon()
            throw error
        }
    }
}
