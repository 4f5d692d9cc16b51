/// The `.streaming` strategy: every batch goes straight into the encode → write pipeline, whose bounded
/// queues make `write` block when encoding or I/O falls behind (backpressure).
final class StreamingWriter {
    let pipeline: WritePipeline

    init(pipeline: WritePipeline) {
        self.pipeline = pipeline
    }

    func write(_ batch: RecordBatch) throws {
        try pipeline.submit(batch)
    }

    func close() throws -> (WriteSummary, Dataset) {
        try pipeline.finish()
    }

    func abort(_ error: Error) {
        pipeline.abort(error)
    }
}
