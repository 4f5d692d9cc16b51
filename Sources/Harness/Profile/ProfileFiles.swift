import Foundation

/// The files of one configuration's profiles, under `DIR/profiles/<config_id>/`:
/// heap: `peak_stacks.folded` (bytes live at the heap's peak per stack), `peak_sites.csv` (per frame), `heap.svg`;
/// cpu: `cpu_stacks.folded` (samples per stack), `top_functions.csv` (per frame), `cpu_phases.csv` (samples per
/// phase), `cpu_groups.csv` (inclusive samples per type or library), `cpu.svg`. Readers here are what the report and the diffs use.
enum ProfileFiles {
    static let heapFolded = "peak_stacks.folded"
    static let heapSites = "peak_sites.csv"
    static let heapSVG = "heap.svg"
    static let cpuFolded = "cpu_stacks.folded"
    static let cpuFunctions = "top_functions.csv"
    static let cpuPhases = "cpu_phases.csv"
    static let cpuGroups = "cpu_groups.csv"
    static let cpuSVG = "cpu.svg"

    static func writeHeap(_ h: HeapProfiler.Result, configuration c: RunConfiguration, to dir: URL) throws {
        try OutputFile.replace(dir.appendingPathComponent(heapFolded), with: Data(h.stacks.text.utf8))
        try OutputFile.replace(dir.appendingPathComponent(heapSites), with: Data(FrameTable(h.stacks).csv(costName: "bytes").utf8))
        var sub = String(format: "heaptrack: %.2f MB live at the heap's peak", h.stacks.total / 1e6)
        if let r = h.reportedPeakBytes { sub += String(format: " (heaptrack's peak: %.2f MB)", r / 1e6) }
        let svg = FlameGraphSVG(title: "What held memory at the heap's peak: \(c.label)", subtitle: sub + "; hover a frame for its bytes", unit: .bytes)
        try OutputFile.replace(dir.appendingPathComponent(heapSVG), with: Data(svg.render(h.stacks).utf8))
    }

    static func writeCPU(_ p: CPUProfiler.Result, configuration c: RunConfiguration, to dir: URL) throws {
        try OutputFile.replace(dir.appendingPathComponent(cpuFolded), with: Data(p.stacks.text.utf8))
        try OutputFile.replace(dir.appendingPathComponent(cpuFunctions), with: Data(FrameTable(p.stacks).csv(costName: "samples").utf8))
        let total = Double(max(1, p.samples))
        let phases = CSVTable.line(["phase", "samples", "share_pct"])
            + p.phaseSamples.map { CSVTable.line([$0.phase, String($0.samples), String(format: "%.2f", 100 * Double($0.samples) / total)]) }.joined()
        try OutputFile.replace(dir.appendingPathComponent(cpuPhases), with: Data(phases.utf8))
        let groups = CSVTable.line(["group", "inclusive_samples", "inclusive_pct"])
            + FrameGroup.inclusive(p.stacks).map { CSVTable.line([$0.group, String(format: "%.0f", $0.cost), String(format: "%.3f", 100 * $0.cost / total)]) }.joined()
        try OutputFile.replace(dir.appendingPathComponent(cpuGroups), with: Data(groups.utf8))
        let svg = FlameGraphSVG(title: "Where the CPU time goes: \(c.label)",
                                subtitle: "perf record, cpu-clock, \(p.samples) samples; hover a frame for its share", unit: .samples)
        try OutputFile.replace(dir.appendingPathComponent(cpuSVG), with: Data(svg.render(p.stacks).utf8))
    }

    /// The folded stacks in `dir/name`, or nil when the file is absent or unreadable.
    static func readStacks(_ dir: URL, _ name: String) -> FoldedStacks? {
        guard let text = try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8) else { return nil }
        return try? FoldedStacks.parse(text, source: name)
    }
}
