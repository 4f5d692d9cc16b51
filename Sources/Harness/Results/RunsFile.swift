import Foundation
import Collections

/// One row of `runs.csv`: column name → cell text, in the order the columns were set.
public struct RunRecord: Sendable {
    public var values: OrderedDictionary<String, String> = [:]
    public init() {}
    public subscript(_ column: String) -> String? {
        get { values[column] }
        set { values[column] = newValue }
    }
    /// Sets a numeric cell (empty for nil / non-finite); `digits` significant decimals after the point.
    public mutating func set(_ column: String, _ v: Double?, digits: Int = 6) {
        guard let v, v.isFinite else { values[column] = ""; return }
        values[column] = formatNumber(v, digits: digits)
    }
    public mutating func set(_ column: String, _ v: Int?) {
        values[column] = v.map(String.init) ?? ""
    }
    public var status: String { values["status"] ?? "" }
}

/// Shortest text for a number: integers without a point, others with up to `digits` decimals, no exponent for normal magnitudes.
func formatNumber(_ v: Double, digits: Int = 6) -> String {
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    var s = String(format: "%.\(digits)f", v)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
}

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
