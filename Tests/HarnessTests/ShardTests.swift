import XCTest
import RunContract
@testable import Harness

final class ShardTests: XCTestCase {
    func testEveryRunInExactlyOneShard() throws {
        for total in [0, 1, 2, 7, 12, 31, 100] {
            let items = Array(0..<total)
            for n in 1...8 {
                var seen: [Int] = []
                var sizes: [Int] = []
                for i in 1...n {
                    let part = try Shard(index: i, count: n).select(items)
                    XCTAssertEqual(part, part.sorted(), "order kept")
                    seen += part
                    sizes.append(part.count)
                }
                XCTAssertEqual(seen.sorted(), items, "\(total) runs over \(n) shards")
                XCTAssertLessThanOrEqual((sizes.max() ?? 0) - (sizes.min() ?? 0), 1, "balanced")
            }
        }
    }

    func testParsing() throws {
        XCTAssertEqual(try Shard(parsing: "2/4"), try Shard(index: 2, count: 4))
        XCTAssertEqual(try Shard(parsing: "1/1").description, "1/1")
        for bad in ["0/4", "5/4", "2", "a/b", "1/0", "1/2/3", ""] {
            XCTAssertThrowsError(try Shard(parsing: bad), bad)
        }
    }
    func testShardedPlansCoverEveryPlannedRunOnce() throws {
        var plan = SweepPlan(name: "t", entries: [SweepEntry(workload: "alloc", params: [Axis(name: "mb", values: ["1", "2", "3"])])])
        plan.repeats = 4
        let all = try plan.orderedRuns().map(\.runID)
        XCTAssertEqual(all.count, 12)
        for n in [1, 2, 3, 5, 12, 13] {
            var seen: [String] = []
            for i in 1...n {
                var p = plan
                p.shard = "\(i)/\(n)"
                seen += try p.orderedRuns().filter { !$0.isWarmup }.map(\.runID)
            }
            XCTAssertEqual(seen.sorted(), all.sorted(), "\(n) shards")
        }
    }
}
