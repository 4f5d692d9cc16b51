/// Where one page sits in a data file and what it holds.
public struct PageInfo: Sendable, Equatable {
    /// File offset of the page header.
    public let offset: Int
    /// Header + stored body bytes.
    public let byteCount: Int
    /// First row of the page within the file.
    public let firstRow: Int
    public let rowCount: Int
    public let compression: PageCompression
    public let statistics: PageStatistics

    public init(offset: Int, byteCount: Int, firstRow: Int, rowCount: Int, compression: PageCompression, statistics: PageStatistics) {
        self.offset = offset
        self.byteCount = byteCount
        self.firstRow = firstRow
        self.rowCount = rowCount
        self.compression = compression
        self.statistics = statistics
    }

    /// Rows `firstRow ..< firstRow + rowCount` of the file.
    public var rowRange: Range<Int> { firstRow ..< firstRow + rowCount }
}

/// The footer of a data file: schema, row count, and per column the pages' locations and statistics
/// (byte layout in docs/FORMAT.md, "Footer"). Every column has the same page row ranges. Immutable and
/// `Sendable`, so a session can cache it and open readers from it without re-reading the file.
public struct DataFileFooter: Sendable, Equatable {
    /// First 4 bytes and last 4 bytes of every data file: "HWDF".
    public static let magic: UInt32 = 0x4644_5748
    /// File header bytes (magic + format version).
    public static let headerBytes = 8
    /// Trailer bytes after the footer: footer length, zero, checksum, format version, magic.
    public static let trailerBytes = 24

    public let formatVersion: UInt32
    public let schema: Schema
    public let rowCount: Int
    /// `pages[column][page]`.
    public let pages: [[PageInfo]]
    /// Serialized footer bytes (without the trailer): what caching this footer costs, roughly.
    public let byteCount: Int

    public init(formatVersion: UInt32 = engineFormatVersion, schema: Schema, rowCount: Int, pages: [[PageInfo]]) {
        self.formatVersion = formatVersion
        self.schema = schema
        self.rowCount = rowCount
        self.pages = pages
        self.byteCount = Self.serialize(formatVersion: formatVersion, schema: schema, rowCount: rowCount, pages: pages).count
    }

    private init(formatVersion: UInt32, schema: Schema, rowCount: Int, pages: [[PageInfo]], byteCount: Int) {
        self.formatVersion = formatVersion
        self.schema = schema
        self.rowCount = rowCount
        self.pages = pages
        self.byteCount = byteCount
    }

    /// Pages per column (0 for a file without columns).
    public var pageCount: Int { pages.first?.count ?? 0 }

    /// Statistics of every page, `[column][page]`.
    public var pageStatistics: [[PageStatistics]] { pages.map { $0.map(\.statistics) } }

    // MARK: Serialization

    func serialize() -> [UInt8] {
        Self.serialize(formatVersion: formatVersion, schema: schema, rowCount: rowCount, pages: pages)
    }

    private static func serialize(formatVersion: UInt32, schema: Schema, rowCount: Int, pages: [[PageInfo]]) -> [UInt8] {
        var w = ByteWriter()
        w.u32(formatVersion)
        w.u64(UInt64(rowCount))
        w.u32(UInt32(schema.count))
        for (c, field) in schema.fields.enumerated() {
            let name = Array(field.name.utf8)
            w.u16(UInt16(name.count))
            w.bytes(name)
            w.u8(field.type.tag)
            w.u8(field.nullable ? 1 : 0)
            w.u16(0)
            if case .float32Vector(let d) = field.type { w.u32(UInt32(d)) } else { w.u32(0) }
            let columnPages = c < pages.count ? pages[c] : []
            w.u32(UInt32(columnPages.count))
            for p in columnPages {
                w.u64(UInt64(p.offset))
                w.u32(UInt32(p.byteCount))
                w.u64(UInt64(p.firstRow))
                w.u32(UInt32(p.rowCount))
                w.u8(p.statistics.encoding.rawValue)
                w.u8(p.compression.rawValue)
                w.u16(0)
                w.u32(UInt32(p.statistics.nullCount))
                w.u32(UInt32(p.statistics.runCount))
                w.u64(UInt64(p.statistics.distinctEstimate))
                w.scalar(p.statistics.min)
                w.scalar(p.statistics.max)
            }
        }
        return w.buffer
    }

