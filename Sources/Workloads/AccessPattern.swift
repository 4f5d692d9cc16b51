import Foundation

/// The order in which a read workload visits items, reproducible from fixed seeds.
public enum AccessPattern: String, Sendable, CaseIterable {
    /// 0, 1, 2, ... : every item once, in storage order.
    case sequential
    /// Every item once, in a uniformly random order (Fisher-Yates with splitmix64, fixed seed).
    case random
    /// `count` independent draws from a Zipf distribution (exponent `zipfExponent`) over item indices, item 0
    /// being the most popular: popular items cluster in the first chunks, so the eviction policy matters.
    case zipf

    /// Seed of the `random` and `zipf` orders.
    public static let seed: UInt64 = 0xACCE_55ED
    /// Exponent `s` of the Zipf distribution (P(rank k) ∝ 1 / k^s).
    public static let zipfExponent = 1.0

    /// `count` item indices in `0..<itemCount` (`count` defaults to `itemCount`).
    public func order(itemCount: Int, count: Int? = nil) -> [Int] {
        let n = count ?? itemCount
        precondition(itemCount > 0 || n == 0, "no items to access")
        var rng = SplitMix64(seed: Self.seed)
        switch self {
        case .sequential:
            return (0..<n).map { $0 % itemCount }
        case .random:
            var out = [Int](0..<itemCount)
            if itemCount > 1 {
                for i in stride(from: itemCount - 1, to: 0, by: -1) {
                    let j = Int(rng.next() % UInt64(i + 1))
                    out.swapAt(i, j)
                }
            }
            if n <= itemCount { return Array(out.prefix(n)) }
            return (0..<n).map { out[$0 % itemCount] }
        case .zipf:
            // Inverse CDF by binary search over cumulative weights.
            var cdf = [Double](repeating: 0, count: itemCount)
            var total = 0.0
            for k in 0..<itemCount {
                total += 1.0 / pow(Double(k + 1), Self.zipfExponent)
                cdf[k] = total
            }
            var out = [Int]()
            out.reserveCapacity(n)
            for _ in 0..<n {
                let u = Double(rng.next() >> 11) * 0x1.0p-53 * total
                var lo = 0
                var hi = itemCount - 1
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if cdf[mid] > u { hi = mid } else { lo = mid + 1 }
                }
                out.append(lo)
            }
            return out
        }
    }
}
