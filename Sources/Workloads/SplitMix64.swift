/// The splitmix64 pseudo-random generator of WORKLOAD.md §1.
///
/// All arithmetic wraps modulo 2^64. Output number `k` (from 0) of a generator seeded with `seed`
/// is `mix(seed &+ (k + 1) &* gamma)`, so any point of the stream can be reached in O(1).
public struct SplitMix64: Sendable {
    /// The golden-ratio increment added to the state before each output.
    public static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The state before the next output.
    public var state: UInt64

    /// A generator whose first output is output 0 of the stream for `seed`.
    @inlinable
    public init(seed: UInt64) {
        state = seed
    }

    /// A generator whose first output is output number `outputIndex` of the stream for `seed`.
    @inlinable
    public init(seed: UInt64, skipping outputIndex: Int) {
        state = seed &+ UInt64(truncatingIfNeeded: outputIndex) &* Self.gamma
    }

    /// The next output.
    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        state = state &+ Self.gamma
        return Self.mix(state)
    }

    /// The output function applied to an already advanced state.
    @inlinable @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
