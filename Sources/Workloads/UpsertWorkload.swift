import Foundation
import RunContract
import Engine

/// Note 001: an indexing pipeline's repeated merge-insert flushes of code chunks into `code_chunks`, optionally
/// with `when_not_matched_by_source_delete` (which forces a full scan), while the seven other tables get small
/// upserts, every table reopened at each call as the note's code does.
///
/// - `session=per_table`: each table has its own `Session` (Lance's default: caches are not shared between tables),
///   each with the full `index_cache_mb` + `metadata_cache_mb` budget, so the total grows with the table count and,
///   since cache keys include the version, with every flush;
/// - `session=shared`: one `Session` for all eight tables, bounded by one budget (the note's fix);
/// - `session=per_open`: a fresh `Session` at every open, dropped after the call: nothing is reused, so every
///   merge rebuilds its key index by scanning (the note's "why not just disable caching").
///
/// Each flush has three phases whose RSS growth is measured in-process (`/proc/self/statm` before and after):
/// `prep` (building the source batch), `upsert` (the merge-insert into `code_chunks`) and `other_tables`.
public struct UpsertWorkload: Workload {
    public static let name = "upsert"
    public static let summary = "Merge-insert flushes over 8 tables, per-table vs shared session caches (note 001)"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("session", .choice(["per_table", "shared", "per_open"]), default: "per_table",
                      help: "one session (caches) per table, one shared by all eight, or a fresh one at every open (no cache reuse)"),
        ParameterSpec("index_cache_mb", .int, unit: "MiB", default: "6144", range: 0...1_048_576,
                      help: "index cache budget of each session (Lance's default: 6 GiB)"),
        ParameterSpec("metadata_cache_mb", .int, unit: "MiB", default: "1024", range: 0...1_048_576,
                      help: "metadata cache budget of each session (Lance's default: 1 GiB)"),
        ParameterSpec("flushes", .int, unit: "flushes", default: "97", range: 1...1_000_000,
                      help: "merge-insert flushes into code_chunks (the note's indexing run made 97)"),
        ParameterSpec("rows_per_flush", .int, unit: "rows", default: "10000", range: 1...1e8,
                      help: "source rows per flush: half update existing chunks, half are new"),
        ParameterSpec("other_rows_per_flush", .int, unit: "rows", default: "64", range: 1...1e8,
                      help: "source rows per flush for each of the seven other tables (half of them updates)"),
        ParameterSpec("delete_by_source", .bool, default: "true",
                      help: "when_not_matched_by_source_delete: delete target rows absent from the source (full scan)"),
    ]

    /// The eight tables of the note, in its order.
    public static let tableNames = ["memories", "code_chunks", "sessions", "documents",
                                    "session_memories", "memory_relationships", "document_metadata", "indexed_files"]
    /// Schema of the seven tables other than `code_chunks`.
    public static let recordSchema = Schema(fields: [
        Field(name: "id", type: .int64),
        Field(name: "key", type: .utf8),
        Field(name: "body", type: .utf8),
        Field(name: "updated_at", type: .int64),
    ])

    let sessionMode: UpsertSessions.Mode
    let indexCacheBytes: Int
    let metadataCacheBytes: Int
    let flushes: Int
    let rowsPerFlush: Int
    let otherRowsPerFlush: Int
    let deleteBySource: Bool

    public init(parameters: ParameterValues) throws {
        sessionMode = UpsertSessions.Mode(rawValue: parameters.string("session"))!
        indexCacheBytes = parameters.int("index_cache_mb") << 20
        metadataCacheBytes = parameters.int("metadata_cache_mb") << 20
        flushes = parameters.int("flushes")
        rowsPerFlush = parameters.int("rows_per_flush")
        otherRowsPerFlush = parameters.int("other_rows_per_flush")
        deleteBySource = parameters.bool("delete_by_source")
    }

    private func tableURL(_ context: RunContext, _ name: String) -> URL {
        context.workDirectory.appendingPathComponent("db", isDirectory: true).appendingPathComponent(name, isDirectory: true)
    }

    /// Source ids of flush `flush` in `code_chunks`: the second half of the previous flush's ids plus as many new.
    func codeChunkRows(flush: Int) -> Range<Int> {
        let start = flush * (rowsPerFlush / 2)
        return start ..< start + rowsPerFlush
    }

    /// Source ids of flush `flush` in one of the other tables.
    func otherRows(flush: Int) -> Range<Int> {
        let start = flush * (otherRowsPerFlush / 2)
        return start ..< start + otherRowsPerFlush
    }

    /// Rows `rows` of one of the other tables as written at flush `flush`: `key` is `<table>/<id>`, `body` three
    /// vocabulary words. Values are written in place into the builder (no String per value).
    static func records(table: [UInt8], rows: Range<Int>, flush: Int, builder: RecordBatchBuilder) -> RecordBatch {
        let writer = CodeChunksRowWriter()
        for id in rows {
            builder.appendInt64(column: 0, Int64(id))
            builder.appendUTF8(column: 1, maxBytes: table.count + 21) { p in
                table.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                p.storeBytes(of: UInt8(ascii: "/"), toByteOffset: table.count, as: UInt8.self)
                return table.count + 1 + writeDecimal(id, to: p + table.count + 1)
            }
            builder.appendUTF8(column: 2, maxBytes: 46) { p in
                writer.writeThreeWords((id &* 31 &+ flush) & 0xFF, (id &* 17) & 0xFF, flush & 0xFF, to: p)
            }
            builder.appendInt64(column: 3, Int64(flush))
        }
        return builder.finish()
    }

    /// Writes the decimal digits of `value` (>= 0) at `p` (room for 20 bytes); returns how many.
    static func writeDecimal(_ value: Int, to p: UnsafeMutableRawPointer) -> Int {
        var digits = 1
        var v = value / 10
        while v > 0 { digits += 1; v /= 10 }
        v = value
        for i in stride(from: digits - 1, through: 0, by: -1) {
            p.storeBytes(of: UInt8(48 + v % 10), toByteOffset: i, as: UInt8.self)
            v /= 10
        }
        return digits
    }

    /// Creates the eight tables with their first rows (flush 0's source), not measured.
    public mutating func prepare(_ context: RunContext) throws {
        let builder = RecordBatchBuilder(schema: Self.recordSchema, capacityRows: otherRowsPerFlush)
        for name in Self.tableNames {
            let url = tableURL(context, name)
            let batch = name == "code_chunks"
                ? CodeChunksGenerator(batchCapacityRows: rowsPerFlush).batch(rows: codeChunkRows(flush: 0))
                : Self.records(table: Array(name.utf8), rows: otherRows(flush: 0), flush: 0, builder: builder)
            let writer = try DatasetWriter(at: url, schema: batch.schema, options: WriteOptions(strategy: .streaming, mode: .create))
            try writer.write(batch)
            _ = try writer.close()
        }
    }

    public mutating func run(_ context: RunContext) throws {
        let sessions = UpsertSessions(mode: sessionMode, tables: Self.tableNames.count,
                                      indexCacheBytes: indexCacheBytes, metadataCacheBytes: metadataCacheBytes)
        let codeChunks = Self.tableNames.firstIndex(of: "code_chunks")!
        let generator = CodeChunksGenerator(batchCapacityRows: rowsPerFlush)
        let builder = RecordBatchBuilder(schema: Self.recordSchema, capacityRows: otherRowsPerFlush)
        let tableBytes = Self.tableNames.map { Array($0.utf8) }

        var growth = (prep: 0, upsert: 0, other: 0)
        var totals = MergeTotals()
        var inputBytes = 0
        var versions = 0
        let startRSS = Int(ProcessMemory.residentBytes())
        for flush in 1...flushes {
            context.phase("prep")
            var before = Int(ProcessMemory.residentBytes())
            let source = generator.batch(rows: codeChunkRows(flush: flush))
            var after = Int(ProcessMemory.residentBytes())
            growth.prep += after - before

            context.phase("upsert")
            before = after
            // Reopened at every call, as the note's `code_chunks_table()` does.
            let codeSession = sessions.session(for: codeChunks)
            let table = try Dataset.open(at: tableURL(context, "code_chunks"), session: codeSession)
            totals += try Self.mergeInsert(into: table, source: source, deleteBySource: deleteBySource)
            sessions.done(with: codeSession)
            after = Int(ProcessMemory.residentBytes())
            growth.upsert += after - before
            inputBytes += source.rawValueBytes
            versions += 1

            context.phase("other_tables")
            before = after
            for (t, name) in Self.tableNames.enumerated() where t != codeChunks {
                let small = Self.records(table: tableBytes[t], rows: otherRows(flush: flush), flush: flush, builder: builder)
                let smallSession = sessions.session(for: t)
                let dataset = try Dataset.open(at: tableURL(context, name), session: smallSession)
                totals += try Self.mergeInsert(into: dataset, source: small, deleteBySource: false)
                sessions.done(with: smallSession)
                inputBytes += small.rawValueBytes
                versions += 1
            }
            after = Int(ProcessMemory.residentBytes())
            growth.other += after - before
        }
        let endRSS = Int(ProcessMemory.residentBytes())
        context.phase("close")

        let stats = sessions.statistics
        context.caches["index"] = stats["index"]
        context.caches["metadata"] = stats["metadata"]
        context.rows = totals.sourceRows
        context.inputBytes = inputBytes
        context.versions = versions
        context.files = totals.filesWritten
        context.bytesWritten = totals.bytesWritten
        let mb = 1e6
        let total = endRSS - startRSS
        context.setMetric("prep_rss_growth_mb", Double(growth.prep) / mb)
        context.setMetric("upsert_rss_growth_mb", Double(growth.upsert) / mb)
        context.setMetric("other_tables_rss_growth_mb", Double(growth.other) / mb)
        context.setMetric("total_rss_growth_mb", Double(total) / mb)
        if total > 0 { context.setMetric("upsert_growth_share_pct", 100 * Double(growth.upsert) / Double(total)) }
        context.setMetric("sessions", Double(sessions.created))
        context.setMetric("cache_budget_mb", Double(sessions.budgetBytes) / mb)
        context.setMetric("cache_bytes_mb", Double(sessions.bytesHeld) / mb)
        context.setMetric("cache_peak_bytes_mb", Double(sessions.peakBytes) / mb)
        context.setMetric("rows_updated", Double(totals.updated))
        context.setMetric("rows_inserted", Double(totals.inserted))
        context.setMetric("rows_deleted", Double(totals.deleted))
        context.setMetric("rows_scanned", Double(totals.scanned))
        context.setMetric("key_index_cache_hits", Double(totals.keyIndexHits))
        // The sessions go out of scope here: end RSS then shows what the allocator kept after they were freed.
    }

    /// Upserts `source` into `dataset` by `id` (update matched, insert new, optionally delete rows absent from the
    /// source), committing one version; the key index lives in the dataset's session's index cache.
    static func mergeInsert(into dataset: Dataset, source: RecordBatch, deleteBySource: Bool) throws -> MergeTotals {
        var merge = MergeInsert(on: "id").whenMatchedUpdateAll().whenNotMatchedInsertAll()
        if deleteBySource { merge = merge.whenNotMatchedBySourceDelete() }
        let r = try merge.execute(source: source, dataset: dataset)
        var t = MergeTotals()
        t.sourceRows = source.rowCount
        t.updated = r.rowsUpdated
        t.inserted = r.rowsInserted
        t.deleted = r.rowsDeleted
        t.scanned = r.rowsScanned
        t.keyIndexHits = r.keyIndexCacheHit ? 1 : 0
        t.filesWritten = r.filesWritten
        t.bytesWritten = r.bytesWritten
        return t
    }

    /// Sums of the merge-insert results of a run.
    struct MergeTotals {
        var sourceRows = 0
        var updated = 0
        var inserted = 0
        var deleted = 0
        /// Target rows read to find keys (full scans and key-index builds).
        var scanned = 0
        /// Merges whose key index came from the index cache.
        var keyIndexHits = 0
        var filesWritten = 0
        var bytesWritten = 0
        static func += (a: inout MergeTotals, b: MergeTotals) {
            a.sourceRows += b.sourceRows
            a.updated += b.updated
            a.inserted += b.inserted
            a.deleted += b.deleted
            a.scanned += b.scanned
            a.keyIndexHits += b.keyIndexHits
            a.filesWritten += b.filesWritten
            a.bytesWritten += b.bytesWritten
        }
    }
}

