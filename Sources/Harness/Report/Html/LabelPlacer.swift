/// Places point labels on a plot so that no two overlap, none covers a marker and all stay inside the plot area.
/// Greedy over candidate positions around each point, nearest first; a label that fits nowhere is left out (the
/// point keeps its hover text and its row in the table). Pure geometry in SVG pixels (y grows downwards).
public struct LabelPlacer {
    /// An axis-aligned rectangle in pixels.
    public struct Rect: Equatable, Sendable {
        public var x: Double, y: Double, width: Double, height: Double
        public init(x: Double, y: Double, width: Double, height: Double) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }
        public func intersects(_ o: Rect) -> Bool {
            x < o.x + o.width && o.x < x + width && y < o.y + o.height && o.y < y + height
        }
        public func contains(_ o: Rect) -> Bool {
            o.x >= x && o.y >= y && o.x + o.width <= x + width && o.y + o.height <= y + height
        }
    }

    /// A label to place: the point it belongs to and the label's size, px.
    public struct Request: Sendable {
        public var anchorX: Double, anchorY: Double, width: Double, height: Double
        public init(anchorX: Double, anchorY: Double, width: Double, height: Double) {
            self.anchorX = anchorX
            self.anchorY = anchorY
            self.width = width
            self.height = height
        }
    }

    /// Where a label went; `leader` is true when it sits away from its point (draw a line to it).
    public struct Placement: Equatable, Sendable {
        public var rect: Rect
        public var leader: Bool
    }

    /// The plot area labels must stay in.
    public var bounds: Rect
    /// Marker radius, px: labels keep clear of every marker's square of this half-size. Default 5.
    public var markerRadius: Double = 5
    /// Gap between a marker and its label, px. Default 3.
    public var gap: Double = 3

    public init(bounds: Rect, markerRadius: Double = 5, gap: Double = 3) {
        self.bounds = bounds
        self.markerRadius = markerRadius
        self.gap = gap
    }

    /// Placements in request order (nil: no free position). `priority` (indices into `requests`) is placed first,
    /// e.g. the frontier's points; the rest follow in order.
    public func place(_ requests: [Request], priority: [Int] = []) -> [Placement?] {
        let markers = requests.map { r in
            Rect(x: r.anchorX - markerRadius, y: r.anchorY - markerRadius, width: 2 * markerRadius, height: 2 * markerRadius)
        }
        var order = priority.filter { requests.indices.contains($0) }
        for i in requests.indices where !order.contains(i) { order.append(i) }
        var taken: [Rect] = []
        var out = [Placement?](repeating: nil, count: requests.count)
        for i in order {
            for (rect, far) in candidates(requests[i]) where bounds.contains(rect) {
                if taken.contains(where: { $0.intersects(rect) }) { continue }
                if markers.contains(where: { $0.intersects(rect) }) { continue }
                taken.append(rect)
                out[i] = Placement(rect: rect, leader: far)
                break
            }
        }
        return out
    }

    /// Candidate rectangles around a point, nearest first: beside, above and below the marker (centred and aligned
    /// to either side), then the same on three wider rings (those get a leader line).
    func candidates(_ r: Request) -> [(Rect, Bool)] {
        var out: [(Rect, Bool)] = []
        for (ring, d) in [markerRadius + gap, markerRadius + gap + 14, markerRadius + gap + 30, markerRadius + gap + 50].enumerated() {
            let x = r.anchorX, y = r.anchorY, w = r.width, h = r.height
            let spots: [(Double, Double)] = [
                (x + d, y - h - d / 2), (x + d, y - h / 2), (x + d, y + d / 2), (x - w / 2, y - h - d), (x - w / 2, y + d),
                (x - w - d, y - h - d / 2), (x - w - d, y - h / 2), (x - w - d, y + d / 2),
                (x - w + markerRadius, y + d), (x - w + markerRadius, y - h - d), (x - markerRadius, y + d), (x - markerRadius, y - h - d),
            ]
            for (sx, sy) in spots { out.append((Rect(x: sx, y: sy, width: w, height: h), ring > 0)) }
        }
        return out
    }
}
