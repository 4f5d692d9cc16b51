/// The one bounds-checked little-endian cursor over bytes read from disk (footers, page headers and bodies,
/// manifests, deletion files). Every read checks the remaining length and every conversion to `Int` is checked,
/// so a decoder never reads out of bounds or traps however the bytes were damaged: a problem throws
/// `EngineError.corrupt` (or `.truncated`, see `pastEndIsTruncation`) naming the file and the absolute byte offset.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var position = 0
    let file: String
    /// Absolute file offset of `bytes[0]`.
    let baseOffset: Int
    /// False when `bytes` is decompressed data: errors then report `baseOffset` (the page's stored body),
    /// since positions inside a zstd frame have no file offset.
    let positionsAreFileOffsets: Bool
    /// Whether reading past the end of `bytes` is `.truncated` (the file ended early) rather than `.corrupt`.
    let pastEndIsTruncation: Bool

    init(_ bytes: UnsafeRawBufferPointer, file: String, baseOffset: Int, positionsAreFileOffsets: Bool = true,
         pastEndIsTruncation: Bool = false) {
        self.bytes = bytes
        self.file = file
        self.baseOffset = baseOffset
        self.positionsAreFileOffsets = positionsAreFileOffsets
        self.pastEndIsTruncation = pastEndIsTruncation
    }

    var remaining: Int { bytes.count - position }
    var atEnd: Bool { position == bytes.count }

    /// Absolute offset to report for a problem at the current position.
    var errorOffset: Int { positionsAreFileOffsets ? baseOffset + position : baseOffset }

    func corrupt(_ reason: String) -> EngineError {
        .corrupt(file: file, offset: errorOffset, reason: reason)
    }

    /// The next `count` bytes (borrowed), advancing past them.
    mutating func take(_ count: Int, _ what: @autoclosure () -> String) throws -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else {
            if pastEndIsTruncation && count >= 0 { throw EngineError.truncated(file: file, offset: errorOffset) }
            throw corrupt("\(what()) needs \(count) bytes, \(remaining) left")
        }
        let slice = UnsafeRawBufferPointer(start: bytes.baseAddress! + position, count: count)
        position += count
        return slice
    }

    mutating func u8(_ what: @autoclosure () -> String) throws -> UInt8 {
        try take(1, what()).load(as: UInt8.self)
    }

    mutating func u16(_ what: @autoclosure () -> String) throws -> UInt16 {
        UInt16(littleEndian: try take(2, what()).loadUnaligned(as: UInt16.self))
    }

    mutating func u32(_ what: @autoclosure () -> String) throws -> UInt32 {
        UInt32(littleEndian: try take(4, what()).loadUnaligned(as: UInt32.self))
    }

    mutating func u64(_ what: @autoclosure () -> String) throws -> UInt64 {
        UInt64(littleEndian: try take(8, what()).loadUnaligned(as: UInt64.self))
    }

    /// A u64 that must fit a non-negative `Int` no larger than `limit`.
    mutating func int64(_ what: @autoclosure () -> String, limit: Int = .max) throws -> Int {
        let at = errorOffset
        let v = try u64(what())
        guard let n = Int(exactly: v), n <= limit else {
            throw EngineError.corrupt(file: file, offset: at, reason: "\(what()) \(v) out of range 0...\(limit)")
        }
        return n
    }

    /// A u32 that must be `<= limit`, as Int.
    mutating func count32(_ what: @autoclosure () -> String, limit: Int) throws -> Int {
        let at = errorOffset
        let v = Int(try u32(what()))
        guard v <= limit else {
            throw EngineError.corrupt(file: file, offset: at, reason: "\(what()) \(v) exceeds \(limit)")
        }
        return v
    }

    /// A u16 byte length, then that many bytes of UTF-8.
    mutating func string16(_ what: @autoclosure () -> String) throws -> String {
        let n = Int(try u16("\(what()) length"))
        return try utf8(n, what())
    }

    /// A u32 byte length no larger than `limit`, then that many bytes of UTF-8.
    mutating func string32(_ what: @autoclosure () -> String, limit: Int) throws -> String {
        let n = try count32("\(what()) length", limit: limit)
        return try utf8(n, what())
    }

    private mutating func utf8(_ count: Int, _ what: @autoclosure () -> String) throws -> String {
        let at = errorOffset
        guard let s = String(validating: try take(count, what()), as: UTF8.self) else {
            throw EngineError.corrupt(file: file, offset: at, reason: "\(what()) is not UTF-8")
        }
        return s
    }

    /// `count` zero bytes (reserved fields).
    mutating func zeros(_ count: Int, _ what: @autoclosure () -> String) throws {
        let at = errorOffset
        let b = try take(count, what())
        for i in 0..<count where b[i] != 0 {
            throw EngineError.corrupt(file: file, offset: at, reason: "\(what()) must be zero")
        }
    }

    func expectEnd(_ what: @autoclosure () -> String) throws {
        guard atEnd else { throw corrupt("\(remaining) unexpected bytes after \(what())") }
    }
}
