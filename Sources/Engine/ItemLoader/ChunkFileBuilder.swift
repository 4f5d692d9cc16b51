import Foundation

/// Builds one chunk file in memory: items are appended into one contiguous byte buffer (no object per item), then
/// `encoded()` or `write(to:)` lays out `count | offsets | items`.
public struct ChunkFileBuilder {
    private var payload: [UInt8] = []
    private var ends: [Int] = []
    /// Use UInt64 offsets even when UInt32 would do (they are chosen automatically above 4 GiB).
    public var forceWideOffsets: Bool

    /// Creates an empty builder; `reserveBytes` preallocates the item byte buffer.
    public init(reserveBytes: Int = 0, forceWideOffsets: Bool = false) {
        self.forceWideOffsets = forceWideOffsets
        payload.reserveCapacity(reserveBytes)
    }

    /// Items appended so far.
    public var itemCount: Int { ends.count }
    /// Item bytes appended so far (header excluded).
    public var payloadBytes: Int { payload.count }

    /// Whether the file needs UInt64 offsets.
    public var wideOffsets: Bool {
        forceWideOffsets || ChunkFile.headerBytes(itemCount: itemCount, wideOffsets: false) + payload.count > Int(UInt32.max)
    }

    /// Size in bytes of the file `encoded()` would produce.
    public var fileBytes: Int { ChunkFile.headerBytes(itemCount: itemCount, wideOffsets: wideOffsets) + payload.count }

    /// Appends one item (its bytes are copied).
    public mutating func append(_ item: UnsafeRawBufferPointer) {
        precondition(ends.count < ChunkFile.maxItemCount, "too many items in one chunk")
        payload.append(contentsOf: item)
        ends.append(payload.count)
    }

    /// Appends one item (its bytes are copied).
    public mutating func append(_ item: [UInt8]) {
        item.withUnsafeBytes { append($0) }
    }

    /// Empties the builder, keeping its capacity.
    public mutating func reset() {
        payload.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    /// The whole chunk file's bytes.
    public func encoded() -> [UInt8] {
        var w = header(wide: wideOffsets)
        payload.withUnsafeBytes { w.append($0) }
        return w.bytes
    }

    /// Writes the chunk file to `url` (replacing it) and returns its descriptor.
    @discardableResult
    public func write(to url: URL) throws -> ChunkDescriptor {
        let head = header(wide: wideOffsets)
        let path = url.path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ItemLoaderError.io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        try head.bytes.withUnsafeBytes { try ChunkFile.writeFully(fd: fd, path: path, from: $0.baseAddress!, count: $0.count, at: 0) }
        try payload.withUnsafeBytes { src in
            if src.count > 0 { try ChunkFile.writeFully(fd: fd, path: path, from: src.baseAddress!, count: src.count, at: head.count) }
        }
        return ChunkDescriptor(url: url, itemCount: itemCount, byteCount: head.count + payload.count)
    }

    /// The `count | offsets` header, with room reserved for the payload after it. Every value fits its field:
    /// `append` keeps the count below 2^31 and `wideOffsets` switches to u64 offsets before any exceeds u32.
    private func header(wide: Bool) -> ByteWriter {
        let header = ChunkFile.headerBytes(itemCount: itemCount, wideOffsets: wide)
        var w = ByteWriter(reservingCapacity: header + payload.count)
        w.u32(UInt32(truncatingIfNeeded: itemCount) | (wide ? ChunkFile.wideOffsetsFlag : 0))
        for i in 0...itemCount {
            let o = header + (i == 0 ? 0 : ends[i - 1])
            if wide { w.u64(UInt64(truncatingIfNeeded: o)) } else { w.u32(UInt32(truncatingIfNeeded: o)) }
        }
        return w
    }
}
