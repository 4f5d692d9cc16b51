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

    /// Two-sided 95% critical value of Student's t (its 0.975 quantile), exact for every degree of freedom.
    public static func tCritical975(degreesOfFreedom df: Int) -> Double {
        guard df >= 1 else { return .nan }
        if let t = criticalValues.withLock({ $0[df] }) { return t }
        let t = StudentT.quantile(0.975, degreesOfFreedom: Double(df))
        criticalValues.withLock { $0[df] = t }
        return t
    }

    /// Quantiles computed so far, by degrees of freedom (a summary asks for the same few many times).
    private static let criticalValues = Locked<[Int: Double]>([:])
}
