import Foundation

/// The I/O stage of a `WritePipeline`, created on and used by the I/O thread only: puts encoded batches back in
/// order, holds them until a flush, writes them into data files (rolling at the row/byte limits), commits and
/// publishes the summary and final dataset view to the `PipelineControl`.
final class DataFileSink {
    /// Everything the I/O thread needs, handed to it at start.
    struct Configuration: Sendable {
        let dataset: Dataset
        let schema: Schema
        let options: WriteOptions
        /// The first commit replaces the dataset's fragments (mode `.overwrite`).
        let firstCommitOverwrites: Bool
        let phases: PhaseReporter
        let startNanoseconds: UInt64
    }

    private let configuration: Configuration
    private var options: WriteOptions { configuration.options }
    private var dataset: Dataset
    private var committedOnce = false
    private var file: DataFileWriter?
    private var fileRelativePath = ""
    private var fileRows = 0
    private var pending: [WritePipeline.Encoded] = []
    /// Budget bytes charged to the pending batches.
    private var pendingBytes = 0
    private var uncommitted: [FragmentMetadata] = []
    /// Finished data files not yet fsynced (synced before the commit that references them).
    private var unsynced: [String] = []
    private var summary = WriteSummary()

    init(_ configuration: Configuration) {
        self.configuration = configuration
        dataset = configuration.dataset
    }

    /// Runs the I/O stage to the end: until the encoded queue is closed and drained (then the last flush, file
    /// and commit, and the result is published) or a stage fails (then the unfinished file is abandoned).
    func run(_ control: PipelineControl) {
        var reorder: [Int: WritePipeline.Encoded] = [:]
        var expected = 0
        do {
            while let item = try control.encoded.pop() {
                reorder[item.sequence] = item
                while let next = reorder.removeValue(forKey: expected) {
                    expected += 1
                    control.advance(nextToWrite: expected)
                    try accept(next, budget: control.budget)
                }
            }
            if !pending.isEmpty { try flush(budget: control.budget) }
            try finishFile()
            if !uncommitted.isEmpty || (configuration.firstCommitOverwrites && !committedOnce) {
                try commitUncommitted()
            }
            control.publish(summary, dataset)
        } catch {
            control.record(error)
            file?.abandon()
            file = nil
        }
    }

    /// Holds `item` for the next flush; flushes after `flushEveryBatches` batches, or earlier once the held
    /// batches reach half the byte budget (pieces are at most a quarter of it, so a caller waiting for budget
    /// always finds either batches in flight towards this thread or a flush about to free room).
    private func accept(_ item: WritePipeline.Encoded, budget: ByteBudget?) throws {
        configuration.phases.enter("encode")
        let batch = item.batch
        pending.append(item)
        pendingBytes += item.chargedBytes
        summary.encodedBytes += batch.encodedBytes
        summary.encodeStatsNanoseconds += batch.timings.statsNanoseconds
        summary.encodeSelectNanoseconds += batch.timings.selectNanoseconds
        summary.encodeCompressNanoseconds += batch.timings.compressNanoseconds
        let overBudget = budget.map { pendingBytes * 2 >= $0.limitBytes } ?? false
        if pending.count >= max(1, options.flushEveryBatches) || overBudget { try flush(budget: budget) }
    }

    /// Writes the held batches into data files (rolling at the row and byte limits: a batch that would take the
    /// file past either starts a new one); with `.everyFlush`, ends the file and commits it.
    private func flush(budget: ByteBudget?) throws {
        configuration.phases.enter("flush")
        for item in pending {
            let batch = item.batch
            if let current = file, fileRows > 0,
               fileRows + batch.rowCount > options.maxRowsPerFile
                || current.bytesWritten + batch.encodedBytes > options.maxBytesPerFile {
                try finishFile()
            }
            if file == nil { try startFile() }
            try file!.write(batch)
            fileRows += batch.rowCount
            if summary.firstWriteNanoseconds == nil {
                summary.firstWriteNanoseconds = EngineClock.monotonicNanoseconds() &- configuration.startNanoseconds
            }
        }
        pending.removeAll(keepingCapacity: true)
        budget?.release(pendingBytes)  // the pages are in the file and the batches gone
        pendingBytes = 0
        summary.flushes += 1
        if options.commitMode == .everyFlush {
            try finishFile()
            try commitUncommitted()
        }
    }

    private func startFile() throws {
        fileRelativePath = DataFileName.newDataFile()
        let url = dataset.url.appendingPathComponent(fileRelativePath)
        try ensureDirectory(url.deletingLastPathComponent().path)
        file = try DataFileWriter(url: url, schema: configuration.schema)
        fileRows = 0
    }

    private func finishFile() throws {
        guard let current = file else { return }
        file = nil
        // The fsync is deferred to just before the commit that names the file, so the I/O thread does not
        // stall (and let the queues fill up) at every file roll.
        let info = try current.finish(sync: false)
        unsynced.append(dataset.url.appendingPathComponent(fileRelativePath).path)
        summary.files += 1
        summary.dataFileBytes += info.byteCount
        summary.bytesWritten += info.byteCount
        uncommitted.append(FragmentMetadata(dataFile: fileRelativePath, physicalRows: info.rowCount, fileBytes: info.byteCount))
    }

    private func commitUncommitted() throws {
        configuration.phases.enter("commit")
        for path in unsynced { try fsyncFile(path) }
        unsynced.removeAll()
        let operation: CommitOperation = (configuration.firstCommitOverwrites && !committedOnce)
            ? .overwrite(uncommitted, schema: configuration.schema) : .append(uncommitted)
        dataset = try dataset.commit(operation, retryPolicy: options.retryPolicy)
        committedOnce = true
        uncommitted.removeAll()
        summary.versions += 1
        summary.commitRetries += dataset.commitRetries
        summary.bytesWritten += dataset.commitBytesWritten
        summary.finalVersion = dataset.version
    }
}
