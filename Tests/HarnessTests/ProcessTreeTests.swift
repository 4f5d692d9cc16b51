import XCTest
import RunContract
@testable import Harness

/// The whole process tree of a command is sampled: programs behind a shell, forked workers, shared memory, orphans.
/// The C program announces each state on the events descriptor (HIGHWATER_EVENTS_FD), which makes the monitor sample
/// at once, and holds it well past that: the tests wait on events, not on timing luck.
final class ProcessTreeTests: XCTestCase {
    var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("hw-tree-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        HarnessPaths.executable = RunnerTests.productsDir.appendingPathComponent("highwater").path
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: tmp)
    }

    /// `tree MODE MB`: spike (64 MiB for 100 ms, then MB MiB for 20 ms), fork (3 workers of MB each), shared (an MB
    /// shared mapping touched by the parent and 2 children), orphan (a background child of MB that outlives its parent).
    func compileTree() throws -> String {
        let src = tmp.appendingPathComponent("tree.c")
        try """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <unistd.h>
        #include <signal.h>
        #include <sys/mman.h>
        #include <sys/wait.h>
        static int ev = -1;
        static void event(const char *line) { if (ev >= 0) { dprintf(ev, "%s\\n", line); } }
        static char *touch(long mb) { size_t n = (size_t)mb << 20; char *p = malloc(n); memset(p, 1, n); return p; }
        int main(int argc, char **argv) {
            const char *e = getenv("HIGHWATER_EVENTS_FD"); if (e) ev = atoi(e);
            const char *mode = argv[1]; long mb = atol(argv[2]);
            if (!strcmp(mode, "spike")) {
                char *a = touch(64); event("phase small"); usleep(100000);
                char *b = touch(mb); event("phase spike"); usleep(20000); free(b);
                event("phase after"); usleep(50000); free(a); return 0;
            }
            if (!strcmp(mode, "fork")) {
                event("phase start"); usleep(50000);
                int ready[2]; pipe(ready); pid_t kids[3];
                for (int i = 0; i < 3; i++) {
                    if ((kids[i] = fork()) == 0) { close(ready[0]); if (ev >= 0) close(ev); touch(mb); write(ready[1], "r", 1); pause(); _exit(0); }
                }
                close(ready[1]); char c; for (int i = 0; i < 3; i++) read(ready[0], &c, 1);
                event("phase all_workers"); usleep(300000);
                for (int i = 0; i < 3; i++) { kill(kids[i], SIGKILL); waitpid(kids[i], NULL, 0); }
                return 0;
            }
            if (!strcmp(mode, "shared")) {
                size_t n = (size_t)mb << 20;
                char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0); memset(p, 1, n);
                int ready[2]; pipe(ready); pid_t kids[2];
                for (int i = 0; i < 2; i++) {
                    if ((kids[i] = fork()) == 0) {
                        close(ready[0]); if (ev >= 0) close(ev);
                        volatile long sum = 0; for (size_t j = 0; j < n; j += 4096) sum += p[j];
                        write(ready[1], "r", 1); pause(); _exit(0);
                    }
                }
                close(ready[1]); char c; for (int i = 0; i < 2; i++) read(ready[0], &c, 1);
                event("phase all_mapped"); usleep(300000);
                for (int i = 0; i < 2; i++) { kill(kids[i], SIGKILL); waitpid(kids[i], NULL, 0); }
                return 0;
            }
            if (!strcmp(mode, "orphan")) {
                int ready[2]; pipe(ready);
                if (fork() == 0) {
                    if (fork() == 0) { close(ready[0]); touch(mb); event("phase orphan_ready"); write(ready[1], "r", 1); sleep(30); _exit(0); }
                    _exit(0);
                }
                close(ready[1]); char c; read(ready[0], &c, 1);  /* the orphan holds its memory now */
                usleep(100000);
                return 0;
            }
            return 2;
        }
        """.write(to: src, atomically: true, encoding: .utf8)
        let exe = tmp.appendingPathComponent("tree").path
        let exit = try Subprocess(executable: "/usr/bin/cc", arguments: ["-O1", "-o", exe, src.path], stdout: .discard, stderr: .capture).wait()
        XCTAssertEqual(exit.exitCode, 0, exit.stderr)
        return exe
    }

    /// The last sweep's output directory.
    var lastOut: URL!

    func sweep(_ command: String, sampleMs: Double = 10) throws -> RunRecord {
        var plan = SweepPlan(name: "tree", entries: [SweepEntry(command: command, params: [Axis(name: "x", values: ["1"])])])
        plan.entries[0].command = command + " # {x}"
        plan.repeats = 1
        plan.sampleMs = sampleMs
        plan.measureSamplerOverhead = false
        plan.drawPlots = false
        lastOut = tmp.appendingPathComponent("out-\(UUID().uuidString)")
        let r = try runSweep(plan: plan, outputDirectory: lastOut)
        let rec = try XCTUnwrap(r.records.first)
        XCTAssertEqual(rec.status, .ok, rec["error"] ?? "")
        return rec
    }

    private func mb(_ rec: RunRecord, _ column: String) -> Double { Double(rec[column] ?? "") ?? -1 }

    func testASpikeBehindAShellIsSeen() throws {
        let tree = try compileTree()
        // No `exec`: the shell is the child and the program its child; the tree is sampled, not the shell.
        let rec = try sweep("\(tree) spike 512; true")
        XCTAssertGreaterThan(mb(rec, "peak_rss_sampled_mb"), 512 * 1.048576 + 64 * 1.048576 * 0.9, "\(rec.values)")
        XCTAssertGreaterThanOrEqual(mb(rec, "processes_max"), 2)
    }

    func testForkedWorkersAreSummed() throws {
        let tree = try compileTree()
        let rec = try sweep("exec \(tree) fork 100")
        let sum = 3 * 100 * 1.048576
        let peak = mb(rec, "peak_rss_sampled_mb"), base = mb(rec, "rss_baseline_mb")
        // Tree peak within 3% of the workers' sum plus the baseline (the parent and each worker's own few MB).
        XCTAssertEqual(peak, sum + 4 * base, accuracy: 0.03 * sum, "peak \(peak) baseline \(base)")
        XCTAssertEqual(mb(rec, "processes_max"), 4)
        // Without a cgroup, the tree's peak is the sampled sum (wait4 knows only the largest single process).
        if rec[RunColumn.peakSource] != "cgroup" {
            XCTAssertEqual(rec[RunColumn.peakSource], "sampled")
            XCTAssertEqual(mb(rec, "peak_tree_mb"), peak, accuracy: 0.001)
            XCTAssertLessThan(mb(rec, "peak_rss_mb"), peak / 2, "wait4 saw one worker, not the tree")
        }
        // Each process's own series: the parent and its three workers, each worker near 100 MiB at its peak.
        let series = try CSVTable.read(from: lastOut.appendingPathComponent("process_series.csv"))
        var peaks: [String: Double] = [:]
        for r in series.records where r["run_id"] == rec[RunColumn.runID] { peaks[r["pid"]!] = max(peaks[r["pid"]!] ?? 0, Double(r["rss_mb"]!)!) }
        XCTAssertEqual(peaks.count, 4, "\(peaks)")
        XCTAssertEqual(peaks.values.filter { $0 > 100 * 1.048576 * 0.97 }.count, 3, "\(peaks)")
    }

    func testOneProcessTakesItsPeakFromWait4AndWritesNoProcessSeries() throws {
        let tree = try compileTree()
        let rec = try sweep("exec \(tree) spike 128")
        XCTAssertEqual(mb(rec, "processes_max"), 1)
        if rec[RunColumn.peakSource] != "cgroup" {
            XCTAssertEqual(rec[RunColumn.peakSource], "wait4")
            XCTAssertEqual(mb(rec, "peak_tree_mb"), mb(rec, "peak_rss_mb"), accuracy: 0.001)
        }
        let series = try CSVTable.read(from: lastOut.appendingPathComponent("process_series.csv"))
        XCTAssertEqual(series.header, processSeriesHeader)
        XCTAssertEqual(series.rows.count, 0)
    }

    func testSharedMemoryCountsOnceInPSS() throws {
        let tree = try compileTree()
        let rec = try sweep("exec \(tree) shared 200")
        let shared = 200 * 1.048576
        XCTAssertGreaterThan(mb(rec, "peak_rss_sampled_mb"), 3 * shared * 0.97, "RSS counts the mapping in each process")
        XCTAssertEqual(mb(rec, "peak_pss_sampled_mb"), shared, accuracy: 0.03 * shared + 3 * mb(rec, "rss_baseline_mb"), "\(rec.values)")
    }

    func testAnOrphanIsSampledAndKilledAtTheEnd() throws {
        let tree = try compileTree()
        let rec = try sweep("\(tree) orphan 150")
        XCTAssertGreaterThan(mb(rec, "peak_rss_sampled_mb"), 150 * 1.048576 * 0.97, "the re-parented orphan is in the tree")
        // The orphan would sleep 30 s; the run ended when its parent did, and took it down.
        let left = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init).filter { pid in
            (FileManager.default.contents(atPath: "/proc/\(pid)/cmdline").map { String(decoding: $0, as: UTF8.self) } ?? "").contains(tree)
        }
        XCTAssertEqual(left, [])
        XCTAssertLessThan(mb(rec, "wall_s"), 10)
    }
}
