/// The fixed 32-byte header in front of every page's stored body (docs/FORMAT.md, "Pages").
///
/// ```
/// 0  u32 magic "HWPG"        4  u8 encoding   5 u8 compression   6 u8 flags (bit 0: validity)   7 u8 zero
/// 8  u32 rows               12  u32 body bytes (uncompressed)    16 u32 stored bytes            20 u32 zero
/// 24 u64 checksum = XXH3_64bits_withSeed(stored body, seed: XXH3_64bits(header bytes 0..<24))
/// ```
struct PageHeader: Equatable {
    static let size = FormatConstants.pageHeaderBytes
    /// "HWPG" read as a little-endian u32.
    static let magic = FormatConstants.pageMagic
    /// Largest uncompressed body (1 GiB): the writer refuses more, the reader rejects more (so a damaged length
    /// cannot force a huge allocation).
    static let maximumBodyBytes = FormatConstants.maximumPageBodyBytes

    var encoding: PageEncoding
    var compression: PageCompression
    var hasValidity: Bool
    var rows: Int
    var bodyBytes: Int
    var storedBytes: Int
    var checksum: UInt64 = 0

    /// A header for a page about to be written.
    /// - Throws: `EngineError.valueOutOfRange` when the rows exceed u32 or the body exceeds `maximumBodyBytes`
    ///   (`what` names the page in the message).
    static func checked(encoding: PageEncoding, compression: PageCompression, hasValidity: Bool, rows: Int,
                        bodyBytes: Int, storedBytes: Int, what: @autoclosure () -> String) throws -> PageHeader {
        guard rows >= 0, rows <= FormatConstants.maximumPageRows else {
            throw EngineError.valueOutOfRange(what: "rows of \(what())", value: rows, range: 0...FormatConstants.maximumPageRows)
        }
        guard bodyBytes >= 0, bodyBytes <= maximumBodyBytes else {
            throw EngineError.valueOutOfRange(what: "body bytes of \(what())", value: bodyBytes, range: 0...maximumBodyBytes)
        }
        _ = try ByteWriter.fit(storedBytes, as: UInt32.self, "stored bytes of \(what())")
        return PageHeader(encoding: encoding, compression: compression, hasValidity: hasValidity, rows: rows,
                          bodyBytes: bodyBytes, storedBytes: storedBytes)
    }

    /// Writes the header to `p` (32 bytes), computing the checksum over it and the stored body at `stored`.
    /// The fields fit (`checked(...)` made the header), so the conversions are exact.
    func write(to p: UnsafeMutableRawPointer, stored: UnsafeRawPointer) {
        p.storeBytes(of: Self.magic.littleEndian, toByteOffset: 0, as: UInt32.self)
        p.storeBytes(of: encoding.rawValue, toByteOffset: 4, as: UInt8.self)
        p.storeBytes(of: compression.rawValue, toByteOffset: 5, as: UInt8.self)
        p.storeBytes(of: hasValidity ? 1 : 0, toByteOffset: 6, as: UInt8.self)
        p.storeBytes(of: 0, toByteOffset: 7, as: UInt8.self)
        p.storeBytes(of: UInt32(truncatingIfNeeded: rows).littleEndian, toByteOffset: 8, as: UInt32.self)
        p.storeBytes(of: UInt32(truncatingIfNeeded: bodyBytes).littleEndian, toByteOffset: 12, as: UInt32.self)
        p.storeBytes(of: UInt32(truncatingIfNeeded: storedBytes).littleEndian, toByteOffset: 16, as: UInt32.self)
        p.storeBytes(of: UInt32(0), toByteOffset: 20, as: UInt32.self)
        let sum = Self.checksum(header: UnsafeRawPointer(p), stored: stored, count: storedBytes)
        p.storeBytes(of: sum.littleEndian, toByteOffset: 24, as: UInt64.self)
    }

    static func checksum(header: UnsafeRawPointer, stored: UnsafeRawPointer, count: Int) -> UInt64 {
        xxh3Hash(stored, count, seed: xxh3Hash(header, 24))
    }

    /// Parses and verifies a whole page (`page` = header + stored body, starting at file offset `offset`).
    static func parse(_ page: UnsafeRawBufferPointer, file: String, offset: Int) throws -> PageHeader {
        var r = ByteReader(page, file: file, baseOffset: offset)
        guard page.count >= size else { throw EngineError.corrupt(file: file, offset: offset, reason: "page shorter than its header") }
        guard try r.u32("page magic") == magic else { throw EngineError.corrupt(file: file, offset: offset, reason: "bad page magic") }
        let e = try r.u8("page encoding")
        let c = try r.u8("page compression")
        let flags = try r.u8("page flags")
        try r.zeros(1, "page reserved byte")
        guard let encoding = PageEncoding(rawValue: e) else { throw EngineError.corrupt(file: file, offset: offset + 4, reason: "unknown page encoding \(e)") }
        guard let compression = PageCompression(rawValue: c) else { throw EngineError.corrupt(file: file, offset: offset + 5, reason: "unknown page compression \(c)") }
        guard flags <= 1 else { throw EngineError.corrupt(file: file, offset: offset + 6, reason: "unknown page flags \(flags)") }
        let rows = Int(try r.u32("page rows"))
        let bodyBytes = Int(try r.u32("page body bytes"))
        let storedBytes = Int(try r.u32("page stored bytes"))
        try r.zeros(4, "page reserved word")
        let sum = try r.u64("page checksum")
        guard storedBytes == page.count - size else {
            throw EngineError.corrupt(file: file, offset: offset + 16, reason: "page stores \(storedBytes) bytes, footer says \(page.count - size)")
        }
        let actual = checksum(header: page.baseAddress!, stored: page.baseAddress! + size, count: storedBytes)
        guard actual == sum else {
            throw EngineError.corrupt(file: file, offset: offset + 24, reason: "page checksum mismatch")
        }
        guard rows <= FormatConstants.maximumPageRows else {
            throw EngineError.corrupt(file: file, offset: offset + 8, reason: "page has \(rows) rows, more than the format's \(FormatConstants.maximumPageRows)")
        }
        guard bodyBytes <= maximumBodyBytes, compression == .zstd || bodyBytes == storedBytes else {
            throw EngineError.corrupt(file: file, offset: offset + 12, reason: "page body length \(bodyBytes) inconsistent")
        }
        return PageHeader(encoding: encoding, compression: compression, hasValidity: flags == 1, rows: rows,
                          bodyBytes: bodyBytes, storedBytes: storedBytes, checksum: sum)
    }
}
