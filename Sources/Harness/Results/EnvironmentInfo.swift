import Foundation
import RunContract

/// The machine and build a sweep ran on, as recorded in `run.json` (and `git_rev`/`host` in every row).
public struct EnvironmentInfo: Codable, Sendable {
    /// `git rev-parse HEAD` of the working directory, with `-dirty` when it has uncommitted changes; `unknown` outside git.
    public var gitRev: String
    public var host: String
    public var cpuModel: String
    public var cores: Int
    /// MemTotal, bytes.
    public var memoryBytes: Int64
    /// `uname -sr`.
    public var kernel: String
    /// First line of `swift --version`, or the compiler the binary was built with when swift is not on PATH.
    public var swiftVersion: String
    /// Debian package versions of the allocators (`dpkg-query`): libc6, libjemalloc2, libmimalloc2.0.
    public var allocatorVersions: [String: String]
    /// The allocator libraries that would be preloaded.
    public var allocatorLibraries: [String: String]
    public var commandLine: [String]
    /// Where each run's process-tree peak comes from on this machine, and why (`CgroupProbe.summary`); nil in
    /// result sets written before it was recorded.
    public var memorySource: String?
    public var timestamp: String

    /// Gathers the facts (runs `git`, `swift --version`, `dpkg-query`; a few tens of ms).
    public static func gather(commandLine: [String] = CommandLine.arguments) -> EnvironmentInfo {
        var rev = shell(["git", "rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
        if rev.isEmpty { rev = "unknown" } else {
            let dirty = shell(["git", "status", "--porcelain", "--untracked-files=no"]).trimmingCharacters(in: .whitespacesAndNewlines)
            if !dirty.isEmpty { rev += "-dirty" }
        }
        var hostBuf = [CChar](repeating: 0, count: 256)
        gethostname(&hostBuf, 255)
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown"
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let memKB = meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal:") }.flatMap { Int64($0.filter(\.isNumber)) } ?? 0
        var u = utsname()
        uname(&u)
        let sys = withUnsafeBytes(of: u.sysname) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let rel = withUnsafeBytes(of: u.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        var swiftV = shell(["swift", "--version"]).split(separator: "\n").first.map(String.init) ?? ""
        if swiftV.isEmpty {
            #if compiler(>=6.3)
            swiftV = "built with Swift >= 6.3 (swift not on PATH)"
            #else
            swiftV = "built with Swift < 6.3 (swift not on PATH)"
            #endif
        }
        var versions: [String: String] = [:]
        var libs: [String: String] = [:]
        for a in Allocator.allCases {
            let v = shell(["dpkg-query", "-W", "-f=${Version}", a.debianPackage]).trimmingCharacters(in: .whitespacesAndNewlines)
            versions[a.debianPackage] = v.isEmpty ? "not installed" : v
            do { libs[a.rawValue] = try a.libraryPath() ?? "(glibc malloc)" } catch { libs[a.rawValue] = "not installed" }
        }
        return EnvironmentInfo(gitRev: rev, host: String(decoding: hostBuf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), cpuModel: model, cores: ProcessInfo.processInfo.activeProcessorCount,
                               memoryBytes: memKB * 1024, kernel: "\(sys) \(rel)", swiftVersion: swiftV, allocatorVersions: versions,
                               allocatorLibraries: libs, commandLine: commandLine, memorySource: CgroupProbe.current().summary,
                               timestamp: UTCTimestamp.iso8601())
    }

    /// Runs a program (looked up on PATH) and returns its stdout, or "" when it fails.
    static func shell(_ args: [String]) -> String {
        guard let exit = Subprocess.run(args[0], Array(args.dropFirst())), exit.succeeded else { return "" }
        return exit.stdout
    }
}
