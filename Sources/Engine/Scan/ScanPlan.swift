import Foundation

/// What a scan reads from each fragment: which file columns, in which order, and the compiled filter.
/// Built once per scan; shared read-only by the decode threads.
final class ScanPlan: Sendable {
    /// Output schema (the requested columns).
    let outputSchema: Schema
    /// File column indexes to read: the output columns first, then filter-only columns.
    let readColumns: [Int]
    /// How many of `readColumns` are returned.
    let outputCount: Int
    let predicate: RowFilter?
    let filter: CompiledFilter?
    /// File column index per filter column name (for page statistics).
    let statisticsColumn: [String: Int]

    /// - Throws: `EngineError.invalidArgument` for unknown or duplicate columns and bad filters.
    init(schema: Schema, columns: [String]?, filter predicate: RowFilter?) throws {
        var read: [Int] = []
        if let columns {
            for name in columns {
                guard let i = schema.index(of: name) else { throw EngineError.invalidArgument(reason: "unknown column '\(name)'") }
                guard !read.contains(i) else { throw EngineError.invalidArgument(reason: "column '\(name)' requested twice") }
                read.append(i)
            }
        } else {
            read = Array(0..<schema.count)
        }
        outputCount = read.count
        outputSchema = schema.project(read)
        var statisticsColumn: [String: Int] = [:]
        if let predicate {
            for name in predicate.columns {
                guard let i = schema.index(of: name) else { throw EngineError.invalidArgument(reason: "filter names unknown column '\(name)'") }
                statisticsColumn[name] = i
                if !read.contains(i) { read.append(i) }
            }
        }
        readColumns = read
        self.statisticsColumn = statisticsColumn
        self.predicate = predicate
        if let predicate {
            let readIndex = Dictionary(uniqueKeysWithValues: read.enumerated().map { (schema.fields[$0.element].name, $0.offset) })
            filter = try CompiledFilter(predicate, schema: schema, readIndex: { readIndex[$0]! })
        } else {
            filter = nil
        }
    }
}
