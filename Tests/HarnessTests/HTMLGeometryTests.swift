import XCTest
@testable import Harness

/// The pure computations behind report.html's plots: the Pareto frontier, label placement, phase bands,
/// decimation and axis ticks.
final class HTMLGeometryTests: XCTestCase {
    func testParetoFrontierKeepsOnlyUnbeatenPoints() {
        let pts: [(Double, Double)] = [(10, 5), (20, 9), (15, 4), (30, 9), (5, 1), (20, 9), (40, 12), (.nan, 100)]
        let idx = ParetoFrontier.indices(of: pts.map { ParetoFrontier.Point(cost: $0.0, benefit: $0.1) })
        // (15,4) loses to (10,5); (30,9) to (20,9); the second (20,9) is a duplicate; NaN never qualifies.
        XCTAssertEqual(idx, [4, 0, 1, 6])
        XCTAssertEqual(ParetoFrontier.indices(of: [ParetoFrontier.Point(cost: 1, benefit: 1)]), [0])
        XCTAssertEqual(ParetoFrontier.indices(of: []), [])
        // One point better on both axes than every other: the frontier is that point alone.
        let dominant = [(5.0, 10.0), (6, 9), (7, 8), (50, 1)].map { ParetoFrontier.Point(cost: $0.0, benefit: $0.1) }
        XCTAssertEqual(ParetoFrontier.indices(of: dominant), [0])
    }

