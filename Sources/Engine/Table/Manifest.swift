import Foundation

/// One immutable version of a dataset: its schema and the fragments it is made of.
///
/// Stored as `_versions/<version, 20 digits>.manifest` in a compact checksummed binary form (see the
/// "Manifests and deletion files" section of docs/FORMAT.md). A manifest never changes once written;
/// each commit writes a new one.
public struct Manifest: Sendable, Equatable {
    /// Version number, starting at 1 for the version `Dataset.create` writes.
    public var version: Int
    /// Wall-clock time of the commit, nanoseconds since the Unix epoch.
    public var timestampNanoseconds: UInt64
    /// Schema of every fragment in this version.
    public var schema: Schema
    /// Fragments in scan order.
    public var fragments: [FragmentMetadata]
    /// Id the next committed fragment will get (ids are never reused).
    public var nextFragmentId: Int

    public init(version: Int, timestampNanoseconds: UInt64 = Manifest.nowNanoseconds(), schema: Schema,
                fragments: [FragmentMetadata], nextFragmentId: Int) {
        self.version = version
        self.timestampNanoseconds = timestampNanoseconds
        self.schema = schema
        self.fragments = fragments
        self.nextFragmentId = nextFragmentId
    }

    /// Live rows of the version (deleted rows excluded), from the manifest alone.
    public var rowCount: Int {
        var total = 0
        for f in fragments { total += f.rows }
        return total
    }

    /// Sum of the data files' sizes in bytes.
    public var dataBytes: Int {
        var total = 0
        for f in fragments { total += f.fileBytes }
        return total
    }

    /// Current wall-clock time in nanoseconds since the Unix epoch.
    public static func nowNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    // MARK: - Binary form

    static let magic: UInt32 = 0x464D_5748 // "HWMF" little-endian
    static let formatVersion: UInt32 = 1
    /// magic + format version + body length.
    static let headerBytes = 16
    /// Trailing XXH3-64 of everything before it.
    static let trailerBytes = 8

    /// The manifest's bytes: header, body, checksum.
    public func serialized() -> [UInt8] {
        var w = DatasetByteWriter(reserving: 128 + fragments.count * 96 + schema.count * 32)
        w.u32(Manifest.magic)
        w.u32(Manifest.formatVersion)
        w.u64(0) // body length, patched below
        w.u64(UInt64(version))
        w.u64(timestampNanoseconds)
        w.u64(UInt64(nextFragmentId))
        w.u64(UInt64(rowCount))
        w.u32(UInt32(schema.count))
        for field in schema.fields {
            w.string16(field.name)
            w.u8(field.type.tag)
            if case .float32Vector(let dimension) = field.type { w.u32(UInt32(dimension)) } else { w.u32(0) }
            w.u8(field.nullable ? 1 : 0)
        }
        w.u32(UInt32(fragments.count))
        for f in fragments {
            w.u64(UInt64(f.id))
            w.u64(UInt64(f.physicalRows))
            w.u64(UInt64(f.fileBytes))
            w.string16(f.dataFile)
            w.u64(UInt64(f.deletedRows))
            w.string16(f.deletionFile ?? "")
        }
        w.patchU64(at: 8, UInt64(w.bytes.count - Manifest.headerBytes))
        w.appendChecksum()
        return w.bytes
    }

    /// Parses and verifies a manifest.
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - file: path named in errors.
    /// - Throws: `EngineError.truncated` or `.corrupt` naming `file` and the byte offset.
    public static func deserialize(_ bytes: UnsafeRawBufferPointer, file: String) throws -> Manifest {
        var r = try DatasetByteReader(bytes, file: file, magic: magic, formatVersion: formatVersion, kind: "manifest")
        let version = try r.int64("version")
        let timestamp = try r.u64()
        let nextFragmentId = try r.int64("next fragment id")
        let storedRows = try r.int64("row count")
        let fieldCount = try r.count32(maximum: 1 << 16, "field count")
        var fields: [Field] = []
        fields.reserveCapacity(fieldCount)
        for _ in 0..<fieldCount {
            let nameOffset = r.offset
            let name = try r.string16()
            let tagOffset = r.offset
            let tag = try r.u8()
            let dimension = try r.u32()
            let nullable = try r.u8()
            guard let type = ColumnType.fromTag(tag, dimension: dimension) else {
                throw EngineError.corrupt(file: file, offset: tagOffset, reason: "unknown column type tag \(tag) (dimension \(dimension))")
            }
            guard nullable <= 1, !name.isEmpty else {
                throw EngineError.corrupt(file: file, offset: nameOffset, reason: "bad field entry")
            }
            fields.append(Field(name: name, type: type, nullable: nullable == 1))
        }
        let fragmentCount = try r.count32(maximum: 1 << 28, "fragment count")
        var fragments: [FragmentMetadata] = []
        fragments.reserveCapacity(fragmentCount)
        var liveRows = 0
        for _ in 0..<fragmentCount {
            let start = r.offset
            let id = try r.int64("fragment id")
            let physicalRows = try r.int64("physical rows")
            let fileBytes = try r.int64("file bytes")
            let dataFile = try r.string16()
            let deletedRows = try r.int64("deleted rows")
            let deletionFile = try r.string16()
            guard deletedRows <= physicalRows, !dataFile.isEmpty, id < nextFragmentId else {
                throw EngineError.corrupt(file: file, offset: start, reason: "inconsistent fragment entry (id \(id))")
            }
            fragments.append(FragmentMetadata(id: id, dataFile: dataFile, physicalRows: physicalRows, fileBytes: fileBytes,
                                              deletionFile: deletionFile.isEmpty ? nil : deletionFile,
                                              deletedRows: deletedRows))
            liveRows += physicalRows - deletedRows
        }
        guard r.offset == r.bodyEnd else {
            throw EngineError.corrupt(file: file, offset: r.offset, reason: "\(r.bodyEnd - r.offset) unexpected bytes after the fragment list")
        }
        guard liveRows == storedRows else {
            throw EngineError.corrupt(file: file, offset: 40, reason: "row count \(storedRows) disagrees with the fragments' \(liveRows)")
        }
        return Manifest(version: version, timestampNanoseconds: timestamp, schema: Schema(fields: fields),
                        fragments: fragments, nextFragmentId: nextFragmentId)
    }
}

