import XCTest
import RunContract
@testable import Harness
import Workloads

final class PlanTests: XCTestCase {
    func plan(_ params: [Axis], allocators: [Allocator] = [.system], repeats: Int = 2) -> SweepPlan {
        var p = SweepPlan(name: "t", entries: [SweepEntry(workload: "alloc", params: params)])
        p.allocators = allocators
        p.repeats = repeats
        return p
    }

    func testGridExpansionIsCartesianWithLastAxisFastest() throws {
        let p = plan([Axis(name: "mb", values: ["1", "2"]), Axis(name: "step_mb", values: ["1", "4", "8"])], allocators: [.system, .jemalloc])
        let configs = try p.configurations()
        XCTAssertEqual(configs.count, 12)
        XCTAssertEqual(configs[0].param("mb"), "1")
        XCTAssertEqual(configs[0].param("step_mb"), "1")
        XCTAssertEqual(configs[1].param("step_mb"), "4")
        XCTAssertEqual(configs[3].param("mb"), "2")
        XCTAssertEqual(configs[6].allocator, .jemalloc)
        // Defaults filled in, declaration order kept.
        XCTAssertEqual(configs[0].params.map(\.key), ["mb", "step_mb", "hold_ms", "prepare_mb"])
        XCTAssertEqual(configs[0].param("hold_ms"), "50")
        XCTAssertEqual(Set(configs.map(\.configID)).count, 12)
        XCTAssertEqual(configs[0].sweptParams, ["mb", "step_mb"])
    }

    func testConfigIDIsStableAndIgnoresHowDefaultsAreSpelled() throws {
        let a = try plan([Axis(name: "mb", values: ["64"])]).configurations()[0]
        let b = try plan([Axis(name: "mb", values: ["64"]), Axis(name: "hold_ms", values: ["50"])]).configurations()[0]
        let c = try plan([]).configurations()[0]
        XCTAssertEqual(a.configID, b.configID)
        XCTAssertEqual(a.configID, c.configID)
        XCTAssertEqual(a.configID.count, 16)
        let d = try plan([], allocators: [.jemalloc]).configurations()[0]
        XCTAssertNotEqual(a.configID, d.configID)
        // Canonical values: 1k == 1000.
        let k = try plan([Axis(name: "mb", values: ["1k"])]).configurations()[0]
        XCTAssertEqual(k.param("mb"), "1000")
    }

    func testRunsAreInterleavedAcrossRepeatsWarmupsFirstAndShardsPartition() throws {
        var p = plan([Axis(name: "mb", values: ["1", "2", "3"])], repeats: 3)
        p.warmup = 1
        let runs = try p.orderedRuns()
        XCTAssertEqual(runs.count, 12)
        XCTAssertTrue(runs.prefix(3).allSatisfy(\.isWarmup))
        let measured = runs.filter { !$0.isWarmup }
        XCTAssertEqual(measured.map(\.repeatIndex), [0, 0, 0, 1, 1, 1, 2, 2, 2])
        XCTAssertEqual(measured.map { $0.configuration.param("mb")! }, ["1", "2", "3", "1", "2", "3", "1", "2", "3"])
        XCTAssertEqual(Set(measured.map(\.runID)).count, 9)
        var all: [String] = []
        for i in 1...2 {
            var s = p
            s.shard = "\(i)/2"
            all += try s.orderedRuns().filter { !$0.isWarmup }.map(\.runID)
        }
        XCTAssertEqual(all.sorted(), measured.map(\.runID).sorted())
    }

    func testValidationNamesFlagFieldAndValue() {
        func error(_ p: SweepPlan) -> HarnessError? {
            do { _ = try p.configurations(); return nil } catch { return error as? HarnessError }
        }
        var p = SweepPlan(name: "t", entries: [SweepEntry(workload: "nope")])
        XCTAssertEqual(error(p)?.source, "--workload")
        XCTAssertEqual(error(p)?.value, "nope")
        p = plan([Axis(name: "gigabytes", values: ["1"])])
        XCTAssertEqual(error(p)?.source, "--param")
        XCTAssertTrue(error(p)?.reason.contains("no such parameter") ?? false)
        p = plan([Axis(name: "mb", values: ["1", "lots"])])
        XCTAssertEqual(error(p)?.value, "lots")
        XCTAssertTrue(error(p)?.reason.contains("not an integer") ?? false, error(p)?.description ?? "")
        p = plan([Axis(name: "mb", values: ["-5"])])
        XCTAssertTrue(error(p)?.reason.contains("outside") ?? false)
        p = plan([])
        p.repeats = 0
        XCTAssertEqual(error(p)?.source, "--repeat")
        p = plan([])
        p.env = [Axis(name: "PATH", values: ["/"])]
        XCTAssertEqual(error(p)?.value, "PATH")
        p = SweepPlan(name: "t", entries: [SweepEntry(command: "echo {n}", params: [Axis(name: "m", values: ["1"])])])
        XCTAssertTrue(error(p)?.reason.contains("placeholder") ?? false)
        XCTAssertThrowsError(try Allocator.parse("tcmalloc", source: "--allocator"))
        XCTAssertEqual(try Allocator.parse("glibc", source: "x"), .system)
        let line = HarnessError(source: "suites/x.toml", field: "run[0].params.mb", value: "abc", reason: "not an integer").line
        XCTAssertEqual(line, "highwater: error: suites/x.toml: run[0].params.mb: 'abc': not an integer")
    }

