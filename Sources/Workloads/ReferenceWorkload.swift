import Foundation
import RunContract

/// The machine-speed reference: a fixed task with a CPU-bound part (an integer mixing loop that stays in registers)
/// and a memory-bound part (copying 32 MiB back and forth), about 0.1–0.3 s in all. `check` runs it interleaved
/// with the suite and stores it in baselines; comparing its times between then and now tells how much faster or
/// slower the machine is, so time and throughput verdicts can be judged relative to it.
public struct ReferenceWorkload: Workload {
    public static let name = "reference"
    public static let summary = "Machine-speed reference: fixed CPU-bound and memory-bound parts (interleaved by check)"
    public static let parameters: [ParameterSpec] = []

    /// Iterations of the mixing loop and bytes copied per pass; fixed, so every run does the same work.
    static let cpuIterations = 40_000_000
    static let copyBytes = 32 << 20
    static let copyPasses = 8

    public init(parameters: ParameterValues) throws {}

    public mutating func run(_ context: RunContext) throws {
        context.phase("cpu")
        let t0 = Clock.nowNs()
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in 0..<Self.cpuIterations {
            x ^= x >> 33
            x = x &* 0xFF51_AFD7_ED55_8CCD &+ UInt64(truncatingIfNeeded: i)
        }
        let t1 = Clock.nowNs()
        context.phase("memory")
        let a = UnsafeMutableRawPointer.allocate(byteCount: Self.copyBytes, alignment: 64)
        let b = UnsafeMutableRawPointer.allocate(byteCount: Self.copyBytes, alignment: 64)
        defer {
            a.deallocate()
            b.deallocate()
        }
        memset(a, Int32(x & 0x7F), Self.copyBytes)
        for pass in 0..<Self.copyPasses {
            if pass % 2 == 0 { memcpy(b, a, Self.copyBytes) } else { memcpy(a, b, Self.copyBytes) }
        }
        let t2 = Clock.nowNs()
        context.setMetric("reference_cpu_ms", Double(t1 - t0) / 1e6)
        context.setMetric("reference_memory_ms", Double(t2 - t1) / 1e6)
        // Keeps the loop's result alive (and checks the copy) without printing it.
        context.setMetric("reference_check", Double(a.load(fromByteOffset: Self.copyBytes - 1, as: UInt8.self) == UInt8(x & 0x7F) ? 1 : 0))
    }
}
