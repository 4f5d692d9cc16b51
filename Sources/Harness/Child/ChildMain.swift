import Foundation
import CAllocStats
import Engine
import Workloads

/// The child side of a workload run: `highwater __child --spec PATH`.
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
            FileHandle.standardError.write(Data("highwater __child: cannot write report: \(error)\n".utf8))
            return 1
        }
        return code
    }

    static func emit(_ fd: Int32, _ line: String) {
        guard fd >= 0 else { return }
        var s = line + "\n"
        s.withUTF8 { buf in
            var off = 0
            while off < buf.count {
                let n = write(fd, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { if errno == EINTR { continue }; return }
                off += n
            }
        }
    }

    static func cpuTimes() -> (user: Double, sys: Double) {
        var ru = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &ru)
        return (Double(ru.ru_utime.tv_sec) + Double(ru.ru_utime.tv_usec) / 1e6,
                Double(ru.ru_stime.tv_sec) + Double(ru.ru_stime.tv_usec) / 1e6)
    }

    static func execute(_ spec: ChildSpec, _ report: inout ChildReport) throws {
        var raw: [String: String] = [:]
        for kv in spec.params { raw[kv.key] = kv.value }
        let values = try WorkloadRegistry.resolve(workload: spec.workload, raw: raw)
        guard let type = WorkloadRegistry.named(spec.workload) else { throw ParameterError("unknown workload \(spec.workload)") }
        let fd = spec.eventsFD
        let workDir = URL(fileURLWithPath: spec.workDirectory)
        try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
        let context = RunContext(workDirectory: workDir, parameters: values) { event in
            switch event {
            case .phase(let name, let t): emit(fd, "phase \(t) \(hw_self_rss_bytes()) \(name)")
            }
        }
        var workload = try type.init(parameters: values)
        try workload.prepare(context)

        if spec.allocCounts {
            guard hw_alloc_counts_available() != 0 else { throw ParameterError("--alloc-counts: the interposer library is not preloaded") }
        }
        // The peak so far belongs to start-up and `prepare`; keep it, then reset the kernel's high-water mark so that
        // VmHWM (and the ru_maxrss wait4 reports at exit) cover the measured region onwards, not `prepare`.
        report.hwmPrepareBytes = readHWM()
        let clearFD = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC)
        if clearFD >= 0 {
            if write(clearFD, "5", 1) == 1 { report.hwmResetAtBegin = true }
            close(clearFD)
        }
        let cpu0 = cpuTimes()
        report.rssBaselineBytes = hw_self_rss_bytes()
        let t0 = monotonicNanoseconds()
        emit(fd, "begin \(t0) \(report.rssBaselineBytes)")
        if spec.allocCounts { hw_alloc_counts_start() }
        try workload.run(context)
        var count: Int64 = 0, bytes: Int64 = 0
        if spec.allocCounts, hw_alloc_counts_stop(&count, &bytes) != 0 {
            report.allocCount = count
            report.allocBytes = bytes
        }
        let t1 = monotonicNanoseconds()
        let cpu1 = cpuTimes()
        report.rssEndBytes = hw_self_rss_bytes()
        emit(fd, "end \(t1) \(report.rssEndBytes)")
        report.measuredStartNs = t0
        report.measuredEndNs = t1
        report.wallNs = t1 - t0
        report.cpuUserS = cpu1.user - cpu0.user
        report.cpuSysS = cpu1.sys - cpu0.sys

        var stats = hw_alloc_stats()
        hw_alloc_stats_read(&stats)
        report.heapAllocator = ["glibc", "jemalloc", "mimalloc"][Int(max(0, min(2, stats.allocator)))]
        report.heapAllocatedBytes = stats.allocated
        report.heapActiveBytes = stats.active
        report.heapResidentBytes = stats.resident
        report.heapRetainedBytes = stats.retained
        report.hwmBytes = readHWM()

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
        report.caches = context.caches
        report.metrics = context.metrics
        report.phases = context.phases.map { PhaseMark(name: $0.name, tNs: $0.tNs) }
    }

    /// VmHWM of this process from /proc/self/status, bytes (-1 if unreadable).
    static func readHWM() -> Int64 {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
        for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.dropFirst(6).filter(\.isNumber)
            if let kb = Int64(digits) { return kb * 1024 }
        }
        return -1
    }
}
