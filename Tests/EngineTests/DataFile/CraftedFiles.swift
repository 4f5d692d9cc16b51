import Foundation
@testable import Engine

/// Builds files whose checksums are valid but whose content lies: the crafted cases of issue 13 and the fuzz
/// driver's mutations. Checksums are recomputed after every change, so the decoders behind them are reached.
enum CraftedFiles {
    /// A page: header (with its checksum) + `body` stored uncompressed.
    static func page(_ encoding: PageEncoding, rows: Int, body: [UInt8], hasValidity: Bool = false) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: PageHeader.size + body.count)
        for (i, b) in body.enumerated() { bytes[PageHeader.size + i] = b }
        let header = PageHeader(encoding: encoding, compression: .none, hasValidity: hasValidity, rows: rows,
                                bodyBytes: body.count, storedBytes: body.count)
        bytes.withUnsafeMutableBytes { p in header.write(to: p.baseAddress!, stored: UnsafeRawPointer(p.baseAddress! + PageHeader.size)) }
        return bytes
    }

    /// A data file: file header, `pages` back to back, then `footer` (as given: its page offsets must be where
    /// the pages land, from byte 8) and a trailer with a valid checksum.
    static func dataFile(pages: [[UInt8]], footer: DataFileFooter) throws -> [UInt8] {
        var w = ByteWriter()
        w.u32(DataFileFooter.magic)
        w.u32(engineFormatVersion)
        for p in pages { w.append(p) }
        return seal(w.bytes, footer: try footer.serialize())
    }

    /// `prefix` (file header and pages) followed by `footer` bytes and a trailer sealing them.
    static func seal(_ prefix: [UInt8], footer: [UInt8]) -> [UInt8] {
        var w = ByteWriter()
        w.append(prefix)
        w.append(footer)
        w.u32(UInt32(footer.count))
        w.u32(0)
        let seed = UInt64(footer.count) << 32 | UInt64(engineFormatVersion)
        w.u64(footer.withUnsafeBytes { Checksum.xxh3($0, seed: seed) })
        w.u32(engineFormatVersion)
        w.u32(DataFileFooter.magic)
        return w.bytes
    }

    /// Where the footer of a well-formed data file lies (from its trailer).
    static func footerRange(_ file: [UInt8]) -> Range<Int> {
        let trailer = file.count - DataFileFooter.trailerBytes
        let length = Int(UInt32(file[trailer]) | UInt32(file[trailer + 1]) << 8 | UInt32(file[trailer + 2]) << 16 | UInt32(file[trailer + 3]) << 24)
        return (trailer - length) ..< trailer
    }

    /// Recomputes the checksum of the page at `offset` (its header's stored length decides its extent).
    static func resealPage(_ file: inout [UInt8], at offset: Int) {
        guard offset + PageHeader.size <= file.count else { return }
        let stored = Int(UInt32(file[offset + 16]) | UInt32(file[offset + 17]) << 8 | UInt32(file[offset + 18]) << 16 | UInt32(file[offset + 19]) << 24)
        guard offset + PageHeader.size + stored <= file.count else { return }
        let sum = file.withUnsafeBytes { p in
            PageHeader.checksum(header: p.baseAddress! + offset, stored: p.baseAddress! + offset + PageHeader.size, count: stored)
        }
        withUnsafeBytes(of: sum.littleEndian) { for i in 0..<8 { file[offset + 24 + i] = $0[i] } }
    }

    /// Recomputes a manifest's or deletion file's body length and checksum after its body was changed.
    static func resealContainer(_ file: inout [UInt8]) {
        let minimum = ChecksummedContainer.headerBytes + ChecksummedContainer.trailerBytes
        guard file.count >= minimum else { return }
        let bodyEnd = file.count - ChecksummedContainer.trailerBytes
        withUnsafeBytes(of: UInt64(bodyEnd - ChecksummedContainer.headerBytes).littleEndian) { for i in 0..<8 { file[8 + i] = $0[i] } }
        let sum = file.withUnsafeBytes { Checksum.xxh3(UnsafeRawBufferPointer(rebasing: $0[0..<bodyEnd])) }
        withUnsafeBytes(of: sum.littleEndian) { for i in 0..<8 { file[bodyEnd + i] = $0[i] } }
    }

    /// A container of `kind` around `body`, sealed.
    static func container(_ kind: ChecksummedContainer, body: (inout ByteWriter) -> Void) -> [UInt8] {
        kind.serialize(bodyBytes: 64) { body(&$0) }
    }

    /// A manifest body up to (not including) the fragment list: version 1, one int64 field "id".
    static func manifestHead(_ w: inout ByteWriter, rowCount: UInt64, nextFragmentId: UInt64 = 1 << 40) {
        w.u64(1)
        w.u64(0)
        w.u64(nextFragmentId)
        w.u64(rowCount)
        w.u32(1)
        w.u16(2); w.append(Array("id".utf8))
        w.u8(ColumnType.int64.tag)
        w.u32(0)
        w.u8(0)
    }

    /// One fragment entry of a manifest body.
    static func fragment(_ w: inout ByteWriter, id: UInt64, rows: UInt64, fileBytes: UInt64, path: String = "data/f.hwd") {
        w.u64(id)
        w.u64(rows)
        w.u64(fileBytes)
        w.u16(UInt16(path.utf8.count)); w.append(Array(path.utf8))
        w.u64(0)
        w.u16(0)
    }

    static func write(_ bytes: [UInt8], to url: URL) throws {
        try Data(bytes).write(to: url)
    }
}
