import Foundation

/// The report's sections from `DIR/profiles/` (`highwater run --profile`): "What held memory at the peak" (top
/// allocation sites per configuration, and the change between configurations that differ in one parameter), "Where
/// the CPU time goes" (top functions, components, phases) and "Cost of profiling" (each profiler's measured
/// overhead). Empty when the sweep had no profiles.
enum ProfilesSection {
    static func markdown(directory: URL) -> String {
        let dir = directory.appendingPathComponent("profiles")
        guard let table = try? CSVTable.read(from: dir.appendingPathComponent("profiles.csv")) else { return "" }
        let records = table.rows.map { Dictionary(uniqueKeysWithValues: zip(table.header, $0)) }
        guard !records.isEmpty else { return "" }
        let diffs = (try? CSVTable.read(from: dir.appendingPathComponent("diffs.csv"))).map { t in
            t.rows.map { Dictionary(uniqueKeysWithValues: zip(t.header, $0)) }
        } ?? []
        var s = heapSection(records.filter { $0["profiler"] == "heap" }, diffs: diffs, dir: dir)
        s += cpuSection(records.filter { $0["profiler"] == "cpu" }, diffs: diffs, dir: dir)
        s += costSection(records)
        return s
    }

    static func f(_ v: Double?, _ d: Int = 1) -> String { v.map { String(format: "%.\(d)f", $0) } ?? "–" }
    static func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
    static func failed(_ r: [String: String]) -> String { "- \(r["label"] ?? ""): \(r["status"] ?? "") \(r["error"] ?? "")\n" }

    static func heapSection(_ records: [[String: String]], diffs: [[String: String]], dir: URL) -> String {
        guard !records.isEmpty else { return "" }
        var s = "## What held memory at the peak\n\n"
        s += "One extra run per configuration under heaptrack (every allocation and free recorded with its stack, under any "
        s += "allocator; no sampling). At the moment the live heap was largest, each stack's live bytes; a *site* is the deepest "
        s += "frame of a stack that is not the allocator, the Swift runtime, a standard-library container growing its buffer "
        s += "or a helper named for allocating (alloc, grow, reserve, ensure), shown with its caller (every frame is in `peak_sites.csv`). The heap's peak is malloc'd bytes, not RSS (RSS adds the allocator's "
        s += "retained pages, code and stacks). Files: `profiles/<config_id>/` (`peak_stacks.folded`, `peak_sites.csv`, `heap.svg`).\n\n"
        for r in records {
            let id = r["config_id"] ?? ""
            guard r["status"] == "ok", let stacks = ProfileFiles.readStacks(dir.appendingPathComponent(id), ProfileFiles.heapFolded) else {
                s += failed(r)
                continue
            }
            s += "### \(r["label"] ?? id)\n\n\(f(stacks.total / 1e6)) MB live at the heap's peak ([flame graph](profiles/\(id)/heap.svg)).\n\n"
            s += "| site | MB at the peak | share |\n|---|---|---|\n"
            for site in AllocationSite.costs(stacks).prefix(5) {
                s += "| `\(cell(site.site))` | \(f(site.cost / 1e6)) | \(f(100 * site.cost / max(stacks.total, 1)))% |\n"
            }
            s += "\n"
        }
        // The pairs whose heap diff exists and reads, at most six (the path built once per pair).
        let heapDiffs = diffs.lazy.compactMap { d -> ([String: String], CSVTable)? in
            let url = dir.deletingLastPathComponent().appendingPathComponent(d["directory"] ?? "").appendingPathComponent("heap_sites_diff.csv")
            guard FileManager.default.fileExists(atPath: url.path), let t = try? CSVTable.read(from: url) else { return nil }
            return (d, t)
        }
        for (d, t) in heapDiffs.prefix(6) {
            s += "### At the peak, \(d["differs_in"] ?? "") = \(d["value_a"] ?? "") → \(d["value_b"] ?? "")\n\n"
            s += "Configurations `\(d["config_a"] ?? "")` → `\(d["config_b"] ?? "")`, otherwise identical ([differential flame graph](\(d["directory"] ?? "")/heap_diff.svg)). Sites that changed most:\n\n"
            s += "| site | MB before | MB after | change MB |\n|---|---|---|---|\n"
            for row in t.rows.prefix(6) where row.count >= 4 { s += "| `\(cell(row[0]))` | \(row[1]) | \(row[2]) | \(row[3]) |\n" }
            s += "\n"
        }
        return s
    }

