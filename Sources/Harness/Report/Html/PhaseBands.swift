/// One phase of a run as a span of time (seconds since spawn), drawn as a shaded band on an RSS-over-time plot.
public struct PhaseBand: Equatable, Sendable {
    public var name: String
    public var startS: Double
    public var endS: Double
    /// True when the band stands for a stretch of many short phases: `name` is the one that took most of it.
    public var dominant: Bool = false

    public init(name: String, startS: Double, endS: Double, dominant: Bool = false) {
        self.name = name
        self.startS = startS
        self.endS = endS
        self.dominant = dominant
    }
}

/// Phase bands from a run's event marks, as `timeseries.csv` records them (`phase:NAME`, `begin`, `end`).
public enum PhaseBands {
    /// Each `phase:NAME` mark starts a phase that lasts until the next phase mark, the `end` of the measured region
    /// or `runEndS` (the run's last sample), whichever comes first, as the run's per-phase columns count it.
    /// `marks` must be in time order (seconds since spawn).
    public static func bands(marks: [(tS: Double, event: String)], runEndS: Double) -> [PhaseBand] {
        var out: [PhaseBand] = []
        var open: (name: String, startS: Double)?
        for m in marks {
            let isPhase = m.event.hasPrefix("phase:")
            guard isPhase || m.event == "end" else { continue }
            if let o = open { out.append(PhaseBand(name: o.name, startS: o.startS, endS: max(o.startS, m.tS))) }
            open = isPhase ? (String(m.event.dropFirst(6)), m.tS) : nil
        }
        if let o = open { out.append(PhaseBand(name: o.name, startS: o.startS, endS: max(o.startS, runEndS))) }
        return out
    }

    /// At most `maxBands` bands: when there are more (a phase per batch), the run's span is cut into `maxBands`
    /// equal windows, each is given the phase that took most of its time, and neighbouring windows of the same phase
    /// merge. The result is marked `dominant`. Fewer bands are returned unchanged.
    public static func coalesced(_ bands: [PhaseBand], maxBands: Int) -> [PhaseBand] {
        guard bands.count > maxBands, maxBands > 0, let first = bands.first, let last = bands.last else { return bands }
        let start = first.startS, span = last.endS - first.startS
        guard span > 0 else { return [PhaseBand(name: first.name, startS: start, endS: last.endS, dominant: true)] }
        let width = span / Double(maxBands)
        var time = [[String: Double]](repeating: [:], count: maxBands)
        for b in bands where b.endS > b.startS {
            let lo = max(0, min(maxBands - 1, Int((b.startS - start) / width)))
            let hi = max(0, min(maxBands - 1, Int((b.endS - start) / width)))
            for w in lo...hi {
                let ws = start + Double(w) * width
                let overlap = min(b.endS, ws + width) - max(b.startS, ws)
                if overlap > 0 { time[w][b.name, default: 0] += overlap }
            }
        }
        var out: [PhaseBand] = []
        for (w, shares) in time.enumerated() {
            // Ties go to the alphabetically first name so the result does not depend on dictionary order.
            guard let top = shares.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }) else { continue }
            let ws = start + Double(w) * width
            if let prev = out.last, prev.name == top.key, abs(prev.endS - ws) < width * 1e-9 {
                out[out.count - 1].endS = ws + width
            } else {
                out.append(PhaseBand(name: top.key, startS: ws, endS: ws + width, dominant: true))
            }
        }
        return out
    }
}
