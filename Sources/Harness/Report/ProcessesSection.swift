import Foundation
import RunContract

/// The report's "Processes" section: for every run in which more than one process ran (a command behind a shell, a
/// program with workers, `parallel_write`), the processes the sampler saw, each with its own peak RSS, from
/// `processes.csv`. Empty when that file is absent or every run was a single process.
enum ProcessesSection {
    /// At most this many runs are listed (the file keeps them all).
    static let maxRuns = 12

    /// `processes.csv` grouped by run: every run id in order, each run's processes, and the runs of several processes.
    static func runs(directory: URL) -> (order: [String], byRun: [String: [[String: String]]], multi: [String])? {
        guard let table = try? CSVTable.read(from: directory.appendingPathComponent("processes.csv")) else { return nil }
        var byRun: [String: [[String: String]]] = [:]
        var order: [String] = []
        for r in table.records {
            guard let id = r[RunColumn.runID] else { continue }
            if byRun[id] == nil { order.append(id) }
            byRun[id, default: []].append(r)
        }
        let multi = order.filter { (byRun[$0]?.count ?? 0) > 1 }
        return multi.isEmpty ? nil : (order, byRun, multi)
    }

    static func markdown(directory: URL) -> String {
        guard let (order, byRun, multi) = runs(directory: directory) else { return "" }
        var tree: [String: String] = [:]
        for r in (try? CSVTable.read(from: directory.appendingPathComponent("runs.csv")))?.records ?? [] {
            if let id = r[RunColumn.runID], let peak = r[Metric.peakTreeMB.name], !peak.isEmpty { tree[id] = "\(peak) (\(r[RunColumn.peakSource] ?? "?"))" }
        }
        var s = "## Processes\n\nRuns in which more than one process ran (\(multi.count) of \(order.count)): every process the sampler saw, "
        s += "with its own peak RSS (MB). The sampled peak of a run sums the tree at each sample; `peak_pss_sampled_mb` counts "
        s += "shared pages once; `peak_tree_mb` is the tree's peak from the source named (`cgroup`: the run cgroup's memory.peak; "
        s += "`sampled`: the largest sampled sum; `wait4`: one process at a time). `process_series.csv` has each process's "
        s += "RSS at every sample, drawn per configuration in `plots/<workload>_processes_<config>`.\n\n"
        s += "| run | processes | tree peak MB (source) | each process: command (pid) peak MB |\n|---|---|---|---|\n"
        for id in multi.prefix(maxRuns) {
            let procs = (byRun[id] ?? []).sorted { (Double($0["peak_rss_mb"] ?? "") ?? 0) > (Double($1["peak_rss_mb"] ?? "") ?? 0) }
            let list = procs.map { "\($0["command"] ?? "?") (\($0["pid"] ?? "?")) \($0["peak_rss_mb"] ?? "")" }.joined(separator: ", ")
            s += "| \(id) | \(procs.count) | \(tree[id] ?? "") | \(list.replacingOccurrences(of: "|", with: "\\|")) |\n"
        }
        if multi.count > maxRuns { s += "\n\(multi.count - maxRuns) more in `processes.csv`.\n" }
        return s + "\n"
    }
}
