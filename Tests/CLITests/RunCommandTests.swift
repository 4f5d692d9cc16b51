import Foundation
import XCTest

/// `highwater run`, `list`, `plot` and `report` through the binary: outputs and exit codes as the README states them.
final class RunCommandTests: XCTestCase {
    private let quick = ["--no-overhead-check", "--plain", "--sample-ms", "5"]

    func testListShowsEveryWorkloadWithItsParameters() throws {
        let r = try CLI.run(["list"], in: try CLI.scratch(self))
        XCTAssertEqual(r.status, 0)
        for w in ["write:", "scan:", "upsert:", "load:", "parallel_write:", "alloc:", "command:"] {
            XCTAssertTrue(r.stdout.contains("\n\(w)") || r.stdout.hasPrefix(w), "list lacks \(w)")
        }
        XCTAssertTrue(r.stdout.contains("batch_size"))
        XCTAssertNotNil(r.stdout.range(of: "\n  parameter +type +unit +default +allowed +meaning\n", options: .regularExpression), r.stdout)
    }

    func testDryRunPrintsThePlanInterleavedAndWritesNothing() throws {
        let dir = try CLI.scratch(self)
        let r = try CLI.run(["run", "--workload", "alloc", "--param", "mb=1,2", "--repeat", "2", "--warmup", "1", "--dry-run", "--out", "out"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "6 runs (2 warmup) of 2 configurations:")
        // Warmups first, then repeat 0 of every configuration, then repeat 1.
        XCTAssertEqual(lines.dropFirst().map { $0.split(separator: "\t").last.map(String.init) ?? "" },
                       ["warmup 0", "warmup 0", "repeat 0", "repeat 0", "repeat 1", "repeat 1"])
        XCTAssertTrue(lines[3].contains("mb=1") && lines[4].contains("mb=2"), r.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    func testASweepWritesEveryFileWithItsColumns() throws {
        let dir = try CLI.scratch(self)
        let r = try CLI.run(["run", "--workload", "alloc", "--param", "mb=8,16", "--param", "hold_ms=30", "--repeat", "2",
                             "--out", "out"] + quick, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let out = dir.appendingPathComponent("out")
        let runs = try CLI.runs(out)
        XCTAssertEqual(runs.count, 4)
        XCTAssertEqual(runs.map { $0["status"] }, ["ok", "ok", "ok", "ok"])
        XCTAssertEqual(runs.map { $0["repeat"] }, ["0", "0", "1", "1"], "repeats are interleaved")
        for row in runs {
            let mb = Double(row["param_mb"]!)!
            let peak = Double(row["peak_rss_mb"]!)!, baseline = Double(row["rss_baseline_mb"]!)!
            // The workload touches mb MiB: the exact peak is at least that above the child's own baseline.
            XCTAssertGreaterThan(peak - baseline, mb * 1.048576 * 0.9, "\(row)")
            XCTAssertEqual(row["spawned_via"], "highwater-spawn")
            XCTAssertFalse(row["git_rev"]!.isEmpty)
        }
        let summary = try CLI.csv(out.appendingPathComponent("summary.csv"))
        XCTAssertEqual(summary.count, 2)
        XCTAssertEqual(summary.map { $0["runs"] }, ["2", "2"])
        for c in ["peak_rss_mb_median", "peak_rss_mb_ci95_lo", "wall_s_mean"] { XCTAssertNotNil(summary[0][c], c) }
        let ts = try CLI.csv(out.appendingPathComponent("timeseries.csv"))
        XCTAssertTrue(ts.contains { $0["event"] == "begin" } && ts.contains { $0["event"] == "end" })
        XCTAssertEqual(Set(ts.compactMap { $0["event"] }.filter { $0.hasPrefix("phase:") }), ["phase:allocate", "phase:hold", "phase:free"])
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("run.json"))) as! [String: Any]
        let env = json["environment"] as! [String: Any]
        for k in ["gitRev", "host", "cpuModel", "cores", "kernel", "swiftVersion", "commandLine"] { XCTAssertNotNil(env[k], k) }
        XCTAssertEqual(json["statuses"] as? [String: Int], ["ok": 4])
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("logs/\(runs[0]["run_id"]!).log").path))
        XCTAssertTrue(r.stderr.contains("[1/4] alloc mb=8"), "plain progress lines: \(r.stderr)")
        XCTAssertTrue(r.stdout.hasPrefix("results: "), r.stdout)
    }

