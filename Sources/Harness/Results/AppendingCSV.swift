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
    private var fd: Int32 = -1

    init(url: URL, initialHeader: [String] = []) throws {
        self.url = url
        header = initialHeader
        try rewrite()
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Appends one row (whole, fsynced) or rewrites the file with a wider header. On a failure the file keeps every
    /// earlier row and the row is not counted.
    func append(_ row: OrderedDictionary<String, String>) throws {
        let newColumns = row.keys.filter { !header.contains($0) }
        if !newColumns.isEmpty {
            let oldHeader = header
            header += newColumns
            rows.append(row)
            do { try rewrite() } catch {
                rows.removeLast()
                header = oldHeader
                throw error
            }
            return
        }
        try OutputFile.append(fd, Data(CSVTable.line(header.map { row[$0] ?? "" }).utf8), file: url.path)
        guard fsync(fd) == 0 || errno == EINVAL else { throw OutputError(file: url.path, operation: "fsync", errno: errno) }
        rows.append(row)
    }

    private func rewrite() throws {
        if fd >= 0 { close(fd); fd = -1 }
        let table = CSVTable(header: header, rows: rows.map { r in header.map { r[$0] ?? "" } })
        try OutputFile.replace(url, with: Data((header.isEmpty ? "" : table.serialized()).utf8))
        fd = try OutputFile.openForAppend(url)
    }
}
