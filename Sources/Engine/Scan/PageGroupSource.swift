/// The page groups of one scan (one page of each read column, at the same row range), fragment by fragment,
/// and how to decode one. Immutable and thread-safe: the position in the sequence is a `PageGroupCursor`, owned by
/// whoever hands out the groups (the scanner, or its prefetcher under its lock).
final class PageGroupSource: Sendable {
    /// One page group to decode.
    struct Task: Sendable {
        let fragment: OpenFragment
        let page: Int
    }

    /// Page groups decoded and skipped so far.
    struct Progress: Sendable {
        var read = 0
        var skipped = 0
    }

    let dataset: Dataset
    let plan: ScanPlan
    private let counters = Locked(Progress())

    init(dataset: Dataset, plan: ScanPlan) {
        self.dataset = dataset
        self.plan = plan
    }

    /// Page groups decoded and skipped so far (any thread).
    var progress: Progress { counters.current }

    /// Decodes one page group (thread-safe).
    func decode(_ task: Task) throws -> GroupOutcome {
        if let result = try task.fragment.read(page: task.page, plan: plan, wantOffsets: false) {
            counters.withLock { $0.read += 1 }
            return .rows(result.batch)
        }
        counters.withLock { $0.skipped += 1 }
        return .skipped
    }
}
