import Foundation
import Engine
import Histogram
import RunContract

/// What a workload reports while it runs. One per run, owned by the child process.
///
/// Counters are plain stored properties: the workload sets them once it knows them
/// (not per value), from the thread that runs the workload. Phase marks go to the parent
/// immediately through `sink`; `phase(_:)` may be called from any thread (engine worker
/// threads report phases through `WriteOptions.onPhase`).
public final class RunContext {
    /// Scratch directory for this run's dataset and files; the harness removes it afterwards.
    public let workDirectory: URL
    /// The run's validated parameters.
    public let parameters: ParameterValues
    /// Phase marks, thread-safe (phases are rare: per flush at most).
    public let phaseRecorder: PhaseRecorder

    /// Logical rows the workload pushed (or read, for read workloads).
    public var rows: Int = 0
    /// Raw input value bytes the workload pushed (WORKLOAD.md "raw value bytes").
    public var inputBytes: Int = 0
    /// Bytes that reached disk (data files, deletion files, manifests).
    public var bytesWritten: Int = 0
    /// Data files written.
    public var files: Int = 0
    /// Manifest versions committed.
    public var versions: Int = 0
    /// Raw bytes / encoded bytes, when the workload compresses.
    public var compressionRatio: Double?
    /// Milliseconds from the start of the measured region to the first byte written.
    public var firstWriteMs: Double?
    /// Per-cache statistics, keyed by cache name (`metadata`, `index`, ...), as `cache_<name>_*` columns.
    public var caches: [String: CacheStatistics] = [:]
    /// Workload-specific metrics, each written as its own column. Names are snake_case and end in their unit
    /// (`time_to_first_item_ms`, `count_rows_ms`, `hit_ratio`).
    public private(set) var metrics: [String: Double] = [:]
    /// Phase marks in order (name, monotonic ns). Read it after the workload's threads are done.
    public var phases: [(name: String, tNs: UInt64)] { phaseRecorder.all }
    /// Latencies of the write path's batches, in microseconds (1 µs ... 1 h, 3 significant digits).
    public private(set) var batchLatencyMicros = Histogram<UInt64>(lowestDiscernibleValue: 1,
                                                                  highestTrackableValue: 3_600_000_000,
                                                                  numberOfSignificantValueDigits: .three)

    public init(workDirectory: URL, parameters: ParameterValues, sink: @escaping @Sendable (RunEvent) -> Void = { _ in }) {
        self.workDirectory = workDirectory
        self.parameters = parameters
        phaseRecorder = PhaseRecorder(sink: sink)
    }

    /// Marks the start of a phase (`generate`, `encode`, `flush`, `commit`, `close`, ...).
    /// Thread-safe; marks from several threads are delivered in the order they take the lock.
    public func phase(_ name: String) { phaseRecorder.mark(name) }

    /// Sets a workload-specific metric (see `metrics`).
    public func setMetric(_ name: String, _ value: Double) {
        metrics[name] = value
    }

    /// Records one batch's write latency in nanoseconds.
    @inline(__always)
    public func recordBatchLatency(nanoseconds: UInt64) {
        batchLatencyMicros.record(max(1, nanoseconds / 1_000))
    }
}
