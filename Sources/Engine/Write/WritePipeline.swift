import Foundation

/// A thread running one closure; `join()` waits for it to end.
final class WorkerThread: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)

    init(name: String, _ body: @escaping @Sendable () -> Void) {
        let done = self.done
        let thread = Thread {
            body()
            done.signal()
        }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    func join() {
        done.wait()
        done.signal() // joinable again
    }
}

/// Calls `onPhase` serialized, from any thread.
final class PhaseReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let onPhase: ((String) -> Void)?
    private var last: String?

    init(_ onPhase: ((String) -> Void)?) { self.onPhase = onPhase }

    /// Reports `name` unless it is the current phase.
    func enter(_ name: String) {
        guard let onPhase else { return }
        lock.lock(); defer { lock.unlock() }
        if last == name { return }
        last = name
        onPhase(name)
    }
}

/// The encode → write → commit pipeline both writer strategies run.
///
/// The caller (`submit`) splits batches at file row limits and queues them; `encoderCount` worker threads
/// encode them (`BatchEncoder`, pure and thread-safe) into a second bounded queue; one I/O thread puts
/// them back in order, holds them until a flush, writes them into the current data file, rolls files at
/// the row/byte limits and, with `.everyFlush`, commits each flushed file as a new version. Memory in
/// flight is bounded by the queue depths, the encoders' batches and one flush's encoded batches.
final class WritePipeline: @unchecked Sendable {
    struct Job {
        let sequence: Int
        let batch: RecordBatch
    }

    struct Encoded {
        let sequence: Int
        let batch: EncodedBatch
    }

    let root: URL
    let schema: Schema
    let options: WriteOptions
    let encodingOptions: EncodingOptions
    let phases: PhaseReporter
    let startNanoseconds: UInt64

    private let jobs: BoundedQueue<Job>
    private let encoded: BoundedQueue<Encoded>
    private var encoders: [WorkerThread] = []
    private var io: WorkerThread?
    private let lock = NSLock()
    private var liveEncoders: Int
    private var firstError: Error?
    // Ordering gate: an encoder may hand over batch `s` only when `s < nextToWrite + maxAhead`, so a
    // descheduled encoder holding the oldest batch cannot let the others pile encoded batches into the
    // I/O thread's reorder buffer without bound.
    private let gate = NSCondition()
    private var nextToWrite = 0
    private var gateOpen = true
    private let maxAhead: Int

    // Caller-side state.
    private var nextSequence = 0
    private var rowsInCurrentFile = 0

    // I/O-thread state (read by the caller only after `finish()` joined the thread).
    private var dataset: Dataset
    private let firstCommitOverwrites: Bool
    private var committedOnce = false
    private var file: DataFileWriter?
    private var fileRelativePath = ""
    private var fileRows = 0
    private var pending: [EncodedBatch] = []
    private var uncommitted: [FragmentMetadata] = []
    /// Finished data files not yet fsynced (synced before the commit that references them).
    private var unsynced: [String] = []
    private(set) var summary = WriteSummary()

    /// - Parameters:
    ///   - dataset: the version the first commit builds on.
    ///   - firstCommitOverwrites: the first commit replaces the dataset's fragments (mode `.overwrite`).
    init(dataset: Dataset, schema: Schema, options: WriteOptions, firstCommitOverwrites: Bool,
         phases: PhaseReporter, startNanoseconds: UInt64) {
        self.root = dataset.url
        self.dataset = dataset
        self.schema = schema
        self.options = options
        self.firstCommitOverwrites = firstCommitOverwrites
        self.encodingOptions = EncodingOptions(compressionLevel: options.compressionLevel)
        self.phases = phases
        self.startNanoseconds = startNanoseconds
        let depth = max(1, options.queueDepth)
        jobs = BoundedQueue(capacity: depth)
        encoded = BoundedQueue(capacity: depth)
        let encoderCount = options.encoderThreads > 0 ? options.encoderThreads : max(1, ProcessInfo.processInfo.activeProcessorCount)
        liveEncoders = encoderCount
        maxAhead = depth + encoderCount
        for i in 0..<encoderCount {
            encoders.append(WorkerThread(name: "hw-encode-\(i)") { [unowned self] in self.encodeLoop() })
        }
        io = WorkerThread(name: "hw-write") { [unowned self] in self.ioLoop() }
    }

    // MARK: Caller side

    /// Queues `batch` (split at file row limits), blocking while the queue is full.
    /// - Throws: the first error of a worker thread.
    func submit(_ batch: RecordBatch) throws {
        let limit = max(1, options.maxRowsPerFile)
        var start = 0
        while start < batch.rowCount {
            let n = min(limit - rowsInCurrentFile, batch.rowCount - start)
            let piece = (start == 0 && n == batch.rowCount) ? batch : batch.slice(start..<(start + n))
            rowsInCurrentFile += n
            if rowsInCurrentFile >= limit { rowsInCurrentFile = 0 }
            do {
                try jobs.push(Job(sequence: nextSequence, batch: piece))
            } catch {
                throw self.error ?? error
            }
            nextSequence += 1
            start += n
        }
    }

