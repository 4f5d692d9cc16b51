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
/// Not thread-safe: one thread calls `next()`. In files that also import Foundation, name the type
/// `DatasetScanner` (Foundation has a `DatasetScanner` too) or let `dataset.scanner(_:)` infer it.
public final class DatasetScanner {
    /// Schema of the returned batches.
    public let schema: Schema
    /// The options the scan was created with.
    public let options: ScanOptions

    private let source: PageGroupSource
    private let prefetch: ScanPrefetcher?
    private let batchSize: Int
    // Rows not yet returned: `current` from row `currentStart` on.
    private var current: RecordBatch?
    private var currentStart = 0
    private var finished = false

    /// Page groups read (decoded) so far.
    public var pagesRead: Int { source.counters.read }
    /// Page groups skipped by their statistics so far.
    public var pagesSkipped: Int { source.counters.skipped }

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
        return try source.decodeNext()
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

/// One page group's result: its kept rows, or `skipped` when its statistics excluded it unread.
enum GroupOutcome {
    case rows(RecordBatch)
    case skipped
}

/// The ordered sequence of page groups of a scan, opened fragment by fragment.
final class PageGroupSource: @unchecked Sendable {
    struct Task {
        let fragment: OpenFragment
        let page: Int
    }

    final class Counters: @unchecked Sendable {
        private let lock = NSLock()
        private var _read = 0, _skipped = 0
        var read: Int { lock.lock(); defer { lock.unlock() }; return _read }
        var skipped: Int { lock.lock(); defer { lock.unlock() }; return _skipped }
        func add(read: Int, skipped: Int) { lock.lock(); _read += read; _skipped += skipped; lock.unlock() }
    }

    let dataset: Dataset
    let plan: ScanPlan
    let counters = Counters()
    private var fragmentIndex = 0
    private var open: OpenFragment?
    private var page = 0

    init(dataset: Dataset, plan: ScanPlan) {
        self.dataset = dataset
        self.plan = plan
    }

    /// The next page group to decode, or nil at the end (not thread-safe: callers serialize).
    func nextTask() throws -> Task? {
        while true {
            if let open, page < open.pageCount {
                defer { page += 1 }
                return Task(fragment: open, page: page)
            }
            open = nil
            guard fragmentIndex < dataset.fragments.count else { return nil }
            let fragment = dataset.fragments[fragmentIndex]
            fragmentIndex += 1
            open = try OpenFragment(dataset: dataset, fragment: fragment)
            page = 0
        }
    }

    /// Decodes one page group (thread-safe).
    func decode(_ task: Task) throws -> GroupOutcome {
        if let result = try task.fragment.read(page: task.page, plan: plan, wantOffsets: false) {
            counters.add(read: 1, skipped: 0)
            return .rows(result.batch)
        }
        counters.add(read: 0, skipped: 1)
        return .skipped
    }

    /// `nextTask` + `decode` on the calling thread.
    func decodeNext() throws -> GroupOutcome? {
        guard let task = try nextTask() else { return nil }
        return try decode(task)
    }
}

/// Decodes page groups on worker threads ahead of the consumer, delivering them in order.
final class ScanPrefetcher: @unchecked Sendable {
    private let source: PageGroupSource
    private let window: Int
    private let cond = NSCondition()
    private var nextClaim = 0
    private var expected = 0
    private var total: Int?
    private var results: [Int: Result<GroupOutcome, Error>] = [:]
    private var stopped = false
    private var threads: [WorkerThread] = []

    init(source: PageGroupSource, threads count: Int, window: Int) {
        self.source = source
        self.window = max(1, window)
        for i in 0..<count {
            threads.append(WorkerThread(name: "hw-scan-\(i)") { [unowned self] in self.work() })
        }
    }

    private func work() {
        cond.lock()
        while true {
            while !stopped && total == nil && nextClaim >= expected + window { cond.wait() }
            if stopped || total != nil { break }
            let sequence = nextClaim
            let task: PageGroupSource.Task?
            do {
                task = try source.nextTask()
            } catch {
                results[sequence] = .failure(error)
                total = sequence + 1
                cond.broadcast()
                break
            }
            guard let task else {
                total = sequence
                cond.broadcast()
                break
            }
            nextClaim += 1
            cond.unlock()
            let result = Result { try source.decode(task) }
            cond.lock()
            results[sequence] = result
            cond.broadcast()
        }
        cond.unlock()
    }

    /// The next group in order, or nil at the end.
    func next() throws -> GroupOutcome? {
        cond.lock()
        defer { cond.unlock() }
        while results[expected] == nil {
            if let total, expected >= total { return nil }
            if stopped { return nil }
            cond.wait()
        }
        let result = results.removeValue(forKey: expected)!
        expected += 1
        cond.broadcast()
        switch result {
        case .success(let outcome): return outcome
        case .failure(let error):
            stopped = true
            cond.broadcast()
            throw error
        }
    }

    /// Stops the workers and waits for them.
    func stop() {
        cond.lock()
        stopped = true
        results.removeAll()
        cond.broadcast()
        cond.unlock()
        for t in threads { t.join() }
    }
}
