import Foundation
import XCTest
@testable import Workloads

final class WorkloadRegistryTests: XCTestCase {
    /// Every registered workload has a unique name, documented parameters with units where they have one, and
    /// can be created from its defaults alone.
    func testEveryWorkloadBuildsFromItsDefaults() throws {
        let names = WorkloadRegistry.all.map { $0.name }
        XCTAssertEqual(Set(names).count, names.count)
        XCTAssertEqual(Set(names).intersection(["write", "scan", "upsert", "load", "parallel_write"]).count, 5)
        for type in WorkloadRegistry.all {
            XCTAssertFalse(type.summary.isEmpty, type.name)
            let specNames = type.parameters.map(\.name)
            XCTAssertEqual(Set(specNames).count, specNames.count, type.name)
            for spec in type.parameters {
                XCTAssertFalse(spec.help.isEmpty, "\(type.name).\(spec.name)")
                if spec.name.hasSuffix("_mb") || spec.name == "rows" { XCTAssertFalse(spec.unit.isEmpty, "\(type.name).\(spec.name)") }
            }
            let values = try WorkloadRegistry.resolve(workload: type.name, raw: [:])
            XCTAssertNoThrow(try type.init(parameters: values), type.name)
        }
    }

    func testRowsAcceptDecimalSuffixes() throws {
        let values = try WorkloadRegistry.resolve(workload: "write", raw: ["rows": "6M", "batch_size": "10k"])
        XCTAssertEqual(values.int("rows"), 6_000_000)
        XCTAssertEqual(values.int("batch_size"), 10_000)
        XCTAssertThrowsError(try WorkloadRegistry.resolve(workload: "write", raw: ["strategy": "lazy"]))
        XCTAssertThrowsError(try WorkloadRegistry.resolve(workload: "load", raw: ["eviction": "random"]))
    }
}