    func testLabelPlacerNeverOverlapsAndStaysInside() {
        let bounds = LabelPlacer.Rect(x: 0, y: 0, width: 320, height: 200)
        // A dense, fixed cluster (a linear congruential sequence, so the case is the same every run).
        var state: UInt64 = 42
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 33) / Double(1 << 31)
        }
        let requests = (0..<40).map { _ in
            LabelPlacer.Request(anchorX: 40 + next() * 240, anchorY: 30 + next() * 140, width: 40 + next() * 50, height: 12)
        }
        let placer = LabelPlacer(bounds: bounds, markerRadius: 5)
        let placed = placer.place(requests, priority: [7, 3])
        let rects = placed.compactMap { $0?.rect }
        XCTAssertGreaterThan(rects.count, 5, "some labels fit")
        XCTAssertLessThan(rects.count, 40, "a cluster this dense cannot label every point")
        for (i, a) in rects.enumerated() {
            XCTAssertTrue(bounds.contains(a), "label \(i) outside the plot")
            for b in rects[(i + 1)...] { XCTAssertFalse(a.intersects(b), "labels \(a) and \(b) overlap") }
            for r in requests {
                let marker = LabelPlacer.Rect(x: r.anchorX - 5, y: r.anchorY - 5, width: 10, height: 10)
                XCTAssertFalse(a.intersects(marker), "label \(a) covers a marker")
            }
        }
        XCTAssertNotNil(placed[7], "priority points are placed first")
        XCTAssertNotNil(placed[3])
    }

    func testLabelPlacerLabelsSpreadPointsNextToThem() {
        let bounds = LabelPlacer.Rect(x: 0, y: 0, width: 600, height: 300)
        let requests = [(50.0, 250.0), (200, 200), (350, 120), (500, 60)].map {
            LabelPlacer.Request(anchorX: $0.0, anchorY: $0.1, width: 70, height: 12)
        }
        let placed = LabelPlacer(bounds: bounds).place(requests)
        XCTAssertEqual(placed.compactMap { $0 }.count, 4)
        XCTAssertTrue(placed.allSatisfy { $0?.leader == false }, "free space: every label sits by its point")
        // Two points at the same spot: both labelled, apart.
        let same = LabelPlacer(bounds: bounds).place([requests[1], requests[1]])
        XCTAssertNotNil(same[0])
        XCTAssertNotNil(same[1])
        XCTAssertFalse(same[0]!.rect.intersects(same[1]!.rect))
        // A label wider than the plot fits nowhere.
        XCTAssertNil(LabelPlacer(bounds: bounds).place([LabelPlacer.Request(anchorX: 300, anchorY: 150, width: 700, height: 12)])[0])
    }

    func testPhaseBandsFollowTheRunColumnsRule() {
        let marks: [(tS: Double, event: String)] = [(0.1, "begin"), (1, "phase:prep"), (2, "phase:upsert"), (3, "phase:prep"), (4, "end")]
        XCTAssertEqual(PhaseBands.bands(marks: marks, runEndS: 5), [
            PhaseBand(name: "prep", startS: 1, endS: 2), PhaseBand(name: "upsert", startS: 2, endS: 3), PhaseBand(name: "prep", startS: 3, endS: 4),
        ])
        // No `end`: the last phase lasts until the run's last sample.
        XCTAssertEqual(PhaseBands.bands(marks: [(1, "phase:a")], runEndS: 2.5), [PhaseBand(name: "a", startS: 1, endS: 2.5)])
        XCTAssertEqual(PhaseBands.bands(marks: [(1, "begin"), (2, "end")], runEndS: 3), [])
    }

    func testManyShortPhasesCoalesceToTheDominantOne() {
        // 1000 batches: generate for 9 ms then flush for 1 ms, then a 1 s close.
        var bands: [PhaseBand] = []
        for i in 0..<1000 {
            let t = Double(i) * 0.01
            bands.append(PhaseBand(name: "generate", startS: t, endS: t + 0.009))
            bands.append(PhaseBand(name: "flush", startS: t + 0.009, endS: t + 0.01))
        }
        bands.append(PhaseBand(name: "close", startS: 10, endS: 15))
        let c = PhaseBands.coalesced(bands, maxBands: 30)
        XCTAssertLessThanOrEqual(c.count, 30)
        XCTAssertEqual(c.map(\.name), ["generate", "close"])
        XCTAssertTrue(c.allSatisfy(\.dominant))
        XCTAssertEqual(c[0].startS, 0, accuracy: 1e-9)
        XCTAssertEqual(c[1].endS, 15, accuracy: 1e-9)
        XCTAssertEqual(c[0].endS, 10, accuracy: 0.5, "the switch lands on the window that holds t = 10 s")
        // Few bands are left alone.
        XCTAssertEqual(PhaseBands.coalesced(Array(bands.prefix(4)), maxBands: 30), Array(bands.prefix(4)))
    }

    func testDecimationKeepsThePeakAndTheEnds() {
        var pts = (0..<10_000).map { (t: Double($0) / 1000, v: 50 + sin(Double($0) / 300)) }
        pts[7_777].v = 900
        let d = Decimation.minMax(pts, buckets: 200)
        XCTAssertLessThanOrEqual(d.count, 402)
        XCTAssertEqual(d.map(\.v).max(), 900)
        XCTAssertEqual(d.first?.t, 0)
        XCTAssertEqual(d.last?.t, pts.last?.t)
        XCTAssertEqual(zip(d, d.dropFirst()).filter { $0.t >= $1.t }.count, 0, "time order kept")
        XCTAssertEqual(Decimation.minMax(Array(pts.prefix(100)), buckets: 200).count, 100)
    }

    func testAxisTicksAreRoundAndInside() {
        let lin = AxisScale(values: [0, 97], pixelLo: 300, pixelHi: 0, fromZero: true)
        let t = lin.ticks()
        XCTAssertEqual(t.first, 0)
        XCTAssertEqual(t, [0, 25, 50, 75, 100], "round steps covering 0 ... 97 plus padding")
        XCTAssertEqual(lin.pixel(0), 300, accuracy: 1e-9)
        XCTAssertLessThan(lin.pixel(97), lin.pixel(0))
        let log = AxisScale(values: [1000, 100_000], pixelLo: 0, pixelHi: 600, log: true)
        XCTAssertTrue([1000.0, 10_000, 100_000].allSatisfy { log.ticks().contains($0) }, "\(log.ticks())")
        XCTAssertEqual(log.pixel(10_000) - log.pixel(1000), log.pixel(100_000) - log.pixel(10_000), accuracy: 1e-6)
        XCTAssertEqual(AxisScale.label(2_500_000), "2.5M")
        XCTAssertEqual(AxisScale.label(10_000), "10k")
        XCTAssertEqual(AxisScale.label(0.25), "0.25")
    }

    func testSeriesDifferInMarkerAndDashNotOnlyColour() {
        let styles = (0..<8).map { SeriesStyle(index: $0) }
        XCTAssertEqual(Set(styles.map(\.shape)).count, 8)
        XCTAssertEqual(Set(styles.map(\.dash)).count, 8)
        XCTAssertEqual(Set(styles.map(\.color)).count, 8)
        // Past the palette, colour and shape repeat together but the dash moves on: the ninth line still differs from the first.
        XCTAssertNotEqual(SeriesStyle(index: 8).dash, SeriesStyle(index: 0).dash)
        XCTAssertTrue(SeriesStyle(index: 2).marker(10, 10, title: "a<b").contains("<title>a&lt;b</title></path>"))
    }
}
