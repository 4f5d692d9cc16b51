import Foundation

/// Puts inlined frames of heaptrack's folded stacks in call order. heaptrack_print 1.4 writes, for each instruction
/// pointer of a root-first `-F` stack, the innermost function first and then the functions it was inlined into
/// (`run() (A.swift);protocol witness for run() (<compiler-generated>)`), which is leaf-first order inside a
/// root-first line. Its text backtraces show the grouping (the first function of each instruction pointer has an
/// `in <module>` line, the inlined ones do not), so each group seen there is reversed wherever it occurs in a stack.
struct HeaptrackInlineOrder: Sendable {
    /// Groups of two or more labels as heaptrack_print -F writes them (innermost first), keyed by their first label.
    private(set) var groups: [String: [[String]]] = [:]

    /// Learns the groups from `heaptrack_print --print-peaks --merge-backtraces=0` output.
    init(backtraces text: String) {
        var group: [String] = []
        var pendingName: String?
        var pendingFile: String?
        var pendingPhysical = false
        func closeEntry() {
            guard let name = pendingName else { return }
            let label = name + (pendingFile.map { " (\($0))" } ?? "")
            if pendingPhysical { closeGroup(); group = [label] } else { group.append(label) }
            pendingName = nil
            pendingFile = nil
            pendingPhysical = false
        }
        func closeGroup() {
            if group.count > 1, let first = group.first, !(groups[first]?.contains(group) ?? false) {
                groups[first, default: []].append(group)
            }
            group = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("    at ") {
                let location = line.dropFirst(7)
                let path = location.lastIndex(of: ":").map { location[..<$0] } ?? location
                pendingFile = String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
            } else if line.hasPrefix("    in ") {
                pendingPhysical = true
            } else if line.hasPrefix("  "), !line.hasPrefix("   ") {
                closeEntry()
                pendingName = String(line.dropFirst(2))
            } else {
                closeEntry()
                closeGroup()
            }
        }
        closeEntry()
        closeGroup()
        for k in groups.keys { groups[k]?.sort { $0.count > $1.count } }
    }

    /// `stack` (root first) with every known group reversed into call order.
    func fix(_ stack: [String]) -> [String] {
        guard !groups.isEmpty else { return stack }
        var out: [String] = []
        out.reserveCapacity(stack.count)
        var i = 0
        while i < stack.count {
            if let candidates = groups[stack[i]],
               let g = candidates.first(where: { i + $0.count <= stack.count && Array(stack[i..<(i + $0.count)]) == $0 }) {
                out += g.reversed()
                i += g.count
            } else {
                out.append(stack[i])
                i += 1
            }
        }
        return out
    }

    /// `stacks` with every stack fixed.
    func fix(_ stacks: FoldedStacks) -> FoldedStacks {
        guard !groups.isEmpty else { return stacks }
        var out = FoldedStacks()
        for (stack, cost) in stacks.costs { out.add(fix(stack), cost) }
        return out
    }
}
