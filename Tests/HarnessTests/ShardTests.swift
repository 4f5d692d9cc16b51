import XCTest
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
}
