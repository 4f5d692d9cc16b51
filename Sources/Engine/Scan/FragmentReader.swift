import Foundation

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
