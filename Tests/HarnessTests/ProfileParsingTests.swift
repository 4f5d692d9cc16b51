import XCTest
import RunContract
@testable import Harness

/// The profile readers and writers on fixed inputs: folded stacks, perf script text, heaptrack's summary line, frame
/// tables, sites, groups, diffs and the flame graph SVG.
final class ProfileParsingTests: XCTestCase {
    func testFoldedStacksMergeParseAndCountRecursionOnce() throws {
        let text = "main (a.c);f (a.c); 30\nmain (a.c);f (a.c);f (a.c) 10\n\nmain (a.c);g (a.c) 60\nmain (a.c);f (a.c); 0\n"
        let s = try FoldedStacks.parse(text, source: "t")
        XCTAssertEqual(s.total, 100)
        XCTAssertEqual(s.costs.count, 3)
        let t = FrameTable(s)
        XCTAssertEqual(t.row("f (a.c)")?.inclusiveCost, 40, "recursion counted once per stack")
        XCTAssertEqual(t.row("f (a.c)")?.selfCost, 40)
        XCTAssertEqual(t.row("main (a.c)")?.inclusivePercent, 100)
        XCTAssertEqual(t.row("g (a.c)")?.selfPercent, 60)
        let again = try FoldedStacks.parse(s.text, source: "t2")
        XCTAssertEqual(again, s)
        XCTAssertThrowsError(try FoldedStacks.parse("main;f\n", source: "x.folded")) { e in
            XCTAssertTrue("\(e)".contains("x.folded: line 1"), "\(e)")
        }
    }

    func testPerfScriptSamplesBecomeRootFirstStacksWithTimes() throws {
        let text = """
        my prog  1874  9699.406907: 
        \t            11ce spin+0x4d (/tmp/cpu)
        \t            11f4 work_a (/tmp/cpu)
        \t           2724a [unknown] (/usr/lib/x86_64-linux-gnu/libzstd.so.1.5.4)

        sh  1875  9700.000001: 
        \t            1000 main (/bin/sh)

        """
        let samples = try PerfScriptParser.parse(text)
        XCTAssertEqual(samples.count, 2)
        XCTAssertEqual(samples[0].stack, ["my prog", "[libzstd.so.1.5.4]", "work_a", "spin"])
        XCTAssertEqual(samples[0].timeNs, 9_699_406_907_000, accuracy: 1000)
        XCTAssertEqual(samples[1].stack, ["sh", "main"])
        XCTAssertThrowsError(try PerfScriptParser.parse("garbage\n"))
        XCTAssertEqual(CPUProfiler.phase(at: 5, [("(measured)", 2), ("encode", 4), ("(after)", 9)]), "encode")
        XCTAssertEqual(CPUProfiler.phase(at: 1, [("(measured)", 2)]), "(before)")
    }

    func testHeaptrackPeakLineAndSitesSkipAllocationMachinery() throws {
        XCTAssertEqual(try XCTUnwrap(HeapProfiler.reportedPeak("x\npeak heap memory consumption: 60.07M\n")), 60.07e6, accuracy: 1)
        XCTAssertEqual(try XCTUnwrap(HeapProfiler.reportedPeak("peak heap memory consumption: 512B")), 512)
        XCTAssertNil(HeapProfiler.reportedPeak("nothing"))
        XCTAssertEqual(AllocationSite.site(of: ["main", "Writer.add(_:)", "specialized Array.append(_:)", "swift_allocObject", "malloc"]), "Writer.add(_:) ← main")
        XCTAssertEqual(AllocationSite.site(of: ["main", "Gen.batch()", "Builder.finish()", "Column.allocate(rows:)", "BufferPool.allocate(_:)",
                                                "allocateBytes(_:)"]), "Builder.finish() ← Gen.batch()")
        XCTAssertEqual(FrameGroup.name("static StatisticsCollector.collect(_:hashes:)"), "StatisticsCollector")
        XCTAssertEqual(FrameGroup.name("closure #1 in BatchEncoder.encode(_:options:)"), "BatchEncoder")
        XCTAssertEqual(FrameGroup.name("ZSTD_compressBlock_fast"), "ZSTD")
        XCTAssertEqual(FrameGroup.name("[libzstd.so.1.5.4]"), "[libzstd.so.1.5.4]")
        XCTAssertEqual(FrameGroup.name("protocol witness for Workload.run(_:) in conformance WriteWorkload"), "WriteWorkload")
    }

    func testDiffsAndFlameGraphAreSelfContained() throws {
        var a = FoldedStacks(), b = FoldedStacks()
        a.add(["main", "Acc.hold(_:)"], 900e6)
        a.add(["main", "Enc.page(_:)"], 10e6)
        b.add(["main", "Enc.page(_:)"], 12e6)
        let rows = StackDiff.heapSites(before: a, after: b)
        XCTAssertEqual(rows.first?.name, "Acc.hold(_:) ← main")
        XCTAssertEqual(rows.first?.change ?? 0, -900, accuracy: 1e-9)
        XCTAssertEqual(rows.last?.change ?? 0, 2, accuracy: 1e-9)
        let svg = FlameGraphSVG(title: "t <&>", subtitle: "s", unit: .bytes).render(b, base: a)
        XCTAssertTrue(svg.hasPrefix("<?xml"))
        XCTAssertTrue(svg.contains("<title>Enc.page(_:) (12.00 MB, 100.00%)"))
        XCTAssertTrue(svg.contains("t &lt;&amp;&gt;"))
        XCTAssertFalse(svg.contains("href="), "no external resources")
        XCTAssertTrue(svg.contains("<script"))
        XCTAssertThrowsError(try ProfileKind.parseList("heap,bogus")) { e in
            XCTAssertEqual("\(e)", "--profile: 'bogus': unknown profile (known: heap, cpu)")
        }
        XCTAssertEqual(try ProfileKind.parseList("cpu,heap,cpu"), [.cpu, .heap])
    }
}

/// heaptrack_print -F lists an instruction pointer's inlined functions innermost first; its text backtraces show
/// which functions share an instruction pointer, and those groups are put back in call order.
final class HeaptrackInlineOrderTests: XCTestCase {
    func testInlinedGroupsAreReversedIntoCallOrder() {
        let backtraces = """
        PEAK MEMORY CONSUMERS
        1.20G peak memory consumed over 600 calls from
          allocateBytes(_:)
            at /src/ByteBuffer.swift:10
            in /bin/highwater
          BufferPool.allocate(_:)
            at /src/BufferPool.swift:20
          RecordBatchBuilder.finish()
            at /src/RecordBatchBuilder.swift:5
            in /bin/highwater
          main
            in /bin/highwater

        """
        let order = HeaptrackInlineOrder(backtraces: backtraces)
        XCTAssertEqual(order.groups["allocateBytes(_:) (ByteBuffer.swift)"], [["allocateBytes(_:) (ByteBuffer.swift)", "BufferPool.allocate(_:) (BufferPool.swift)"]])
        let folded = ["main", "RecordBatchBuilder.finish() (RecordBatchBuilder.swift)", "allocateBytes(_:) (ByteBuffer.swift)", "BufferPool.allocate(_:) (BufferPool.swift)"]
        XCTAssertEqual(order.fix(folded), ["main", "RecordBatchBuilder.finish() (RecordBatchBuilder.swift)",
                                           "BufferPool.allocate(_:) (BufferPool.swift)", "allocateBytes(_:) (ByteBuffer.swift)"])
        XCTAssertEqual(HeaptrackInlineOrder(backtraces: "").fix(folded), folded)
    }
}
