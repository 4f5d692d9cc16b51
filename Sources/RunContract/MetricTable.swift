/// Every metric a run records, in `runs.csv` column order. Thresholds are the defaults of `compare` and `check`;
/// the comments give the measurement behind the ones that are not round numbers.
extension Metric {
    public static let wallS = Metric("wall_s", .seconds, .lowerIsBetter, .noisy, gate: .relative(0.05), digits: 6,
                                     "wall time of the measured region (commands: spawn to exit)")
    // CPU seconds of short runs vary by tens of ms (cpu_sys_s of unchanged 0.07 s writes: 0.015-0.043 s), so a
    // change must also exceed 0.05 s.
    public static let cpuUserS = Metric("cpu_user_s", .seconds, .lowerIsBetter, .noisy,
                                        gate: Threshold(relative: 0.10, absolute: 0.05), digits: 6, "user CPU time of the measured region")
    public static let cpuSysS = Metric("cpu_sys_s", .seconds, .lowerIsBetter, .noisy,
                                       gate: Threshold(relative: 0.25, absolute: 0.05), digits: 6, "system CPU time of the measured region")
    public static let rows = Metric("rows", .rows, .mustBeEqual, .deterministic, gate: .exact, digits: 0,
                                    "logical rows the workload pushed or read")
    public static let inputBytes = Metric("input_bytes", .bytes, .mustBeEqual, .deterministic, gate: .exact, digits: 0,
                                          "raw input value bytes the workload pushed")
    public static let rowsPerS = Metric("rows_per_s", .rowsPerSecond, .higherIsBetter, .noisy, gate: .relative(0.05), digits: 1,
                                        "rows / wall_s")
    public static let mbPerS = Metric("mb_per_s", .megabytesPerSecond, .higherIsBetter, .noisy, gate: .relative(0.05),
                                      "input_bytes / 1e6 / wall_s")
    // CPU time is the run's own, not the machine's: it is not scaled by the reference's wall-clock ratio. Not gated by
    // default: with a CPU hog on one of the two cores, unchanged writes of suites/ci.toml lost up to 25% of it.
    public static let rowsPerCPUS = Metric("rows_per_cpu_second", .rowsPerSecond, .higherIsBetter, .noisy, digits: 1,
                                           "rows / (cpu_user_s + cpu_sys_s): rows per CPU-second of the run itself")
    public static let peakRSSMB = Metric("peak_rss_mb", .megabytes, .lowerIsBetter, .noisy, gate: .relative(0.10),
                                         "exact peak RSS of the child from wait4 (ru_maxrss)")
    public static let peakRSSSampledMB = Metric("peak_rss_sampled_mb", .megabytes, .lowerIsBetter, .noisy, gate: .relative(0.10),
                                                "largest RSS sample (workloads: measured region only)")
    public static let peakRSSHWMMB = Metric("peak_rss_hwm_mb", .megabytes, .lowerIsBetter, .noisy,
                                            "the child's own VmHWM at the end of the measured region")
    public static let peakRSSPrepareMB = Metric("peak_rss_prepare_mb", .megabytes, .lowerIsBetter, .noisy,
                                                "the child's VmHWM before the measured region (start-up and prepare)")
    public static let peakPSSSampledMB = Metric("peak_pss_sampled_mb", .megabytes, .lowerIsBetter, .noisy,
                                                "largest PSS sum of the process tree (read when several processes run; a shared page counts once)")
    public static let peakTreeMB = Metric("peak_tree_mb", .megabytes, .lowerIsBetter, .noisy, gate: .relative(0.10),
                                          "peak of the whole process tree: the run cgroup's memory.peak, else the larger of wait4 and the sampled tree sum (peak_source says which)")
    public static let peakCgroupMB = Metric("peak_cgroup_mb", .megabytes, .lowerIsBetter, .noisy, gate: .relative(0.10),
                                            "the run's own cgroup v2 memory.peak (anonymous, page cache and kernel memory of every process of the run)")
    public static let processesMax = Metric("processes_max", .count, .lowerIsBetter, .deterministic, digits: 0,
                                            "most processes of the run alive at one sample")
    public static let rssBaselineMB = Metric("rss_baseline_mb", .megabytes, .lowerIsBetter, .noisy,
                                             "RSS right before the measured region")
    // What is left at the end of a run depends on when other threads' frees landed: unchanged runs left
    // 3.9-7.6 MB of glibc heap resident, so these also need a change of more than 5 MB.
    public static let rssEndMB = Metric("rss_end_mb", .megabytes, .lowerIsBetter, .noisy, gate: Threshold(relative: 0.10, absolute: 5),
                                        "RSS after the measured region, engine closed")
    public static let heapAllocatedMB = Metric("heap_allocated_mb", .megabytes, .lowerIsBetter, .noisy,
                                               gate: Threshold(relative: 0.10, absolute: 5), "bytes the allocator has handed out")
    public static let heapResidentMB = Metric("heap_resident_mb", .megabytes, .lowerIsBetter, .noisy,
                                              gate: Threshold(relative: 0.10, absolute: 5), "allocator's resident bytes")
    public static let heapActiveMB = Metric("heap_active_mb", .megabytes, .lowerIsBetter, .noisy, "allocator's active pages")
    public static let heapRetainedMB = Metric("heap_retained_mb", .megabytes, .lowerIsBetter, .noisy, "allocator's retained virtual memory")
    public static let allocCount = Metric("alloc_count", .count, .lowerIsBetter, .deterministic, gate: .relative(0.01), digits: 0,
                                          "allocation calls in the measured region (--alloc-counts)")
    public static let allocBytes = Metric("alloc_bytes", .bytes, .lowerIsBetter, .deterministic, gate: .relative(0.01), digits: 0,
                                          "bytes requested in the measured region (--alloc-counts)")
    public static let bytesWritten = Metric("bytes_written", .bytes, .lowerIsBetter, .deterministic, gate: .relative(0.01), digits: 0,
                                            "bytes that reached disk")
    public static let files = Metric("files", .count, .lowerIsBetter, .deterministic, gate: .exact, digits: 0, "data files written")
    public static let versions = Metric("versions", .count, .lowerIsBetter, .deterministic, gate: .exact, digits: 0,
                                        "manifest versions committed")
    public static let compressionRatio = Metric("compression_ratio", .ratio, .higherIsBetter, .deterministic, gate: .relative(0.01),
                                                digits: 4, "raw bytes / encoded bytes")
    public static let firstWriteMs = Metric("first_write_ms", .milliseconds, .lowerIsBetter, .noisy, gate: .relative(0.25),
                                            "start of the measured region to the first byte written")
    public static let batchP50Ms = Metric("batch_p50_ms", .milliseconds, .lowerIsBetter, .noisy, gate: .relative(0.10),
                                          "median write latency of a batch")
    // One order statistic per run (the 2nd-largest of 200 batch latencies in suites/ci.toml): unchanged repeats
    // on the 2-core VM ranged 0.66-1.86 ms, and a +20% gate failed an unchanged build 1 check in 5.
    public static let batchP99Ms = Metric("batch_p99_ms", .milliseconds, .lowerIsBetter, .noisy, gate: .relative(0.50),
                                          "99th percentile write latency of a batch")
    public static let hitRatio = Metric("hit_ratio", .ratio, .higherIsBetter, .noisy, gate: .relative(0.05), digits: 6,
                                        "item loader hits / requests")
    public static let samples = Metric("samples", .count, .lowerIsBetter, .deterministic, digits: 0, "RSS samples taken")
    public static let sampleMs = Metric("sample_ms", .milliseconds, .lowerIsBetter, .deterministic, digits: 6, "sampling interval")
    public static let samplerCPUMicrosPerSample = Metric("sampler_cpu_us_per_sample", .microseconds, .lowerIsBetter, .noisy,
                                                         "the monitor thread's CPU per sample")
    public static let protocolMalformedLines = Metric("protocol_malformed_lines", .count, .lowerIsBetter, .deterministic, digits: 0,
                                                      "protocol lines (phase, metric) that did not parse; quoted in the run's log")
    public static let loadAverage1m = Metric("load_avg_1m", .ratio, .lowerIsBetter, .noisy, digits: 2,
                                             "the machine's 1-minute load average when the run started")
    public static let cpuOthersS = Metric("cpu_others_s", .seconds, .lowerIsBetter, .noisy,
                                          "CPU time other processes used during the run (/proc/stat minus the run and the harness)")
    public static let cpuStealS = Metric("cpu_steal_s", .seconds, .lowerIsBetter, .noisy, "CPU time the hypervisor stole during the run")
    public static let machineShared = Metric("machine_shared", .count, .lowerIsBetter, .noisy, digits: 0,
                                             "1 when other work used over 0.2 of a core (or steal over 0.05) during the run")
    public static let spawnParentRSSMB = Metric("spawn_parent_rss_mb", .megabytes, .lowerIsBetter, .noisy,
                                                "RSS of the process that spawned the child (ru_maxrss cannot be below it)")

