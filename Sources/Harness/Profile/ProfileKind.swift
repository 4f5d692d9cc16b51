import Foundation

/// What `--profile` records for each configuration, in one extra run kept out of the measured statistics.
public enum ProfileKind: String, Codable, Sendable, CaseIterable {
    /// What was live at the heap's high-water mark, by allocation stack (heaptrack).
    case heap
    /// Where the CPU time goes, by stack (perf record, software cpu-clock events).
    case cpu

    /// Parses `heap,cpu`; throws naming `--profile` and the value.
    public static func parseList(_ text: String, source: String = "--profile") throws -> [ProfileKind] {
        var out: [ProfileKind] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let kind = ProfileKind(rawValue: name) else {
                throw HarnessError(source: source, value: name,
                                   reason: "unknown profile (known: \(allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if !out.contains(kind) { out.append(kind) }
        }
        return out
    }
}
