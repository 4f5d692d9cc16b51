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
        EngineClock.realtimeNanoseconds()
    }

    // MARK: - Binary form (docs/FORMAT.md, "Manifest body")

    /// Offset of the stored live row count (checked against the fragments on read).
    static let rowCountOffset = ChecksummedContainer.headerBytes + 24

    /// The manifest's bytes: container header, body, checksum.
    /// - Throws: `EngineError.valueOutOfRange` when a value does not fit its field (a name or path over 65,535
    ///   bytes, more than 2^32 - 1 fields or fragments, a negative number); `.invalidArgument` when the row count
    ///   overflows.
    public func serialized() throws -> [UInt8] {
        try ChecksummedContainer.manifest.serialize(bodyBytes: 112 + fragments.count * 96 + schema.count * 32) { w in
            try w.u64(version, "manifest version")
            w.u64(timestampNanoseconds)
            try w.u64(nextFragmentId, "next fragment id")
            try w.u64(try checkedRowCount(), "manifest row count")
            try w.u32(schema.count, "field count")
            for field in schema.fields {
                try w.string16(field.name, "field name")
                w.u8(field.type.tag)
                if case .float32Vector(let dimension) = field.type {
                    try w.u32(dimension, "vector dimension of \(field.name)")
                } else {
                    w.u32(0)
                }
                w.u8(field.nullable ? 1 : 0)
            }
            try w.u32(fragments.count, "fragment count")
            for f in fragments {
                try w.u64(f.id, "fragment id")
                try w.u64(f.physicalRows, "physical rows of fragment \(f.id)")
                try w.u64(f.fileBytes, "data file bytes of fragment \(f.id)")
                try w.string16(f.dataFile, "data file path")
                try w.u64(f.deletedRows, "deleted rows of fragment \(f.id)")
                try w.string16(f.deletionFile ?? "", "deletion file path")
            }
        }
    }

    /// `rowCount`, refusing a sum that overflows.
    private func checkedRowCount() throws -> Int {
        var total = 0
        for f in fragments {
            let (sum, overflow) = total.addingReportingOverflow(f.rows)
            guard !overflow else {
                throw EngineError.invalidArgument(reason: "manifest row count overflows adding fragment \(f.id)'s \(f.rows) rows to \(total)")
            }
            total = sum
        }
        return total
    }

    /// Parses and verifies a manifest.
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - file: path named in errors.
    /// - Throws: `EngineError.truncated` or `.corrupt` naming `file` and the byte offset.
    public static func deserialize(_ bytes: UnsafeRawBufferPointer, file: String) throws -> Manifest {
        var r = try ChecksummedContainer.manifest.open(bytes, file: file)
        let version = try r.int64("version")
        let timestamp = try r.u64("commit time")
        let nextFragmentId = try r.int64("next fragment id")
        let storedRows = try r.int64("row count")
        let fields = try readFields(&r)
        let (fragments, liveRows) = try readFragments(&r, nextFragmentId: nextFragmentId)
        guard r.atEnd else {
            throw r.corrupt("\(r.remaining) unexpected bytes after the fragment list")
        }
        guard liveRows == storedRows else {
            throw EngineError.corrupt(file: file, offset: rowCountOffset, reason: "row count \(storedRows) disagrees with the fragments' \(liveRows)")
        }
        return Manifest(version: version, timestampNanoseconds: timestamp, schema: Schema(fields: fields),
                        fragments: fragments, nextFragmentId: nextFragmentId)
    }

    private static func readFields(_ r: inout ByteReader) throws -> [Field] {
        let fieldCount = try r.count32("field count", limit: min(1 << 16, r.remaining / 9))
        var fields: [Field] = []
        fields.reserveCapacity(fieldCount)
        for _ in 0..<fieldCount {
            let nameOffset = r.errorOffset
            let name = try r.string16("field name")
            let tagOffset = r.errorOffset
            let tag = try r.u8("field type")
            let dimension = try r.u32("vector dimension")
            let nullable = try r.u8("field nullable")
            guard let type = ColumnType.fromTag(tag, dimension: dimension) else {
                throw EngineError.corrupt(file: r.file, offset: tagOffset, reason: "unknown column type tag \(tag) (dimension \(dimension))")
            }
            guard nullable <= 1, !name.isEmpty else {
                throw EngineError.corrupt(file: r.file, offset: nameOffset, reason: "bad field entry")
            }
            fields.append(Field(name: name, type: type, nullable: nullable == 1))
        }
        return fields
    }

    /// The fragment list and the sum of its live rows (overflow-checked).
    private static func readFragments(_ r: inout ByteReader, nextFragmentId: Int) throws -> ([FragmentMetadata], Int) {
        // Each entry takes at least 37 bytes (five u64/u16 fields and a non-empty path), which bounds the count by
        // the bytes left before anything is reserved.
        let fragmentCount = try r.count32("fragment count", limit: min(1 << 28, r.remaining / 37))
        var fragments: [FragmentMetadata] = []
        fragments.reserveCapacity(fragmentCount)
        var liveRows = 0
        var fileBytesTotal = 0
        for _ in 0..<fragmentCount {
            let start = r.errorOffset
            let id = try r.int64("fragment id")
            let physicalRows = try r.int64("physical rows")
            let fileBytes = try r.int64("file bytes")
            let dataFile = try r.string16("data file path")
            let deletedRows = try r.int64("deleted rows")
            let deletionFile = try r.string16("deletion file path")
            guard deletedRows <= physicalRows, !dataFile.isEmpty, id < nextFragmentId else {
                throw EngineError.corrupt(file: r.file, offset: start, reason: "inconsistent fragment entry (id \(id))")
            }
            let (sum, overflow) = liveRows.addingReportingOverflow(physicalRows - deletedRows)
            guard !overflow else {
                throw EngineError.corrupt(file: r.file, offset: start, reason: "live rows overflow at fragment \(id)")
            }
            liveRows = sum
            let (bytes, bytesOverflow) = fileBytesTotal.addingReportingOverflow(fileBytes)
            guard !bytesOverflow else {
                throw EngineError.corrupt(file: r.file, offset: start, reason: "data file bytes overflow at fragment \(id)")
            }
            fileBytesTotal = bytes
            fragments.append(FragmentMetadata(id: id, dataFile: dataFile, physicalRows: physicalRows, fileBytes: fileBytes,
                                              deletionFile: deletionFile.isEmpty ? nil : deletionFile,
                                              deletedRows: deletedRows))
        }
        return (fragments, liveRows)
    }
}
