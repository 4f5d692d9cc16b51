import Foundation

/// What the threads of one `WritePipeline` share: the two bounded queues, the first error, the count of live
/// encoders, the ordering gate and the I/O thread's published result.
///
/// Ordering gate: an encoder may hand over batch `s` only when `s < nextToWrite + maxAhead`, so a descheduled
/// encoder holding the oldest batch cannot let the others pile encoded batches into the I/O thread's reorder
/// buffer without bound.
final class PipelineControl: @unchecked Sendable {  // @unchecked: `lock` guards the error, encoder count and result; `gate` guards the gate.
    /// Batches to encode, from the caller.
    let jobs: BoundedQueue<WritePipeline.Job>
    /// Encoded batches, for the I/O thread (in any order).
    let encoded: BoundedQueue<WritePipeline.Encoded>
    private let maxAhead: Int
    /// The byte budget, if the writer has one.
    let budget: ByteBudget?

    private let lock = NSLock()
    private var firstError: Error?
    private var liveEncoders: Int
    private var finalResult: (WriteSummary, Dataset)?

    private let gate = NSCondition()
    private var nextToWrite = 0
    private var gateOpen = true
    /// Jobs whose encoding has finished (their raw piece released), guarded by `gate`.
    private var encodedJobs = 0

    init(queueDepth: Int, encoders: Int, maxAhead: Int, budget: ByteBudget?) {
        self.budget = budget
        jobs = BoundedQueue(capacity: queueDepth)
        encoded = BoundedQueue(capacity: queueDepth)
        liveEncoders = encoders
        self.maxAhead = maxAhead
    }

    /// The first error any stage recorded.
    var error: Error? {
        lock.lock(); defer { lock.unlock() }
        return firstError
    }

    /// What the I/O thread published once everything was written and committed.
    var result: (WriteSummary, Dataset)? {
        lock.lock(); defer { lock.unlock() }
        return finalResult
    }

    /// Records the first error and makes every stage stop: both queues fail, the gate opens.
    func record(_ error: Error) {
        lock.lock()
        if firstError == nil { firstError = error }
        lock.unlock()
        jobs.fail(error)
        encoded.fail(error)
        budget?.fail(error)
        gate.lock()
        gateOpen = false
        gate.broadcast()
        gate.unlock()
    }

    /// Called by the I/O thread at the end of a successful run.
    func publish(_ summary: WriteSummary, _ dataset: Dataset) {
        lock.lock()
        finalResult = (summary, dataset)
        lock.unlock()
    }

    /// Called by the I/O thread when it has taken batch `next - 1`: lets encoders hand over up to `next + maxAhead`.
    func advance(nextToWrite next: Int) {
        gate.lock()
        nextToWrite = next
        gate.broadcast()
        gate.unlock()
    }

    /// Blocks until `count` jobs have been encoded.
    /// - Throws: the first error of any stage.
    func waitUntilEncoded(jobs count: Int) throws {
        gate.lock()
        defer { gate.unlock() }
        while gateOpen && encodedJobs < count { gate.wait() }
        if !gateOpen, let error { throw error }
    }

    /// One encoder thread: pops jobs, encodes them and pushes the results, until the jobs run out or a stage fails.
    func encodeLoop(options: EncodingOptions) {
        let encoder = BatchEncoder() // one per thread: owns reusable scratch and a zstd context
        do {
            while true {
                let output: WritePipeline.Encoded
                do { // the raw batch is released at the end of this scope, before waiting for room below
                    guard let job = try jobs.pop() else { break }
                    let batch = try encoder.encode(job.batch, options: options)
                    let charged = budget == nil ? 0 : batch.storage.capacityBytes
                    budget?.settle(reserved: job.reservedBytes, actual: charged)
                    output = WritePipeline.Encoded(sequence: job.sequence, batch: batch, chargedBytes: charged)
                }
                gate.lock()
                encodedJobs += 1
                gate.broadcast()
                while gateOpen && output.sequence >= nextToWrite + maxAhead { gate.wait() }
                gate.unlock()
                try encoded.push(output)
            }
        } catch {
            record(error)
        }
        lock.lock()
        liveEncoders -= 1
        let last = liveEncoders == 0
        lock.unlock()
        if last { encoded.close() }
    }
}
