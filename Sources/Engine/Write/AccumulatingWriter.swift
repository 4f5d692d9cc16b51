/// The `.accumulate` strategy: holds every batch (their buffers stay alive) until `close()`, then pushes
/// them all through the encode → write pipeline at once, as the note's writer did with its 601 batches.
/// Peak memory grows with the rows written.
final class AccumulatingWriter {
    private var held: [RecordBatch] = []
    private let makePipeline: () -> WritePipeline

    /// - Parameter makePipeline: creates the pipeline at `close()` (its threads start then).
    init(makePipeline: @escaping () -> WritePipeline) {
        self.makePipeline = makePipeline
    }

    /// Batches held now.
    var heldBatches: Int { held.count }

    func write(_ batch: RecordBatch) {
        held.append(batch)
    }

    func close() throws -> (WriteSummary, Dataset) {
        let pipeline = makePipeline()
        // Every batch stays held until it has been queued (the note's writer consumes its vector only once
        // close() runs); encoded batches are released as the pipeline drains.
        let batches = held
        held = []
        do {
            for batch in batches { try pipeline.submit(batch) }
        } catch {
            pipeline.abort(error)
            throw error
        }
        return try pipeline.finish()
    }
}
