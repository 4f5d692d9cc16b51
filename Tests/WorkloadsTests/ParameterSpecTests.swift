import XCTest
@testable import Workloads

final class ParameterSpecTests: XCTestCase {
    func testIntSuffixesAndRange() throws {
        XCTAssertEqual(ParameterSpec.parseInt("10k"), 10_000)
        XCTAssertEqual(ParameterSpec.parseInt("1M"), 1_000_000)
        XCTAssertEqual(ParameterSpec.parseInt("1_000"), 1_000)
        XCTAssertNil(ParameterSpec.parseInt("ten"))
        let spec = ParameterSpec("rows", .int, unit: "rows", default: "1M", range: 1...1e9, help: "")
        XCTAssertEqual(try spec.parse("2k"), .int(2_000))
        XCTAssertThrowsError(try spec.parse("0"))
        XCTAssertThrowsError(try spec.parse("x"))
    }

    func testResolveRejectsUnknownParameterAndFillsDefaults() throws {
        let values = try WorkloadRegistry.resolve(workload: "alloc", raw: ["mb": "16"])
        XCTAssertEqual(values.int("mb"), 16)
        XCTAssertEqual(values.int("step_mb"), 8)
        XCTAssertThrowsError(try WorkloadRegistry.resolve(workload: "alloc", raw: ["nope": "1"])) { error in
            XCTAssertTrue("\(error)".contains("nope"))
        }
        XCTAssertThrowsError(try WorkloadRegistry.resolve(workload: "missing", raw: [:]))
    }
}