    /// Every metric of the run record, in column order.
    public static let all: [Metric] = [
        wallS, cpuUserS, cpuSysS, rows, inputBytes, rowsPerS, mbPerS, rowsPerCPUS, peakRSSMB, peakRSSSampledMB, peakPSSSampledMB, peakRSSHWMMB,
        peakRSSPrepareMB, peakTreeMB, peakCgroupMB, processesMax, rssBaselineMB, rssEndMB, heapAllocatedMB, heapResidentMB, heapActiveMB, heapRetainedMB,
        allocCount, allocBytes, bytesWritten, files, versions, compressionRatio, firstWriteMs, batchP50Ms, batchP99Ms,
        hitRatio, samples, sampleMs, samplerCPUMicrosPerSample, protocolMalformedLines, loadAverage1m, cpuOthersS, cpuStealS,
        machineShared, spawnParentRSSMB,
    ]

    /// Whether a command's `metric NAME=VALUE` may use `name`: a standard column it fills, or a name of its own; not
    /// a column the harness measures or writes itself (`peak_rss_mb`, `run_id`, `param_*`, ...).
    public static func isReportableByCommand(_ name: String) -> Bool {
        if commandReportable.contains(where: { $0.name == name }) { return true }
        if named(name) != nil || RunColumn.identifying.contains(name) { return false }
        return ![RunColumn.parameterPrefix, RunColumn.environmentPrefix, RunColumn.cachePrefix, RunColumn.phasePrefix].contains { name.hasPrefix($0) }
    }

    /// Metrics the harness itself measures for every run: a child's protocol line cannot set them.
    public static let measuredByHarness: [Metric] = [
        wallS, cpuUserS, cpuSysS, rowsPerS, mbPerS, rowsPerCPUS, peakRSSMB, peakRSSSampledMB, peakPSSSampledMB, peakTreeMB, peakCgroupMB, processesMax, peakRSSHWMMB,
        peakRSSPrepareMB, rssBaselineMB, rssEndMB, heapAllocatedMB, heapResidentMB, heapActiveMB, heapRetainedMB, samples, sampleMs, samplerCPUMicrosPerSample,
        protocolMalformedLines, loadAverage1m, cpuOthersS, cpuStealS, machineShared, spawnParentRSSMB,
    ]

    /// The metrics an external command may report with `metric NAME=VALUE` to fill a standard column: every other one.
    public static let commandReportable: [Metric] = all.filter { !measuredByHarness.contains($0) }
}
