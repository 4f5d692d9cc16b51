import Foundation
import RunContract

/// Where the time goes, from `perf record` (Debian's linux-perf): software `cpu-clock` events (they work in VMs
/// without hardware counters) at `frequencyHz`, call stacks by frame pointers (`-g`: the Swift compiler keeps frame
/// pointers on Linux x86_64, and so do Debian's libc and the C programs of the tests), timestamps on CLOCK_MONOTONIC
/// so samples fall into the phases the run reported. perf follows every thread and child process of the run.
public struct CPUProfiler: Sendable {
    public let perfPath: String
    /// Samples per second per thread. Default 499 (a prime, so the timer does not beat with periodic work; each DWARF
    /// sample copies 16 KiB of stack, so perf.data grows by ~8 MB per second of CPU).
    public var frequencyHz = 499

    /// Finds perf and checks the kernel lets this user record: one line naming the setting otherwise.
    public static func locate() throws -> CPUProfiler {
        guard let perf = Subprocess.which("perf") else {
            throw HarnessError(source: "--profile", value: "cpu", reason: "perf not found on PATH (Debian package linux-perf; scripts/install-deps.sh installs it)")
        }
        let probe = try Subprocess(executable: perf, arguments: ["record", "-q", "-e", "cpu-clock", "-o", "/dev/null", "--", "/bin/true"],
                                   stdout: .discard, stderr: .capture).wait()
        guard probe.succeeded else {
            let paranoid = (try? String(contentsOfFile: "/proc/sys/kernel/perf_event_paranoid", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            throw HarnessError(source: "--profile", value: "cpu",
                               reason: "perf record is refused (kernel.perf_event_paranoid=\(paranoid)); run as root or 'sysctl kernel.perf_event_paranoid=1'")
        }
        return CPUProfiler(perfPath: perf)
    }

    /// The spawn wrapper writing `directory/perf.data`.
    func spawn(directory: URL) -> ProfiledSpawn {
        let raw = directory.appendingPathComponent("perf.data").path
        return ProfiledSpawn(kind: .cpu, toolArguments: [perfPath, "record", "-q", "-e", "cpu-clock", "-F", String(frequencyHz), "--call-graph", "dwarf,16384",
                                                         "-k", "CLOCK_MONOTONIC", "-o", raw, "--"], rawPath: raw)
    }

    /// What the CPU profile of one run holds.
    public struct Result: Sendable {
        /// Samples per stack (root first: process name, outermost caller ... leaf), Swift names demangled.
        public var stacks: FoldedStacks
        /// Samples per phase name, in the order the phases started (`(before)` and `(after)` the measured region).
        public var phaseSamples: [(phase: String, samples: Int)]
        public var samples: Int { Int(stacks.total) }
    }

    /// Turns perf.data into stacks; `phases` are (name, start ns on CLOCK_MONOTONIC), in order, `end` closing the
    /// last one.
    func analyze(rawPath: String, phases: [(name: String, startNs: UInt64)], demangler: Demangler) throws -> Result {
        guard FileManager.default.fileExists(atPath: rawPath) else {
            throw ProfileError(source: "perf record", reason: "wrote no \(rawPath); see the run's log")
        }
        let p = try Subprocess(executable: perfPath, arguments: ["script", "-i", rawPath, "-F", "comm,tid,time,ip,sym,dso"],
                               stdout: .capture, stderr: .capture)
        let exit = try p.wait()
        guard exit.succeeded else {
            let why = exit.stderr.split(separator: "\n").last.map(String.init) ?? "exit \(exit.exitCode ?? -1)"
            throw ProfileError(source: "perf script", reason: "failed on \(rawPath): \(why)")
        }
        let samples = try PerfScriptParser.parse(exit.stdout)
        var stacks = FoldedStacks()
        var perPhase: [String: Int] = [:]
        var order: [String] = []
        for s in samples {
            stacks.add(s.stack, 1)
            let name = Self.phase(at: s.timeNs, phases)
            if perPhase[name] == nil { order.append(name) }
            perPhase[name, default: 0] += 1
        }
        let ordered = order.sorted { Self.rank($0, phases) < Self.rank($1, phases) }.map { (phase: $0, samples: perPhase[$0] ?? 0) }
        return Result(stacks: demangler.demangle(stacks), phaseSamples: ordered)
    }

    /// The phase a sample at `t` falls in: the last mark at or before it; `(before)` before the first mark.
    static func phase(at t: UInt64, _ phases: [(name: String, startNs: UInt64)]) -> String {
        var current = "(before)"
        for p in phases where p.startNs <= t { current = p.name }
        return current
    }

    static func rank(_ name: String, _ phases: [(name: String, startNs: UInt64)]) -> Int {
        name == "(before)" ? -1 : (phases.firstIndex { $0.name == name } ?? Int.max)
    }
}
