import XCTest
import RunContract
@testable import Harness


/// End-to-end runs through child processes: external commands (sampled from outside) and the workload child
/// (`highwater __child`, the binary built next to this test bundle).
final class RunnerTests: XCTestCase {
    static let productsDir = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        .deletingLastPathComponent()

    var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("hw-runner-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: tmp)
    }

    /// Compiles a tiny C program: `hog MB HOLD_MS` prints a phase line, waits, allocates and touches MB * 1e6 bytes,
    /// reports metrics, holds, exits.
    func compileHog() throws -> String {
        let src = tmp.appendingPathComponent("hog.c")
        try """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <unistd.h>
        int main(int argc, char **argv) {
            long mb = argc > 1 ? atol(argv[1]) : 200;
            long hold = argc > 2 ? atol(argv[2]) : 0;
            printf("highwater: phase allocate\\n"); fflush(stdout);
            usleep(200000);  /* the monitor reads stdout every 20 ms: the phase mark must land before the allocation */
            size_t n = (size_t)mb * 1000000;
            char *p = malloc(n);
            if (!p) return 3;
            memset(p, 1, n);
            printf("highwater: phase hold\\nhighwater: metric rows=%ld\\nhighwater: metric checksum_bytes=%d\\nordinary output\\n", mb, p[n - 1]);
            fflush(stdout);
            usleep(hold * 1000);
            free(p);
            return 0;
        }
        """.write(to: src, atomically: true, encoding: .utf8)
        let exe = tmp.appendingPathComponent("hog").path
        // cc, else the clang that ships with the Swift toolchain.
        for compiler in ["cc", "clang"] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [compiler, "-O1", "-o", exe, src.path]
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            if p.terminationStatus == 0 { return exe }
        }
        // gcc is part of the machine CI runs on (and make test's set-up); without it this is a failure, not a skip.
        XCTFail("no C compiler (cc or clang) on this machine")
        throw CancellationError()
    }

    func sweep(_ entry: SweepEntry, timeoutS: Double = 30, memoryLimitMB: Double = 0, sampleMs: Double = 5,
               allocCounts: Bool = false, allocators: [Allocator] = [.system]) throws -> SweepResult {
        var plan = SweepPlan(name: "test", entries: [entry])
        plan.repeats = 1
        plan.sampleMs = sampleMs
        plan.timeoutS = timeoutS
        plan.memoryLimitMB = memoryLimitMB
        plan.allocCounts = allocCounts
        plan.allocators = allocators
        plan.measureSamplerOverhead = false
        plan.drawPlots = false
        return try runSweep(plan: plan, outputDirectory: tmp.appendingPathComponent("out"))
    }

    func testExternalCommandPeakRSSMatchesAKnownAllocation() throws {
        let hog = try compileHog()
        // Held 500 ms: a loaded machine may delay the 5 ms sampler, not by half a second.
        let r = try sweep(SweepEntry(command: "exec \(hog) {mb} 500", params: [Axis(name: "mb", values: ["200"])]))
        XCTAssertEqual(r.records.count, 1)
        let rec = r.records[0]
        XCTAssertEqual(rec.status, .ok, rec["error"] ?? "")
        let peak = try XCTUnwrap(Double(rec["peak_rss_mb"] ?? ""))
        let baseline = try XCTUnwrap(Double(rec["rss_baseline_mb"] ?? ""))
        // Exact peak (wait4) minus the RSS at the `allocate` phase mark: within 5% of the 200 MB allocated.
        XCTAssertEqual(peak - baseline, 200, accuracy: 10, "peak \(peak) baseline \(baseline)")
        let sampled = try XCTUnwrap(Double(rec["peak_rss_sampled_mb"] ?? ""))
        XCTAssertLessThanOrEqual(sampled, peak + 0.5)
        XCTAssertGreaterThan(sampled, 190)
        XCTAssertEqual(rec["rows"], "200")
        XCTAssertEqual(rec["checksum_bytes"], "1")
        XCTAssertNotNil(rec["phase_allocate_rss_delta_mb"].flatMap(Double.init))
        XCTAssertGreaterThan(Double(rec["phase_allocate_rss_delta_mb"] ?? "") ?? 0, 190)
        XCTAssertEqual(rec["workload"], "command")
        // The time series carries the phase marks; the program's stdout, protocol lines included, is in its .out file
        // exactly as it wrote it (the program writes the file itself).
        let ts = try String(contentsOf: r.timeseriesCSV, encoding: .utf8)
        XCTAssertTrue(ts.contains("phase:allocate"))
        XCTAssertTrue(ts.contains("phase:hold"))
        let out = try String(contentsOf: r.outputDirectory.appendingPathComponent("logs/\(rec["run_id"]!).out"), encoding: .utf8)
        XCTAssertEqual(out, "highwater: phase allocate\nhighwater: phase hold\nhighwater: metric rows=200\nhighwater: metric checksum_bytes=1\nordinary output\n")
        // summary.csv and run.json exist and parse.
        XCTAssertEqual(try CSVTable.read(from: r.summaryCSV).rows.count, 1)
        XCTAssertEqual(try RunJSON.read(from: r.outputDirectory).plan.name, "test")
    }

    func testTinyChildPeakIsItsOwnNotTheHarnessRSS() throws {
        let hog = try compileHog()
        let r = try sweep(SweepEntry(command: "exec \(hog) {mb} 0", params: [Axis(name: "mb", values: ["0"])]))
        let rec = r.records[0]
        XCTAssertEqual(rec.status, .ok, rec["error"] ?? "")
        XCTAssertEqual(rec["spawned_via"], "highwater-spawn")
        // This test process holds far more than the tiny C program ever touches; through highwater-spawn the
        // program's ru_maxrss no longer starts from it.
        let selfRSS = Double(ProcessMemory.residentBytes()) / 1e6
        let peak = try XCTUnwrap(Double(rec["peak_rss_mb"] ?? ""))
        XCTAssertLessThan(peak, 12, "peak \(peak) MB, test process \(selfRSS) MB")
        XCTAssertGreaterThan(selfRSS, peak)
    }

    func testHighWaterMarkResetExcludesEarlierPeaks() throws {
        // The mechanism the child uses before its measured region: VmHWM drops back to the current RSS.
        let n = 128 << 20
        let p = try XCTUnwrap(mmap(nil, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        memset(p, 1, n)
        munmap(p, n)
        let before = ProcessMemory.peakResidentBytes()
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { throw XCTSkip("no /proc/self/clear_refs") }
        XCTAssertEqual(write(fd, "5", 1), 1)
        close(fd)
        let after = ProcessMemory.peakResidentBytes()
        XCTAssertGreaterThan(before - after, 100_000_000, "VmHWM \(before) -> \(after)")
    }

    func testCrashAndTimeoutBecomeRowsAndTheSweepGoesOn() throws {
        let r = try sweep(SweepEntry(command: "{what}", params: [Axis(name: "what", values: ["kill -SEGV $$", "exec sleep 10", "exit 3", "true"])]),
                          timeoutS: 3)
        XCTAssertEqual(r.records.map(\.status), [.crashed, .timeout, .failed, .ok])
        XCTAssertTrue(r.records[0]["error"]!.hasPrefix("SIGSEGV"), r.records[0]["error"]!)
        XCTAssertEqual(r.records[0]["signal"], "SIGSEGV")
        XCTAssertTrue(r.records[1]["error"]!.contains("--timeout"))
        XCTAssertLessThan(Double(r.records[1]["wall_s"]!)!, 5)
        XCTAssertEqual(r.records[2]["exit_code"], "3")
        // Every run was appended to runs.csv.
        XCTAssertEqual(try CSVTable.read(from: r.runsCSV).rows.count, 4)
    }

    func testMemoryLimitKillsAndRecordsOOM() throws {
        let hog = try compileHog()
        let r = try sweep(SweepEntry(command: "exec \(hog) {mb} 2000", params: [Axis(name: "mb", values: ["300"])]), memoryLimitMB: 100, sampleMs: 2)
        XCTAssertEqual(r.records[0].status, .oom, r.records[0]["error"] ?? "")
        XCTAssertTrue(r.records[0]["error"]!.contains("--memory-limit"))
    }

    func highwaterBinary() throws -> String {
        let exe = Self.productsDir.appendingPathComponent("highwater").path
        // `swift test` builds every product next to the tests; missing is a failure.
        guard FileManager.default.isExecutableFile(atPath: exe) else { XCTFail("highwater binary not built next to the tests (\(exe))"); throw CancellationError() }
        return exe
    }

    func testWorkloadChildRunsAllocWithPhasesAndAllocatorStats() throws {
        HarnessPaths.executable = try highwaterBinary()
        let r = try sweep(SweepEntry(workload: "alloc", params: [Axis(name: "mb", values: ["64"]), Axis(name: "hold_ms", values: ["20"])]),
                          allocators: [.system, .jemalloc])
        XCTAssertEqual(r.records.count, 2)
        for rec in r.records {
            XCTAssertEqual(rec.status, .ok, rec["error"] ?? "")
            let peak = Double(rec["peak_rss_mb"]!)!
            let hwm = Double(rec["peak_rss_hwm_mb"]!)!
            let base = Double(rec["rss_baseline_mb"]!)!
            // 64 MiB = 67.1 MB touched above the baseline; the child's own VmHWM agrees with wait4.
            XCTAssertEqual(hwm - base, 67.1, accuracy: 6, "\(rec.values)")
            XCTAssertGreaterThanOrEqual(peak, hwm - 0.5)
            XCTAssertEqual(rec["input_bytes"], String(64 << 20))
            XCTAssertNotNil(rec["phase_allocate_s"].flatMap(Double.init))
            XCTAssertGreaterThan(Double(rec["phase_allocate_rss_delta_mb"] ?? "") ?? 0, 60)
            XCTAssertEqual(rec["allocated_mib"], "64")
            XCTAssertFalse((rec["heap_resident_mb"] ?? "").isEmpty)
        }
        XCTAssertFalse((r.records[1]["heap_retained_mb"] ?? "").isEmpty, "jemalloc reports stats.retained")
    }

    func testAllocCountsThroughTheInterposer() throws {
        HarnessPaths.executable = try highwaterBinary()
        XCTAssertNoThrow(try InterposerLibrary.path(), "libMallocInterposerSwift.so is a product of this package")
        let r = try sweep(SweepEntry(workload: "alloc", params: [Axis(name: "mb", values: ["64"]), Axis(name: "hold_ms", values: ["0"])]),
                          allocCounts: true, allocators: [.system, .jemalloc])
        for rec in r.records {
            XCTAssertEqual(rec.status, .ok, rec["error"] ?? "")
            let count = Int(rec["alloc_count"] ?? "") ?? 0
            let bytes = Int(rec["alloc_bytes"] ?? "") ?? 0
            // 8 blocks of 8 MiB, plus the few small allocations of the bookkeeping array.
            XCTAssertGreaterThanOrEqual(count, 8)
            XCTAssertLessThan(count, 100)
            XCTAssertGreaterThanOrEqual(bytes, 64 << 20)
            XCTAssertLessThan(bytes, (64 << 20) + (1 << 20))
        }
        // The same meaning under glibc and jemalloc: the counts agree up to the runtime's own bookkeeping.
        let counts = r.records.compactMap { Int($0["alloc_count"] ?? "") }
        XCTAssertEqual(counts.count, 2)
        XCTAssertLessThanOrEqual(abs(counts[0] - counts[1]), 3)
    }

    func testInterposerProbeCountsExactlyUnderEachAllocator() throws {
        let probe = Self.productsDir.appendingPathComponent("alloc-count-probe").path
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: probe), "alloc-count-probe is a product of this package")
        let lib = try InterposerLibrary.path()
        for allocator in Allocator.allCases {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: probe)
            p.arguments = ["1000", "100"]
            var env = ProcessInfo.processInfo.environment
            env["LD_PRELOAD"] = ([lib] + [try allocator.libraryPath()].compactMap { $0 }).joined(separator: " ")
            p.environment = env
            let pipe = Pipe()
            p.standardOutput = pipe
            try p.run()
            let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(out, "alloc_count=1000 alloc_bytes=100000\n", allocator.rawValue)
        }
    }
}
