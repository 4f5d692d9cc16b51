import XCTest
import RunContract
@testable import Harness

/// The merge of command-line options with a suite file (`run --suite F --param ...`, `check --suite F ...`).
final class PlanOverridesTests: XCTestCase {
    private func suiteFile(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hw-overrides-\(UUID().uuidString).toml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    private let twoEntries = """
        [suite]
        name = "s"
        repeat = 2
        allocators = ["system", "jemalloc"]
        [[run]]
        workload = "write"
        allocators = ["mimalloc"]
        [run.params]
        rows = [1000, 2000]
        batch_size = 100
        [[run]]
        command = "prog {rows} {other}"
        [run.params]
        rows = 5
        other = "x"
        [[run]]
        workload = "alloc"
        [run.params]
        mb = 1
        """

    func testParamReplacesTheAxisInEveryEntryThatHasIt() throws {
        var o = PlanOverrides()
        o.suitePath = try suiteFile(twoEntries)
        o.params = ["rows=7,8,9"]
        let plan = try o.makePlan()
        XCTAssertEqual(plan.entries[0].params.first { $0.name == "rows" }?.values, ["7", "8", "9"])
        XCTAssertEqual(plan.entries[0].params.first { $0.name == "batch_size" }?.values, ["100"], "other axes stay")
        XCTAssertEqual(plan.entries[1].params.first { $0.name == "rows" }?.values, ["7", "8", "9"], "a command placeholder accepts it")
        XCTAssertNil(plan.entries[2].params.first { $0.name == "rows" }, "alloc has no rows parameter")
    }

    func testParamThatNoEntryHasIsAnError() throws {
        var o = PlanOverrides()
        o.suitePath = try suiteFile(twoEntries)
        o.params = ["nope=1"]
        XCTAssertThrowsError(try o.makePlan()) { e in
            XCTAssertEqual((e as? HarnessError)?.line, "highwater: error: --param: nope: no run in the suite has this parameter")
        }
    }

    func testAllocatorReplacesSuiteAndEntryAllocators() throws {
        var o = PlanOverrides()
        o.suitePath = try suiteFile(twoEntries)
        XCTAssertEqual(try o.makePlan().entries[0].allocators, [.mimalloc])
        o.allocators = "jemalloc,system"
        let plan = try o.makePlan()
        XCTAssertEqual(plan.allocators, [.jemalloc, .system])
        XCTAssertTrue(plan.entries.allSatisfy { $0.allocators == nil })
    }

    func testScalarOptionsReplaceTheSuitesValues() throws {
        var o = PlanOverrides()
        o.suitePath = try suiteFile(twoEntries)
        XCTAssertEqual(try o.makePlan().repeats, 2)
        o.repeats = 5
        o.warmup = 1
        o.sampleMs = 2.5
        o.timeoutS = 9
        o.memoryLimitMB = 300
        o.env = ["MALLOC_ARENA_MAX=1,2"]
        o.name = "renamed"
        o.drawPlots = false
        let plan = try o.makePlan()
        XCTAssertEqual(plan.repeats, 5)
        XCTAssertEqual(plan.warmup, 1)
        XCTAssertEqual(plan.sampleMs, 2.5)
        XCTAssertEqual(plan.timeoutS, 9)
        XCTAssertEqual(plan.memoryLimitMB, 300)
        XCTAssertEqual(plan.env, [Axis(name: "MALLOC_ARENA_MAX", values: ["1", "2"])])
        XCTAssertEqual(plan.name, "renamed")
        XCTAssertFalse(plan.drawPlots)
    }

    func testWithoutASuiteOneEntryIsMade() throws {
        var o = PlanOverrides()
        XCTAssertThrowsError(try o.makePlan())
        o.workload = "alloc"
        o.params = ["mb=1,2"]
        let plan = try o.makePlan(now: Date(timeIntervalSince1970: 0))
        XCTAssertEqual(plan.name, "19700101-000000")
        XCTAssertEqual(plan.entries, [SweepEntry(workload: "alloc", command: nil, params: [Axis(name: "mb", values: ["1", "2"])])])
    }

    func testSuiteCannotBeCombinedWithWorkloadOrCommand() throws {
        var o = PlanOverrides()
        o.suitePath = try suiteFile(twoEntries)
        o.command = "true"
        XCTAssertThrowsError(try o.makePlan()) { e in
            XCTAssertEqual((e as? HarnessError)?.source, "--command")
        }
    }

    func testAxisParsing() throws {
        XCTAssertEqual(try Axis.parse(" k = a, b ", flag: "--param"), Axis(name: "k", values: ["a", "b"]))
        for bad in ["k", "=1", "k=1,,2", "k="] {
            XCTAssertThrowsError(try Axis.parse(bad, flag: "--param"), bad)
        }
    }

    func testForwardedArgumentsReproduceTheOverrides() throws {
        var o = PlanOverrides()
        o.params = ["rows=1,2"]
        o.env = ["MALLOC_ARENA_MAX=1"]
        o.allocators = "jemalloc"
        o.sampleMs = 2.5
        o.timeoutS = 30
        o.allocCounts = true
        XCTAssertEqual(o.forwardedArguments, ["--param", "rows=1,2", "--env", "MALLOC_ARENA_MAX=1", "--allocator", "jemalloc",
                                              "--sample-ms", "2.5", "--timeout", "30", "--alloc-counts"])
    }
}
