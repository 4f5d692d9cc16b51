import Foundation
import RunContract
import Engine

/// Note 004: read a `code_chunks` table either by materializing it whole (`to_pandas()`, then iterating in
/// slices: memory grows with the table) or with the streaming scanner (`iter_chunks_batched`: memory stays
/// O(batch)), with an optional filter and projection; also times `countRows()`, which reads only the manifest.
///
/// `prepare` (unmeasured) writes a table of `rows` rows with the streaming writer.
public struct ScanWorkload: Workload {
    public static let name = "scan"
    public static let summary = "Read a code_chunks table: materialize_all vs streaming scan (note 004)"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("mode", .choice(["materialize_all", "streaming"]), default: "streaming",
                      help: "load the whole table then iterate, or stream batches from the scanner"),
        ParameterSpec("batch_size", .int, unit: "rows", default: "10000", range: 1...1e8, help: "rows per batch handed to the consumer"),
        ParameterSpec("filter", .choice(["none", "language", "file_path"]), default: "none",
                      help: "none, language = 'go' (1/8 of rows), or file_path = 'src/mod_7/file_7.swift' (1/5000)"),
        ParameterSpec("projection", .choice(["all", "no_content", "content", "id"]), default: "all",
                      help: "columns read: all, all but content, id+content, or id"),
        ParameterSpec("rows", .int, unit: "rows", default: "1M", range: 1...1e10,
                      help: "rows in the table written by prepare (not measured)"),
    ]

    /// Literal of the `language` filter.
    public static let languageFilterValue = "go"
    /// Literal of the `file_path` filter.
    public static let filePathFilterValue = "src/mod_7/file_7.swift"

    let materialize: Bool
    let batchSize: Int
    let filter: String
    let columns: [String]?
    let tableRows: Int

    public init(parameters: ParameterValues) throws {
        materialize = parameters.string("mode") == "materialize_all"
        batchSize = parameters.int("batch_size")
        filter = parameters.string("filter")
        switch parameters.string("projection") {
        case "no_content": columns = ["id", "file_path", "language", "start_line", "score"]
        case "content": columns = ["id", "content"]
        case "id": columns = ["id"]
        default: columns = nil
        }
        tableRows = parameters.int("rows")
    }

    private func datasetURL(_ context: RunContext) -> URL {
        context.workDirectory.appendingPathComponent("code_chunks", isDirectory: true)
    }

    public mutating func prepare(_ context: RunContext) throws {
        let writer = try DatasetWriter(at: datasetURL(context), schema: CodeChunksGenerator.schema,
                                       options: WriteOptions(strategy: .streaming))
        let generator = CodeChunksGenerator()
        for range in CodeChunksGenerator.batchRanges(totalRows: tableRows, batchSize: 10_000) {
            try writer.write(generator.batch(rows: range))
        }
        _ = try writer.close()
    }

    /// The filter as a pushed-down predicate, with the column it reads and its literal's bytes.
    private var predicate: (RowFilter, String, [UInt8])? {
        switch filter {
        case "language":
            return (.compare("language", .eq, .string(Self.languageFilterValue)), "language", Array(Self.languageFilterValue.utf8))
        case "file_path":
            return (.compare("file_path", .eq, .string(Self.filePathFilterValue)), "file_path", Array(Self.filePathFilterValue.utf8))
        default:
            return nil
        }
    }

    public mutating func run(_ context: RunContext) throws {
        context.phase("open")
        let t0 = Clock.nowNs()
        let dataset = try Dataset.open(at: datasetURL(context))
        let t1 = Clock.nowNs()
        context.phase("count")
        let counted = dataset.countRows()
        let t2 = Clock.nowNs()
        context.setMetric("open_ms", Double(t1 - t0) / 1e6)
        context.setMetric("count_rows_ms", Double(t2 - t1) / 1e6)
        context.setMetric("table_rows", Double(counted))

        var rowsRead = 0
        var bytesRead = 0
        var batches = 0
        var maxRowsHeld = 0
        var maxBytesHeld = 0
        let liveness = BatchLiveness()
        if materialize {
            // to_pandas(): the whole table (projected columns plus the filter's) in one batch, filtered in memory,
            // then handed out in slices of batch_size.
            context.phase("materialize")
            var wanted = columns
            if let (_, column, _) = predicate, let c = columns, !c.contains(column) { wanted = c + [column] }
            let table = try dataset.materializeAll(columns: wanted)
            maxRowsHeld = table.rowCount
            maxBytesHeld = table.allocatedBytes
            context.phase("iterate")
            var kept = table
            if let (_, column, literal) = predicate {
                kept = Self.filterEqual(table, column: table.schema.index(of: column)!, literal: literal)
                maxBytesHeld += kept.allocatedBytes
                if let c = columns { kept = kept.project(c.map { kept.schema.index(of: $0)! }) }
            }
            var start = 0
            while start < kept.rowCount {
                let slice = kept.slice(start..<min(start + batchSize, kept.rowCount))
                rowsRead += slice.rowCount
                bytesRead += slice.rawValueBytes
                batches += 1
                start += batchSize
            }
        } else {
            context.phase("scan")
            let scanner = try dataset.scanner(ScanOptions(columns: columns, filter: predicate?.0, batchSize: batchSize))
            while let batch = try scanner.next() {
                rowsRead += batch.rowCount
                bytesRead += batch.rawValueBytes
                batches += 1
                maxRowsHeld = max(maxRowsHeld, batch.rowCount)
                maxBytesHeld = max(maxBytesHeld, batch.allocatedBytes)
                liveness.track(batch)
            }
            liveness.sample()
            context.setMetric("pages_read", Double(scanner.pagesRead))
            context.setMetric("pages_skipped", Double(scanner.pagesSkipped))
            context.setMetric("batches_held_peak", Double(liveness.peakBatches))
        }
        context.phase("close")
        context.rows = rowsRead
        context.inputBytes = bytesRead
        context.setMetric("batches", Double(batches))
        context.setMetric("max_batch_rows_held", Double(maxRowsHeld))
        context.setMetric("max_batch_mb_held", Double(maxBytesHeld) / 1e6)
    }

    /// Rows of `batch` whose utf8 column `column` equals `literal` (byte comparison, no String per row).
    static func filterEqual(_ batch: RecordBatch, column: Int, literal: [UInt8]) -> RecordBatch {
        let data = batch.columns[column]
        var keep: [Int] = []
        literal.withUnsafeBytes { lit in
            for r in 0..<batch.rowCount {
                let v = data.utf8Bytes(r)
                if v.count == lit.count && (v.count == 0 || memcmp(v.baseAddress!, lit.baseAddress!, v.count) == 0) {
                    keep.append(r)
                }
            }
        }
        return batch.take(keep)
    }
}