    func testCommandTemplateSubstitution() throws {
        let p = SweepPlan(name: "t", entries: [SweepEntry(command: "prog --n {n} --m {m}", params: [Axis(name: "n", values: ["1", "2"]), Axis(name: "m", values: ["x"])])])
        let configs = try p.configurations()
        XCTAssertEqual(configs.map { $0.substitutedCommand! }, ["prog --n 1 --m x", "prog --n 2 --m x"])
        XCTAssertEqual(configs[0].workload, "command")
    }

    func testUnwritableOutputDirectoryIsRejected() {
        XCTAssertThrowsError(try prepareOutputDirectory(URL(fileURLWithPath: "/proc/highwater-cannot-exist"))) { e in
            XCTAssertEqual((e as? HarnessError)?.source, "--out")
        }
    }
}

final class SuiteTests: XCTestCase {
    let good = """
    [suite]
    name = "demo"
    repeat = 2
    warmup = 1
    sample_ms = 5
    timeout_s = 30
    memory_limit_mb = 4000
    allocators = ["system", "jemalloc"]

    [suite.env]
    MALLOC_ARENA_MAX = [1, 2]

    [[run]]
    workload = "alloc"
    [run.params]
    mb = [8, 16]
    hold_ms = 0

    [[run]]
    command = "echo {n}"
    allocators = ["system"]
    [run.params]
    n = ["a", "b", "c"]

    [thresholds]
    peak_rss_mb = "+10%"
    """

    func testGoodSuite() throws {
        let p = try Suite.parse(good, source: "demo.toml")
        XCTAssertEqual(p.name, "demo")
        XCTAssertEqual(p.repeats, 2)
        XCTAssertEqual(p.warmup, 1)
        XCTAssertEqual(p.sampleMs, 5)
        XCTAssertEqual(p.timeoutS, 30)
        XCTAssertEqual(p.memoryLimitMB, 4000)
        XCTAssertEqual(p.allocators, [.system, .jemalloc])
        XCTAssertEqual(p.env, [Axis(name: "MALLOC_ARENA_MAX", values: ["1", "2"])])
        XCTAssertEqual(p.entries.count, 2)
        XCTAssertEqual(p.entries[1].allocators, [.system])
        let configs = try p.configurations()
        // alloc: 2 allocators x 2 env x 2 mb; command: 1 allocator x 2 env x 3 n.
        XCTAssertEqual(configs.count, 8 + 6)
        XCTAssertEqual(configs.filter { $0.workload == "alloc" }.map { $0.param("hold_ms")! }, Array(repeating: "0", count: 8))
        XCTAssertEqual(configs.first?.env, [KeyValue("MALLOC_ARENA_MAX", "1")])
    }

    func testMalformedSuites() {
        func reason(_ text: String) -> HarnessError? {
            do { _ = try Suite.parse(text, source: "bad.toml").configurations(); return nil } catch { return error as? HarnessError }
        }
        let syntax = reason("[suite\nname = 1")
        XCTAssertEqual(syntax?.source, "bad.toml")
        XCTAssertTrue(syntax?.reason.contains("TOML syntax") ?? false)
        XCTAssertEqual(reason("[[run]]\nworkload = \"alloc\"")?.field, "suite")
        XCTAssertEqual(reason("[suite]\nrepeats = 3\n[[run]]\nworkload = \"alloc\"")?.field, "suite.repeats")
        XCTAssertEqual(reason("[suite]\nrepeat = \"three\"\n[[run]]\nworkload = \"alloc\"")?.field, "suite.repeat")
        XCTAssertEqual(reason("[suite]\n[[run]]\nworkload = \"alloc\"\nparam = 1")?.field, "run[0].param")
        XCTAssertEqual(reason("[suite]\n[[run]]\nworkload = \"alloc\"\n[run.params]\nmb = [\"x\"]")?.field, "run[0].params.mb")
        XCTAssertEqual(reason("[suite]\n[[run]]\nworkload = \"alloc\"\n[run.params]\nmb = []")?.field, "run[0].params.mb")
        XCTAssertEqual(reason("[suite]\nallocators = [\"tcmalloc\"]\n[[run]]\nworkload = \"alloc\"")?.value, "tcmalloc")
        XCTAssertEqual(reason("[suite]\n")?.field, "run")
        XCTAssertEqual(reason("[suite]\n[[run]]\nworkload = \"nope\"")?.field, "run[0].workload")
    }

    func testDefaultSuiteInRepositoryParses() throws {
        // The repository's default suite must stay valid (the path is relative to the package root).
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("suites/default.toml").path
        let p = try Suite.load(path: path)
        XCTAssertGreaterThan(try p.configurations().count, 0)
    }
}
