import Foundation

/// Whether runs can each get their own cgroup v2 with memory accounting, and where: the exact peak of a whole
/// process tree is then the cgroup's `memory.peak` (Linux 5.19+), and `memory.current` is sampled beside the tree's
/// RSS.
///
/// Highwater only *creates leaf cgroups below a parent that already delegates memory*: it never enables a controller,
/// never moves itself, and never writes to a cgroup it did not create. The parent is the cgroup named by
/// `HIGHWATER_CGROUP` (a path below a cgroup2 mount, e.g. one a CI job delegated with
/// `systemd-run --user -p Delegate=yes`), else the cgroup this process runs in. It qualifies when it is on a cgroup2
/// file system, lists `memory` in both `cgroup.controllers` and `cgroup.subtree_control`, and is writable. Anything
/// else (cgroup v1 for memory, no cgroup2 mount, memory not delegated, read-only) falls back to sampling the process
/// tree, and `peak_source` says so. `HIGHWATER_CGROUP=off` turns the cgroups off.
public enum CgroupProbe: Equatable, Sendable {
    /// Runs' cgroups go below this directory.
    case available(parent: String)
    /// Why not, in one line.
    case unavailable(reason: String)

    /// The environment variable naming a delegated parent cgroup (an absolute path under a cgroup2 mount).
    public static let parentVariable = "HIGHWATER_CGROUP"

    /// This machine's answer (read once per sweep).
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> CgroupProbe {
        func read(_ path: String) -> String? {
            FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
        }
        return probe(mountinfo: read("/proc/self/mountinfo") ?? "", selfCgroup: read("/proc/self/cgroup") ?? "",
                     override: environment[parentVariable], read: read, isWritable: { access($0, W_OK) == 0 })
    }

    /// The decision from the files' texts (`/proc/self/mountinfo`, `/proc/self/cgroup`) and the cgroup directory's
    /// interface files read through `read`.
    public static func probe(mountinfo: String, selfCgroup: String, override: String?, read: (String) -> String?,
                             isWritable: (String) -> Bool) -> CgroupProbe {
        let mounts = Mount.parse(mountinfo)
        let v1Memory = mounts.first { $0.fsType == "cgroup" && $0.options.contains("memory") }
        let v1Note = v1Memory.map { "; memory is accounted by cgroup v1 at \($0.point)" } ?? ""
        guard let v2 = mounts.first(where: { $0.fsType == "cgroup2" }) else {
            return .unavailable(reason: "no cgroup2 file system is mounted\(v1Note)")
        }
        let parent: String
        if override == "off" { return .unavailable(reason: "turned off by \(parentVariable)=off") }
        if let o = override, !o.isEmpty {
            guard mounts.contains(where: { $0.fsType == "cgroup2" && (o == $0.point || o.hasPrefix($0.point + "/")) }) else {
                return .unavailable(reason: "\(parentVariable)=\(o) is not below a cgroup2 mount")
            }
            parent = o
        } else {
            guard let line = selfCgroup.split(separator: "\n").first(where: { $0.hasPrefix("0::") }) else {
                return .unavailable(reason: "this process is in no cgroup v2 (/proc/self/cgroup has no 0:: line)\(v1Note)")
            }
            let relative = String(line.dropFirst(3))
            parent = relative == "/" ? v2.point : v2.point + relative
        }
        let controllers = (read(parent + "/cgroup.controllers") ?? "").split(whereSeparator: \.isWhitespace)
        guard controllers.contains("memory") else {
            return .unavailable(reason: "the memory controller is not available in \(parent) (cgroup.controllers: '\(controllers.joined(separator: " "))')\(v1Note)")
        }
        let subtree = (read(parent + "/cgroup.subtree_control") ?? "").split(whereSeparator: \.isWhitespace)
        guard subtree.contains("memory") else {
            return .unavailable(reason: "\(parent) does not delegate memory to child cgroups (cgroup.subtree_control: '\(subtree.joined(separator: " "))'); Highwater does not change it")
        }
        guard isWritable(parent) else { return .unavailable(reason: "\(parent) is not writable") }
        return .available(parent: parent)
    }

    /// For `run.json`: where the tree's peak comes from on this machine, and why.
    public var summary: String {
        switch self {
        case .available(let parent): return "cgroup v2: each run in its own cgroup below \(parent) (memory.peak)"
        case .unavailable(let reason): return "process-tree sampling (no cgroup: \(reason))"
        }
    }

    /// One line of `/proc/self/mountinfo`: mount point, file system type and super options.
    struct Mount {
        var point: String
        var fsType: String
        var options: [String]

        static func parse(_ text: String) -> [Mount] {
            text.split(separator: "\n").compactMap { line in
                let halves = line.components(separatedBy: " - ")
                guard halves.count == 2 else { return nil }
                let left = halves[0].split(separator: " "), right = halves[1].split(separator: " ")
                guard left.count >= 5, right.count >= 3 else { return nil }
                return Mount(point: unescape(String(left[4])), fsType: String(right[0]),
                             options: right[2].split(separator: ",").map(String.init))
            }
        }

        /// mountinfo writes a space as `\040` (and tab, newline, backslash likewise in octal).
        static func unescape(_ s: String) -> String {
            guard s.contains("\\") else { return s }
            var out = "", i = s.startIndex
            while i < s.endIndex {
                if s[i] == "\\", let end = s.index(i, offsetBy: 4, limitedBy: s.endIndex), let v = UInt8(s[s.index(after: i)..<end], radix: 8) {
                    out.append(Character(UnicodeScalar(v)))
                    i = end
                } else {
                    out.append(s[i])
                    i = s.index(after: i)
                }
            }
            return out
        }
    }
}
