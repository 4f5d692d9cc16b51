#if canImport(Glibc)
import Glibc
#endif

/// Turns one stored page (header + body, as read from disk) back into a `ColumnData`, verifying the
/// checksum and bounds-checking everything (docs/FORMAT.md). Thread-safe (decompression contexts come
/// from a pool).
enum PageDecoder {
    /// - Parameters:
    ///   - expectedRows: the rows the footer lists for the page.
    ///   - expectedEncoding, expectedCompression: what the footer lists, when known; a header that disagrees
    ///     is corruption.
    ///   - statistics: the footer's statistics of the page, when known: the decoded values must agree with them
    ///     (`StatisticsCheck.verify`); for a dictionary or run-length page without nulls the distinct values are
    ///     checked, not every row.
    static func decode(_ page: UnsafeRawBufferPointer, type: ColumnType, expectedRows: Int, file: String, offset: Int,
                       expectedEncoding: PageEncoding? = nil, expectedCompression: PageCompression? = nil,
                       statistics: PageStatistics? = nil, pool: ZstdDecompressorPool = .shared) throws -> ColumnData {
        let column = try decodeColumn(page, type: type, expectedRows: expectedRows, file: file, offset: offset,
                                      expectedEncoding: expectedEncoding, expectedCompression: expectedCompression,
                                      statistics: statistics, pool: pool)
        if let statistics { try StatisticsCheck.verifyNulls(column, against: statistics, file: file, offset: offset) }
        return column
    }

