import Foundation

/// Decodes page groups on worker threads ahead of the consumer, delivering them in order.
final class ScanPrefetcher: @unchecked Sendable {  // @unchecked: every mutable property is guarded by `cond`.
    private let source: PageGroupSource
    private let window: Int
    private let cond = NSCondition()
    private var cursor = PageGroupCursor()
    private var nextClaim = 0
    private var expected = 0
    private var total: Int?
    private var results: [Int: Result<GroupOutcome, Error>] = [:]
    private var stopped = false
    private var threads: [WorkerThread] = []

    init(source: PageGroupSource, threads count: Int, window: Int) {
        self.source = source
        self.window = max(1, window)
        cond.lock()
        defer { cond.unlock() }
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
                task = try cursor.next(in: source)
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
        let workers = threads
        cond.unlock()
        for t in workers { t.join() }
    }
}
