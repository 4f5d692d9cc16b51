/// What a workload child measured about itself, written as JSON at the end of the run.
/// Sizes in bytes (-1 = unknown), times in nanoseconds or seconds as named.
public struct ChildReport: Codable, Sendable {
    /// Failure reason when the workload threw; nil on success.
    public var error: String?
    public var wallNs: UInt64 = 0
    public var cpuUserS: Double = 0
    public var cpuSysS: Double = 0
    /// VmRSS right before the measured region (after `prepare`).
    public var rssBaselineBytes: Int64 = -1
    /// VmRSS after `run` returned (engine closed).
    public var rssEndBytes: Int64 = -1
    /// The child's own VmHWM at the end of the measured region: the peak RSS since the start of the measured
    /// region when `hwmResetAtBegin` (the high-water mark is reset there), else since exec.
    public var hwmBytes: Int64 = -1
    /// VmHWM just before the measured region (start-up and `prepare`).
    public var hwmPrepareBytes: Int64 = -1
    /// Whether /proc/self/clear_refs reset the high-water mark at the start of the measured region.
    public var hwmResetAtBegin: Bool = false
    /// Monotonic ns at the start and end of the measured region.
    public var measuredStartNs: UInt64 = 0
    public var measuredEndNs: UInt64 = 0
    /// Allocator view at the end of the measured region and which allocator answered.
    public var heapAllocator: String = ""
    public var heapAllocatedBytes: Int64 = -1
    public var heapActiveBytes: Int64 = -1
    public var heapResidentBytes: Int64 = -1
    public var heapRetainedBytes: Int64 = -1
    /// Allocation calls and requested bytes in the measured region (interposer), nil without `--alloc-counts`.
    public var allocCount: Int64?
    public var allocBytes: Int64?
    public var rows: Int = 0
    public var inputBytes: Int = 0
    public var bytesWritten: Int = 0
    public var files: Int = 0
    public var versions: Int = 0
    public var compressionRatio: Double?
    public var firstWriteMs: Double?
    public var batchP50Ms: Double?
    public var batchP99Ms: Double?
    public var caches: [String: CacheCounters] = [:]
    /// Workload-specific metrics, each its own column.
    public var metrics: [String: Double] = [:]
    /// Phase marks: name and monotonic ns.
    public var phases: [PhaseMark] = []

    public init() {}

    /// The standard metrics the report fills, in the units of `Metric` (counts and ms as they are).
    public var reportedMetrics: [Metric: Double] {
        var m: [Metric: Double] = [.bytesWritten: Double(bytesWritten), .files: Double(files), .versions: Double(versions)]
        m[.compressionRatio] = compressionRatio
        m[.firstWriteMs] = firstWriteMs
        m[.batchP50Ms] = batchP50Ms
        m[.batchP99Ms] = batchP99Ms
        m[.allocCount] = allocCount.map(Double.init)
        m[.allocBytes] = allocBytes.map(Double.init)
        return m
    }
}
