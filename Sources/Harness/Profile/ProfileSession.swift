import Foundation
import CProcess
import RunContract
import Workloads

/// The profiled runs of a sweep (`--profile heap,cpu`): after every measured run, one extra run per configuration and
/// profiler, with the profiler in front of the program, its files under `DIR/profiles/<config_id>/`, and its cost
/// compared with the configuration's measured runs. A profile that fails is recorded with its error; nothing
/// measured is touched.
struct ProfileSession {
    let kinds: [ProfileKind]
    let executor: RunExecutor
    let outputDirectory: URL
    let heap: HeapProfiler?
    let cpu: CPUProfiler?
    let demangler = Demangler()

    /// Locates the tools for `kinds` (before any run: a missing tool is an exit-2 error).
    init(kinds: [ProfileKind], executor: RunExecutor, outputDirectory: URL) throws {
        self.kinds = kinds
        self.executor = executor
        self.outputDirectory = outputDirectory
        heap = kinds.contains(.heap) ? try HeapProfiler.locate() : nil
        cpu = kinds.contains(.cpu) ? try CPUProfiler.locate() : nil
    }

    var profilesDirectory: URL { outputDirectory.appendingPathComponent("profiles") }

    /// Profiles every configuration of `runs` (the reference workload excepted) and writes the diffs and
    /// `profiles/profiles.csv`; returns one record per profiled run.
    func run(_ runs: [PlannedRun], measured: [RunRecord], progress: ((SweepEvent) -> Void)?) throws -> [ProfileRecord] {
        var seen = Set<String>()
        let configs = runs.map(\.configuration).filter { $0.workload != ReferenceWorkload.name && seen.insert($0.configID).inserted }
        var records: [ProfileRecord] = []
        for c in configs where hw_interrupted_signal() == 0 {
            let dir = profilesDirectory.appendingPathComponent(c.configID)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for kind in kinds where hw_interrupted_signal() == 0 {
                progress?(.note("profile \(kind.rawValue): \(c.label)"))
                let r: ProfileRecord
                do {
                    r = try profile(c, kind: kind, directory: dir, measured: measured.filter { $0[RunColumn.configID] == c.configID })
                } catch let e as OutputError {
                    throw e
                } catch {
                    // A profile that cannot run (spawn, scratch files) is recorded; the measured sweep stays whole.
                    r = ProfileRecord(configID: c.configID, label: c.label, profiler: kind, status: "failed", error: "\(error)",
                                      directory: "profiles/\(c.configID)")
                }
                if let e = r.error { progress?(.note("profile \(kind.rawValue) \(c.configID): \(e)")) }
                records.append(r)
            }
        }
        let csv = CSVTable.line(ProfileRecord.header) + records.map { CSVTable.line($0.csvFields) }.joined()
        try OutputFile.replace(profilesDirectory.appendingPathComponent("profiles.csv"), with: Data(csv.utf8))
        try ProfileDiffs(directory: profilesDirectory, configurations: configs, records: records).write()
        return records
    }

    /// One profiled run of `c` and its analysis.
    func profile(_ c: RunConfiguration, kind: ProfileKind, directory: URL, measured: [RunRecord]) throws -> ProfileRecord {
        let ok = measured.filter { $0.status == .ok }
        func median(_ col: String) -> Double? { SampleStatistics(ok.compactMap { Double($0[col] ?? "") })?.median }
        var rec = ProfileRecord(configID: c.configID, label: c.label, profiler: kind, status: "ok", error: nil,
                                unprofiledWallS: median(Metric.wallS.name), unprofiledPeakRSSMB: median(Metric.peakRSSMB.name),
                                unprofiledProgramPeakRSSMB: median(Metric.peakRSSHWMMB.name), directory: "profiles/\(c.configID)")
        let spawn = kind == .heap ? heap!.spawn(directory: directory) : cpu!.spawn(directory: directory)
        let result = try executor.execute(PlannedRun(configuration: c, repeatIndex: 0, isWarmup: false), profile: spawn)
        rec.wallS = Double(result.record[Metric.wallS.name] ?? "")
        rec.peakRSSMB = Double(result.record[Metric.peakRSSMB.name] ?? "")
        rec.programPeakRSSMB = Double(result.record[Metric.peakRSSHWMMB.name] ?? "")
        if let s = result.record.status, s != .ok {
            rec.status = s.rawValue
            rec.error = "the profiled run ended \(s.rawValue): \(result.record[RunColumn.error] ?? "")"
            return rec
        }
        do {
            if kind == .heap {
                let h = try heap!.analyze(rawPath: spawn.rawPath, scratch: directory, demangler: demangler)
                try ProfileFiles.writeHeap(h, configuration: c, to: directory)
                rec.peakHeapMB = h.stacks.total / 1e6
            } else {
                let p = try cpu!.analyze(rawPath: spawn.rawPath, phases: Self.phases(result), demangler: demangler)
                try? FileManager.default.removeItem(atPath: spawn.rawPath)
                try ProfileFiles.writeCPU(p, configuration: c, to: directory)
                rec.samples = p.samples
            }
        } catch let e as ProfileError {
            rec.status = "analysis_failed"
            rec.error = e.description
        }
        return rec
    }

    /// Phase starts on CLOCK_MONOTONIC from the run's marks: `begin` opens `(measured)`, `phase:x` opens x, `end`
    /// opens `(after)`.
    static func phases(_ r: RunExecutor.Result) -> [(name: String, startNs: UInt64)] {
        r.series.compactMap { row -> (name: String, startNs: UInt64)? in
            let name: String
            switch row.event {
            case "begin": name = "(measured)"
            case "end": name = "(after)"
            case let e where e.hasPrefix("phase:"): name = String(e.dropFirst(6))
            default: return nil
            }
            return (name, r.spawnNs + UInt64(max(0, row.tMs * 1e6)))
        }
    }
}
