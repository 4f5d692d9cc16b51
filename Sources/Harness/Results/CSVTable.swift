import Foundation
import RunContract

/// A CSV file as a header and rows of text cells (RFC 4180: fields with `,`, `"` or
/// newlines are quoted, quotes doubled). Used for `runs.csv`, `summary.csv` and
/// `timeseries.csv`, so every tool reads back exactly what the harness wrote.
public struct CSVTable: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    /// Index of `column` in the header, or nil.
    public func index(of column: String) -> Int? { header.firstIndex(of: column) }

    /// The cell of `row` under `column`, or nil when the column is absent or the row is short.
    public func value(_ row: [String], _ column: String) -> String? {
        guard let i = index(of: column), i < row.count else { return nil }
        return row[i]
    }

    /// Rows as dictionaries keyed by column name.
    public var records: [[String: String]] {
        rows.map { row in
            var d: [String: String] = [:]
            for (i, name) in header.enumerated() where i < row.count { d[name] = row[i] }
            return d
        }
    }

    // MARK: Writing

    /// Quotes one field when it needs it.
    public static func escape(_ field: String) -> String {
        if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return field
    }

    /// One CSV line, with its trailing newline.
    public static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\n"
    }

    /// The whole table as CSV text.
    public func serialized() -> String {
        var out = Self.line(header)
        for row in rows { out += Self.line(row) }
        return out
    }

    /// Writes the table atomically (temp file, fsync, rename; never through a symlink); throws `OutputError`.
    public func write(to url: URL) throws {
        try OutputFile.replace(url, with: Data(serialized().utf8))
    }

    // MARK: Reading

    /// A CSV file could not be parsed; names the file, line and what was wrong.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public let file: String
        public let line: Int
        public let reason: String
        public var description: String { "\(file):\(line): \(reason)" }
    }

    /// Parses CSV text. The first record is the header; every row must have the header's width.
    public static func parse(_ text: String, file: String = "<csv>") throws -> CSVTable {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var chars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return chars.next()
        }
        var sawAny = false
        while let c = next() {
            sawAny = true
            if inQuotes {
                if c == "\"" {
                    if let d = next() {
                        if d == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = d }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                if field.isEmpty { inQuotes = true } else {
                    throw ParseError(file: file, line: line, reason: "unexpected quote inside an unquoted field")
                }
            case ",":
                record.append(field); field = ""
            case "\r":
                continue
            case "\n":
                record.append(field); field = ""
                records.append(record); record = []
                line += 1; recordLine = line
            default:
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw ParseError(file: file, line: recordLine, reason: "unterminated quoted field") }
        if sawAny && (!field.isEmpty || !record.isEmpty) { record.append(field); records.append(record) }
        guard let header = records.first else {
            throw ParseError(file: file, line: 1, reason: "empty file: no header")
        }
        let rows = Array(records.dropFirst())
        for (i, row) in rows.enumerated() where row.count != header.count {
            throw ParseError(file: file, line: i + 2,
                             reason: "row has \(row.count) fields, header has \(header.count)")
        }
        return CSVTable(header: header, rows: rows)
    }

    /// Reads and parses a CSV file; errors name the file.
    public static func read(from url: URL) throws -> CSVTable {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ParseError(file: url.path, line: 0, reason: "cannot read: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ParseError(file: url.path, line: 0, reason: "not UTF-8")
        }
        return try parse(text, file: url.path)
    }
}
