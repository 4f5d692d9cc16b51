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

    /// Offset of the deleted-row count in the file (after the container header and the fragment id).
    static let countOffset = ChecksummedContainer.headerBytes + 8

    /// The file's bytes: container header, fragment id, count, offsets, checksum.
    /// - Throws: `EngineError.valueOutOfRange` for a negative fragment id or more than 2^32 - 1 offsets.
    public func serialized() throws -> [UInt8] {
        try ChecksummedContainer.deletionFile.serialize(bodyBytes: 12 + deletedOffsets.count * 4) { w in
            try w.u64(fragmentId, "deletion file fragment id")
            try w.u32(deletedOffsets.count, "deleted row count")
            for v in deletedOffsets { w.u32(v) }
        }
    }

    /// Parses and verifies a deletion file.
    /// - Throws: `EngineError.truncated` / `.corrupt` naming `file` and the byte offset.
    public static func deserialize(_ bytes: UnsafeRawBufferPointer, file: String) throws -> DeletionFile {
        var r = try ChecksummedContainer.deletionFile.open(bytes, file: file)
        let fragmentId = try r.int64("fragment id")
        let countOffset = r.errorOffset
        let count = Int(try r.u32("deleted row count"))
        guard count * 4 == r.remaining else {
            throw EngineError.corrupt(file: file, offset: countOffset, reason: "\(count) offsets do not fill the \(r.remaining)-byte body")
        }
        var offsets: [UInt32] = []
        offsets.reserveCapacity(count)
        var previous: UInt32 = 0
        for i in 0..<count {
            let at = r.errorOffset
            let v = try r.u32("deleted row offset")
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
        let bytes = try serialized()
        let url = root.appendingPathComponent(relativePath)
        try ensureDirectory(url.deletingLastPathComponent().path)
        try writeFileDurably(path: url.path, bytes: bytes, exclusive: true)
        return bytes.count
    }
}
