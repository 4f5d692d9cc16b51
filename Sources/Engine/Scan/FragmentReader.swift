import Foundation

/// What a scan reads from each fragment: which file columns, in which order, and the compiled filter.
/// Built once per scan; shared read-only by the decode threads.
final class ScanPlan: @unchecked Sendable {
    /// Output schema (the requested columns).
    let outputSchema: Schema
    /// File column indexes to read: the output columns first, then filter-only columns.
    let readColumns: [Int]
    /// How many of `readColumns` are returned.
    let outputCount: Int
    let predicate: RowFilter?
    let filter: CompiledFilter?
    /// File column index per filter column name (for page statistics).
    let statisticsColumn: [String: Int]

    /// - Throws: `EngineError.invalidArgument` for unknown or duplicate columns and bad filters.
    init(schema: Schema, columns: [String]?, filter predicate: RowFilter?) throws {
        var read: [Int] = []
        if let columns {
            for name in columns {
                guard let i = schema.index(of: name) else { throw EngineError.invalidArgument(reason: "unknown column '\(name)'") }
                guard !read.contains(i) else { throw EngineError.invalidArgument(reason: "column '\(name)' requested twice") }
                read.append(i)
            }
        } else {
            read = Array(0..<schema.count)
        }
        outputCount = read.count
        outputSchema = schema.project(read)
        var statisticsColumn: [String: Int] = [:]
        if let predicate {
            for name in predicate.columns {
                guard let i = schema.index(of: name) else { throw EngineError.invalidArgument(reason: "filter names unknown column '\(name)'") }
                statisticsColumn[name] = i
                if !read.contains(i) { read.append(i) }
            }
        }
        readColumns = read
        self.statisticsColumn = statisticsColumn
        self.predicate = predicate
        if let predicate {
            let readIndex = Dictionary(uniqueKeysWithValues: read.enumerated().map { (schema.fields[$0.element].name, $0.offset) })
            filter = try CompiledFilter(predicate, schema: schema, readIndex: { readIndex[$0]! })
        } else {
            filter = nil
        }
    }
}

/// One fragment opened for reading: its data file and its deleted rows.
final class OpenFragment: @unchecked Sendable {
    let metadata: FragmentMetadata
    let reader: DataFileReader
    /// Deleted physical row offsets, ascending.
    let deleted: [UInt32]

    init(dataset: Dataset, fragment: FragmentMetadata) throws {
        metadata = fragment
        reader = try dataset.openDataFile(fragment)
        deleted = try dataset.deletionFile(of: fragment)?.deletedOffsets ?? []
    }

    var pageCount: Int { reader.pageCount }

    /// Whether page `page` may hold rows matching the plan's filter, from its statistics alone.
    func mayMatch(page: Int, plan: ScanPlan) -> Bool {
        guard let predicate = plan.predicate else { return true }
        let footer = reader.footer
        return predicate.mayMatch { name in
            guard let c = plan.statisticsColumn[name] else { return nil }
            let info = footer.pages[c][page]
            return (info.statistics.min, info.statistics.max, info.statistics.nullCount, info.rowCount)
        }
    }

    /// Reads page `page` of the plan's columns and keeps the live rows that pass the filter.
    /// - Parameter wantOffsets: also return each kept row's physical offset in the fragment.
    /// - Returns: nil when statistics exclude the page (it is not read); else the kept rows (maybe 0).
    func read(page: Int, plan: ScanPlan, wantOffsets: Bool) throws -> (batch: RecordBatch, offsets: [UInt32])? {
        guard mayMatch(page: page, plan: plan) else { return nil }
        let firstRow = reader.footer.pages[plan.readColumns.first ?? 0][page].firstRow
        let batch = try reader.readBatch(page: page, columns: plan.readColumns)
        let rows = batch.rowCount
        // Deleted rows of this page: a binary search for the first, then a walk.
        var d = lowerBound(deleted, UInt32(truncatingIfNeeded: firstRow))
        let deletedStart = d
        while d < deleted.count && Int(deleted[d]) < firstRow + rows { d += 1 }
        let deletedInPage = d - deletedStart
        if deletedInPage == 0 && plan.filter == nil {
            let out = plan.outputCount == plan.readColumns.count ? batch : batch.project(Array(0..<plan.outputCount))
            let offsets = wantOffsets ? (0..<rows).map { UInt32(firstRow + $0) } : []
            return (out, offsets)
        }
        var selection = [Int](repeating: 0, count: rows)
        let count: Int = selection.withUnsafeMutableBufferPointer { s in
            var n = 0
            var next = deletedStart
            for r in 0..<rows {
                if next < d && Int(deleted[next]) == firstRow + r { next += 1; continue }
                s[n] = r
                n += 1
            }
            if let filter = plan.filter {
                n = filter.apply(columns: batch.columns, selection: s.baseAddress!, count: n)
            }
            return n
        }
        let out: RecordBatch = selection.withUnsafeBufferPointer { all in
            let picked = UnsafeBufferPointer(rebasing: all[0..<count])
            var columns: [ColumnData] = []
            columns.reserveCapacity(plan.outputCount)
            for c in 0..<plan.outputCount { columns.append(batch.columns[c].take(picked)) }
            return RecordBatch(schema: plan.outputSchema, rowCount: count, columns: columns)
        }
        let offsets = wantOffsets ? selection[0..<count].map { UInt32(firstRow + $0) } : []
        return (out, offsets)
    }
}

/// Index of the first element of `sorted` that is >= `value`.
@inline(__always)
func lowerBound(_ sorted: [UInt32], _ value: UInt32) -> Int {
    var lo = 0, hi = sorted.count
    while lo < hi {
        let mid = (lo + hi) >> 1
        if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
    }
    return lo
}

/// Reads one fragment page by page, yielding the live rows (deleted rows skipped, filter applied)
/// together with each row's physical offset in the fragment's data file: what merge-insert needs to
/// mark rows deleted (`CommitOperation.update(deletions:)`).
public final class FragmentReader {
    /// The fragment read.
    public let fragment: FragmentMetadata
    /// Schema of the returned batches (the requested columns).
    public let schema: Schema
    private let open: OpenFragment
    private let plan: ScanPlan
    private var page = 0

    /// - Parameters:
    ///   - dataset: the version the fragment belongs to.
    ///   - fragment: one of `dataset.fragments`.
    ///   - columns: columns to return, in order (nil: all).
    ///   - filter: rows to keep (nil: all live rows); pages excluded by statistics are not read.
    /// - Throws: `EngineError.missingFile`/`.corrupt`/`.truncated` for the data or deletion file,
    ///   `.invalidArgument` for unknown columns.
    public init(dataset: Dataset, fragment: FragmentMetadata, columns: [String]? = nil, filter: RowFilter? = nil) throws {
        self.fragment = fragment
        plan = try ScanPlan(schema: dataset.schema, columns: columns, filter: filter)
        schema = plan.outputSchema
        open = try OpenFragment(dataset: dataset, fragment: fragment)
    }

    /// The next page's kept rows and their physical row offsets, or nil at the end. Pages with no kept
    /// row are skipped, so a returned batch is never empty.
    public func next() throws -> (batch: RecordBatch, rowOffsets: [UInt32])? {
        while page < open.pageCount {
            let p = page
            page += 1
            if let result = try open.read(page: p, plan: plan, wantOffsets: true), result.batch.rowCount > 0 {
                return (result.batch, result.offsets)
            }
        }
        return nil
    }
}
