import Foundation
import RunContract

/// Statistics for noise-aware verdicts.
///
/// **Why Mann-Whitney U.** As asv does, Highwater asks "do the repeats of the two sides come from the same
/// distribution?" with the two-sided Mann-Whitney U test: it is rank based, so one slow outlier (a page-cache
/// flush, a noisy neighbour) cannot drag the verdict the way it drags a t-test, and it assumes no normality,
/// which benchmark timings rarely have. The method follows SciPy's `mannwhitneyu(method="auto")` so p-values
/// can be checked against it: the exact null distribution when either sample has at most 8 values and there are
/// no ties (the normal approximation is poor there), otherwise the normal approximation with the tie-corrected
/// variance and a continuity correction. A bootstrap confidence interval of the ratio of medians (as criterion
/// reports) is computed alongside with a fixed seed, for context; the verdict uses the U test.
public enum RegressionStatistics {
    /// Median; nil for an empty sample.
    public static func median(_ xs: [Double]) -> Double? {
        guard !xs.isEmpty else { return nil }
        let s = xs.sorted()
        let n = s.count
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
    }

    /// Two-sided Mann-Whitney U test of `x` against `y`. Both samples must be non-empty.
    public static func mannWhitneyU(_ x: [Double], _ y: [Double]) -> MannWhitneyResult {
        let n1 = x.count, n2 = y.count
        precondition(n1 > 0 && n2 > 0, "Mann-Whitney U needs two non-empty samples")
        // Midranks of the pooled sample.
        let pooled = (x.map { ($0, 0) } + y.map { ($0, 1) }).sorted { $0.0 < $1.0 }
        var ranks = [Double](repeating: 0, count: pooled.count)
        var tieTerm = 0.0  // sum of t^3 - t over tie groups
        var i = 0
        while i < pooled.count {
            var j = i
            while j + 1 < pooled.count && pooled[j + 1].0 == pooled[i].0 { j += 1 }
            let r = Double(i + j + 2) / 2  // ranks are 1-based
            for k in i...j { ranks[k] = r }
            let t = Double(j - i + 1)
            tieTerm += t * t * t - t
            i = j + 1
        }
        var r1 = 0.0
        for (k, item) in pooled.enumerated() where item.1 == 0 { r1 += ranks[k] }
        let u1 = r1 - Double(n1 * (n1 + 1)) / 2
        let u2 = Double(n1 * n2) - u1
        let uMax = max(u1, u2)
        let hasTies = tieTerm > 0
        if (n1 <= 8 || n2 <= 8) && !hasTies {
            let p = min(1, 2 * exactUpperTail(Int(uMax.rounded()), n1, n2))
            return MannWhitneyResult(u: u1, pValue: p, method: "exact")
        }
        let n = Double(n1 + n2)
        let mu = Double(n1 * n2) / 2
        let variance = Double(n1 * n2) / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
        guard variance > 0 else { return MannWhitneyResult(u: u1, pValue: 1, method: "normal") }
        let z = (uMax - mu - 0.5) / variance.squareRoot()
        let p = min(1, max(0, erfc(z / 2.0.squareRoot())))  // 2 * (1 - Φ(z))
        return MannWhitneyResult(u: u1, pValue: p, method: "normal")
    }

    /// P(U >= u) under the null for sample sizes `m` and `n`, from the exact distribution
    /// (counts of rank arrangements, built by the standard recurrence over the largest value).
    static func exactUpperTail(_ u: Int, _ m: Int, _ n: Int) -> Double {
        let counts = exactCounts(m, n)
        let total = counts.reduce(0, +)
        var tail = 0.0
        if u < counts.count { for k in max(0, u)..<counts.count { tail += counts[k] } }
        return tail / total
    }

    /// Number of arrangements giving each U = 0...m*n (as Doubles: exact up to 2^53, ample for m, n <= 8 or so,
    /// and a close approximation beyond).
    static func exactCounts(_ m: Int, _ n: Int) -> [Double] {
        // f[i][j] = distribution of U for sizes (i, j): f(i, j, u) = f(i-1, j, u-j) + f(i, j-1, u).
        var prev = [[Double]](repeating: [1], count: n + 1)  // i = 0: U is always 0
        if m == 0 { return prev[n] }
        for i in 1...m {
            var cur = [[Double]](repeating: [], count: n + 1)
            cur[0] = [1]
            if n >= 1 {
                for j in 1...n {
                    var dist = [Double](repeating: 0, count: i * j + 1)
                    for (u, c) in prev[j].enumerated() where u + j < dist.count { dist[u + j] += c }
                    for (u, c) in cur[j - 1].enumerated() { dist[u] += c }
                    cur[j] = dist
                }
            }
            prev = cur
        }
        return prev[n]
    }

    /// The smallest two-sided p-value the exact test can give for sizes `m` and `n` (all of one sample above
    /// all of the other): `2 / C(m + n, m)`. When it exceeds α, no difference can ever be significant.
    public static func minimumPValue(_ m: Int, _ n: Int) -> Double {
        guard m > 0, n > 0 else { return 1 }
        var c = 1.0
        for k in 0..<min(m, n) { c = c * Double(m + n - k) / Double(k + 1) }
        return min(1, 2 / c)
    }

    /// Percentile bootstrap 95 % (or `level`) confidence interval of `median(current) / median(baseline)`,
    /// resampling both sides with a fixed-seed generator so the answer is deterministic. Nil when a side is
    /// empty or a resampled baseline median is 0.
    public static func bootstrapRatioCI(baseline: [Double], current: [Double], resamples: Int = 2_000,
                                        level: Double = 0.95, seed: UInt64 = 0x4869_6768_7761_7465) -> (low: Double, high: Double)? {
        guard !baseline.isEmpty, !current.isEmpty, resamples > 0 else { return nil }
        var rng = BootstrapGenerator(seed: seed)
        var ratios: [Double] = []
        ratios.reserveCapacity(resamples)
        var b = [Double](repeating: 0, count: baseline.count)
        var c = [Double](repeating: 0, count: current.count)
        for _ in 0..<resamples {
            for k in b.indices { b[k] = baseline[Int(rng.next() % UInt64(baseline.count))] }
            for k in c.indices { c[k] = current[Int(rng.next() % UInt64(current.count))] }
            guard let mb = median(b), let mc = median(c), mb != 0 else { return nil }
            ratios.append(mc / mb)
        }
        ratios.sort()
        let alpha = (1 - level) / 2
        let lo = ratios[min(ratios.count - 1, max(0, Int((alpha * Double(ratios.count)).rounded(.down))))]
        let hi = ratios[min(ratios.count - 1, max(0, Int(((1 - alpha) * Double(ratios.count)).rounded(.up)) - 1))]
        return (lo, hi)
    }
}
