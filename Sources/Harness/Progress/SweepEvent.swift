import Foundation
import RunContract

/// What happened during a sweep, for progress display.
public enum SweepEvent: Sendable {
    /// The sweep starts: measured runs and warmups planned.
    case started(total: Int, warmups: Int, outputDirectory: String)
    /// A run starts (1-based index over all runs including warmups); ETA from the mean duration of finished runs.
    case runStarted(index: Int, total: Int, label: String, isWarmup: Bool, etaS: Double?)
    /// A run ended with this status.
    case runFinished(index: Int, total: Int, label: String, status: RunStatus, error: String, wallS: Double, peakRSSMB: Double?)
    /// Free text (sampler overhead measurement, plots).
    case note(String)
    case finished(runs: Int, failed: Int, wallS: Double)
}
