import Foundation

/// One fragment opened for reading: its data file and its deleted rows.
final class OpenFragment: Sendable {
    let metadata: FragmentMetadata
    let reader: DataFileReader
    /// Deleted physical row offsets, ascending.
    let deleted: [UInt32]

    /// Rows a fragment may hold: its row offsets are u32 (deletion files, merge-insert addresses).
    static let maximumRows = 1 << 32

    init(dataset: Dataset, fragment: FragmentMetadata) throws {
        metadata = fragment
        reader = try dataset.openDataFile(fragment)
        guard reader.rowCount <= Self.maximumRows else {
            throw EngineError.corrupt(file: reader.url.path, offset: reader.fileBytes - DataFileFooter.trailerBytes,
                                      reason: "\(reader.rowCount) rows exceed the \(Self.maximumRows) a fragment can address")
        }
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
            // Exact: a fragment holds at most 2^32 rows (checked at open).
            let offsets = wantOffsets ? (0..<rows).map { UInt32(truncatingIfNeeded: firstRow + $0) } : []
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
        let offsets = wantOffsets ? selection[0..<count].map { UInt32(truncatingIfNeeded: firstRow + $0) } : []
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