    private static func decodeColumn(_ page: UnsafeRawBufferPointer, type: ColumnType, expectedRows: Int, file: String, offset: Int,
                                     expectedEncoding: PageEncoding?, expectedCompression: PageCompression?,
                                     statistics: PageStatistics?, pool: ZstdDecompressorPool) throws -> ColumnData {
        func checked(_ c: ColumnData) throws -> ColumnData {
            if let statistics { try StatisticsCheck.verifyValues(c, against: statistics, file: file, offset: offset) }
            return c
        }
        let header = try checkedHeader(page, type: type, expectedRows: expectedRows, file: file, offset: offset,
                                       expectedEncoding: expectedEncoding, expectedCompression: expectedCompression)
        let rows = header.rows
        let validityBytes = header.hasValidity ? (rows + 7) / 8 : 0
        let bodyAt = offset + PageHeader.size
        let stored = UnsafeRawPointer(page.baseAddress! + PageHeader.size)
        var owned: UnsafeMutableRawPointer?
        defer { if let owned { free(owned) } }
        let body: UnsafeRawPointer
        if header.compression == .zstd {
            let p = allocateBytes(header.bodyBytes)
            owned = p
            guard pool.decompress(stored, count: header.storedBytes, into: p, destinationCount: header.bodyBytes) else {
                throw EngineError.corrupt(file: file, offset: bodyAt, reason: "zstd frame does not decompress to \(header.bodyBytes) bytes")
            }
            body = UnsafeRawPointer(p)
        } else {
            body = stored
        }
        let sectionBytes = header.bodyBytes - validityBytes
        var validity: ByteBuffer?
        if validityBytes > 0 {
            let v = ByteBuffer(copying: UnsafeRawBufferPointer(start: body + sectionBytes, count: validityBytes))
            if rows & 7 != 0 { v.pointer.storeBytes(of: v.pointer.load(fromByteOffset: validityBytes - 1, as: UInt8.self) & UInt8((1 << (rows & 7)) - 1), toByteOffset: validityBytes - 1, as: UInt8.self) }
            validity = v
        }
        // Fast path: a compressed plain fixed-width page hands its decompressed buffer to the column.
        if header.encoding == .plain, let w = type.fixedWidthBytes, let p = owned {
            guard sectionBytes == rows * w else {
                throw EngineError.corrupt(file: file, offset: bodyAt, reason: "plain page holds \(sectionBytes) bytes for \(rows) rows of \(w)")
            }
            owned = nil
            let values = ByteBuffer(taking: p, count: sectionBytes, capacityBytes: max(header.bodyBytes, 1))
            return try checked(ColumnData(type: type, length: rows, values: values, offsets: nil, validity: validity))
        }
        // Fast path: a compressed plain utf8 page keeps its bytes in the decompressed buffer; only the
        // offsets are copied out.
        if header.encoding == .plain, type.isUTF8, let p = owned {
            let offsetBytes = (rows + 1) * 4
            guard sectionBytes >= offsetBytes else {
                throw EngineError.corrupt(file: file, offset: bodyAt, reason: "plain utf8 page shorter than its offsets")
            }
            let total = try PlainEncoding.validateOffsets(UnsafePointer(p.assumingMemoryBound(to: UInt32.self)), rows: rows,
                                                         available: sectionBytes - offsetBytes, file: file, at: bodyAt)
            guard total == sectionBytes - offsetBytes else {
                throw EngineError.corrupt(file: file, offset: bodyAt, reason: "plain utf8 page has \(sectionBytes - offsetBytes - total) stray bytes")
            }
            let offsets = ByteBuffer(copying: UnsafeRawBufferPointer(start: p, count: offsetBytes))
            owned = nil
            let values = ByteBuffer(taking: p, byteOffset: offsetBytes, count: total, capacityBytes: max(header.bodyBytes, 1))
            return try checked(ColumnData(type: type, length: rows, values: values, offsets: offsets, validity: validity))
        }
        var reader = ByteReader(UnsafeRawBufferPointer(start: body, count: sectionBytes), file: file, baseOffset: bodyAt,
                                positionsAreFileOffsets: header.compression == .none)
        // Without nulls every row takes one of the dictionary's (run values') values: checking those suffices.
        let checkEntries: ((ColumnData) throws -> Void)? = (statistics == nil || validity != nil) ? nil : { entries in
            try StatisticsCheck.verifyValues(entries, against: statistics!, file: file, offset: offset)
        }
        let decoded: (values: ByteBuffer, offsets: ByteBuffer?)
        switch header.encoding {
        case .plain: decoded = try PlainEncoding.decode(type, rows: rows, from: &reader)
        case .dictionary: decoded = try DictionaryEncoding.decode(type, rows: rows, from: &reader, checkEntries: checkEntries)
        case .runLength: decoded = try RunLengthEncoding.decode(type, rows: rows, from: &reader, checkEntries: checkEntries)
        }
        try reader.expectEnd("\(header.encoding) page body")
        let column = ColumnData(type: type, length: rows, values: decoded.values, offsets: decoded.offsets, validity: validity)
        return header.encoding != .plain && checkEntries != nil ? column : try checked(column)
    }

    /// The page's header, checked against the footer and the format's limits before anything is allocated.
    private static func checkedHeader(_ page: UnsafeRawBufferPointer, type: ColumnType, expectedRows: Int, file: String, offset: Int,
                                      expectedEncoding: PageEncoding?, expectedCompression: PageCompression?) throws -> PageHeader {
        let header = try PageHeader.parse(page, file: file, offset: offset)
        guard header.rows == expectedRows else {
            throw EngineError.corrupt(file: file, offset: offset + 8, reason: "page has \(header.rows) rows, footer says \(expectedRows)")
        }
        guard expectedEncoding.map({ $0 == header.encoding }) ?? true,
              expectedCompression.map({ $0 == header.compression }) ?? true else {
            throw EngineError.corrupt(file: file, offset: offset + 4, reason: "page encoding/compression differs from the footer's")
        }
        if let w = type.fixedWidthBytes, header.rows * w > FormatConstants.maximumDecodedPageBytes {
            throw EngineError.corrupt(file: file, offset: offset + 8,
                                      reason: "page of \(header.rows) rows of \(w) bytes exceeds the format's \(FormatConstants.maximumDecodedPageBytes)-byte decoded page")
        }
        guard header.bodyBytes >= (header.hasValidity ? (header.rows + 7) / 8 : 0) else {
            throw EngineError.corrupt(file: file, offset: offset + 12, reason: "page body shorter than its validity bitmap")
        }
        return header
    }
}
