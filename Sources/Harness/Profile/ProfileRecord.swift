import Foundation

/// One profiled run (`--profile`): which configuration and profiler, whether it worked, and what the profiler cost
/// on this machine, compared with the medians of the same configuration's measured (unprofiled) runs. Written to
/// `profiles/profiles.csv` and `run.json` (`profiles`); the profiled run itself is never part of runs.csv or the
/// summary statistics.
public struct ProfileRecord: Codable, Sendable, Equatable {
    public var configID: String
    public var label: String
    public var profiler: ProfileKind
    /// `ok`, or the run's status, or `analysis_failed`.
    public var status: String
    public var error: String?
    /// Wall time of the profiled run, s (the measured region for workloads, the whole process for commands).
    public var wallS: Double?
    /// Median wall time of the configuration's unprofiled `ok` runs, s.
    public var unprofiledWallS: Double?
    /// Peak RSS of the profiled run, MB (wait4: the largest of the run's processes, the profiler's helpers included).
    public var peakRSSMB: Double?
    /// Median peak RSS of the unprofiled `ok` runs, MB.
    public var unprofiledPeakRSSMB: Double?
    /// Workloads: the program's own peak RSS in the profiled run (its VmHWM, without the profiler's helper
    /// processes), MB, and the unprofiled runs' median.
    public var programPeakRSSMB: Double?
    public var unprofiledProgramPeakRSSMB: Double?
    /// Heap profiles: bytes live at the heap's peak, MB (sum of the folded stacks).
    public var peakHeapMB: Double?
    /// CPU profiles: samples taken.
    public var samples: Int?
    /// Where the files are, relative to the results directory (`profiles/<config_id>`).
    public var directory: String

    /// Profiled over unprofiled wall time (1.0 = no cost).
    public var wallRatio: Double? { ratio(wallS, unprofiledWallS) }
    /// Profiled over unprofiled peak RSS.
    public var peakRSSRatio: Double? { ratio(peakRSSMB, unprofiledPeakRSSMB) }
    /// Profiled over unprofiled peak RSS of the program alone (workloads).
    public var programPeakRSSRatio: Double? { ratio(programPeakRSSMB, unprofiledProgramPeakRSSMB) }

    private func ratio(_ a: Double?, _ b: Double?) -> Double? {
        guard let a, let b, b > 0 else { return nil }
        return a / b
    }

    /// Columns of `profiles/profiles.csv`.
    public static let header = ["config_id", "label", "profiler", "status", "error", "wall_s", "unprofiled_wall_s", "wall_ratio",
                                "peak_rss_mb", "unprofiled_peak_rss_mb", "peak_rss_ratio",
                                "program_peak_rss_mb", "unprofiled_program_peak_rss_mb", "program_peak_rss_ratio", "peak_heap_mb", "samples", "directory"]

    var csvFields: [String] {
        func n(_ v: Double?, _ d: Int = 3) -> String { v.map { String(format: "%.\(d)f", $0) } ?? "" }
        return [configID, label, profiler.rawValue, status, error ?? "", n(wallS), n(unprofiledWallS), n(wallRatio),
                n(peakRSSMB, 1), n(unprofiledPeakRSSMB, 1), n(peakRSSRatio),
                n(programPeakRSSMB, 1), n(unprofiledProgramPeakRSSMB, 1), n(programPeakRSSRatio), n(peakHeapMB, 1), samples.map(String.init) ?? "", directory]
    }
}
