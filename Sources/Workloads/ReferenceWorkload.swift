import Foundation
import RunContract

/// The machine-speed reference: a fixed task with two CPU-bound parts run on every core at once (an integer mixing
/// loop that stays in registers, then zstd compression of fixed text, which depends on the caches as the engine's
/// encoding does: `ReferenceCompression`) and a memory-bound part (copying 32 MiB back and forth), about 0.2–0.4 s
/// in all.
/// The CPU part runs one copy of the loop per core because the suites' workloads use every core (the streaming
/// writer's pipeline does): a neighbour busy on one core of two barely slows a single-threaded loop, but it takes
/// half the machine from them, and from this reference. `check` runs it interleaved
/// with the suite and stores it in baselines; comparing its times between then and now tells how much faster or
/// slower the machine is, so time and throughput verdicts can be judged relative to it.
public struct ReferenceWorkload: Workload {
    public static let name = "reference"
    public static let summary = "Machine-speed reference: fixed CPU-bound and memory-bound parts (interleaved by check)"
    public static let parameters: [ParameterSpec] = []

    /// Copies of the CPU loop run side by side: one per core the process may use.
    static var cpuThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Iterations of the mixing loop and bytes copied per pass; fixed, so every run does the same work.
    static let cpuIterations = 40_000_000
    static let copyBytes = 32 << 20
    static let copyPasses = 8

    public init(parameters: ParameterValues) throws {}

    public mutating func run(_ context: RunContext) throws {
        let text = ReferenceCompression.Input()
        context.phase("cpu")
        let t0 = Clock.nowNs()
        let threads = Self.cpuThreads
        let results = Slots(count: threads)
        DispatchQueue.concurrentPerform(iterations: threads) { t in results.values[t] = Self.mix(seed: UInt64(t)) }
        var x: UInt64 = 0
        for t in 0..<threads { x ^= results.values[t] }
        context.phase("compress")
        let tc = Clock.nowNs()
        let compressed = Slots(count: threads), compressCPU = Slots(count: threads)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let cpu0 = Clock.threadCPUNs()
            compressed.values[t] = UInt64(ReferenceCompression.compress(text.bytes))
            compressCPU.values[t] = Clock.threadCPUNs() &- cpu0
        }
        var compressCPUNs: UInt64 = 0
        for t in 0..<threads { compressCPUNs &+= compressCPU.values[t] }
        let compressedBytes = compressed.values[0]
        var compressionAgrees = compressedBytes > 0
        for t in 0..<threads where compressed.values[t] != compressedBytes { compressionAgrees = false }
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
        context.setMetric("reference_cpu_ms", Double(tc - t0) / 1e6)
        context.setMetric("reference_compress_ms", Double(t1 - tc) / 1e6)
        // CPU time of the compression threads, summed: what the same work costs in CPU, whoever else shares the cores.
        context.setMetric("reference_compress_cpu_ms", Double(compressCPUNs) / 1e6)
        context.setMetric("reference_compressed_bytes", Double(compressedBytes))
        context.setMetric("reference_threads", Double(threads))
        context.setMetric("reference_memory_ms", Double(t2 - t1) / 1e6)
        // Keeps the loop's result alive and checks the copy and the compression (every thread, the same bytes).
        let copied = a.load(fromByteOffset: Self.copyBytes - 1, as: UInt8.self) == UInt8(x & 0x7F)
        context.setMetric("reference_check", copied && compressionAgrees ? 1 : 0)
    }

    /// The fixed mixing loop (`cpuIterations` rounds), returning its state so it cannot be optimized away.
    static func mix(seed: UInt64) -> UInt64 {
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ seed
        for i in 0..<cpuIterations {
            x ^= x >> 33
            x = x &* 0xFF51_AFD7_ED55_8CCD &+ UInt64(truncatingIfNeeded: i)
        }
        return x
    }

    /// One result slot per thread of the CPU part; each thread writes only its own.
    final class Slots: @unchecked Sendable {
        let values: UnsafeMutablePointer<UInt64>
        init(count: Int) { values = .allocate(capacity: count) }
        deinit { values.deallocate() }
    }
}
