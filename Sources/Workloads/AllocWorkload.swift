import Foundation

/// Calibration workload: allocates and touches a known amount of memory, holds it, frees it.
/// Used to check the samplers (peak RSS should exceed the baseline by about `mb`).
public struct AllocWorkload: Workload {
    public static let name = "alloc"
    public static let summary = "Calibration: allocate and touch `mb` MiB in `step_mb` chunks, hold, free"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("mb", .int, unit: "MiB", default: "64", range: 0...65_536, help: "memory to allocate and touch"),
        ParameterSpec("step_mb", .int, unit: "MiB", default: "8", range: 1...4_096, help: "size of each allocation"),
        ParameterSpec("hold_ms", .int, unit: "ms", default: "50", range: 0...600_000, help: "time to hold the memory before freeing it"),
        ParameterSpec("prepare_mb", .int, unit: "MiB", default: "0", range: 0...65_536,
                      help: "memory touched and freed in prepare, before the measured region (must not count in its peak)"),
    ]

    let totalBytes: Int
    let stepBytes: Int
    let holdMs: Int
    let prepareBytes: Int

    public init(parameters: ParameterValues) throws {
        totalBytes = parameters.int("mb") << 20
        stepBytes = parameters.int("step_mb") << 20
        holdMs = parameters.int("hold_ms")
        prepareBytes = parameters.int("prepare_mb") << 20
    }

    /// Touches and frees `prepare_mb` MiB in one mapping (returned to the kernel at once): a peak that belongs to
    /// preparation, which the measured region's figures must exclude.
    public mutating func prepare(_ context: RunContext) throws {
        guard prepareBytes > 0 else { return }
        guard let p = mmap(nil, prepareBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            throw ParameterError("alloc: mmap(\(prepareBytes)) for prepare_mb failed")
        }
        memset(p, 0x5A, prepareBytes)
        munmap(p, prepareBytes)
    }

    public mutating func run(_ context: RunContext) throws {
        context.phase("allocate")
        var blocks: [UnsafeMutableRawPointer] = []
        var remaining = totalBytes
        while remaining > 0 {
            let n = min(stepBytes, remaining)
            guard let p = malloc(n) else { throw ParameterError("alloc: malloc(\(n)) failed") }
            memset(p, 0xA5, n)  // touch every page so it is resident
            blocks.append(p)
            remaining -= n
        }
        context.phase("hold")
        if holdMs > 0 { usleep(UInt32(holdMs) * 1_000) }
        context.phase("free")
        for p in blocks { free(p) }
        context.inputBytes = totalBytes
        context.setMetric("allocated_mib", Double(totalBytes >> 20))
    }
}
