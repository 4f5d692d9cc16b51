/// Where `BatchEncoder.encode` spent its time, in nanoseconds of the encoding thread's CPU time
/// (`CLOCK_THREAD_CPUTIME_ID`), so time the thread spent preempted by other work is not counted.
public struct EncodeTimings: Sendable, Equatable {
    /// Computing statistics: min/max, null and run counts, XXH3-64 of every value, HyperLogLog updates.
    public var statsNanoseconds: UInt64 = 0
    /// Choosing the encoding and building the encoded (uncompressed) page body.
    public var selectNanoseconds: UInt64 = 0
    /// zstd compression of page bodies, page headers and checksums.
    public var compressNanoseconds: UInt64 = 0

    public init(statsNanoseconds: UInt64 = 0, selectNanoseconds: UInt64 = 0, compressNanoseconds: UInt64 = 0) {
        self.statsNanoseconds = statsNanoseconds
        self.selectNanoseconds = selectNanoseconds
        self.compressNanoseconds = compressNanoseconds
    }

    /// Sum of the three parts.
    public var totalNanoseconds: UInt64 { statsNanoseconds + selectNanoseconds + compressNanoseconds }

    /// Stage-wise sum (e.g. over the batches of a write).
    public static func + (a: EncodeTimings, b: EncodeTimings) -> EncodeTimings {
        EncodeTimings(statsNanoseconds: a.statsNanoseconds + b.statsNanoseconds,
                      selectNanoseconds: a.selectNanoseconds + b.selectNanoseconds,
                      compressNanoseconds: a.compressNanoseconds + b.compressNanoseconds)
    }

    /// Adds `b` to `a` stage by stage.
    public static func += (a: inout EncodeTimings, b: EncodeTimings) { a = a + b }
}