    /// Drains the pipeline, joins the threads and makes the final commit.
    /// - Returns: the summary (rows/raw bytes are the caller's to fill) and the final dataset view.
    func finish() throws -> (WriteSummary, Dataset) {
        jobs.close()
        for e in encoders { e.join() }
        io?.join()
        if let error = self.error { throw error }
        if !uncommitted.isEmpty || (firstCommitOverwrites && !committedOnce) {
            try commitUncommitted()
        }
        return (summary, dataset)
    }

    /// Stops the workers after an error on the caller's side.
    func abort(_ error: Error) {
        record(error)
        for e in encoders { e.join() }
        io?.join()
        file?.abandon()
        file = nil
    }

    var error: Error? {
        lock.lock(); defer { lock.unlock() }
        return firstError
    }

    private func record(_ error: Error) {
        lock.lock()
        if firstError == nil { firstError = error }
        lock.unlock()
        jobs.fail(error)
        encoded.fail(error)
        gate.lock()
        gateOpen = false
        gate.broadcast()
        gate.unlock()
    }

    // MARK: Encoders

    private func encodeLoop() {
        let encoder = BatchEncoder() // one per thread: owns reusable scratch and a zstd context
        do {
            while true {
                let output: Encoded
                do { // the raw batch is released at the end of this scope, before waiting for room below
                    guard let job = try jobs.pop() else { break }
                    output = Encoded(sequence: job.sequence, batch: encoder.encode(job.batch, options: encodingOptions))
                }
                gate.lock()
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

    // MARK: I/O thread

    private func ioLoop() {
        var reorder: [Int: EncodedBatch] = [:]
        var expected = 0
        do {
            while let item = try encoded.pop() {
                reorder[item.sequence] = item.batch
                while let next = reorder.removeValue(forKey: expected) {
                    expected += 1
                    gate.lock()
                    nextToWrite = expected
                    gate.broadcast()
                    gate.unlock()
                    try accept(next)
                }
            }
            if !pending.isEmpty { try flush() }
            try finishFile()
        } catch {
            record(error)
        }
    }

    private func accept(_ batch: EncodedBatch) throws {
        phases.enter("encode")
        pending.append(batch)
        summary.encodedBytes += batch.encodedBytes
        summary.encodeStatsNanoseconds += batch.timings.statsNanoseconds
        summary.encodeSelectNanoseconds += batch.timings.selectNanoseconds
        summary.encodeCompressNanoseconds += batch.timings.compressNanoseconds
        if pending.count >= max(1, options.flushEveryBatches) { try flush() }
    }

    /// Writes the held batches into data files (rolling at the limits); with `.everyFlush`, ends the
    /// file and commits it.
    private func flush() throws {
        phases.enter("flush")
        for batch in pending {
            if let current = file,
               fileRows + batch.rowCount > options.maxRowsPerFile || current.bytesWritten >= options.maxBytesPerFile {
                try finishFile()
            }
            if file == nil { try startFile() }
            try file!.write(batch)
            fileRows += batch.rowCount
            if summary.firstWriteNanoseconds == nil {
                summary.firstWriteNanoseconds = monotonicNowNanoseconds() &- startNanoseconds
            }
        }
        pending.removeAll(keepingCapacity: true)
        summary.flushes += 1
        if options.commitMode == .everyFlush {
            try finishFile()
            try commitUncommitted()
        }
    }

    private func startFile() throws {
        fileRelativePath = "data/" + newDataFileName()
        let url = root.appendingPathComponent(fileRelativePath)
        try ensureDirectory(url.deletingLastPathComponent().path)
        file = try DataFileWriter(url: url, schema: schema)
        fileRows = 0
    }

    private func finishFile() throws {
        guard let current = file else { return }
        file = nil
        // The fsync is deferred to just before the commit that names the file, so the I/O thread does not
        // stall (and let the queues fill up) at every file roll.
        let info = try current.finish(sync: false)
        unsynced.append(root.appendingPathComponent(fileRelativePath).path)
        summary.files += 1
        summary.dataFileBytes += info.byteCount
        summary.bytesWritten += info.byteCount
        uncommitted.append(FragmentMetadata(dataFile: fileRelativePath, physicalRows: info.rowCount, fileBytes: info.byteCount))
    }

    private func commitUncommitted() throws {
        phases.enter("commit")
        for path in unsynced { try fsyncFile(path) }
        unsynced.removeAll()
        let operation: CommitOperation = (firstCommitOverwrites && !committedOnce)
            ? .overwrite(uncommitted, schema: schema) : .append(uncommitted)
        dataset = try dataset.commit(operation, retryPolicy: options.retryPolicy)
        committedOnce = true
        uncommitted.removeAll()
        summary.versions += 1
        summary.commitRetries += dataset.commitRetries
        summary.bytesWritten += dataset.commitBytesWritten
        summary.finalVersion = dataset.version
    }
}

/// A fresh data file name: 32 random hex digits + ".hwd".
func newDataFileName() -> String {
    var g = SystemRandomNumberGenerator()
    let a = g.next() as UInt64, b = g.next() as UInt64
    func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
    return hex(a) + hex(b) + ".hwd"
}

/// CLOCK_MONOTONIC in nanoseconds.
@inline(__always)
func monotonicNowNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}
