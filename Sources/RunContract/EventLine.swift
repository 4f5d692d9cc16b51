/// One event from a running child, as a line.
///
/// Workload children write to their events descriptor: `phase <t_ns> <rss_bytes> <name>` (the child's own VmRSS
/// when the phase starts), `begin <t_ns> <rss_bytes>` (measured region starts), `end <t_ns> <rss_bytes>`.
/// External commands print `highwater: phase NAME` and `highwater: metric NAME=VALUE` on stdout.
public enum EventLine: Sendable, Equatable {
    /// A phase starts; `rssBytes` is the child's own RSS at that moment (nil for external commands).
    case phase(name: String, tNs: UInt64, rssBytes: Int64?)
    case begin(tNs: UInt64, rssBytes: Int64)
    case end(tNs: UInt64, rssBytes: Int64)
    case metric(name: String, value: Double)

    /// The line a workload child writes (without the newline); nil for `metric`, which children report in `ChildReport`.
    public var childLine: String? {
        switch self {
        case .phase(let name, let t, let rss): return "phase \(t) \(rss ?? -1) \(name)"
        case .begin(let t, let rss): return "begin \(t) \(rss)"
        case .end(let t, let rss): return "end \(t) \(rss)"
        case .metric: return nil
        }
    }

    /// Parses a workload child's line.
    public static func parseChild(_ line: Substring) -> EventLine? {
        if line.hasPrefix("phase ") {
            let parts = line.split(separator: " ", maxSplits: 3)
            guard parts.count == 4, let t = UInt64(parts[1]), let rss = Int64(parts[2]) else { return nil }
            return .phase(name: String(parts[3]), tNs: t, rssBytes: rss >= 0 ? rss : nil)
        }
        let parts = line.split(separator: " ", maxSplits: 2)
        guard parts.count == 3, let t = UInt64(parts[1]) else { return nil }
        switch parts[0] {
        case "begin": return Int64(parts[2]).map { .begin(tNs: t, rssBytes: $0) }
        case "end": return Int64(parts[2]).map { .end(tNs: t, rssBytes: $0) }
        default: return nil
        }
    }

    /// Parses an external command's stdout line; `nowNs` stamps phases.
    public static func parseCommand(_ line: Substring, nowNs: UInt64) -> EventLine? {
        let prefix = "highwater: "
        guard line.hasPrefix(prefix) else { return nil }
        let rest = trimmed(line.dropFirst(prefix.count))
        if rest.hasPrefix("phase ") {
            let name = trimmed(rest.dropFirst(6))
            return name.isEmpty ? nil : .phase(name: String(name), tNs: nowNs, rssBytes: nil)
        }
        if rest.hasPrefix("metric ") {
            let kv = rest.dropFirst(7)
            guard let eq = kv.firstIndex(of: "=") else { return nil }
            let name = trimmed(kv[..<eq])
            guard isMetricName(name), let v = Double(trimmed(kv[kv.index(after: eq)...])), v.isFinite else { return nil }
            return .metric(name: String(name), value: v)
        }
        return nil
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`.
    public static func isMetricName(_ s: Substring) -> Bool {
        guard let first = s.unicodeScalars.first, first.isASCIILetterOrUnderscore else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCIILetterOrUnderscore || ("0"..."9").contains($0) }
    }

    private static func trimmed(_ s: Substring) -> Substring {
        var t = s
        while let f = t.first, f == " " || f == "\t" { t = t.dropFirst() }
        while let l = t.last, l == " " || l == "\t" { t = t.dropLast() }
        return t
    }
}

private extension Unicode.Scalar {
    var isASCIILetterOrUnderscore: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) || self == "_" }
}
