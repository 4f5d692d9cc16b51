import Foundation

/// Frames grouped by the type or library they belong to, for a CPU profile's "by component" table: a Swift frame
/// `static StatisticsCollector.collect(_:)` or `closure #1 in BatchEncoder.encode(_:)` belongs to its type
/// (`StatisticsCollector`, `BatchEncoder`), a C function to its prefix (`ZSTD_compressBlock` → `ZSTD`, `XXH3_64bits`
/// → `XXH3`), an unresolved frame to its library (`[libzstd.so.1.5.4]`).
enum FrameGroup {
    static let prefixes = ["static ", "specialized ", "partial apply for ", "merged ", "implicit closure #", "closure #",
                           "protocol witness for ", "reabstraction thunk helper from ", "thunk for "]

    static func name(_ frame: String) -> String {
        if frame.hasPrefix("[") { return frame }
        var f = Substring(frame)
        var changed = true
        while changed {
            changed = false
            for p in prefixes where f.hasPrefix(p) {
                f = f.dropFirst(p.count)
                if p.hasSuffix("#"), let r = f.range(of: " in ") { f = f[r.upperBound...] }
                changed = true
            }
        }
        if let conformance = f.range(of: " in conformance ") { f = f[conformance.upperBound...] }
        let head = f.prefix { $0 != "(" && $0 != "<" && $0 != " " }
        if let dot = head.firstIndex(of: ".") { return String(head[..<dot]) }
        if let us = head.firstIndex(of: "_"), us != head.startIndex, head[..<us].allSatisfy({ $0.isUppercase || $0.isNumber }) {
            return String(head[..<us])
        }
        return String(head.isEmpty ? f : head)
    }

    /// Inclusive cost per group (a stack counts once per group however many of its frames belong to it), with the
    /// profile's total, heaviest first.
    static func inclusive(_ stacks: FoldedStacks) -> [(group: String, cost: Double)] {
        var out: [String: Double] = [:]
        for (stack, cost) in stacks.costs {
            var seen = Set<String>()
            for f in stack.dropFirst() where seen.insert(name(f)).inserted { out[name(f), default: 0] += cost }
        }
        return out.map { (group: $0.key, cost: $0.value) }.sorted { ($0.cost, $1.group) > ($1.cost, $0.group) }
    }
}
