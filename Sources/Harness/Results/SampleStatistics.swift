import Foundation
import RunContract

/// Descriptive statistics of one metric over the repeats of one configuration.
///
/// The 95% confidence interval is t-based for the mean: mean ± t(0.975, n−1) · s/√n, with Student's t from a table
/// (n ≤ 31 exact to 3 decimals, then interpolated). It is stated as such in `summary.csv` (`*_ci95_lo`, `*_ci95_hi`)
/// and the report. With n = 1 there is no interval (cells left empty). A bootstrap interval was not used because with
/// the 2–5 repeats a sweep affords, resampling can only return the observed values and understates the spread.
public struct SampleStatistics: Sendable, Equatable {
    public let count: Int
    public let median: Double
    public let min: Double
    public let max: Double
    public let mean: Double
    /// Sample standard deviation (n − 1), 0 for n = 1.
    public let stddev: Double
    /// 95% t-interval of the mean, nil for n < 2.
    public let ci95: ClosedRange<Double>?

    public init?(_ samples: [Double]) {
        let xs = samples.filter(\.isFinite).sorted()
        guard !xs.isEmpty else { return nil }
        count = xs.count
        min = xs.first!
        max = xs.last!
        median = xs.count % 2 == 1 ? xs[xs.count / 2] : (xs[xs.count / 2 - 1] + xs[xs.count / 2]) / 2
        mean = xs.reduce(0, +) / Double(xs.count)
        if xs.count > 1 {
            let m = mean
            let v = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)
            stddev = v.squareRoot()
            let half = Self.tCritical975(degreesOfFreedom: xs.count - 1) * stddev / Double(xs.count).squareRoot()
            ci95 = (mean - half)...(mean + half)
        } else {
            stddev = 0
            ci95 = nil
        }
    }

    /// Two-sided 95% critical value of Student's t.
    public static func tCritical975(degreesOfFreedom df: Int) -> Double {
        let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                               2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                               2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        if df < 1 { return .nan }
        if df <= 30 { return table[df - 1] }
        let points: [(Int, Double)] = [(30, 2.042), (40, 2.021), (60, 2.000), (120, 1.980)]
        for i in 0..<(points.count - 1) where df <= points[i + 1].0 {
            let (a, ta) = points[i], (b, tb) = points[i + 1]
            return ta + (tb - ta) * Double(df - a) / Double(b - a)
        }
        return 1.960
    }
}