    /// Parses and validates footer bytes (checksum already verified) found at `offset` in `file`, whose
    /// pages must lie in `pagesRegion`.
    static func parse(_ bytes: UnsafeRawBufferPointer, file: String, offset: Int, pagesRegion: Range<Int>) throws -> DataFileFooter {
        var r = ByteReader(bytes, file: file, baseOffset: offset)
        let versionAt = r.errorOffset
        let version = try r.u32("footer format version")
        guard version == engineFormatVersion else {
            throw EngineError.corrupt(file: file, offset: versionAt, reason: "unsupported format version \(version)")
        }
        let rowCount = Int(try r.u64("row count"))
        guard rowCount <= 1 << 48 else { throw EngineError.corrupt(file: file, offset: versionAt + 4, reason: "row count \(rowCount) implausible") }
        let columns = try r.count32("column count", limit: 1 << 16)
        var fields: [Field] = []
        var pages: [[PageInfo]] = []
        for c in 0..<columns {
            let nameLength = Int(try r.u16("field name length"))
            let nameAt = r.errorOffset
            guard let name = String(validating: try r.take(nameLength, "field name"), as: UTF8.self) else {
                throw EngineError.corrupt(file: file, offset: nameAt, reason: "field name is not UTF-8")
            }
            let typeAt = r.errorOffset
            let tag = try r.u8("field type")
            let nullable = try r.u8("field nullable")
            try r.zeros(2, "field reserved bytes")
            let dimension = try r.u32("vector dimension")
            guard nullable <= 1, let type = ColumnType.fromTag(tag, dimension: dimension),
                  (tag == 5) || dimension == 0 else {
                throw EngineError.corrupt(file: file, offset: typeAt, reason: "bad field type \(tag)/\(nullable)/\(dimension)")
            }
            fields.append(Field(name: name, type: type, nullable: nullable == 1))
            // Each page entry takes at least 46 bytes, which bounds the count before anything is reserved.
            let pageCount = try r.count32("page count", limit: r.remaining / 46)
            if c > 0 && pageCount != pages[0].count {
                throw r.corrupt("column \(c) has \(pageCount) pages, column 0 has \(pages[0].count)")
            }
            var columnPages: [PageInfo] = []
            columnPages.reserveCapacity(pageCount)
            var nextRow = 0
            for p in 0..<pageCount {
                let pageAt = r.errorOffset
                let pageOffset = Int(try r.u64("page offset"))
                let byteCount = Int(try r.u32("page length"))
                let firstRow = Int(try r.u64("page first row"))
                let rows = Int(try r.u32("page rows"))
                let e = try r.u8("page encoding")
                let comp = try r.u8("page compression")
                try r.zeros(2, "page reserved bytes")
                let nulls = Int(try r.u32("page null count"))
                let runs = Int(try r.u32("page run count"))
                let distinct = Int(try r.u64("page distinct estimate"))
                let min = try r.scalar()
                let max = try r.scalar()
                guard let encoding = PageEncoding(rawValue: e), let compression = PageCompression(rawValue: comp) else {
                    throw EngineError.corrupt(file: file, offset: pageAt + 24, reason: "unknown page encoding/compression \(e)/\(comp)")
                }
                guard pageOffset >= pagesRegion.lowerBound, byteCount >= PageHeader.size,
                      pageOffset <= pagesRegion.upperBound, byteCount <= pagesRegion.upperBound - pageOffset else {
                    throw EngineError.corrupt(file: file, offset: pageAt, reason: "page \(p) of column \(c) at \(pageOffset)+\(byteCount) outside the page region")
                }
                guard firstRow == nextRow, rows <= rowCount - firstRow, nulls <= rows, runs <= rows, distinct <= rows,
                      c == 0 || (pages[0][p].firstRow == firstRow && pages[0][p].rowCount == rows) else {
                    throw EngineError.corrupt(file: file, offset: pageAt + 12, reason: "page \(p) of column \(c) row range \(firstRow)+\(rows) inconsistent")
                }
                nextRow = firstRow + rows
                columnPages.append(PageInfo(offset: pageOffset, byteCount: byteCount, firstRow: firstRow, rowCount: rows,
                                            compression: compression,
                                            statistics: PageStatistics(min: min, max: max, nullCount: nulls, runCount: runs,
                                                                       distinctEstimate: distinct, encoding: encoding)))
            }
            guard nextRow == rowCount else {
                throw r.corrupt("column \(c) pages cover \(nextRow) of \(rowCount) rows")
            }
            pages.append(columnPages)
        }
        try r.expectEnd("footer")
        return DataFileFooter(formatVersion: version, schema: Schema(fields: fields), rowCount: rowCount, pages: pages,
                              byteCount: bytes.count)
    }
}

/// Little-endian serializer for footers.
struct ByteWriter {
    var buffer: [UInt8] = []
    mutating func u8(_ v: UInt8) { buffer.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { buffer.append(contentsOf: $0) } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { buffer.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { buffer.append(contentsOf: $0) } }
    mutating func bytes(_ b: [UInt8]) { buffer.append(contentsOf: b) }
    /// u8 tag (0 null, 1 int64, 2 float64 bits, 3 string) then the payload (8 bytes, or u32 length + UTF-8).
    mutating func scalar(_ s: ScalarValue) {
        switch s {
        case .null: u8(0)
        case .int(let v): u8(1); u64(UInt64(bitPattern: v))
        case .double(let v): u8(2); u64(v.bitPattern)
        case .string(let str):
            u8(3)
            let b = Array(str.utf8)
            u32(UInt32(b.count))
            bytes(b)
        }
    }
}

extension ByteReader {
    mutating func scalar() throws -> ScalarValue {
        let at = errorOffset
        switch try u8("statistic tag") {
        case 0: return .null
        case 1: return .int(Int64(bitPattern: try u64("int statistic")))
        case 2: return .double(Double(bitPattern: try u64("float statistic")))
        case 3:
            let n = try count32("string statistic length", limit: Int(Int32.max))
            let strAt = errorOffset
            guard let s = String(validating: try take(n, "string statistic"), as: UTF8.self) else {
                throw EngineError.corrupt(file: file, offset: strAt, reason: "string statistic is not UTF-8")
            }
            return .string(s)
        case let t:
            throw EngineError.corrupt(file: file, offset: at, reason: "unknown statistic tag \(t)")
        }
    }
}
