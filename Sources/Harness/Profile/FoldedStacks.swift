import Foundation

/// Stacks with a cost each, in the "folded" format flame graph tools share: one line per distinct stack, frames from
/// the root (outermost caller) to the leaf joined by `;`, a space, then the cost (bytes for heap profiles, samples
/// for CPU profiles). Identical stacks are merged and their costs added.
public struct FoldedStacks: Sendable, Equatable {
    /// Cost per stack (root first). Costs are non-negative.
    public private(set) var costs: [[String]: Double] = [:]

    public init() {}

    /// Adds `cost` to `stack` (root first); empty stacks and non-positive costs are ignored.
    public mutating func add(_ stack: [String], _ cost: Double) {
        guard !stack.isEmpty, cost > 0, cost.isFinite else { return }
        costs[stack, default: 0] += cost
    }

    /// Sum of every stack's cost.
    public var total: Double { costs.values.reduce(0, +) }

    /// Parses folded text: `frame;frame;...;frame COST` per line (a trailing `;` before the cost is accepted, as
    /// heaptrack_print writes it). Frames are passed through `rename` (demangling); blank lines are skipped.
    /// Throws naming the line when a line has no numeric cost.
    public static func parse(_ text: String, source: String, rename: (String) -> String = { $0 }) throws -> FoldedStacks {
        var out = FoldedStacks()
        var lineNumber = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            guard let space = line.lastIndex(of: " "), let cost = Double(line[line.index(after: space)...]) else {
                throw ProfileError(source: source, reason: "line \(lineNumber): no cost after the stack: '\(line.prefix(120))'")
            }
            let frames = line[..<space].split(separator: ";").map { rename(String($0).trimmingCharacters(in: .whitespaces)) }
                .filter { !$0.isEmpty }
            out.add(frames, cost)
        }
        return out
    }

    /// The folded text, heaviest stacks first (ties by stack), costs as integers.
    public var text: String {
        sortedStacks.map { $0.stack.map(Self.clean).joined(separator: ";") + " " + String(format: "%.0f", $0.cost) }
            .joined(separator: "\n") + (costs.isEmpty ? "" : "\n")
    }

    /// Stacks heaviest first.
    public var sortedStacks: [(stack: [String], cost: Double)] {
        costs.map { (stack: $0.key, cost: $0.value) }.sorted {
            $0.cost != $1.cost ? $0.cost > $1.cost : $0.stack.lexicographicallyPrecedes($1.stack)
        }
    }

    /// Per frame: self cost (the frame is the leaf) and inclusive cost (the frame is anywhere on the stack, counted
    /// once per stack however often it recurs).
    public var frameCosts: [String: (selfCost: Double, inclusiveCost: Double)] {
        var out: [String: (selfCost: Double, inclusiveCost: Double)] = [:]
        for (stack, cost) in costs {
            var seen = Set<String>()
            for f in stack where seen.insert(f).inserted { out[f, default: (0, 0)].inclusiveCost += cost }
            if let leaf = stack.last { out[leaf, default: (0, 0)].selfCost += cost }
        }
        return out
    }

    /// The same stacks with each frame renamed.
    public func renamed(_ rename: (String) -> String) -> FoldedStacks {
        var out = FoldedStacks()
        for (stack, cost) in costs { out.add(stack.map(rename), cost) }
        return out
    }

    /// A frame name safe for the folded format: no `;` or line breaks.
    static func clean(_ frame: String) -> String {
        frame.replacingOccurrences(of: ";", with: ",").replacingOccurrences(of: "\n", with: " ")
    }
}
