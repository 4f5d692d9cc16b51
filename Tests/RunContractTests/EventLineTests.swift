import XCTest
import RunContract

final class EventLineTests: XCTestCase {
    func testChildLinesRoundTrip() {
        let events: [EventLine] = [.phase(name: "encode batch", tNs: 42, rssBytes: 4096), .begin(tNs: 1, rssBytes: 2), .end(tNs: 3, rssBytes: 4)]
        for e in events {
            XCTAssertEqual(EventLine.parseChild(Substring(e.childLine!)), e)
        }
        XCTAssertEqual(EventLine.parseChild("phase 5 -1 x"), .phase(name: "x", tNs: 5, rssBytes: nil))
        XCTAssertNil(EventLine.metric(name: "a", value: 1).childLine)
    }

    func testMalformedChildLinesAreRejected() {
        for bad in ["phase x 1 a", "phase 1 2", "begin", "begin -1 3", "end 1 x", "other 1 2", ""] {
            XCTAssertNil(EventLine.parseChild(Substring(bad)), bad)
        }
    }

    func testCommandLines() {
        XCTAssertEqual(EventLine.parseCommand("highwater: phase  load ", nowNs: 9), .phase(name: "load", tNs: 9, rssBytes: nil))
        XCTAssertEqual(EventLine.parseCommand("highwater: metric rows = 1000", nowNs: 0), .metric(name: "rows", value: 1000))
        XCTAssertEqual(EventLine.parseCommand("highwater: metric _x9=2.5e3", nowNs: 0), .metric(name: "_x9", value: 2500))
        for bad in ["highwater: metric 9x=1", "highwater: metric a-b=1", "highwater: metric a=inf", "highwater: metric a=",
                    "highwater: phase ", "highwater:phase x", "phase x", "highwater: metric a"] {
            XCTAssertNil(EventLine.parseCommand(Substring(bad), nowNs: 0), bad)
        }
    }
}
