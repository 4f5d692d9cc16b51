import Foundation
import RunContract

/// Progress display: on a terminal one updating line (run i/N, configuration, ETA); otherwise one plain line per event.
public final class ProgressPrinter: Sendable {
    let isTTY: Bool
    let fd: Int32
    /// Whether an updating line is on the terminal (events may come from any thread).
    private let lineOpen = Locked(false)

    public init(fd: Int32 = 2, forcePlain: Bool = false) {
        self.fd = fd
        isTTY = !forcePlain && isatty(fd) != 0
    }

    /// A printer on stderr.
    public static var standardError: ProgressPrinter { ProgressPrinter(fd: 2) }

    public var callback: @Sendable (SweepEvent) -> Void { { [self] e in self.handle(e) } }

    private func out(_ s: String) {
        var s = s
        s.withUTF8 { b in _ = write(fd, b.baseAddress, b.count) }
    }

    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 60 ? "\(t / 60)m\(String(format: "%02d", t % 60))s" : "\(t)s"
    }

    public func handle(_ e: SweepEvent) {
        lineOpen.withLock { render(e, lineOpen: &$0) }
    }

    private func render(_ e: SweepEvent, lineOpen: inout Bool) {
        switch e {
        case .started(let total, let warmups, let dir):
            out("highwater: \(total) runs (\(warmups) warmup) -> \(dir)\n")
        case .runStarted(let i, let total, let label, let warm, let eta):
            let etaText = eta.map { " ETA \(Self.duration($0))" } ?? ""
            if isTTY {
                out("\r\u{1B}[K[\(i)/\(total)] \(warm ? "warmup " : "")\(label)\(etaText)")
                lineOpen = true
            }
        case .runFinished(let i, let total, let label, let status, let error, let wall, let peak):
            let peakText = peak.map { " peak \(formatNumber($0, digits: 1)) MB" } ?? ""
            let line = "[\(i)/\(total)] \(label): \(status.rawValue) \(formatNumber(wall, digits: 3)) s\(peakText)\(error.isEmpty ? "" : " (\(error))")"
            if isTTY {
                if status != .ok { out("\r\u{1B}[K\(line)\n"); lineOpen = false }
            } else {
                out(line + "\n")
            }
        case .note(let s):
            if isTTY && lineOpen { out("\r\u{1B}[K"); lineOpen = false }
            out("highwater: \(s)\n")
        case .finished(let runs, let failed, let wall):
            if isTTY && lineOpen { out("\r\u{1B}[K"); lineOpen = false }
            out("highwater: \(runs) runs, \(failed) not ok, \(Self.duration(wall))\n")
        }
    }
}
