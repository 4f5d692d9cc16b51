import XCTest
import RunContract
@testable import Harness

/// `--profile` against programs whose answers are known by construction, compiled here with cc: a heap profile must
/// give each site live at the peak its true share (within 3 points) and a site that allocated a lot but freed it all
/// before the peak nothing; a CPU profile must give functions with a known split of CPU time their shares (within 5
/// points). Several shapes each, through the whole sweep (`runSweep` with `profiles`), under two allocators.
final class ProfileKnownAnswerTests: XCTestCase {
    var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("hw-profile-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: tmp)
    }

    /// `heapsites FREED BIG SMALL MID` (MB = 1e6 bytes): `site_freed` allocates FREED in 100 kB blocks and frees them;
    /// then `site_big` one block of BIG, `site_small` SMALL in 1000-byte blocks, `site_mid` MID in 1 MB blocks, all
    /// held; the peak is BIG + SMALL + MID (chosen above FREED), after which everything is freed.
    static let heapSource = """
    #include <stdlib.h>
    #include <string.h>
    static void *keep[400000]; static long nk;
    __attribute__((noinline)) void site_freed(long mb) { long n = mb * 10; void **p = malloc(n * sizeof(void *));
      for (long i = 0; i < n; i++) { p[i] = malloc(100000); memset(p[i], 1, 100000); }
      for (long i = 0; i < n; i++) free(p[i]); free(p); }
    __attribute__((noinline)) void site_big(long mb) { char *p = malloc(mb * 1000000); memset(p, 1, mb * 1000000); keep[nk++] = p; }
    __attribute__((noinline)) void site_small(long mb) { for (long i = 0; i < mb * 1000; i++) { char *p = malloc(1000); memset(p, 1, 1000); keep[nk++] = p; } }
    __attribute__((noinline)) void site_mid(long mb) { for (long i = 0; i < mb; i++) { char *p = malloc(1000000); memset(p, 1, 1000000); keep[nk++] = p; } }
    int main(int argc, char **argv) {
      site_freed(atol(argv[1])); site_big(atol(argv[2])); site_small(atol(argv[3])); site_mid(atol(argv[4]));
      for (long i = 0; i < nk; i++) free(keep[i]);
      return 0; }
    """

    /// `cpusplit A B C` (seconds of the process's CPU time): `work_a`, `work_b`, `work_c` each spin until the
    /// process's CPU clock has advanced by their share, so the split holds however loaded the machine is. The clock
    /// is read every 200,000 iterations (~0.2 ms): a sample inside the clock_gettime system call loses its user-space
    /// callers under DWARF unwinding (seen: 20% of samples when it was read every 2,000 on a loaded machine).
    static let cpuSource = """
    #include <stdlib.h>
    #include <time.h>
    static double cpu_now(void) { struct timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
    volatile unsigned long sink;
    __attribute__((noinline)) static void spin(double s) { double end = cpu_now() + s; unsigned long x = 1;
      while (cpu_now() < end) { for (int i = 0; i < 200000; i++) x = x * 6364136223846793005UL + 1; } sink = x; }
    __attribute__((noinline)) void work_a(double s) { spin(s); }
    __attribute__((noinline)) void work_b(double s) { spin(s); }
    __attribute__((noinline)) void work_c(double s) { spin(s); }
    int main(int argc, char **argv) { work_a(atof(argv[1])); work_b(atof(argv[2])); work_c(atof(argv[3])); return 0; }
    """

    func compile(_ source: String, name: String) throws -> String {
        let src = tmp.appendingPathComponent("\(name).c")
        try source.write(to: src, atomically: true, encoding: .utf8)
        let exe = tmp.appendingPathComponent(name).path
        let cc = try XCTUnwrap(Subprocess.which("cc") ?? Subprocess.which("clang"), "no C compiler (cc or clang)")
        let exit = try Subprocess(executable: cc, arguments: ["-O1", "-g", "-o", exe, src.path], stdout: .discard, stderr: .capture).wait()
        XCTAssertTrue(exit.succeeded, exit.stderr)
        return exe
    }

    func sweep(command: String, shapes: [String], profile: ProfileKind, allocators: [Allocator] = [.system]) throws -> (SweepResult, [ProfileRecord]) {
        var plan = SweepPlan(name: "profile-test", entries: [SweepEntry(command: command, params: [Axis(name: "shape", values: shapes)])])
        plan.repeats = 1
        plan.sampleMs = 10
        plan.timeoutS = 60
        plan.allocators = allocators
        plan.measureSamplerOverhead = false
        plan.drawPlots = false
        plan.profiles = [profile]
        let out = tmp.appendingPathComponent("out")
        let r = try runSweep(plan: plan, outputDirectory: out)
        let profiles = try XCTUnwrap(RunJSON.read(from: out).profiles)
        return (r, profiles)
    }

    /// The inclusive share (percent) of the first frame starting with `prefix` in a profile's frame table, 0 if absent.
    func share(_ rows: [FrameTable.Row], _ prefix: String) -> Double {
        rows.first { $0.frame.hasPrefix(prefix) }?.inclusivePercent ?? 0
    }

