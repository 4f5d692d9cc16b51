import Foundation
import RunContract

/// The peak by call site, from heaptrack (Debian's `heaptrack`, 1.4): its preload library records every allocation
/// and free with its stack under any allocator (glibc, jemalloc, mimalloc: it interposes the malloc family in front
/// of whatever is preloaded after it), and `heaptrack_print --flamegraph-cost-type peak` folds, per stack, the
/// bytes that stack held at the moment the heap's live total was highest. Every allocation is recorded, so there is
/// no sampling error (jemalloc's `prof` samples one allocation per 2^lg_prof_sample bytes on average, an error that
/// grows for sites with few allocations); the price is the overhead measured per run.
public struct HeapProfiler: Sendable {
    public let heaptrackPath: String
    public let printPath: String

    /// Finds heaptrack and heaptrack_print on PATH; throws one line naming the missing tool and the package.
    public static func locate() throws -> HeapProfiler {
        guard let h = Subprocess.which("heaptrack") else {
            throw HarnessError(source: "--profile", value: "heap", reason: "heaptrack not found on PATH (Debian package heaptrack; scripts/install-deps.sh installs it)")
        }
        guard let p = Subprocess.which("heaptrack_print") else {
            throw HarnessError(source: "--profile", value: "heap", reason: "heaptrack_print not found on PATH (Debian package heaptrack)")
        }
        return HeapProfiler(heaptrackPath: h, printPath: p)
    }

    /// The spawn wrapper writing heaptrack's data next to `directory/heaptrack`.
    func spawn(directory: URL) -> ProfiledSpawn {
        let raw = directory.appendingPathComponent("heaptrack").path
        return ProfiledSpawn(kind: .heap, toolArguments: [heaptrackPath, "--output", raw], rawPath: raw)
    }

    /// What the heap profile of one run holds.
    public struct Result: Sendable {
        /// Bytes live at the heap's peak, per allocation stack (root first), Swift names demangled.
        public var stacks: FoldedStacks
        /// heaptrack's own "peak heap memory consumption", bytes (nil when its summary line is missing).
        public var reportedPeakBytes: Double?
    }

    /// Reads heaptrack's data for the run (`rawPath` + `.zst` or `.gz`) and folds the peak by stack.
    func analyze(rawPath: String, scratch: URL, demangler: Demangler) throws -> Result {
        guard let data = ["zst", "gz"].map({ "\(rawPath).\($0)" }).first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw ProfileError(source: "heaptrack", reason: "wrote no data file (\(rawPath).zst); see the run's log")
        }
        let folded = scratch.appendingPathComponent("heaptrack-peak.folded").path
        let p = try Subprocess(executable: printPath, arguments: [
            "--file", data, "--print-peaks=1", "--merge-backtraces=0", "--peak-limit=\(Self.backtraceLimit)",
            "--print-allocators=0", "--print-temporary=0", "--print-leaks=0",
            "--flamegraph-cost-type", "peak", "--print-flamegraph", folded,
        ], stdout: .capture, stderr: .capture)
        let exit = try p.wait()
        guard exit.succeeded else {
            let why = exit.stderr.split(separator: "\n").last.map(String.init) ?? "exit \(exit.exitCode ?? -1)"
            throw ProfileError(source: "heaptrack_print", reason: "failed on \(data): \(why)")
        }
        let text: String
        do { text = try String(contentsOfFile: folded, encoding: .utf8) } catch {
            throw ProfileError(source: "heaptrack_print", reason: "wrote no flame graph file \(folded)")
        }
        defer { try? FileManager.default.removeItem(atPath: folded) }
        let stacks = HeaptrackInlineOrder(backtraces: exit.stdout).fix(try FoldedStacks.parse(text, source: "heaptrack_print -F"))
        return Result(stacks: demangler.demangle(stacks), reportedPeakBytes: Self.reportedPeak(exit.stdout))
    }

    /// The most backtraces (those live at the peak, largest first) whose text heaptrack_print writes for
    /// `HeaptrackInlineOrder`; inlined frames of stacks beyond them keep heaptrack's order (their bytes are exact).
    static let backtraceLimit = 20_000

    /// Bytes from heaptrack_print's line `peak heap memory consumption: 60.07M` (K, M, G are powers of 1000 in
    /// heaptrack's formatting; plain B otherwise).
    static func reportedPeak(_ output: String) -> Double? {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("peak heap memory consumption:") }) else { return nil }
        let value = line.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let units: [Character: Double] = ["B": 1, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12]
        guard let u = value.last, let scale = units[u], let n = Double(value.dropLast()) else { return nil }
        return n * scale
    }
}