    static func cpuSection(_ records: [[String: String]], diffs: [[String: String]], dir: URL) -> String {
        guard !records.isEmpty else { return "" }
        var s = "## Where the CPU time goes\n\n"
        s += "One extra run per configuration under `perf record` (software cpu-clock events, DWARF unwinding, every thread and "
        s += "child process). Shares are of all samples of the run; *inclusive* counts a sample for every function on its stack, "
        s += "*self* only for the one running. Files: `profiles/<config_id>/` (`cpu_stacks.folded`, `top_functions.csv`, "
        s += "`cpu_phases.csv`, `cpu.svg`).\n\n"
        for r in records {
            let id = r["config_id"] ?? ""
            let cdir = dir.appendingPathComponent(id)
            guard r["status"] == "ok", let stacks = ProfileFiles.readStacks(cdir, ProfileFiles.cpuFolded) else {
                s += failed(r)
                continue
            }
            let total = max(stacks.total, 1)
            s += "### \(r["label"] ?? id)\n\n\(Int(stacks.total)) samples ([flame graph](profiles/\(id)/cpu.svg)). "
            s += "By type or library (inclusive, those of 2% or more; all in `cpu_groups.csv`): "
            s += FrameGroup.inclusive(stacks).filter { 100 * $0.cost / total >= 2 }.map { "\($0.group) \(f(100 * $0.cost / total))%" }.joined(separator: ", ") + ".\n\n"
            s += "| function (top by self) | self | inclusive |\n|---|---|---|\n"
            for row in FrameTable(stacks).bySelf.prefix(8) {
                s += "| `\(cell(row.frame))` | \(f(row.selfPercent))% | \(f(row.inclusivePercent))% |\n"
            }
            if let phases = try? CSVTable.read(from: cdir.appendingPathComponent(ProfileFiles.cpuPhases)), phases.rows.count > 1 {
                s += "\nSamples per phase (the phase marks the run reported): "
                s += phases.rows.filter { $0.count >= 3 }.map { "\($0[0]) \($0[2])%" }.joined(separator: ", ") + ".\n"
            }
            s += "\n"
        }
        for d in diffs.prefix(6) {
            let path = dir.deletingLastPathComponent().appendingPathComponent(d["directory"] ?? "")
            guard let t = try? CSVTable.read(from: path.appendingPathComponent("cpu_functions_diff.csv")) else { continue }
            s += "### CPU, \(d["differs_in"] ?? "") = \(d["value_a"] ?? "") → \(d["value_b"] ?? "")\n\n"
            s += "[Differential flame graph](\(d["directory"] ?? "")/cpu_diff.svg). Inclusive shares that changed most:\n\n"
            s += "| function | before % | after % | change (points) |\n|---|---|---|---|\n"
            for row in t.rows.prefix(6) where row.count >= 4 { s += "| `\(cell(row[0]))` | \(row[1]) | \(row[2]) | \(row[3]) |\n" }
            s += "\n"
        }
        return s
    }

    static func costSection(_ records: [[String: String]]) -> String {
        var s = "## Cost of profiling\n\n"
        s += "Each profiled run against the median of the same configuration's measured runs on this machine (wall: the measured "
        s += "region for workloads, the whole process for commands; peak RSS: wait4, the largest process of the run, so for "
        s += "heaptrack its interpreter process may be the one counted; program: the workload's own VmHWM).\n\n"
        s += "| configuration | profiler | wall s profiled / unprofiled | ratio | peak RSS MB profiled / unprofiled | ratio | program peak MB profiled / unprofiled | ratio |\n"
        s += "|---|---|---|---|---|---|---|---|\n"
        for r in records {
            let d = { (k: String) in Double(r[k] ?? "") }
            s += "| \(r["label"] ?? "") | \(r["profiler"] ?? "") | \(f(d("wall_s"), 3)) / \(f(d("unprofiled_wall_s"), 3)) | \(f(d("wall_ratio"), 2))× "
            s += "| \(f(d("peak_rss_mb"))) / \(f(d("unprofiled_peak_rss_mb"))) | \(f(d("peak_rss_ratio"), 2))× "
            s += "| \(f(d("program_peak_rss_mb"))) / \(f(d("unprofiled_program_peak_rss_mb"))) | \(f(d("program_peak_rss_ratio"), 2))× |\n"
        }
        return s + "\n"
    }
}