    func testPlotsAreDrawnUnlessNoPlotsAndRedrawnFromCSV() throws {
        let dir = try CLI.scratch(self)
        let args = ["run", "--workload", "alloc", "--param", "mb=1,4", "--repeat", "1"] + quick
        XCTAssertEqual(try CLI.run(args + ["--out", "a", "--no-plots"], in: dir).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("a/plots").path))
        let p = try CLI.run(["plot", "a"], in: dir)
        XCTAssertEqual(p.status, 0, p.stderr)
        let pngs = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("a/plots").path).filter { $0.hasSuffix(".png") }
        XCTAssertFalse(pngs.isEmpty)
        XCTAssertEqual(try CLI.run(args + ["--out", "b"], in: dir).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("b/plots").path))
        let rep = try CLI.run(["report", "a", "--no-plots"], in: dir)
        XCTAssertEqual(rep.status, 0, rep.stderr)
        let md = try String(contentsOf: dir.appendingPathComponent("a/report.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("## Workload `alloc`"), md)
    }

    func testNameChoosesTheDefaultOutputDirectory() throws {
        let dir = try CLI.scratch(self)
        let r = try CLI.run(["run", "--workload", "alloc", "--param", "mb=1", "--repeat", "1", "--name", "mine", "--no-plots"] + quick, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try CLI.runs(dir.appendingPathComponent("results/mine")).count, 1)
    }

    func testAFailedRunIsARowAndTheExitCodeIsOne() throws {
        let dir = try CLI.scratch(self)
        let r = try CLI.run(["run", "--command", "exit {code}", "--param", "code=0,3", "--repeat", "1", "--out", "o", "--no-plots"] + quick, in: dir)
        XCTAssertEqual(r.status, 1)
        let runs = try CLI.runs(dir.appendingPathComponent("o"))
        XCTAssertEqual(runs.map { $0["status"] }, ["ok", "failed"])
        XCTAssertEqual(runs[1]["exit_code"], "3")
    }

    func testMemoryLimitKillsTheRunAsOOM() throws {
        let dir = try CLI.scratch(self)
        let r = try CLI.run(["run", "--workload", "alloc", "--param", "mb=400", "--param", "hold_ms=3000", "--memory-limit", "100",
                             "--repeat", "1", "--out", "o", "--no-plots"] + quick, in: dir)
        XCTAssertEqual(r.status, 1)
        let row = try XCTUnwrap(try CLI.runs(dir.appendingPathComponent("o")).first)
        XCTAssertEqual(row["status"], "oom", row["error"] ?? "")
        XCTAssertTrue(row["error"]!.contains("--memory-limit of 100 MB"), row["error"]!)
    }

    func testEnvKnobsAndAllocatorsAreSweptAsColumns() throws {
        let dir = try CLI.scratch(self)
        let r = try CLI.run(["run", "--workload", "alloc", "--param", "mb=2", "--env", "MALLOC_ARENA_MAX=1,2", "--allocator", "system,jemalloc",
                             "--repeat", "1", "--out", "o", "--no-plots"] + quick, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let runs = try CLI.runs(dir.appendingPathComponent("o"))
        XCTAssertEqual(Set(runs.map { "\($0["allocator"]!)/\($0["env_MALLOC_ARENA_MAX"]!)" }), ["system/1", "system/2", "jemalloc/1", "jemalloc/2"])
        XCTAssertEqual(Set(runs.map(\.["config_id"])).count, 4)
    }

    func testSuiteParamOverrideAndAllocatorOverride() throws {
        let dir = try CLI.scratch(self)
        try """
            [suite]
            name = "s"
            repeat = 1
            sample_ms = 5
            allocators = ["jemalloc"]
            [[run]]
            workload = "alloc"
            [run.params]
            mb = [1, 2]
            """.write(to: dir.appendingPathComponent("s.toml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["run", "--suite", "s.toml", "--param", "mb=3", "--allocator", "system", "--out", "o", "--no-plots",
                             "--no-overhead-check", "--plain"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let runs = try CLI.runs(dir.appendingPathComponent("o"))
        XCTAssertEqual(runs.map { $0["param_mb"] }, ["3"])
        XCTAssertEqual(runs.map { $0["allocator"] }, ["system"])
        let bad = try CLI.run(["run", "--suite", "s.toml", "--param", "rows=3", "--dry-run"], in: dir)
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.stderr, "highwater: error: --param: rows: no run in the suite has this parameter\n")
    }

    func testTheSamplerOverheadIsMeasuredAndRecorded() throws {
        let dir = try CLI.scratch(self)
        let r = try CLI.run(["run", "--workload", "alloc", "--param", "mb=1", "--repeat", "1", "--out", "o", "--no-plots", "--plain"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("sampler overhead:"), r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("o/run.json"))) as! [String: Any]
        let overhead = try XCTUnwrap(json["samplerOverhead"] as? [String: Any])
        XCTAssertNotNil((overhead["wallS"] as? [String: Double])?["off"])
        XCTAssertGreaterThan((overhead["cpuMicrosPerSample"] as? [String: Double])?["1"] ?? 0, 0)
    }
}

/// What `prepare` does is not part of the measured region's peak: VmHWM is reset after it, and the exact peak
/// (wait4) covers the measured region only, while `peak_rss_prepare_mb` keeps the preparation's own peak.
final class PrepareExclusionTests: XCTestCase {
    func testAPreparationPeakIsNotTheRunsPeak() throws {
        let dir = try CLI.scratch(self)
        let r = try CLI.run(["run", "--workload", "alloc", "--param", "mb=16", "--param", "prepare_mb=256", "--param", "hold_ms=0",
                             "--allocator", "system,jemalloc,mimalloc", "--repeat", "1", "--out", "o", "--no-plots", "--no-overhead-check"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        for row in try CLI.runs(dir.appendingPathComponent("o")) {
            let prepare = Double(row["peak_rss_prepare_mb"]!)!, peak = Double(row["peak_rss_mb"]!)!, hwm = Double(row["peak_rss_hwm_mb"]!)!
            let base = Double(row["rss_baseline_mb"]!)!
            XCTAssertGreaterThan(prepare - base, 250, "\(row["allocator"]!): the preparation touched 268 MB")
            XCTAssertLessThan(peak - base, 40, "\(row["allocator"]!): the measured region touched 16.8 MB, peak \(peak) baseline \(base)")
            XCTAssertLessThan(hwm - base, 40)
        }
    }
}

/// `parallel_write`'s workers are the built-in multi-process example: the tree, processes.csv and the report show them.
final class ProcessBreakdownTests: XCTestCase {
    func testWorkerProcessesAreInTheTreeTheFileAndTheReport() throws {
        let dir = try CLI.scratch(self)
        let r = try CLI.run(["run", "--workload", "parallel_write", "--param", "workers=2", "--param", "rows=600000", "--repeat", "1",
                             "--out", "o", "--no-plots", "--no-overhead-check", "--sample-ms", "2"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let row = try XCTUnwrap(try CLI.runs(dir.appendingPathComponent("o")).first)
        XCTAssertEqual(row["status"], "ok", row["error"] ?? "")
        XCTAssertGreaterThanOrEqual(Int(row["processes_max"] ?? "") ?? 0, 2, "the child and at least one worker at one sample")
        let procs = try CLI.csv(dir.appendingPathComponent("o/processes.csv"))
        XCTAssertEqual(procs.filter { $0["run_id"] == row["run_id"] }.count, 3, "the workload child and its two workers")
        XCTAssertEqual(try CLI.run(["report", "o", "--no-plots"], in: dir).status, 0)
        let md = try String(contentsOf: dir.appendingPathComponent("o/report.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("## Processes"), md)
        XCTAssertTrue(md.contains("| \(row["run_id"]!) | 3 | \(row["peak_tree_mb"]!) (\(row["peak_source"]!)) |"), md)
        XCTAssertTrue(["sampled", "cgroup"].contains(row["peak_source"]), row["peak_source"] ?? "")
        let series = try CLI.csv(dir.appendingPathComponent("o/process_series.csv")).filter { $0["run_id"] == row["run_id"] }
        XCTAssertEqual(Set(series.map { $0["pid"] }).count, 3, "each process's own series")
        // The per-process plot, where gnuplot is installed (make test installs it).
        if ["/usr/bin/gnuplot", "/usr/local/bin/gnuplot"].contains(where: FileManager.default.isExecutableFile(atPath:)) {
            XCTAssertEqual(try CLI.run(["plot", "o"], in: dir).status, 0)
            let plots = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("o/plots").path)
            XCTAssertTrue(plots.contains("parallel_write_processes_\(row["config_id"]!).svg"), "\(plots)")
        }
    }
}