/// The sessions of an `upsert` run and their combined statistics.
final class UpsertSessions {
    enum Mode: String {
        case perTable = "per_table"
        case shared
        case perOpen = "per_open"
    }

    let mode: Mode
    private let indexCacheBytes: Int
    private let metadataCacheBytes: Int
    /// Sessions alive for the whole run: 8 (per_table), 1 (shared) or none (per_open).
    private let held: [Session]
    /// Counters of per-open sessions already dropped (their entries and bytes are gone: 0).
    private var retired: [String: CacheStatistics] = [:]
    private var retiredPeakBytes = 0
    /// Sessions created.
    private(set) var created: Int

    init(mode: Mode, tables: Int, indexCacheBytes: Int, metadataCacheBytes: Int) {
        self.mode = mode
        self.indexCacheBytes = indexCacheBytes
        self.metadataCacheBytes = metadataCacheBytes
        let count = mode == .perTable ? tables : (mode == .shared ? 1 : 0)
        held = (0..<count).map { _ in Session(indexCacheBytes: indexCacheBytes, metadataCacheBytes: metadataCacheBytes) }
        created = count
    }

    /// The session to open table `table` with.
    func session(for table: Int) -> Session {
        switch mode {
        case .perTable: return held[table]
        case .shared: return held[0]
        case .perOpen:
            created += 1
            return Session(indexCacheBytes: indexCacheBytes, metadataCacheBytes: metadataCacheBytes)
        }
    }

