import Foundation
import XCTest

/// The reliability cases: concurrent sweeps, floods, a full disk, huge values, hostile protocol lines, a killed or
/// interrupted harness, a closed stdout. Each waits on files or process state, never on a fixed sleep.
final class FaultInjectionTests: XCTestCase {
    private let quick = ["--no-plots", "--no-overhead-check", "--plain", "--sample-ms", "5"]

    /// Starts the binary without waiting; output to files in `dir`.
    private func start(_ args: [String], in dir: URL, stdout: FileHandle? = nil) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = args
        p.currentDirectoryURL = dir
        p.standardOutput = stdout ?? FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Waits (up to `seconds`) until `condition` holds; false on time-out.
    private func waitUntil(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(5_000)
        }
        return condition()
    }

    /// Pids of processes whose command line contains `token`.
    private func processes(containing token: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(token)
        }
    }

    private func logFiles(_ dir: URL) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("logs").path)) ?? []
    }

    func testASecondSweepIntoTheSameDirectoryIsRefused() throws {
        let dir = try CLI.scratch(self)
        let first = try start(["run", "--command", "exec sleep {s}", "--param", "s=30.5", "--repeat", "1", "--out", "o"] + quick, in: dir)
        defer { first.terminate(); first.waitUntilExit() }
        XCTAssertTrue(waitUntil(20) { !logFiles(dir.appendingPathComponent("o")).isEmpty })
        let second = try CLI.run(["run", "--workload", "alloc", "--param", "mb=1", "--repeat", "1", "--out", "o"] + quick, in: dir)
        XCTAssertEqual(second.status, 2)
        XCTAssertTrue(second.stderr.contains("another sweep (pid \(first.processIdentifier)) is writing there"), second.stderr)
    }

    func testEarlierResultsAreMovedAsideNotDestroyed() throws {
        let dir = try CLI.scratch(self)
        let args = ["run", "--workload", "alloc", "--param", "mb=1", "--repeat", "1", "--out", "o"] + quick
        XCTAssertEqual(try CLI.run(args, in: dir).status, 0)
        let before = try String(contentsOf: dir.appendingPathComponent("o/runs.csv"), encoding: .utf8)
        let again = try CLI.run(args, in: dir)
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stderr.contains("moved to"), again.stderr)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("o/previous/runs.csv"), encoding: .utf8), before)
        XCTAssertEqual(try CLI.runs(dir.appendingPathComponent("o")).count, 1)
    }

    func testAFloodingCommandStillTimesOutOnTime() throws {
        let dir = try CLI.scratch(self)
        let t0 = Date()
        let r = try CLI.run(["run", "--command", "while :; do echo {line}; done", "--param", "line=flood", "--timeout", "1", "--repeat", "1",
                             "--out", "o"] + quick, in: dir)
        XCTAssertEqual(r.status, 1)
        let row = try XCTUnwrap(try CLI.runs(dir.appendingPathComponent("o")).first)
        XCTAssertEqual(row["status"], "timeout")
        XCTAssertLessThan(Double(row["wall_s"]!)!, 1.5)
        XCTAssertGreaterThan(Int(row["samples"]!)!, 20, "sampling went on during the flood")
        XCTAssertLessThan(Date().timeIntervalSince(t0), 20)
    }

    func testOutputOverTheLogLimitStopsTheRun() throws {
        let dir = try CLI.scratch(self)
        let r = try CLI.run(["run", "--command", "exec yes {w}", "--param", "w=y", "--max-log-mb", "20", "--timeout", "30", "--repeat", "1",
                             "--out", "o"] + quick, in: dir)
        XCTAssertEqual(r.status, 1)
        let row = try XCTUnwrap(try CLI.runs(dir.appendingPathComponent("o")).first)
        XCTAssertEqual(row["status"], "failed")
        XCTAssertTrue(row["error"]!.contains("--max-log-mb of 20 MB"), row["error"]!)
        let out = dir.appendingPathComponent("o/logs/\(row["run_id"]!).out")
        let size = (try FileManager.default.attributesOfItem(atPath: out.path)[.size] as? Int) ?? 0
        XCTAssertLessThan(size, 200_000_000, "stopped near the limit, not at the disk's end")
    }

    func testADiskLimitIsAOneLineErrorAndEveryWrittenRowStaysWhole() throws {
        let dir = try CLI.scratch(self)
        // RLIMIT_FSIZE of 48 KiB (as a full disk): runs.csv or timeseries.csv hits it within a few runs.
        let script = "ulimit -f 48; exec \(CLI.binary) run --command 'echo {n}' --param n=x --repeat 400 --out o --no-plots --no-overhead-check --plain --sample-ms 1"
        let r = try CLI.run(["-c", script], in: dir, executable: "/bin/sh")
        XCTAssertEqual(r.status, 3, r.stderr)
        let last = r.stderr.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(last.hasPrefix("highwater: error: ") && last.contains(".csv: ") && last.contains("errno 27"), last)
        // Every row on disk is whole: the file parses and every row has the header's width.
        let text = try String(contentsOf: dir.appendingPathComponent("o/runs.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.last, "", "ends with a complete line")
        let width = CLI.splitCSV(String(lines[0])).count
        for l in lines.dropFirst().dropLast() { XCTAssertEqual(CLI.splitCSV(String(l)).count, width) }
        XCTAssertGreaterThan(lines.count, 3)
    }

    func testAMillionRunDryRunInConstantMemory() throws {
        let dir = try CLI.scratch(self)
        let values = (1...1000).map(String.init).joined(separator: ",")
        let script = "ulimit -v 204800; exec \(CLI.binary) run --workload alloc --param hold_ms=\(values) --repeat 1000 --max-runs 1000000 --dry-run | tail -1"
        let r = try CLI.run(["-c", script], in: dir, executable: "/bin/sh")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("1000000\t"), r.stdout)
        let refused = try CLI.run(["run", "--workload", "alloc", "--param", "hold_ms=\(values)", "--param", "mb=\(values)", "--dry-run"], in: dir)
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("'3000000': the sweep plans more runs than the limit of 100000"), refused.stderr)
    }

    func testAProtocolLineCannotOverwriteAMeasurement() throws {
        let dir = try CLI.scratch(self)
        let cmd = "echo 'highwater: metric peak_rss_mb={v}'; echo 'highwater: metric run_id=7'; echo 'highwater: metric 1bad=2'; echo 'metric rows=9' >&$HIGHWATER_EVENTS_FD"
        let r = try CLI.run(["run", "--command", cmd, "--param", "v=0.001", "--repeat", "1", "--out", "o"] + quick, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let row = try XCTUnwrap(try CLI.runs(dir.appendingPathComponent("o")).first)
        XCTAssertGreaterThan(Double(row["peak_rss_mb"]!)!, 0.1, "the measured peak stands")
        XCTAssertEqual(row["metric_peak_rss_mb"], "0.001")
        XCTAssertEqual(row["metric_run_id"], "7")
        XCTAssertNotEqual(row["run_id"], "7")
        XCTAssertEqual(row["rows"], "9", "the events descriptor works for commands")
        XCTAssertEqual(row["protocol_malformed_lines"], "1")
        let log = try String(contentsOf: dir.appendingPathComponent("o/logs/\(row["run_id"]!).log"), encoding: .utf8)
        XCTAssertTrue(log.contains("'highwater: metric 1bad=2'"), log)
    }

    func testAKilledHarnessLeavesNoProcessBehind() throws {
        let dir = try CLI.scratch(self)
        let token = "31.\(Int.random(in: 100...999))"
        let sweep = try start(["run", "--command", "sleep {s} & sleep {s}; wait", "--param", "s=\(token)", "--repeat", "1", "--out", "o"] + quick, in: dir)
        XCTAssertTrue(waitUntil(20) { processes(containing: "sleep \(token)").count >= 2 })
        kill(sweep.processIdentifier, SIGKILL)
        sweep.waitUntilExit()
        XCTAssertTrue(waitUntil(1) { processes(containing: token).isEmpty }, "left behind: \(processes(containing: token))")
    }

    func testAnInterruptWritesTheSummaryAndMarksTheRun() throws {
        let dir = try CLI.scratch(self)
        let sweep = try start(["run", "--command", "exec sleep {s}", "--param", "s=0,30", "--repeat", "1", "--out", "o"] + quick, in: dir)
        let out = dir.appendingPathComponent("o")
        XCTAssertTrue(waitUntil(20) { ((try? CLI.runs(out)) ?? []).count == 1 && logFiles(out).count >= 2 })
        kill(sweep.processIdentifier, SIGINT)
        sweep.waitUntilExit()
        XCTAssertEqual(sweep.terminationStatus, 130)
        XCTAssertEqual(try CLI.runs(out).count, 1, "the interrupted run is not a row")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("summary.csv").path))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("run.json"))) as! [String: Any]
        XCTAssertEqual(json["interrupted"] as? String, "SIGINT")
    }

    func testAClosedStdoutDoesNotStopTheSweep() throws {
        let dir = try CLI.scratch(self)
        let script = "\(CLI.binary) run --workload alloc --param mb=1,2,3 --repeat 1 --out o --no-plots --no-overhead-check | head -c 1; sleep 0.2"
        let r = try CLI.run(["-c", script], in: dir, executable: "/bin/bash")
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(try CLI.runs(dir.appendingPathComponent("o")).count, 3)
    }

    func testAProgramThatKillsItselfIsACrashNotAnOOM() throws {
        let dir = try CLI.scratch(self)
        let r = try CLI.run(["run", "--command", "kill -{sig} $$", "--param", "sig=KILL", "--repeat", "1", "--out", "o"] + quick, in: dir)
        XCTAssertEqual(r.status, 1)
        let row = try XCTUnwrap(try CLI.runs(dir.appendingPathComponent("o")).first)
        XCTAssertEqual(row["status"], "crashed", row["error"] ?? "")
        XCTAssertTrue(row["error"]!.hasPrefix("SIGKILL"), row["error"]!)
    }

    func testOutputFilesDoNotFollowSymlinks() throws {
        let dir = try CLI.scratch(self)
        let victim = dir.appendingPathComponent("victim.txt")
        try "keep me\n".write(to: victim, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("o")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: out.appendingPathComponent("summary.csv"), withDestinationURL: victim)
        try FileManager.default.createSymbolicLink(at: out.appendingPathComponent("timeseries.csv"), withDestinationURL: victim)
        let r = try CLI.run(["run", "--workload", "alloc", "--param", "mb=1", "--repeat", "1", "--out", "o"] + quick, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try String(contentsOf: victim, encoding: .utf8), "keep me\n")
        XCTAssertEqual(try CLI.csv(out.appendingPathComponent("summary.csv")).count, 1)
    }
}
