import Foundation

/// Per-frame costs of a profile, as `peak_sites.csv` (bytes at the heap's peak) and `top_functions.csv` (CPU
/// samples): frame, self cost (the frame is where the stack ends: the allocating or running function), inclusive cost
/// (the frame is anywhere on the stack) and both as a percentage of the profile's total.
public struct FrameTable: Sendable {
    public struct Row: Sendable, Equatable {
        public var frame: String
        public var selfCost: Double
        public var inclusiveCost: Double
        public var selfPercent: Double
        public var inclusivePercent: Double
    }

    /// Rows by inclusive cost, then self cost, descending (the root-most frames come first).
    public let rows: [Row]
    public let total: Double

    public init(_ stacks: FoldedStacks) {
        let total = stacks.total
        self.total = total
        rows = stacks.frameCosts.map { name, c in
            Row(frame: name, selfCost: c.selfCost, inclusiveCost: c.inclusiveCost,
                selfPercent: total > 0 ? 100 * c.selfCost / total : 0, inclusivePercent: total > 0 ? 100 * c.inclusiveCost / total : 0)
        }.sorted {
            ($0.inclusiveCost, $0.selfCost, $1.frame) > ($1.inclusiveCost, $1.selfCost, $0.frame)
        }
    }

    /// Rows by self cost, descending, frames with none left out.
    public var bySelf: [Row] { rows.filter { $0.selfCost > 0 }.sorted { ($0.selfCost, $1.frame) > ($1.selfCost, $0.frame) } }

    /// The row of `frame`, or nil.
    public func row(_ frame: String) -> Row? { rows.first { $0.frame == frame } }

    /// CSV text with `costName` naming the unit column (`bytes`, `samples`).
    public func csv(costName: String) -> String {
        var lines = [CSVTable.line(["frame", "self_\(costName)", "inclusive_\(costName)", "self_pct", "inclusive_pct"])]
        for r in rows {
            lines.append(CSVTable.line([r.frame, String(format: "%.0f", r.selfCost), String(format: "%.0f", r.inclusiveCost),
                                        String(format: "%.3f", r.selfPercent), String(format: "%.3f", r.inclusivePercent)]))
        }
        return lines.joined()
    }

    /// Reads a table written by `csv(costName:)`.
    public static func read(csv url: URL) throws -> [Row] {
        let t = try CSVTable.read(from: url)
        return t.rows.compactMap { r in
            guard r.count >= 5, let s = Double(r[1]), let i = Double(r[2]), let sp = Double(r[3]), let ip = Double(r[4]) else { return nil }
            return Row(frame: r[0], selfCost: s, inclusiveCost: i, selfPercent: sp, inclusivePercent: ip)
        }
    }
}
