import Foundation

/// Where a series steps: binary segmentation with Welch's t statistic, the simple test asv's regression view and
/// most CI dashboards build on. For a segment of at least `2 * minSegment` points, every split into a left and a right
/// part of at least `minSegment` points is scored by |mean(right) − mean(left)| / sqrt(s²left/nleft + s²right/nright);
/// the best split is a change point when its score is at least `minScore` and the means differ by at least
/// `minRelativeStep` (so a tiny but very steady shift is not flagged); the test then recurses into both parts.
/// (Both parts' variances get a floor of (0.1% of the mean)², so a perfectly flat series cannot divide by zero.)
public struct ChangePoints: Sendable {
    /// A step between `points[index - 1]` and `points[index]`.
    public struct Change: Sendable, Equatable {
        public var index: Int
        public var before: Double
        public var after: Double
        public var score: Double
        public var relativeStep: Double { before == 0 ? 0 : after / before - 1 }
    }

    /// Defaults: segments of 3 points or more, score 5, a step of 5% or more.
    public var minSegment = 3
    public var minScore = 5.0
    public var minRelativeStep = 0.05

    public init(minSegment: Int = 3, minScore: Double = 5, minRelativeStep: Double = 0.05) {
        self.minSegment = max(2, minSegment)
        self.minScore = minScore
        self.minRelativeStep = minRelativeStep
    }

    /// Change points of `values`, in index order.
    public func detect(_ values: [Double]) -> [Change] {
        var found: [Change] = []
        segment(values, 0, values.count, into: &found)
        return found.sorted { $0.index < $1.index }
    }

    private func segment(_ x: [Double], _ lo: Int, _ hi: Int, into found: inout [Change]) {
        guard hi - lo >= 2 * minSegment else { return }
        var best: Change?
        for k in (lo + minSegment)...(hi - minSegment) {
            let l = Self.stats(x[lo..<k]), r = Self.stats(x[k..<hi])
            let floorVar = pow(0.001 * max(abs(l.mean), abs(r.mean)), 2)
            let se = sqrt(max(l.variance, floorVar) / Double(k - lo) + max(r.variance, floorVar) / Double(hi - k))
            let score = se > 0 ? abs(r.mean - l.mean) / se : 0
            if score > (best?.score ?? -1) { best = Change(index: k, before: l.mean, after: r.mean, score: score) }
        }
        guard let b = best, b.score >= minScore, abs(b.relativeStep) >= minRelativeStep else { return }
        found.append(b)
        segment(x, lo, b.index, into: &found)
        segment(x, b.index, hi, into: &found)
    }

    static func stats(_ xs: ArraySlice<Double>) -> (mean: Double, variance: Double) {
        let n = Double(xs.count)
        let mean = xs.reduce(0, +) / n
        let v = xs.count > 1 ? xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) : 0
        return (mean, v)
    }
}
