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
    private var pending: [EncodedBatch] = []
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
        var reorder: [Int: EncodedBatch] = [:]
        var expected = 0
        do {
            while let item = try control.encoded.pop() {
                reorder[item.sequence] = item.batch
                while let next = reorder.removeValue(forKey: expected) {
                    expected += 1
                    control.advance(nextToWrite: expected)
                    try accept(next)
                }
            }
            if !pending.isEmpty { try flush() }
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

    private func accept(_ batch: EncodedBatch) throws {
        configuration.phases.enter("encode")
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
        configuration.phases.enter("flush")
        for batch in pending {
            if let current = file,
               fileRows + batch.rowCount > options.maxRowsPerFile || current.bytesWritten >= options.maxBytesPerFile {
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
