import Foundation
import RunContract

/// What happened to one metric of one configuration, or to a configuration as a whole.
public enum Verdict: String, Sendable, Codable, Equatable, CaseIterable {
    /// Beyond the threshold in the bad direction (and significant, for a noisy metric with enough repeats).
    case regressed
    /// Beyond the threshold in the good direction (and significant, for a noisy metric with enough repeats).
    case improved
    /// Within the threshold.
    case unchanged
    /// The median moved beyond the threshold but the repeats do not differ significantly: not a verdict either way.
    case noise
    /// Beyond the threshold, but the machine's own speed (the reference workload) moved beyond its bound: the
    /// machine changed, so the metric says nothing about the code. Fails only with `--fail-on-drift`.
    case drift
    /// A configuration of the baseline that the current results lack (only with `--allow-missing`).
    case missing
    /// A configuration of the current results that the baseline lacks (only with `--allow-missing`).
    case new
}
