/// The Pareto frontier of a throughput-vs-memory trade-off: the points that no other point beats on both axes.
public enum ParetoFrontier {
    /// One candidate: `cost` is lower-is-better (peak RSS, MB), `benefit` higher-is-better (throughput).
    public struct Point: Equatable, Sendable {
        public var cost: Double
        public var benefit: Double
        public init(cost: Double, benefit: Double) {
            self.cost = cost
            self.benefit = benefit
        }
    }

    /// Indices of the non-dominated points, by increasing cost. A point is dominated when another has cost <= and
    /// benefit >= with at least one strict; of exact duplicates the first is kept. Non-finite points never qualify.
    public static func indices(of points: [Point]) -> [Int] {
        let finite = points.indices.filter { points[$0].cost.isFinite && points[$0].benefit.isFinite }
        // By cost ascending, then benefit descending, then index: a sweep keeps each point that beats every cheaper one.
        let order = finite.sorted { a, b in
            let p = points[a], q = points[b]
            if p.cost != q.cost { return p.cost < q.cost }
            if p.benefit != q.benefit { return p.benefit > q.benefit }
            return a < b
        }
        var out: [Int] = []
        var bestBenefit = -Double.infinity
        for i in order where points[i].benefit > bestBenefit {
            out.append(i)
            bestBenefit = points[i].benefit
        }
        return out
    }
}
