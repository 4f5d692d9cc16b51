/// The one little-endian serializer of the engine's on-disk structures: data-file headers, footers and trailers,
/// manifests, deletion files and item chunk headers (docs/FORMAT.md, docs/ITEMS.md).
///
/// Fixed-width values are appended as given. Every conversion from `Int` goes through `fit(_:as:_:)`, which refuses
/// a value that does not fit its field (negative into an unsigned field, a count over u32, a name over a u16
/// length) with `EngineError.valueOutOfRange` naming the field: nothing is truncated and nothing traps.
struct ByteWriter {
    private(set) var bytes: [UInt8]

    init(reservingCapacity capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Bytes written so far.
    var count: Int { bytes.count }

    /// `value` as a `T`, or `EngineError.valueOutOfRange` naming `what` when it does not fit.
    @inline(__always)
    static func fit<T: FixedWidthInteger & UnsignedInteger>(_ value: Int, as _: T.Type,
                                                            _ what: @autoclosure () -> String) throws -> T {
        guard let v = T(exactly: value) else {
            throw EngineError.valueOutOfRange(what: what(), value: value, range: 0...Int(clamping: T.max))
        }
        return v
    }

    @inline(__always) mutating func u8(_ v: UInt8) { bytes.append(v) }
    @inline(__always) mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    @inline(__always) mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    @inline(__always) mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }

    /// `v` as a u16, checked.
    mutating func u16(_ v: Int, _ what: @autoclosure () -> String) throws { u16(try Self.fit(v, as: UInt16.self, what())) }
    /// `v` as a u32, checked.
    mutating func u32(_ v: Int, _ what: @autoclosure () -> String) throws { u32(try Self.fit(v, as: UInt32.self, what())) }
    /// `v` as a u64, checked (refuses negative values).
    mutating func u64(_ v: Int, _ what: @autoclosure () -> String) throws { u64(try Self.fit(v, as: UInt64.self, what())) }

    /// Raw bytes, as they are.
    mutating func append(_ raw: UnsafeRawBufferPointer) { bytes.append(contentsOf: raw) }
    /// Raw bytes, as they are.
    mutating func append(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }

    /// A u16 byte length, then the UTF-8 bytes (names and paths).
    mutating func string16(_ s: String, _ what: @autoclosure () -> String) throws {
        let utf8 = s.utf8
        try u16(utf8.count, "\(what()) length")
        bytes.append(contentsOf: utf8)
    }

    /// A u32 byte length, then the UTF-8 bytes (string statistics).
    mutating func string32(_ s: String, _ what: @autoclosure () -> String) throws {
        let utf8 = s.utf8
        try u32(utf8.count, "\(what()) length")
        bytes.append(contentsOf: utf8)
    }

    /// Overwrites the 8 bytes at `offset` (written earlier) with `v`.
    mutating func patchU64(_ v: UInt64, at offset: Int) {
        withUnsafeBytes(of: v.littleEndian) { src in
            for i in 0..<8 { bytes[offset + i] = src[i] }
        }
    }
}
