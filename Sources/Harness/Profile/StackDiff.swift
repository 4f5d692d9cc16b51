import Foundation

/// The difference between two profiles of configurations that differ in one parameter: per allocation site, the MB
/// held at each one's heap peak and the change; per function, the inclusive CPU share in each and the change in
/// percentage points (shares, because the two runs need not take the same time).
public struct StackDiff: Sendable {
    public struct Row: Sendable, Equatable {
        public var name: String
        public var before: Double
        public var after: Double
        public var change: Double { after - before }
    }

    /// Sites by the size of their change, largest first; MB at each configuration's heap peak.
    public static func heapSites(before: FoldedStacks, after: FoldedStacks) -> [Row] {
        let a = Dictionary(uniqueKeysWithValues: AllocationSite.costs(before).map { ($0.site, $0.cost / 1e6) })
        let b = Dictionary(uniqueKeysWithValues: AllocationSite.costs(after).map { ($0.site, $0.cost / 1e6) })
        return sorted(Set(a.keys).union(b.keys).map { Row(name: $0, before: a[$0] ?? 0, after: b[$0] ?? 0) })
    }

    /// Functions by the size of the change of their inclusive share, percentage points, largest first.
    public static func cpuFunctions(before: FoldedStacks, after: FoldedStacks) -> [Row] {
        let a = Dictionary(uniqueKeysWithValues: FrameTable(before).rows.map { ($0.frame, $0.inclusivePercent) })
        let b = Dictionary(uniqueKeysWithValues: FrameTable(after).rows.map { ($0.frame, $0.inclusivePercent) })
        return sorted(Set(a.keys).union(b.keys).map { Row(name: $0, before: a[$0] ?? 0, after: b[$0] ?? 0) })
    }

    static func sorted(_ rows: [Row]) -> [Row] {
        rows.filter { $0.change != 0 }.sorted { (abs($0.change), $1.name) > (abs($1.change), $0.name) }
    }

    /// CSV text: name, before, after, change, under the given column names.
    static func csv(_ rows: [Row], columns: [String]) -> String {
        CSVTable.line(columns) + rows.map {
            CSVTable.line([$0.name, String(format: "%.3f", $0.before), String(format: "%.3f", $0.after), String(format: "%+.3f", $0.change)])
        }.joined()
    }
}
