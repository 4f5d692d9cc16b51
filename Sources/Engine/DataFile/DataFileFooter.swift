/// The footer of a data file: schema, row count, and per column the pages' locations and statistics
/// (byte layout in docs/FORMAT.md, "Footer"). Every column has the same page row ranges. Immutable and
/// `Sendable`, so a session can cache it and open readers from it without re-reading the file.
public struct DataFileFooter: Sendable, Equatable {
    /// First 4 bytes and last 4 bytes of every data file: "HWDF".
    public static let magic: UInt32 = FormatConstants.dataFileMagic
    /// File header bytes (magic + format version).
    public static let headerBytes = FormatConstants.dataFileHeaderBytes
    /// Trailer bytes after the footer: footer length, zero, checksum, format version, magic.
    public static let trailerBytes = FormatConstants.dataFileTrailerBytes

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
        self.byteCount = Self.serializedSize(schema: schema, pages: pages)
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

    /// Bytes `serialize()` produces, computed without building them.
    private static func serializedSize(schema: Schema, pages: [[PageInfo]]) -> Int {
        var total = 4 + 8 + 4
        for (c, field) in schema.fields.enumerated() {
            total += 2 + field.name.utf8.count + 1 + 1 + 2 + 4 + 4
            for p in c < pages.count ? pages[c] : [] {
                total += 44 + p.statistics.min.serializedSize + p.statistics.max.serializedSize
            }
        }
        return total
    }

    /// The footer's bytes (docs/FORMAT.md, "Footer").
    /// - Throws: `EngineError.valueOutOfRange` when a value does not fit its field (a name over 65,535 bytes, a
    ///   page over 2^32 - 1 bytes or rows, a negative offset or count).
    func serialize() throws -> [UInt8] {
        var w = ByteWriter(reservingCapacity: byteCount)
        w.u32(formatVersion)
        try w.u64(rowCount, "footer row count")
        try w.u32(schema.count, "footer column count")
        for (c, field) in schema.fields.enumerated() {
            try w.string16(field.name, "field name")
            w.u8(field.type.tag)
            w.u8(field.nullable ? 1 : 0)
            w.u16(0)
            if case .float32Vector(let d) = field.type { try w.u32(d, "vector dimension of \(field.name)") } else { w.u32(0) }
            let columnPages = c < pages.count ? pages[c] : []
            try w.u32(columnPages.count, "page count of column \(field.name)")
            for p in columnPages { try Self.serialize(p, into: &w) }
        }
        return w.bytes
    }

    /// One page entry: 44 bytes + two statistics values.
    private static func serialize(_ p: PageInfo, into w: inout ByteWriter) throws {
        try w.u64(p.offset, "page offset")
        try w.u32(p.byteCount, "page length")
        try w.u64(p.firstRow, "page first row")
        try w.u32(p.rowCount, "page rows")
        w.u8(p.statistics.encoding.rawValue)
        w.u8(p.compression.rawValue)
        w.u16(0)
        try w.u32(p.statistics.nullCount, "page null count")
        try w.u32(p.statistics.runCount, "page run count")
        try w.u64(p.statistics.distinctEstimate, "page distinct estimate")
        try w.scalar(p.statistics.min)
        try w.scalar(p.statistics.max)
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
        let rowCount = try r.int64("row count", limit: maximumRowCount)
        let columns = try r.count32("column count", limit: 1 << 16)
        var fields: [Field] = []
        var pages: [[PageInfo]] = []
        for c in 0..<columns {
            fields.append(try parseField(&r))
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
                let info = try parsePage(&r, type: fields[c].type, pagesRegion: pagesRegion, where: "page \(p) of column \(c)")
                guard info.firstRow == nextRow, info.rowCount <= rowCount - info.firstRow,
                      c == 0 || (pages[0][p].firstRow == info.firstRow && pages[0][p].rowCount == info.rowCount) else {
                    throw EngineError.corrupt(file: file, offset: pageAt + 12,
                                              reason: "page \(p) of column \(c) row range \(info.firstRow)+\(info.rowCount) inconsistent")
                }
                nextRow = info.firstRow + info.rowCount
                columnPages.append(info)
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

    /// Most rows a data file may claim (2^48): a bound on damaged counts.
    static let maximumRowCount = 1 << 48

    /// One column's name and type.
    private static func parseField(_ r: inout ByteReader) throws -> Field {
        let name = try r.string16("field name")
        let typeAt = r.errorOffset
        let tag = try r.u8("field type")
        let nullable = try r.u8("field nullable")
        try r.zeros(2, "field reserved bytes")
        let dimension = try r.u32("vector dimension")
        guard nullable <= 1, let type = ColumnType.fromTag(tag, dimension: dimension),
              (tag == 5) || dimension == 0 else {
            throw EngineError.corrupt(file: r.file, offset: typeAt, reason: "bad field type \(tag)/\(nullable)/\(dimension)")
        }
        return Field(name: name, type: type, nullable: nullable == 1)
    }

    /// One page entry, checked on its own (its place in the row ranges is the caller's to check).
    private static func parsePage(_ r: inout ByteReader, type: ColumnType, pagesRegion: Range<Int>,
                                  where page: @autoclosure () -> String) throws -> PageInfo {
        let pageAt = r.errorOffset
        let pageOffset = try r.int64("page offset")
        let byteCount = Int(try r.u32("page length"))
        let firstRow = try r.int64("page first row", limit: maximumRowCount)
        let rows = Int(try r.u32("page rows"))
        let e = try r.u8("page encoding")
        let comp = try r.u8("page compression")
        try r.zeros(2, "page reserved bytes")
        let nulls = Int(try r.u32("page null count"))
        let runs = Int(try r.u32("page run count"))
        let distinct = try r.int64("page distinct estimate")
        let min = try r.scalar()
        let max = try r.scalar()
        guard let encoding = PageEncoding(rawValue: e), let compression = PageCompression(rawValue: comp) else {
            throw EngineError.corrupt(file: r.file, offset: pageAt + 24, reason: "unknown page encoding/compression \(e)/\(comp)")
        }
        guard pageOffset >= pagesRegion.lowerBound, byteCount >= PageHeader.size,
              pageOffset <= pagesRegion.upperBound, byteCount <= pagesRegion.upperBound - pageOffset else {
            throw EngineError.corrupt(file: r.file, offset: pageAt, reason: "\(page()) at \(pageOffset)+\(byteCount) outside the page region")
        }
        guard rows <= FormatConstants.maximumPageRows else {
            throw EngineError.corrupt(file: r.file, offset: pageAt + 20,
                                      reason: "\(page()) has \(rows) rows, more than the format's \(FormatConstants.maximumPageRows)")
        }
        guard nulls <= rows, runs <= rows, distinct <= rows else {
            throw EngineError.corrupt(file: r.file, offset: pageAt + 12, reason: "\(page()) counts exceed its \(rows) rows")
        }
        let statistics = PageStatistics(min: min, max: max, nullCount: nulls, runCount: runs, distinctEstimate: distinct,
                                        encoding: encoding)
        try StatisticsCheck.validate(statistics, type: type, rows: rows, file: r.file, offset: pageAt)
        return PageInfo(offset: pageOffset, byteCount: byteCount, firstRow: firstRow, rowCount: rows, compression: compression,
                        statistics: statistics)
    }
}
