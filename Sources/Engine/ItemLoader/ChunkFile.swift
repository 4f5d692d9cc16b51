import Foundation

/// The item chunk format `count | offsets | items` (see docs/ITEMS.md):
///
/// - `count`: UInt32 little-endian; bits 0...30 are the item count, bit 31 set means the offsets are UInt64;
/// - `offsets`: `count + 1` little-endian UInt32 (or UInt64) absolute byte positions from the start of the file;
///   `offsets[0]` is the header size, item `i` is bytes `offsets[i] ..< offsets[i+1]`, `offsets[count]` is the file size;
/// - `items`: the item bytes, back to back.
///
/// Because the header comes first, a reader of a partially downloaded file can serve item `i` as soon as
/// `offsets[i+1]` bytes have arrived.
public enum ChunkFile {
    /// Bit 31 of the count word: offsets are UInt64 instead of UInt32.
    public static let wideOffsetsFlag: UInt32 = 1 << 31
    /// Most items one chunk may hold (31-bit count).
    public static let maxItemCount = Int(Int32.max)

    /// Header size in bytes of a chunk of `itemCount` items: 4 + (itemCount + 1) × (4 or 8).
    @inline(__always)
    public static func headerBytes(itemCount: Int, wideOffsets: Bool) -> Int {
        4 + (itemCount + 1) * (wideOffsets ? 8 : 4)
    }

    /// Decodes the count word (the file's first 4 bytes).
    @inline(__always)
    public static func decodeCount(_ base: UnsafeRawPointer) -> (itemCount: Int, wideOffsets: Bool) {
        let word = UInt32(littleEndian: base.loadUnaligned(as: UInt32.self))
        return (Int(word & ~wideOffsetsFlag), word & wideOffsetsFlag != 0)
    }

    /// Offset entry `index` (0...itemCount) of a header starting at `base`, as stored.
    @inline(__always)
    static func storedOffset(_ base: UnsafeRawPointer, wideOffsets: Bool, index: Int) -> UInt64 {
        if wideOffsets {
            return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 4 + index * 8, as: UInt64.self))
        }
        return UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 + index * 4, as: UInt32.self)))
    }

    /// Offset entry `index` (0...itemCount) of a header starting at `base` that `validateHeader` accepted: every
    /// entry is then at most the file size, so the conversion to `Int` is exact (the serving hot path).
    @inline(__always)
    public static func offset(_ base: UnsafeRawPointer, wideOffsets: Bool, index: Int) -> Int {
        Int(truncatingIfNeeded: storedOffset(base, wideOffsets: wideOffsets, index: index))
    }

    /// Checks a complete header at `base` (at least `headerBytes` bytes must be readable) against the file size:
    /// the count matches `expectedItemCount` when given, `offsets[0]` is the header size, offsets never decrease and
    /// `offsets[count]` equals `fileBytes`.
    /// - Returns: item count and offset width.
    public static func validateHeader(_ base: UnsafeRawPointer, availableBytes: Int, fileBytes: Int, file: String,
                                      expectedItemCount: Int? = nil) throws -> (itemCount: Int, wideOffsets: Bool) {
        guard availableBytes >= 4, fileBytes >= 4 else { throw ItemLoaderError.truncated(file: file, offset: availableBytes) }
        let (count, wide) = decodeCount(base)
        if let e = expectedItemCount, e != count {
            throw ItemLoaderError.corrupt(file: file, offset: 0, reason: "item count \(count), expected \(e)")
        }
        let header = headerBytes(itemCount: count, wideOffsets: wide)
        guard header <= fileBytes else {
            throw ItemLoaderError.corrupt(file: file, offset: 0, reason: "header of \(header) B exceeds file size \(fileBytes) B")
        }
        guard availableBytes >= header else { throw ItemLoaderError.truncated(file: file, offset: availableBytes) }
        let w = wide ? 8 : 4
        // Compared as stored (UInt64), so no entry is converted before it is known to be at most the file size.
        var previous = storedOffset(base, wideOffsets: wide, index: 0)
        guard previous == UInt64(header) else {
            throw ItemLoaderError.corrupt(file: file, offset: 4, reason: "first offset \(previous), expected header size \(header)")
        }
        var i = 1
        while i <= count {
            let o = storedOffset(base, wideOffsets: wide, index: i)
            guard o >= previous else {
                throw ItemLoaderError.corrupt(file: file, offset: 4 + i * w, reason: "offset \(i) = \(o) is below offset \(i - 1) = \(previous)")
            }
            previous = o
            i += 1
        }
        guard previous == UInt64(fileBytes) else {
            throw ItemLoaderError.corrupt(file: file, offset: 4 + count * w, reason: "last offset \(previous), file size \(fileBytes)")
        }
        return (count, wide)
    }

    /// Reads just the header of a local chunk file and returns its descriptor (for preparing a loader's chunk list).
    public static func describe(_ url: URL) throws -> ChunkDescriptor {
        let path = url.path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ItemLoaderError.io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ItemLoaderError.io(path: path, operation: "fstat", errno: errno) }
        let fileBytes = Int(st.st_size)
        var word: UInt32 = 0
        guard fileBytes >= 4, pread(fd, &word, 4, 0) == 4 else { throw ItemLoaderError.truncated(file: path, offset: 0) }
        let (count, wide) = withUnsafeBytes(of: &word) { decodeCount($0.baseAddress!) }
        let header = headerBytes(itemCount: count, wideOffsets: wide)
        guard header <= fileBytes else {
            throw ItemLoaderError.corrupt(file: path, offset: 0, reason: "header of \(header) B exceeds file size \(fileBytes) B")
        }
        let buf = ChunkBuffer(count: header)
        try readFully(fd: fd, path: path, into: buf.base, count: header, at: 0)
        _ = try validateHeader(buf.base, availableBytes: header, fileBytes: fileBytes, file: path)
        return ChunkDescriptor(url: url, itemCount: count, byteCount: fileBytes)
    }

    /// Reads exactly `count` bytes at file offset `at` (retrying short reads).
    static func readFully(fd: Int32, path: String, into dst: UnsafeMutableRawPointer, count: Int, at: Int) throws {
        do { try readExactly(fd: fd, path: path, into: dst, count: count, offset: at) } catch let e as EngineError {
            throw ItemLoaderError(fileError: e)
        }
    }

    /// Writes exactly `count` bytes at file offset `at` (retrying short writes).
    static func writeFully(fd: Int32, path: String, from src: UnsafeRawPointer, count: Int, at: Int) throws {
        do { try writeExactly(fd: fd, path: path, from: src, count: count, offset: at) } catch let e as EngineError {
            throw ItemLoaderError(fileError: e)
        }
    }
}
