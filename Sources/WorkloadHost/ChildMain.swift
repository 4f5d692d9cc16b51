import Foundation
import CAllocStats
import RunContract
import Workloads

/// The child side of a workload run (`highwater __child --spec PATH`): runs one workload in this process, reports
/// phases on the events descriptor as they happen and writes a `ChildReport` at the end.
public enum ChildMain {
    /// Runs the workload described by the spec file, writes the report, returns the exit code
    /// (0 ok, 1 the workload failed, 2 bad spec).
    public static func run(specPath: String) -> Int32 {
        let spec: ChildSpec
        do {
            spec = try JSONDecoder().decode(ChildSpec.self, from: Data(contentsOf: URL(fileURLWithPath: specPath)))
        } catch {
            FileHandle.standardError.write(Data("highwater __child: cannot read spec \(specPath): \(error)\n".utf8))
            return 2
        }
        var report = ChildReport()
        let code: Int32
        do {
            try execute(spec, &report)
            code = 0
        } catch {
            report.error = "\(error)"
            FileHandle.standardError.write(Data("highwater __child: \(spec.workload) failed: \(error)\n".utf8))
            code = 1
        }
        do {
            let enc = JSONEncoder()
            enc.outputFormatting = [.sortedKeys]
            try enc.encode(report).write(to: URL(fileURLWithPath: spec.reportPath), options: .atomic)
        } catch {
            FileHandle.standardError.write(Data("highwater __child: cannot write report \(spec.reportPath): \(error)\n".utf8))
            return 1
        }
        return code
    }

    static func execute(_ spec: ChildSpec, _ report: inout ChildReport) throws {
        var raw: [String: String] = [:]
        for kv in spec.params { raw[kv.key] = kv.value }
        let values = try WorkloadRegistry.resolve(workload: spec.workload, raw: raw)
        guard let type = WorkloadRegistry.named(spec.workload) else { throw ParameterError("unknown workload \(spec.workload)") }
        let events = EventWriter(fd: spec.eventsFD)
        let workDir = URL(fileURLWithPath: spec.workDirectory)
        try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
        let context = RunContext(workDirectory: workDir, parameters: values) { event in
            switch event {
            case .phase(let name, let t): events.emit(.phase(name: name, tNs: t, rssBytes: ProcessMemory.residentBytes()))
            }
        }
        var workload = try type.init(parameters: values)
        try workload.prepare(context)
        if spec.allocCounts {
            guard hw_alloc_counts_available() != 0 else { throw ParameterError("--alloc-counts: the interposer library is not preloaded") }
        }
        // The peak so far belongs to start-up and `prepare`; keep it, then reset the kernel's high-water mark so that
        // VmHWM (and the ru_maxrss wait4 reports at exit) cover the measured region onwards, not `prepare`.
        report.hwmPrepareBytes = ProcessMemory.peakResidentBytes()
        report.hwmResetAtBegin = ProcessMemory.resetPeak()
        let cpu0 = Clock.processCPUSeconds()
        report.rssBaselineBytes = ProcessMemory.residentBytes()
        let t0 = Clock.nowNs()
        events.emit(.begin(tNs: t0, rssBytes: report.rssBaselineBytes))
        if spec.allocCounts { hw_alloc_counts_start() }
        try workload.run(context)
        var count: Int64 = 0, bytes: Int64 = 0
        if spec.allocCounts, hw_alloc_counts_stop(&count, &bytes) != 0 {
            report.allocCount = count
            report.allocBytes = bytes
        }
        let t1 = Clock.nowNs()
        let cpu1 = Clock.processCPUSeconds()
        report.rssEndBytes = ProcessMemory.residentBytes()
        events.emit(.end(tNs: t1, rssBytes: report.rssEndBytes))
        report.measuredStartNs = t0
        report.measuredEndNs = t1
        report.wallNs = t1 - t0
        report.cpuUserS = cpu1.user - cpu0.user
        report.cpuSysS = cpu1.sys - cpu0.sys
        readAllocatorStatistics(into: &report)
        report.hwmBytes = ProcessMemory.peakResidentBytes()
        copyCounters(from: context, into: &report)
    }

    /// The allocator's own view at the end of the measured region (jemalloc, mimalloc or glibc).
    static func readAllocatorStatistics(into report: inout ChildReport) {
        var stats = hw_alloc_stats()
        hw_alloc_stats_read(&stats)
        report.heapAllocator = ["glibc", "jemalloc", "mimalloc"][Int(max(0, min(2, stats.allocator)))]
        report.heapAllocatedBytes = stats.allocated
        report.heapActiveBytes = stats.active
        report.heapResidentBytes = stats.resident
        report.heapRetainedBytes = stats.retained
    }

    /// What the workload counted, as the report's fields.
    static func copyCounters(from context: RunContext, into report: inout ChildReport) {
        report.rows = context.rows
        report.inputBytes = context.inputBytes
        report.bytesWritten = context.bytesWritten
        report.files = context.files
        report.versions = context.versions
        report.compressionRatio = context.compressionRatio
        report.firstWriteMs = context.firstWriteMs
        let h = context.batchLatencyMicros
        if h.totalCount > 0 {
            report.batchP50Ms = Double(h.valueAtPercentile(50)) / 1000
            report.batchP99Ms = Double(h.valueAtPercentile(99)) / 1000
        }
        report.caches = context.caches.mapValues {
            CacheCounters(hits: $0.hits, misses: $0.misses, evictions: $0.evictions, entries: $0.entries, bytes: $0.bytes)
        }
        report.metrics = context.metrics
        report.phases = context.phases.map { PhaseMark(name: $0.name, tNs: $0.tNs) }
    }
}