    /// Called when the call that opened a table with `session` is over (per_open drops the session).
    func done(with session: Session) {
        guard mode == .perOpen else { return }
        for (name, st) in session.statistics {
            var kept = st
            kept.entries = 0
            kept.bytes = 0
            retired[name, default: CacheStatistics()] = retired[name, default: CacheStatistics()] + kept
        }
        retiredPeakBytes = max(retiredPeakBytes, session.indexCache.peakBytes + session.metadataCache.peakBytes)
    }

    /// Counters per cache name (`index`, `metadata`) over every session of the run.
    var statistics: [String: CacheStatistics] {
        var out = Session.combinedStatistics(held)
        for (name, st) in retired { out[name, default: CacheStatistics()] = out[name, default: CacheStatistics()] + st }
        return out
    }

    /// Sum of the budgets of the sessions alive at once.
    var budgetBytes: Int { max(held.count, mode == .perOpen ? 1 : 0) * (indexCacheBytes + metadataCacheBytes) }
    /// Bytes the live sessions hold now.
    var bytesHeld: Int { held.reduce(0) { $0 + $1.sizeBytes } }
    /// Sum of the live sessions' peaks, or the largest peak of one per-open session.
    var peakBytes: Int {
        max(retiredPeakBytes, held.reduce(0) { $0 + $1.indexCache.peakBytes + $1.metadataCache.peakBytes })
    }
}