    func testHeapPeakSharesMatchKnownSitesAndAFreedSiteGetsNothing() throws {
        do { _ = try HeapProfiler.locate() } catch { throw XCTSkip("heaptrack is absent (scripts/install-deps.sh installs it): \(error)") }
        let exe = try compile(Self.heapSource, name: "heapsites")
        // FREED BIG SMALL MID: the freed site is the largest single site in two shapes, never above the peak.
        let shapes = ["40 30 10 20", "90 5 40 50", "25 20 2 5", "60 1 30 30"]
        let (r, profiles) = try sweep(command: "exec \(exe) {shape}", shapes: shapes, profile: .heap, allocators: [.system, .jemalloc])
        XCTAssertEqual(r.records.count, 8)
        XCTAssertEqual(profiles.count, 8)
        for p in profiles {
            XCTAssertEqual(p.status, "ok", p.error ?? "")
            let shape = try XCTUnwrap(r.records.first { $0[RunColumn.configID] == p.configID }?["param_shape"]).split(separator: " ").compactMap { Double($0) }
            let live = shape[1] + shape[2] + shape[3]
            let rows = try FrameTable.read(csv: r.outputDirectory.appendingPathComponent(p.directory).appendingPathComponent("peak_sites.csv"))
            for (i, site) in ["site_big", "site_small", "site_mid"].enumerated() {
                XCTAssertEqual(share(rows, site), 100 * shape[i + 1] / live, accuracy: 3, "\(p.label) \(site)")
            }
            XCTAssertEqual(share(rows, "site_freed"), 0, "\(p.label): a site freed before the peak holds nothing at it")
            XCTAssertEqual(try XCTUnwrap(p.peakHeapMB), live, accuracy: live * 0.03 + 0.5, p.label)
            for file in ["peak_stacks.folded", "heap.svg"] {
                XCTAssertTrue(FileManager.default.fileExists(atPath: r.outputDirectory.appendingPathComponent(p.directory).appendingPathComponent(file).path), file)
            }
            XCTAssertNotNil(p.wallRatio)
            XCTAssertNotNil(p.peakRSSRatio)
        }
    }

    func testCPUSharesMatchAKnownSplit() throws {
        do { _ = try CPUProfiler.locate() } catch { throw XCTSkip("perf cannot record here: \(error)") }
        let exe = try compile(Self.cpuSource, name: "cpusplit")
        let shapes = ["0.18 0.06 0.36", "0.3 0.24 0.06", "0.06 0.48 0.06"]
        let (r, profiles) = try sweep(command: "exec \(exe) {shape}", shapes: shapes, profile: .cpu)
        XCTAssertEqual(profiles.count, 3)
        for p in profiles {
            XCTAssertEqual(p.status, "ok", p.error ?? "")
            let split = try XCTUnwrap(r.records.first { $0[RunColumn.configID] == p.configID }?["param_shape"]).split(separator: " ").compactMap { Double($0) }
            let total = split.reduce(0, +)
            let rows = try FrameTable.read(csv: r.outputDirectory.appendingPathComponent(p.directory).appendingPathComponent("top_functions.csv"))
            for (i, f) in ["work_a", "work_b", "work_c"].enumerated() {
                XCTAssertEqual(share(rows, f), 100 * split[i] / total, accuracy: 5, "\(p.label) \(f)")
            }
            XCTAssertGreaterThan(try XCTUnwrap(p.samples), 200, p.label)
        }
        // The two configurations differ in one parameter: a diff was written for each pair.
        let diffs = try CSVTable.read(from: r.outputDirectory.appendingPathComponent("profiles/diffs.csv"))
        XCTAssertEqual(diffs.rows.count, 3)
    }

    /// A workload child (`highwater __child`, Swift): the `alloc` workload holds exactly `mb` MiB from
    /// `AllocWorkload.run` at its peak; the heap profile finds all of it there, under demangled Swift names, and the
    /// CPU profile splits its samples by the workload's phases.
    func testWorkloadHeapPeakIsTheAllocWorkloadsMemoryWithSwiftNames() throws {
        do { _ = try HeapProfiler.locate(); _ = try CPUProfiler.locate() } catch { throw XCTSkip("heaptrack or perf unavailable: \(error)") }
        HarnessPaths.executable = RunnerTests.productsDir.appendingPathComponent("highwater").path
        var plan = SweepPlan(name: "profile-workload", entries: [SweepEntry(workload: "alloc", params: [
            Axis(name: "mb", values: ["48"]), Axis(name: "step_mb", values: ["8"]), Axis(name: "hold_ms", values: ["100"]),
        ])])
        plan.repeats = 1
        plan.measureSamplerOverhead = false
        plan.drawPlots = false
        plan.profiles = [.heap, .cpu]
        let out = tmp.appendingPathComponent("out")
        _ = try runSweep(plan: plan, outputDirectory: out)
        let profiles = try XCTUnwrap(RunJSON.read(from: out).profiles)
        XCTAssertEqual(profiles.map(\.status), ["ok", "ok"], profiles.compactMap(\.error).joined(separator: "; "))
        let dir = out.appendingPathComponent(profiles[0].directory)
        let rows = try FrameTable.read(csv: dir.appendingPathComponent("peak_sites.csv"))
        let run = try XCTUnwrap(rows.first { $0.frame.hasPrefix("AllocWorkload.run(") }, rows.prefix(5).map(\.frame).joined(separator: " | "))
        XCTAssertEqual(run.inclusiveCost, 48 * 1_048_576, accuracy: 48 * 1_048_576 * 0.01)
        XCTAssertFalse(rows.contains { $0.frame.hasPrefix("$s") }, "Swift names are demangled")
        let phases = try String(contentsOf: dir.appendingPathComponent("cpu_phases.csv"), encoding: .utf8)
        XCTAssertTrue(phases.contains("allocate,"), phases)
        let report = try String(contentsOf: ReportWriter.write(directory: out, drawPlots: false), encoding: .utf8)
        XCTAssertTrue(report.contains("## What held memory at the peak"))
        XCTAssertTrue(report.contains("## Where the CPU time goes"))
        XCTAssertTrue(report.contains("## Cost of profiling"))
    }
}
