import Foundation
import RunContract

/// How noisy metrics are tested.
public struct ComparisonOptions: Sendable {
    /// Thresholds: catalogue defaults plus suite and command-line overrides.
    public var thresholds = ThresholdSet()
    /// Significance level of the two-sided Mann-Whitney U test. Default 0.05.
    public var alpha: Double = 0.05
    /// Fewest repeats on each side before statistics are used. Default 3; statistics also need the exact
    /// test's smallest attainable p-value `2 / C(n1 + n2, n1)` to be at most `alpha` (so 3 vs 3, whose best p is 0.1,
    /// cannot be significant at 0.05: 4 vs 4 or 3 vs 5 is the least that can).
    public var minRepeats: Int = 3
    /// Compare what matches and report the rest as `missing`/`new` instead of failing with exit 2. Default false.
    public var allowMissing = false
    /// Parameters left out when pairing configurations (to compare a deliberately changed setting against the
    /// baseline, e.g. `flush_every`). Default none.
    public var ignoreParameters: Set<String> = []
    /// Largest change of the machine's speed (reference workload, as a fraction) under which time and throughput
    /// metrics are still judged (after dividing the speed out). Default 0.10.
    public var driftBound: Double = 0.10
    /// The same for CPU-time metrics and the reference's CPU-time ratio. Default 0.25 (see `MachineSpeed`).
    public var cpuDriftBound: Double = 0.25
    /// Count `drift` verdicts as failures (exit 1). Default false.
    public var failOnDrift = false

    public init() {}
}
