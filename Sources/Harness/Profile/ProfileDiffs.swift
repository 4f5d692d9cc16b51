import Foundation
import RunContract

/// Differences between the profiles of every two configurations that differ in exactly one parameter (or the
/// allocator, or one knob), under `DIR/profiles/diffs/<config_a>-vs-<config_b>/`: `heap_sites_diff.csv` and
/// `heap_diff.svg`, `cpu_functions_diff.csv` and `cpu_diff.svg` (a differential flame graph: the second
/// configuration's stacks coloured by the change of their share). `profiles/diffs.csv` lists the pairs.
struct ProfileDiffs {
    let directory: URL
    let configurations: [RunConfiguration]
    let records: [ProfileRecord]

    /// The one dimension `a` and `b` differ in, with both values; nil when they differ in none or several.
    static func difference(_ a: RunConfiguration, _ b: RunConfiguration) -> (name: String, a: String, b: String)? {
        guard a.workload == b.workload, a.commandTemplate == b.commandTemplate else { return nil }
        var diffs: [(String, String, String)] = []
        if a.allocator != b.allocator { diffs.append(("allocator", a.allocator.rawValue, b.allocator.rawValue)) }
        for (label, x, y) in [("", a.params, b.params), ("env ", a.env, b.env)] {
            let keys = Set(x.map(\.key)).union(y.map(\.key)).sorted()
            for k in keys {
                let vx = x.first { $0.key == k }?.value ?? "", vy = y.first { $0.key == k }?.value ?? ""
                if vx != vy { diffs.append((label + k, vx, vy)) }
            }
        }
        return diffs.count == 1 ? diffs[0] : nil
    }

    static let header = ["config_a", "config_b", "differs_in", "value_a", "value_b", "directory"]

    func write() throws {
        let ok = Set(records.filter { $0.status == "ok" }.map { "\($0.configID)/\($0.profiler.rawValue)" })
        var index = CSVTable.line(Self.header)
        for (i, a) in configurations.enumerated() {
            for b in configurations[(i + 1)...] {
                guard let d = Self.difference(a, b) else { continue }
                let name = "\(a.configID)-vs-\(b.configID)"
                let dir = directory.appendingPathComponent("diffs").appendingPathComponent(name)
                var wrote = false
                for kind in ProfileKind.allCases where ok.contains("\(a.configID)/\(kind.rawValue)") && ok.contains("\(b.configID)/\(kind.rawValue)") {
                    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                    wrote = try writePair(a, b, kind: kind, differsIn: d, to: dir) || wrote
                }
                if wrote { index += CSVTable.line([a.configID, b.configID, d.name, d.a, d.b, "profiles/diffs/\(name)"]) }
            }
        }
        try OutputFile.replace(directory.appendingPathComponent("diffs.csv"), with: Data(index.utf8))
    }

    private func writePair(_ a: RunConfiguration, _ b: RunConfiguration, kind: ProfileKind,
                           differsIn d: (name: String, a: String, b: String), to dir: URL) throws -> Bool {
        let da = directory.appendingPathComponent(a.configID), db = directory.appendingPathComponent(b.configID)
        let file = kind == .heap ? ProfileFiles.heapFolded : ProfileFiles.cpuFolded
        guard let sa = ProfileFiles.readStacks(da, file), let sb = ProfileFiles.readStacks(db, file) else { return false }
        let what = "\(d.name)=\(d.a) → \(d.b)"
        if kind == .heap {
            let rows = StackDiff.heapSites(before: sa, after: sb)
            try OutputFile.replace(dir.appendingPathComponent("heap_sites_diff.csv"),
                                   with: Data(StackDiff.csv(rows, columns: ["site", "mb_a", "mb_b", "change_mb"]).utf8))
            let svg = FlameGraphSVG(title: "Heap at the peak, \(what)",
                                    subtitle: String(format: "%.1f MB → %.1f MB live at the peak; red grew, blue shrank (share of the peak)", sa.total / 1e6, sb.total / 1e6),
                                    unit: .bytes)
            try OutputFile.replace(dir.appendingPathComponent("heap_diff.svg"), with: Data(svg.render(sb, base: sa).utf8))
        } else {
            let rows = StackDiff.cpuFunctions(before: sa, after: sb)
            try OutputFile.replace(dir.appendingPathComponent("cpu_functions_diff.csv"),
                                   with: Data(StackDiff.csv(rows, columns: ["function", "inclusive_pct_a", "inclusive_pct_b", "change_points"]).utf8))
            let svg = FlameGraphSVG(title: "CPU, \(what)", subtitle: "shapes from \(b.configID); red: a larger share than in \(a.configID), blue: smaller", unit: .samples)
            try OutputFile.replace(dir.appendingPathComponent("cpu_diff.svg"), with: Data(svg.render(sb, base: sa).utf8))
        }
        return true
    }
}
