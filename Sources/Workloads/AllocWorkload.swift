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
    ]

    let totalBytes: Int
    let stepBytes: Int
    let holdMs: Int

    public init(parameters: ParameterValues) throws {
        totalBytes = parameters.int("mb") << 20
        stepBytes = parameters.int("step_mb") << 20
        holdMs = parameters.int("hold_ms")
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
