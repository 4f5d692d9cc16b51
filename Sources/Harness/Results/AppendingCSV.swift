import Foundation
import RunContract
import Collections

/// `runs.csv`, appended and flushed as each run ends. The header is the union of every record's columns in order of
/// first appearance; when a run brings a new column (a workload metric, a cache), the file is rewritten atomically
/// (temp file + rename) with the wider header, so the file on disk is always a complete, valid CSV.
final class AppendingCSV {
    let url: URL
    private(set) var header: [String] = []
    private(set) var rows: [OrderedDictionary<String, String>] = []
    private var handle: FileHandle?

    init(url: URL, initialHeader: [String] = []) throws {
        self.url = url
        header = initialHeader
        try rewrite()
    }

    deinit { try? handle?.close() }

    func append(_ row: OrderedDictionary<String, String>) throws {
        rows.append(row)
        let newColumns = row.keys.filter { !header.contains($0) }
        if !newColumns.isEmpty {
            header += newColumns
            try rewrite()
            return
        }
        let line = CSVTable.line(header.map { row[$0] ?? "" })
        guard let h = handle else { try rewrite(); return }
        try h.write(contentsOf: Data(line.utf8))
        try h.synchronize()
    }

    private func rewrite() throws {
        try? handle?.close()
        handle = nil
        let table = CSVTable(header: header, rows: rows.map { r in header.map { r[$0] ?? "" } })
        let text = header.isEmpty ? "" : table.serialized()
        try Data(text.utf8).write(to: url, options: .atomic)
        handle = try FileHandle(forWritingTo: url)
        try handle?.seekToEnd()
    }
}
