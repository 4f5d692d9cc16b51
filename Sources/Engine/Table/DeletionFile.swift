import Foundation

/// The deleted rows of one fragment: physical row offsets within its data file, sorted and unique.
///
/// Stored as `_deletions/<fragment id>-<version>-<random>.del` in the checksummed container the
/// manifest uses (docs/FORMAT.md, "Manifests and deletion files"). A deletion file is immutable; a
/// later delete on the same fragment writes a new file holding the union.
public struct DeletionFile: Sendable, Equatable {
    /// Fragment whose rows these are.
    public var fragmentId: Int
    /// Deleted physical row offsets, ascending, without duplicates.
    public private(set) var deletedOffsets: [UInt32]

    /// - Parameters:
    ///   - fragmentId: the fragment.
    ///   - deletedOffsets: offsets in any order; duplicates are dropped.
    public init<S: Sequence>(fragmentId: Int, deletedOffsets: S) where S.Element == UInt32 {
        self.fragmentId = fragmentId
        var sorted = Array(deletedOffsets)
        sorted.sort()
        var unique: [UInt32] = []
        unique.reserveCapacity(sorted.count)
        for v in sorted where unique.last != v { unique.append(v) }
        self.deletedOffsets = unique
    }

    /// Deleted rows.
    @inlinable public var count: Int { deletedOffsets.count }

    /// Whether physical row `offset` is deleted (binary search).
    public func contains(_ offset: UInt32) -> Bool {
        var lo = 0
        var hi = deletedOffsets.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if deletedOffsets[mid] < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo < deletedOffsets.count && deletedOffsets[lo] == offset
    }

    /// This file's offsets together with `other`'s.
    public func union(_ other: [UInt32]) -> DeletionFile {
        DeletionFile(fragmentId: fragmentId, deletedOffsets: deletedOffsets + other)
    }

    static let magic: UInt32 = 0x4C44_5748 // "HWDL" little-endian
    static let formatVersion: UInt32 = 1

    /// The file's bytes: header, fragment id, count, offsets, checksum.
    public func serialized() -> [UInt8] {
        var w = DatasetByteWriter(reserving: 40 + deletedOffsets.count * 4)
        w.u32(DeletionFile.magic)
        w.u32(DeletionFile.formatVersion)
        w.u64(0)
        w.u64(UInt64(fragmentId))
        w.u32(UInt32(deletedOffsets.count))
        for v in deletedOffsets { w.u32(v) }
        w.patchU64(at: 8, UInt64(w.bytes.count - Manifest.headerBytes))
        w.appendChecksum()
        return w.bytes
    }

    /// Parses and verifies a deletion file.
    /// - Throws: `EngineError.truncated` / `.corrupt` naming `file` and the byte offset.
    public static func deserialize(_ bytes: UnsafeRawBufferPointer, file: String) throws -> DeletionFile {
        var r = try DatasetByteReader(bytes, file: file, magic: magic, formatVersion: formatVersion, kind: "deletion file")
        let fragmentId = try r.int64("fragment id")
        let countOffset = r.offset
        let count = Int(try r.u32())
        guard count * 4 == r.bodyEnd - r.offset else {
            throw EngineError.corrupt(file: file, offset: countOffset, reason: "\(count) offsets do not fill the \(r.bodyEnd - r.offset)-byte body")
        }
        var offsets: [UInt32] = []
        offsets.reserveCapacity(count)
        var previous: UInt32 = 0
        for i in 0..<count {
            let at = r.offset
            let v = try r.u32()
            guard i == 0 || v > previous else {
                throw EngineError.corrupt(file: file, offset: at, reason: "offsets not strictly ascending")
            }
            previous = v
            offsets.append(v)
        }
        var result = DeletionFile(fragmentId: fragmentId, deletedOffsets: [])
        result.deletedOffsets = offsets
        return result
    }

    /// Reads and verifies `relativePath` under the dataset `root`.
    /// - Throws: `EngineError.missingFile` when absent, `.truncated`/`.corrupt` when damaged.
    public static func read(root: URL, relativePath: String) throws -> DeletionFile {
        let path = root.appendingPathComponent(relativePath).path
        let bytes = try readWholeFile(path: path)
        return try bytes.withUnsafeBytes { try deserialize($0, file: path) }
    }

    /// Writes this file durably (write, fsync) to `relativePath` under `root`, creating `_deletions/`.
    /// Returns the bytes written.
    @discardableResult
    func write(root: URL, relativePath: String) throws -> Int {
        let bytes = serialized()
        let url = root.appendingPathComponent(relativePath)
        try ensureDirectory(url.deletingLastPathComponent().path)
        try writeFileDurably(path: url.path, bytes: bytes, exclusive: true)
        return bytes.count
    }
}