// MARK: - Little-endian byte writer and bounds-checked reader for manifests and deletion files

/// Appends little-endian integers and length-prefixed strings to a byte array.
struct DatasetByteWriter {
    var bytes: [UInt8]

    init(reserving capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inline(__always) mutating func u8(_ v: UInt8) { bytes.append(v) }

    @inline(__always) mutating func u32(_ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inline(__always) mutating func u64(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// UInt16 byte length, then the UTF-8 bytes (strings are truncated to 65,535 bytes by contract: names and paths).
    mutating func string16(_ s: String) {
        let utf8 = Array(s.utf8)
        precondition(utf8.count <= Int(UInt16.max), "string too long for the manifest: \(utf8.count) bytes")
        withUnsafeBytes(of: UInt16(utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: utf8)
    }

    mutating func patchU64(at offset: Int, _ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { src in
            for i in 0..<8 { bytes[offset + i] = src[i] }
        }
    }

    /// Appends the XXH3-64 of every byte so far.
    mutating func appendChecksum() {
        let h = bytes.withUnsafeBytes { datasetChecksum($0) }
        u64(h)
    }
}

/// XXH3-64 of `bytes` (seed 0).
@inline(__always)
func datasetChecksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    Checksum.xxh3(bytes)
}

/// Reads a checksummed `magic | format version | body length | body | xxh3` container, bounds-checked:
/// every failure is an `EngineError` naming the file and the byte offset.
struct DatasetByteReader {
    let bytes: UnsafeRawBufferPointer
    let file: String
    /// Next byte to read.
    private(set) var offset: Int
    /// End of the body (start of the checksum).
    let bodyEnd: Int

    /// Verifies the header and checksum; positions the reader at the start of the body.
    init(_ bytes: UnsafeRawBufferPointer, file: String, magic: UInt32, formatVersion: UInt32, kind: String) throws {
        self.bytes = bytes
        self.file = file
        let minimum = Manifest.headerBytes + Manifest.trailerBytes
        guard bytes.count >= minimum else {
            throw EngineError.truncated(file: file, offset: bytes.count)
        }
        let m = bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self).littleEndian
        guard m == magic else {
            throw EngineError.corrupt(file: file, offset: 0, reason: "bad \(kind) magic 0x\(String(m, radix: 16))")
        }
        let fv = bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
        guard fv == formatVersion else {
            throw EngineError.corrupt(file: file, offset: 4, reason: "unsupported \(kind) format version \(fv)")
        }
        let bodyLength = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian
        let available = UInt64(bytes.count - minimum)
        if bodyLength > available {
            throw EngineError.truncated(file: file, offset: bytes.count)
        }
        guard bodyLength == available else {
            throw EngineError.corrupt(file: file, offset: 8, reason: "body length \(bodyLength) but \(available) bytes follow the header")
        }
        bodyEnd = Manifest.headerBytes + Int(bodyLength)
        let stored = bytes.loadUnaligned(fromByteOffset: bodyEnd, as: UInt64.self).littleEndian
        let computed = datasetChecksum(UnsafeRawBufferPointer(rebasing: bytes[0..<bodyEnd]))
        guard stored == computed else {
            throw EngineError.corrupt(file: file, offset: bodyEnd,
                                      reason: "\(kind) checksum mismatch over bytes 0..<\(bodyEnd)")
        }
        offset = Manifest.headerBytes
    }

    @inline(__always) private func need(_ n: Int) throws {
        if offset + n > bodyEnd { throw EngineError.truncated(file: file, offset: offset) }
    }

    mutating func u8() throws -> UInt8 {
        try need(1)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() throws -> UInt16 {
        try need(2)
        defer { offset += 2 }
        return bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self).littleEndian
    }

    mutating func u32() throws -> UInt32 {
        try need(4)
        defer { offset += 4 }
        return bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian
    }

    mutating func u64() throws -> UInt64 {
        try need(8)
        defer { offset += 8 }
        return bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian
    }

    /// A UInt64 that must fit a non-negative Int.
    mutating func int64(_ what: String) throws -> Int {
        let at = offset
        let v = try u64()
        guard v <= UInt64(Int.max) else { throw EngineError.corrupt(file: file, offset: at, reason: "\(what) \(v) out of range") }
        return Int(v)
    }

    /// A UInt32 count no larger than `maximum`.
    mutating func count32(maximum: Int, _ what: String) throws -> Int {
        let at = offset
        let v = Int(try u32())
        guard v <= maximum else { throw EngineError.corrupt(file: file, offset: at, reason: "\(what) \(v) exceeds \(maximum)") }
        return v
    }

    mutating func string16() throws -> String {
        let at = offset
        let n = Int(try u16())
        try need(n)
        defer { offset += n }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)])
        guard let s = String(validating: slice, as: UTF8.self) else {
            throw EngineError.corrupt(file: file, offset: at, reason: "invalid UTF-8 in a name")
        }
        return s
    }
}
