import Foundation

/// Errors of the item chunk format, the throttled source and the item loader. Corruption errors name the file and
/// the byte offset at which the problem was found.
public enum ItemLoaderError: Error, Equatable, CustomStringConvertible {
    /// The bytes at `offset` in `file` are not a valid chunk (`reason` says what is wrong).
    case corrupt(file: String, offset: Int, reason: String)
    /// `file` ended at `offset` before the data its header announces.
    case truncated(file: String, offset: Int)
    /// A system call on `path` failed with `errno`.
    case io(path: String, operation: String, errno: Int32)
    /// The memory budget cannot hold even one chunk of `chunkBytes` bytes (the loader evicts whole chunks).
    case budgetTooSmall(budgetBytes: Int, chunkBytes: Int)
    /// Item `index` is not in `0..<itemCount`.
    case itemOutOfRange(index: Int, itemCount: Int)
    /// The download was cancelled before the requested bytes arrived.
    case cancelled(file: String)

    /// The item loader's form of an error from `readExactly`/`writeExactly` (which throw `.io` and `.truncated`).
    init(fileError: EngineError) {
        switch fileError {
        case let .io(path, operation, code): self = .io(path: path, operation: operation, errno: code)
        case let .truncated(file, offset): self = .truncated(file: file, offset: offset)
        default: self = .corrupt(file: "", offset: 0, reason: fileError.description)
        }
    }

    public var description: String {
        switch self {
        case let .corrupt(file, offset, reason): return "corrupt chunk \(file) at byte \(offset): \(reason)"
        case let .truncated(file, offset): return "truncated chunk \(file) at byte \(offset)"
        case let .io(path, op, e): return "\(op) \(path) failed: \(String(cString: strerror(e)))"
        case let .budgetTooSmall(b, c): return "memory budget \(b) B is smaller than a chunk of \(c) B"
        case let .itemOutOfRange(i, n): return "item \(i) out of range 0..<\(n)"
        case let .cancelled(file): return "download of \(file) cancelled"
        }
    }
}

/// A heap buffer holding (part of) one chunk file's bytes; freed when the last reference goes.
public final class ChunkBuffer: @unchecked Sendable {
    /// Start of the bytes (16-byte aligned).
    public let base: UnsafeMutableRawPointer
    /// Size in bytes.
    public let count: Int

    /// Allocates `count` uninitialized bytes.
    public init(count: Int) {
        self.count = count
        base = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
    }

    deinit { base.deallocate() }

    /// The whole buffer as raw bytes.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
}

/// What a reader needs to know about a chunk file before downloading it (as LitData's index file records):
/// where it is, how many items it holds and how many bytes it has.
public struct ChunkDescriptor: Sendable, Equatable {
    public var url: URL
    /// Items in the chunk.
    public var itemCount: Int
    /// Size of the whole chunk file in bytes (header included).
    public var byteCount: Int

    public init(url: URL, itemCount: Int, byteCount: Int) {
        self.url = url
        self.itemCount = itemCount
        self.byteCount = byteCount
    }
}

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

    /// Offset entry `index` (0...itemCount) of a header starting at `base`.
    @inline(__always)
    public static func offset(_ base: UnsafeRawPointer, wideOffsets: Bool, index: Int) -> Int {
        if wideOffsets {
            return Int(truncatingIfNeeded: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 4 + index * 8, as: UInt64.self)))
        }
        return Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 + index * 4, as: UInt32.self)))
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
        var previous = offset(base, wideOffsets: wide, index: 0)
        guard previous == header else {
            throw ItemLoaderError.corrupt(file: file, offset: 4, reason: "first offset \(previous), expected header size \(header)")
        }
        var i = 1
        while i <= count {
            let o = offset(base, wideOffsets: wide, index: i)
            guard o >= previous else {
                throw ItemLoaderError.corrupt(file: file, offset: 4 + i * w, reason: "offset \(i) = \(o) is below offset \(i - 1) = \(previous)")
            }
            previous = o
            i += 1
        }
        guard previous == fileBytes else {
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
        let wide = wideOffsets
        let header = ChunkFile.headerBytes(itemCount: itemCount, wideOffsets: wide)
        var out = [UInt8](repeating: 0, count: header + payload.count)
        out.withUnsafeMutableBytes { dst in
            writeHeader(into: dst.baseAddress!, wide: wide, header: header)
            payload.withUnsafeBytes { src in
                if src.count > 0 { (dst.baseAddress! + header).copyMemory(from: src.baseAddress!, byteCount: src.count) }
            }
        }
        return out
    }

    /// Writes the chunk file to `url` (replacing it) and returns its descriptor.
    @discardableResult
    public func write(to url: URL) throws -> ChunkDescriptor {
        let wide = wideOffsets
        let header = ChunkFile.headerBytes(itemCount: itemCount, wideOffsets: wide)
        let path = url.path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ItemLoaderError.io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        let headerBuf = ChunkBuffer(count: header)
        writeHeader(into: headerBuf.base, wide: wide, header: header)
        try ChunkFile.writeFully(fd: fd, path: path, from: headerBuf.base, count: header, at: 0)
        try payload.withUnsafeBytes { src in
            if src.count > 0 { try ChunkFile.writeFully(fd: fd, path: path, from: src.baseAddress!, count: src.count, at: header) }
        }
        return ChunkDescriptor(url: url, itemCount: itemCount, byteCount: header + payload.count)
    }

    private func writeHeader(into base: UnsafeMutableRawPointer, wide: Bool, header: Int) {
        let word = UInt32(itemCount) | (wide ? ChunkFile.wideOffsetsFlag : 0)
        base.storeBytes(of: word.littleEndian, as: UInt32.self)
        for i in 0...itemCount {
            let o = header + (i == 0 ? 0 : ends[i - 1])
            if wide {
                base.storeBytes(of: UInt64(o).littleEndian, toByteOffset: 4 + i * 8, as: UInt64.self)
            } else {
                base.storeBytes(of: UInt32(o).littleEndian, toByteOffset: 4 + i * 4, as: UInt32.self)
            }
        }
    }
}
