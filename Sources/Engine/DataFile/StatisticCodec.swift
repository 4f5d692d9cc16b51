/// The tagged scalar form of page statistics (docs/FORMAT.md, "Footer": `stat`): `u8 tag` (0 null, 1 int64,
/// 2 float64 bits, 3 string) then the payload (8 bytes, or a u32 length and that many UTF-8 bytes).
extension ScalarValue {
    /// Bytes of the tagged form.
    var serializedSize: Int {
        switch self {
        case .null: return 1
        case .int, .double: return 9
        case .string(let s): return 5 + s.utf8.count
        }
    }
}

extension ByteWriter {
    /// Appends a statistics value in its tagged form.
    /// - Throws: `EngineError.valueOutOfRange` for a string over 2^32 - 1 bytes.
    mutating func scalar(_ s: ScalarValue) throws {
        switch s {
        case .null: u8(0)
        case .int(let v): u8(1); u64(UInt64(bitPattern: v))
        case .double(let v): u8(2); u64(v.bitPattern)
        case .string(let str): u8(3); try string32(str, "string statistic")
        }
    }
}

extension ByteReader {
    /// Reads a statistics value in its tagged form.
    mutating func scalar() throws -> ScalarValue {
        let at = errorOffset
        switch try u8("statistic tag") {
        case 0: return .null
        case 1: return .int(Int64(bitPattern: try u64("int statistic")))
        case 2: return .double(Double(bitPattern: try u64("float statistic")))
        case 3: return .string(try string32("string statistic", limit: Int(Int32.max)))
        case let t:
            throw EngineError.corrupt(file: file, offset: at, reason: "unknown statistic tag \(t)")
        }
    }
}
