import Foundation

/// How a commit that lost a race to a concurrent committer is retried: exponential backoff with
/// full jitter, for a bounded number of attempts.
///
/// Attempt `k` (1-based) that fails waits a uniformly random time in
/// `[0, min(maxDelayMicros, baseDelayMicros * 2^(k-1))]` microseconds before attempt `k + 1`.
/// When `maxAttempts` attempts have all lost, the commit throws
/// `EngineError.commitRetriesExhausted(attempts:)`.
public struct CommitRetryPolicy: Sendable, Equatable {
    /// Total attempts including the first one (at least 1). Default 20.
    public var maxAttempts: Int
    /// Backoff ceiling after the first failed attempt, in microseconds. Default 200 µs.
    public var baseDelayMicros: Int
    /// Upper bound of any single backoff, in microseconds. Default 200,000 µs (0.2 s).
    public var maxDelayMicros: Int

    /// - Parameters:
    ///   - maxAttempts: total attempts including the first (values below 1 mean 1). Default 20.
    ///   - baseDelayMicros: backoff ceiling after the first failure, µs. Default 200.
    ///   - maxDelayMicros: cap on one backoff, µs. Default 200,000.
    public init(maxAttempts: Int = 20, baseDelayMicros: Int = 200, maxDelayMicros: Int = 200_000) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelayMicros = max(0, baseDelayMicros)
        self.maxDelayMicros = max(0, maxDelayMicros)
    }

    /// The default policy (20 attempts, 200 µs base, 0.2 s cap).
    public static let `default` = CommitRetryPolicy()

    /// Upper bound of the backoff after failed attempt `attempt` (1-based), in microseconds.
    public func ceilingMicros(afterAttempt attempt: Int) -> Int {
        let shift = min(max(0, attempt - 1), 30)
        let grown = baseDelayMicros.multipliedReportingOverflow(by: 1 << shift)
        return grown.overflow ? maxDelayMicros : min(maxDelayMicros, grown.partialValue)
    }

    /// A jittered backoff after failed attempt `attempt` (1-based), in microseconds.
    public func delayMicros<G: RandomNumberGenerator>(afterAttempt attempt: Int, using generator: inout G) -> Int {
        let ceiling = ceilingMicros(afterAttempt: attempt)
        return ceiling == 0 ? 0 : Int.random(in: 0...ceiling, using: &generator)
    }

    /// Sleeps for a jittered backoff after failed attempt `attempt` (1-based).
    func backOff(afterAttempt attempt: Int) {
        var generator = SystemRandomNumberGenerator()
        let micros = delayMicros(afterAttempt: attempt, using: &generator)
        if micros > 0 { usleep(useconds_t(micros)) }
    }
}
