import Foundation

/// A streaming scan of one dataset version (seed note 004's `iter_chunks_batched`, not `to_pandas`).
///
/// Work is split into page groups (one page of each read column, at the same row range). A page group
/// whose statistics exclude every row is skipped unread; the others are read (only the projected and
/// filter columns' pages), deleted rows dropped and the filter applied exactly. With
/// `ScanOptions.readAhead`, one decode thread per core reads page groups ahead, at most
/// `threads` groups beyond the one being consumed; without it everything happens inside `next()`.
/// Memory held is therefore about one output batch plus a few page groups, whatever the table size.
///
/// Not thread-safe: one thread calls `next()`. (Called `Scanner` before, a name Foundation also uses.)
public final class DatasetScanner {
    /// Schema of the returned batches.
    public let schema: Schema
    /// The options the scan was created with.
    public let options: ScanOptions

    private let source: PageGroupSource
    private let prefetch: ScanPrefetcher?
    /// The position in the page groups when there is no prefetcher (which then owns it).
    private var cursor = PageGroupCursor()
    private let batchSize: Int
    // Rows not yet returned: `current` from row `currentStart` on.
    private var current: RecordBatch?
    private var currentStart = 0
    private var finished = false

    /// Page groups read (decoded) so far.
    public var pagesRead: Int { source.progress.read }
    /// Page groups skipped by their statistics so far.
    public var pagesSkipped: Int { source.progress.skipped }

    /// - Throws: `EngineError.invalidArgument` for unknown columns or bad filters.
    init(dataset: Dataset, options: ScanOptions) throws {
        self.options = options
        let plan = try ScanPlan(schema: dataset.schema, columns: options.columns, filter: options.filter)
        schema = plan.outputSchema
        batchSize = max(1, options.batchSize)
        source = PageGroupSource(dataset: dataset, plan: plan)
        if options.readAhead {
            let threads = max(1, ProcessInfo.processInfo.activeProcessorCount)
            prefetch = ScanPrefetcher(source: source, threads: threads, window: threads)
        } else {
            prefetch = nil
        }
    }

    deinit {
        prefetch?.stop()
    }

    /// The next group's kept rows (nil when its statistics excluded it), or nil at the end.
    private func nextGroup() throws -> GroupOutcome? {
        if let prefetch { return try prefetch.next() }
        guard let task = try cursor.next(in: source) else { return nil }
        return try source.decode(task)
    }

    /// The next batch of `batchSize` rows (the last one may be shorter), or nil at the end.
    /// - Throws: `EngineError` naming the damaged or missing file and offset.
    public func next() throws -> RecordBatch? {
        if finished { return nil }
        var pieces: [RecordBatch] = []
        var rows = 0
        while rows < batchSize {
            if current == nil {
                guard let outcome = try nextGroup() else { break }
                guard case .rows(let group) = outcome, group.rowCount > 0 else { continue }
                current = group
                currentStart = 0
            }
            let group = current!
            let take = min(batchSize - rows, group.rowCount - currentStart)
            if currentStart == 0 && take == group.rowCount {
                pieces.append(group)
            } else {
                pieces.append(group.slice(currentStart..<(currentStart + take)))
            }
            rows += take
            currentStart += take
            if currentStart == group.rowCount { current = nil }
        }
        if rows == 0 {
            finished = true
            prefetch?.stop()
            return nil
        }
        return pieces.count == 1 ? pieces[0] : RecordBatch.concatenate(pieces)
    }

    /// Every remaining row in one batch (used by `Dataset.materializeAll`).
    func materialize() throws -> RecordBatch {
        var groups: [RecordBatch] = []
        while let outcome = try nextGroup() {
            if case .rows(let g) = outcome, g.rowCount > 0 { groups.append(g) }
        }
        finished = true
        prefetch?.stop()
        if groups.isEmpty { return RecordBatch.empty(schema) }
        return RecordBatch.concatenate(groups)
    }
}
