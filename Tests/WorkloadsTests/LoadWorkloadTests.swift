import Foundation
import XCTest
@testable import Workloads

final class LoadWorkloadTests: XCTestCase {
    func testAccessPatternsAreReproducible() {
        XCTAssertEqual(AccessPattern.sequential.order(itemCount: 5), [0, 1, 2, 3, 4])
        let random = AccessPattern.random.order(itemCount: 1_000)
        XCTAssertEqual(random.sorted(), Array(0..<1_000))
        XCTAssertNotEqual(random, Array(0..<1_000))
        XCTAssertEqual(random, AccessPattern.random.order(itemCount: 1_000))
        let zipf = AccessPattern.zipf.order(itemCount: 1_000, count: 10_000)
        XCTAssertEqual(zipf, AccessPattern.zipf.order(itemCount: 1_000, count: 10_000))
        XCTAssertTrue(zipf.allSatisfy { (0..<1_000).contains($0) })
        var counts = [Int](repeating: 0, count: 1_000)
        for i in zipf { counts[i] += 1 }
        // Zipf(1) over 1000 items: item 0 takes about 1/H(1000) = 13% of the draws, item 999 about 0.013%.
        XCTAssertGreaterThan(counts[0], 1_000)
        XCTAssertGreaterThan(counts[0], counts[1])
        XCTAssertGreaterThan(counts[1], counts[10])
    }

    /// As-available serving hands out the first item while most of its chunk is still downloading;
    /// whole-chunk serving only once all of it has arrived.
    func testAsAvailableServesFirstItemBeforeItsChunkCompletes() throws {
        // One 1 MiB chunk of 4 KiB items at 1 MB/s: the chunk takes about 1 s, the first item about 4 ms, so the
        // consumer would have to be half a second late (not a scheduling hiccup) for the first check to fail.
        let common = ["chunk_mb": "1", "item_bytes": "4096", "items": "256", "bandwidth_mb_s": "1", "prefetch": "0",
                      "memory_budget_mb": "4"]
        var asAvailable = common
        asAvailable["serve"] = "as_available"
        var wholeChunk = common
        wholeChunk["serve"] = "whole_chunk"
        let a = try WorkloadHarness.run(LoadWorkload.self, asAvailable)
        let w = try WorkloadHarness.run(LoadWorkload.self, wholeChunk)
        XCTAssertEqual(a.rows, 256)
        XCTAssertEqual(w.rows, 256)
        XCTAssertLessThan(a.metrics["first_item_chunk_arrived_pct"]!, 50)
        XCTAssertEqual(w.metrics["first_item_chunk_arrived_pct"]!, 100)
        XCTAssertLessThan(a.metrics["time_to_first_item_ms"]!, w.metrics["time_to_first_item_ms"]!)
    }

    /// A budget smaller than the data forces evictions, and the bytes held never exceed the budget.
    func testSmallBudgetEvictsAndStaysWithinBudget() throws {
        // 64 chunks of 64 KiB (4 MiB) through a 1 MiB budget, unthrottled.
        let base = ["chunk_mb": "0.0625", "item_bytes": "1024", "items": "4096", "bandwidth_mb_s": "0",
                    "memory_budget_mb": "1", "prefetch": "2"]
        let sequential = try WorkloadHarness.run(LoadWorkload.self, base)
        XCTAssertEqual(sequential.metrics["chunks"], 64)
        XCTAssertGreaterThanOrEqual(sequential.metrics["evictions"]!, 48)
        XCTAssertLessThanOrEqual(sequential.metrics["peak_chunk_bytes_held_mb"]!, 1.048576)
        XCTAssertEqual(sequential.metrics["redownloaded_mb"], 0)

        var big = base
        big["memory_budget_mb"] = "8"
        let roomy = try WorkloadHarness.run(LoadWorkload.self, big)
        XCTAssertEqual(roomy.metrics["evictions"], 0)

        var randomOffload = base
        randomOffload["access"] = "random"
        randomOffload["disk_offload"] = "true"
        let offload = try WorkloadHarness.run(LoadWorkload.self, randomOffload)
        XCTAssertGreaterThan(offload.metrics["offloaded_mb"]!, 0)
        XCTAssertGreaterThan(offload.metrics["offload_read_mb"]!, 0)
        XCTAssertEqual(offload.metrics["redownloaded_mb"], 0)
        XCTAssertLessThanOrEqual(offload.metrics["peak_chunk_bytes_held_mb"]!, 1.048576)

        randomOffload["disk_offload"] = "false"
        let refetch = try WorkloadHarness.run(LoadWorkload.self, randomOffload)
        XCTAssertGreaterThan(refetch.metrics["redownloaded_mb"]!, 0)
        XCTAssertEqual(refetch.metrics["offloaded_mb"], 0)
        XCTAssertEqual(refetch.caches["items"]!.hits + refetch.caches["items"]!.misses, 4096)
    }

    func testBudgetSmallerThanOneChunkIsRejected() {
        XCTAssertThrowsError(try LoadWorkload(parameters: ParameterValues(specs: LoadWorkload.parameters,
                                                                          raw: ["chunk_mb": "8", "memory_budget_mb": "4"], workload: "load")))
    }
}
