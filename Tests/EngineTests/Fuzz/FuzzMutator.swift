import Foundation

/// Seeded byte mutations for the fuzz driver (no randomness but the SplitMix64 stream of `TestRandom`): bit
/// flips, bytes and little-endian integers set to edge values, runs of bytes duplicated or removed, truncation.
/// The caller re-seals checksums afterwards so the decoders behind them are reached.
struct FuzzMutator {
    var random: TestRandom

    /// Edge values written over integers: 0, 1, powers of two around the format's limits, all ones.
    static let edges: [UInt64] = [0, 1, 2, 0x7F, 0x80, 0xFF, 0xFFFF, 1 << 16, 1 << 24, (1 << 24) + 1, 1 << 28, 1 << 30,
                                  (1 << 31) - 1, 1 << 31, (1 << 32) - 1, 1 << 32, 1 << 48, UInt64(Int64.max), 1 << 63, UInt64.max]

    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(random.next() % UInt64(n)) }

    /// Applies 1 to 4 mutations to `bytes[range]`; `resizable` allows inserting and removing bytes (the range's
    /// end moves with them). Returns the range's new end.
    @discardableResult
    mutating func mutate(_ bytes: inout [UInt8], in range: Range<Int>, resizable: Bool) -> Int {
        var end = range.upperBound
        for _ in 0...below(4) {
            let span = end - range.lowerBound
            guard span > 0 else { break }
            let at = range.lowerBound + below(span)
            switch below(resizable ? 7 : 5) {
            case 0: bytes[at] ^= UInt8(1) << UInt8(below(8))
            case 1: bytes[at] = [0, 0xFF, 0x7F, 0x80, 1][below(5)]
            case 2, 3:
                let width = [2, 4, 8][below(3)]
                guard at + width <= end else { continue }
                var v = Self.edges[below(Self.edges.count)]
                if below(4) == 0 { v = v &+ UInt64(below(16)) &- 8 }
                for i in 0..<width { bytes[at + i] = UInt8(truncatingIfNeeded: v >> UInt64(8 * i)) }
            case 4: bytes[at] = UInt8(truncatingIfNeeded: random.next())
            case 5:
                let n = 1 + below(min(16, end - at))
                bytes.insert(contentsOf: bytes[at..<(at + n)], at: at)
                end += n
            default:
                let n = 1 + below(min(16, end - at))
                bytes.removeSubrange(at..<(at + n))
                end -= n
            }
        }
        return end
    }
}
