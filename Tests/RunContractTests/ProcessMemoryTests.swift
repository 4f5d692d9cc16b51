import XCTest
import RunContract

final class ProcessMemoryTests: XCTestCase {
    func testStatmParsing() {
        func parse(_ s: String) -> Int64? {
            Array(s.utf8).withUnsafeBufferPointer { ProcessMemory.parseStatmResidentPages($0) }
        }
        XCTAssertEqual(parse("1000 250 30 4 0 60 0\n"), 250)
        XCTAssertEqual(parse("7 0 0"), 0)
        XCTAssertNil(parse("1000"))
        XCTAssertNil(parse("1000 x"))
    }

    /// Touching 64 MiB raises RSS by about that much: the reader follows the kernel's own figure.
    func testResidentBytesFollowsTouchedMemory() {
        let before = ProcessMemory.residentBytes()
        XCTAssertGreaterThan(before, 0)
        let size = 64 << 20
        let p = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        defer { p.deallocate() }
        for i in stride(from: 0, to: size, by: 4096) { p.storeBytes(of: 1, toByteOffset: i, as: UInt8.self) }
        let after = ProcessMemory.residentBytes()
        XCTAssertGreaterThan(Double(after - before), Double(size) * 0.9)
        XCTAssertGreaterThanOrEqual(ProcessMemory.peakResidentBytes(), after)
    }
}
