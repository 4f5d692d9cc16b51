/// Reports phase changes to an `onPhase` callback from any thread, serialized: calls never overlap, and a phase
/// is reported only when it differs from the last one reported.
final class PhaseReporter: Sendable {
    private let onPhase: (@Sendable (String) -> Void)?
    /// The last phase reported; the callback runs while holding it, which serializes the calls.
    private let last = Locked<String?>(nil)

    init(_ onPhase: (@Sendable (String) -> Void)?) { self.onPhase = onPhase }

    /// Reports `name` unless it is the current phase.
    func enter(_ name: String) {
        guard let onPhase else { return }
        last.withLock { last in
            if last == name { return }
            last = name
            onPhase(name)
        }
    }
}
