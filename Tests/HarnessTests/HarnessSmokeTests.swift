import XCTest
@testable import Harness
final class HarnessSmokeTests: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
