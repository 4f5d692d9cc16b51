/// The checksummed framing shared by manifests and deletion files (docs/FORMAT.md, "Container"):
///
/// ```
/// 0       u32  magic (HWMF manifest, HWDL deletion file)
/// 4       u32  format version (1)
/// 8       u64  body length N; the file is exactly 16 + N + 8 bytes
/// 16      N    body
/// 16 + N  u64  XXH3-64 (seed 0) of bytes 0 ..< 16 + N
/// ```
struct ChecksummedContainer: Sendable {
    /// The file kind's magic.
    let magic: UInt32
    /// Name of the kind in error messages ("manifest", "deletion file").
    let kind: String

    static let headerBytes = FormatConstants.containerHeaderBytes
    static let trailerBytes = FormatConstants.containerTrailerBytes

    static let manifest = ChecksummedContainer(magic: FormatConstants.manifestMagic, kind: "manifest")
    static let deletionFile = ChecksummedContainer(magic: FormatConstants.deletionFileMagic, kind: "deletion file")

    /// The container's bytes: the header, the body `writeBody` appends, the checksum.
    /// - Parameter bodyBytes: expected body size (a capacity hint).
    /// - Throws: what `writeBody` throws (`EngineError.valueOutOfRange` for a value that does not fit its field).
    func serialize(bodyBytes: Int, _ writeBody: (inout ByteWriter) throws -> Void) rethrows -> [UInt8] {
        var w = ByteWriter(reservingCapacity: Self.headerBytes + bodyBytes + Self.trailerBytes)
        w.u32(magic)
        w.u32(engineFormatVersion)
        w.u64(0) // body length, patched below
        try writeBody(&w)
        w.patchU64(UInt64(w.count - Self.headerBytes), at: 8)
        w.u64(w.bytes.withUnsafeBytes { Checksum.xxh3($0) })
        return w.bytes
    }

    /// Verifies the header, the length and the checksum of a whole file, in the order FORMAT.md gives.
    /// - Returns: a reader over the body (positions are file offsets; running past the body is `.truncated`).
    /// - Throws: `EngineError.truncated` / `.corrupt` naming `file` and the byte offset.
    func open(_ bytes: UnsafeRawBufferPointer, file: String) throws -> ByteReader {
        let minimum = Self.headerBytes + Self.trailerBytes
        guard bytes.count >= minimum else {
            throw EngineError.truncated(file: file, offset: bytes.count)
        }
        var header = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[0..<Self.headerBytes]), file: file, baseOffset: 0)
        let m = try header.u32("\(kind) magic")
        guard m == magic else {
            throw EngineError.corrupt(file: file, offset: 0, reason: "bad \(kind) magic 0x\(String(m, radix: 16))")
        }
        let version = try header.u32("\(kind) format version")
        guard version == engineFormatVersion else {
            throw EngineError.corrupt(file: file, offset: 4, reason: "unsupported \(kind) format version \(version)")
        }
        let bodyLength = try header.u64("\(kind) body length")
        let available = bytes.count - minimum
        guard let body = Int(exactly: bodyLength), body <= available else {
            throw EngineError.truncated(file: file, offset: bytes.count)
        }
        guard body == available else {
            throw EngineError.corrupt(file: file, offset: 8, reason: "body length \(body) but \(available) bytes follow the header")
        }
        let bodyEnd = Self.headerBytes + body
        var trailer = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[bodyEnd...]), file: file, baseOffset: bodyEnd)
        let stored = try trailer.u64("\(kind) checksum")
        let computed = Checksum.xxh3(UnsafeRawBufferPointer(rebasing: bytes[0..<bodyEnd]))
        guard stored == computed else {
            throw EngineError.corrupt(file: file, offset: bodyEnd, reason: "\(kind) checksum mismatch over bytes 0..<\(bodyEnd)")
        }
        return ByteReader(UnsafeRawBufferPointer(rebasing: bytes[Self.headerBytes..<bodyEnd]), file: file,
                          baseOffset: Self.headerBytes, pastEndIsTruncation: true)
    }
}
