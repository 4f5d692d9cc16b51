import Foundation
import Engine

/// What the parent tells a workload child (`highwater __child --spec PATH`), as JSON.
public struct ChildSpec: Codable, Sendable {
    public var workload: String
    /// Raw parameters (canonical text); the child validates them again with the workload's declarations.
    public var params: [KeyValue]
    /// Where the child writes its `ChildReport` (JSON).
    public var reportPath: String
    /// Scratch directory for the workload's files.
    public var workDirectory: String
    /// File descriptor (inherited) to which phase events are written as lines, or -1.
    public var eventsFD: Int32
    /// Count allocations through the preloaded interposer.
    public var allocCounts: Bool
}

/// What a workload child measured about itself, written as JSON at the end of the run.
/// Sizes in bytes, times in nanoseconds or seconds as named.
public struct ChildReport: Codable, Sendable {
    /// Failure reason when the workload threw; nil on success.
    public var error: String?
    public var wallNs: UInt64 = 0
    public var cpuUserS: Double = 0
    public var cpuSysS: Double = 0
    /// VmRSS right before the measured region (after `prepare`), bytes.
    public var rssBaselineBytes: Int64 = -1
    /// VmRSS after `run` returned (engine closed), bytes.
    public var rssEndBytes: Int64 = -1
    /// The child's own VmHWM at the end of the measured region, bytes: the peak RSS since the start of the measured
    /// region when `hwmResetAtBegin` (the high-water mark is reset there), else since exec.
    public var hwmBytes: Int64 = -1
    /// VmHWM just before the measured region (start-up and `prepare`), bytes.
    public var hwmPrepareBytes: Int64 = -1
    /// Whether /proc/self/clear_refs reset the high-water mark at the start of the measured region.
    public var hwmResetAtBegin: Bool = false
    /// Monotonic ns at the start and end of the measured region.
    public var measuredStartNs: UInt64 = 0
    public var measuredEndNs: UInt64 = 0
    /// Allocator view at the end of the measured region (bytes, -1 unknown) and which allocator answered.
    public var heapAllocator: String = ""
    public var heapAllocatedBytes: Int64 = -1
    public var heapActiveBytes: Int64 = -1
    public var heapResidentBytes: Int64 = -1
    public var heapRetainedBytes: Int64 = -1
    /// Allocation calls and requested bytes in the measured region (interposer), nil without `--alloc-counts`.
    public var allocCount: Int64?
    public var allocBytes: Int64?
    public var rows: Int = 0
    public var inputBytes: Int = 0
    public var bytesWritten: Int = 0
    public var files: Int = 0
    public var versions: Int = 0
    public var compressionRatio: Double?
    public var firstWriteMs: Double?
    public var batchP50Ms: Double?
    public var batchP99Ms: Double?
    public var caches: [String: CacheStatistics] = [:]
    public var metrics: [String: Double] = [:]
    /// Phase marks: name and monotonic ns.
    public var phases: [PhaseMark] = []

    public init() {}
}

/// A phase start on the monotonic clock.
public struct PhaseMark: Codable, Sendable, Equatable {
    public var name: String
    public var tNs: UInt64
    public init(name: String, tNs: UInt64) {
        self.name = name
        self.tNs = tNs
    }
}

/// Lines on the events fd (one event per line, written as it happens):
/// `phase <t_ns> <rss_bytes> <name>` (the child's own VmRSS when the phase starts), `begin <t_ns> <rss_bytes>`
/// (measured region starts), `end <t_ns> <rss_bytes>`.
/// External commands use stdout lines `highwater: phase NAME` and `highwater: metric NAME=VALUE`.
enum EventLine {
    /// A phase starts; `rssBytes` is the child's own RSS at that moment (nil for external commands).
    case phase(name: String, tNs: UInt64, rssBytes: Int64?)
    case begin(tNs: UInt64, rssBytes: Int64)
    case end(tNs: UInt64, rssBytes: Int64)
    case metric(name: String, value: Double)

    static func parseChild(_ line: Substring) -> EventLine? {
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
    static func parseCommand(_ line: Substring, nowNs: UInt64) -> EventLine? {
        let prefix = "highwater: "
        guard line.hasPrefix(prefix) else { return nil }
        let rest = line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        if rest.hasPrefix("phase ") {
            let name = rest.dropFirst(6).trimmingCharacters(in: .whitespaces)
            return name.isEmpty ? nil : .phase(name: name, tNs: nowNs, rssBytes: nil)
        }
        if rest.hasPrefix("metric ") {
            let kv = rest.dropFirst(7)
            guard let eq = kv.firstIndex(of: "=") else { return nil }
            let name = kv[..<eq].trimmingCharacters(in: .whitespaces)
            guard name.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil,
                  let v = Double(kv[kv.index(after: eq)...].trimmingCharacters(in: .whitespaces)), v.isFinite else { return nil }
            return .metric(name: name, value: v)
        }
        return nil
    }
}
