import Foundation

/// Merge-insert's key index: key hash → row address of every live row of one dataset version, in an
/// open-addressing hash table (linear probing, power-of-two capacity, at most 3/4 full) of two flat arrays, so it
/// holds no object per key and its size is known exactly (`byteSize`, what the session's index cache is charged).
///
/// Keys are identified by 64-bit hashes (`KeyIndex.hash`): Int64/Int32 keys through a bijective mix (distinct keys
/// never collide), UTF-8 keys through XXH3-64 (two distinct strings collide with probability about n²/2⁶⁵ for n keys;
/// a collision would make them one key). Null keys are not indexed. Keys are unique in a dataset that is only
/// written through `MergeInsert`; if a key appears twice, the index keeps the row seen last.
///
/// A value type: the session's index cache shares one value between threads and merges, and a merge that derives
/// the next version's index mutates its own copy (copy-on-write of the two arrays).
public struct KeyIndex: Sendable {
    private static let empty = UInt64.max
    private var hashes: [UInt64]
    private var addresses: [UInt64]   // fragmentId << 32 | rowOffset, `empty` when the slot is free
    private var mask: Int
    /// Keys indexed.
    public private(set) var count = 0

    /// Creates an empty index sized for about `capacity` keys without growing.
    public init(capacity: Int = 16) {
        var slots = 16
        while slots * 3 < max(capacity, 1) * 4 { slots <<= 1 }
        hashes = Array(repeating: 0, count: slots)
        addresses = Array(repeating: KeyIndex.empty, count: slots)
        mask = slots - 1
    }

    /// Bytes held by the table's arrays (16 per slot) plus 64 of overhead, as charged to the index cache.
    public var byteSize: Int { hashes.count * 16 + 64 }

    /// Slots in the table.
    public var capacity: Int { hashes.count }

    /// Hash of an integer key (bijective: distinct keys have distinct hashes).
    @inline(__always)
    public static func hash(_ key: Int64) -> UInt64 {
        var z = UInt64(bitPattern: key) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Hash of a UTF-8 key's bytes (XXH3-64).
    @inline(__always)
    public static func hash(utf8 bytes: UnsafeRawBufferPointer) -> UInt64 {
        xxh3Hash(bytes.baseAddress, bytes.count)
    }

    /// Hash of row `row` of a key column, or nil for a null key.
    /// - Precondition: the column is `.int64`, `.int32` or `.utf8`.
    @inline(__always)
    public static func hash(_ column: ColumnData, row: Int) -> UInt64? {
        if column.validity != nil && !column.isValid(row) { return nil }
        switch column.type {
        case .int64: return hash(column.int64(row))
        case .int32: return hash(Int64(column.int32(row)))
        case .utf8: return hash(utf8: column.utf8Bytes(row))
        default: preconditionFailure("unsupported key type \(column.type)")
        }
    }

    /// Whether `type` can be a merge-insert key.
    public static func supports(_ type: ColumnType) -> Bool {
        switch type {
        case .int64, .int32, .utf8: return true
        default: return false
        }
    }

    @inline(__always)
    private func slot(of hash: UInt64) -> Int { Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask }

    /// The address of the row with key hash `hash`, if indexed.
    @inline(__always)
    public func lookup(_ hash: UInt64) -> RowAddress? {
        var i = slot(of: hash)
        while true {
            let a = addresses[i]
            if a == KeyIndex.empty { return nil }
            if hashes[i] == hash { return RowAddress(fragmentId: Int(a >> 32), rowOffset: UInt32(truncatingIfNeeded: a)) }
            i = (i + 1) & mask
        }
    }

    /// Indexes (or moves) key hash `hash` at `address`.
    public mutating func set(_ hash: UInt64, _ address: RowAddress) {
        precondition(address.fragmentId >= 0 && address.fragmentId < Int(UInt32.max), "fragment id out of range")
        if (count + 1) * 4 > hashes.count * 3 { grow() }
        let packed = UInt64(address.fragmentId) << 32 | UInt64(address.rowOffset)
        var i = slot(of: hash)
        while addresses[i] != KeyIndex.empty {
            if hashes[i] == hash {
                addresses[i] = packed
                return
            }
            i = (i + 1) & mask
        }
        hashes[i] = hash
        addresses[i] = packed
        count += 1
    }

    /// Removes key hash `hash` (backward-shift deletion, no tombstones).
    /// - Returns: whether it was indexed.
    @discardableResult
    public mutating func remove(_ hash: UInt64) -> Bool {
        var i = slot(of: hash)
        while true {
            if addresses[i] == KeyIndex.empty { return false }
            if hashes[i] == hash { break }
            i = (i + 1) & mask
        }
        var hole = i
        var j = i
        while true {
            j = (j + 1) & mask
            if addresses[j] == KeyIndex.empty { break }
            let home = slot(of: hashes[j])
            // The entry at j may move into the hole unless its home lies cyclically in (hole, j].
            let stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j)
            if stays { continue }
            hashes[hole] = hashes[j]
            addresses[hole] = addresses[j]
            hole = j
        }
        addresses[hole] = KeyIndex.empty
        count -= 1
        return true
    }

    private mutating func grow() {
        let oldHashes = hashes
        let oldAddresses = addresses
        let slots = hashes.count * 2
        hashes = Array(repeating: 0, count: slots)
        addresses = Array(repeating: KeyIndex.empty, count: slots)
        mask = slots - 1
        for k in 0..<oldHashes.count where oldAddresses[k] != KeyIndex.empty {
            var i = slot(of: oldHashes[k])
            while addresses[i] != KeyIndex.empty { i = (i + 1) & mask }
            hashes[i] = oldHashes[k]
            addresses[i] = oldAddresses[k]
        }
    }

    /// Builds the index of `dataset`'s live rows by reading the key column of every fragment.
    /// - Returns: the index and the rows scanned.
    public static func build(dataset: Dataset, column: String) throws -> (index: KeyIndex, rowsScanned: Int) {
        var index = KeyIndex(capacity: dataset.countRows())
        var scanned = 0
        for fragment in dataset.fragments {
            let reader = try FragmentReader(dataset: dataset, fragment: fragment, columns: [column])
            while let (batch, offsets) = try reader.next() {
                let keys = batch.columns[0]
                for r in 0..<batch.rowCount {
                    if let h = hash(keys, row: r) {
                        index.set(h, RowAddress(fragmentId: fragment.id, rowOffset: offsets[r]))
                    }
                }
                scanned += batch.rowCount
            }
        }
        return (index, scanned)
    }
}
