import RunContract

/// Per-phase durations and RSS growth of one run: each phase lasts until the next one (the last until the end of
/// the measured region, or the exit), and phases of the same name are summed.
struct PhaseAttribution: Equatable {
    struct Phase: Equatable {
        /// The phase's column-safe name.
        var name: String
        var seconds: Double
        /// RSS at the phase's end minus at its start, MB; nil when either end has no reading.
        var rssDeltaMB: Double?
    }

    /// Phases in order of first appearance.
    private(set) var phases: [Phase] = []

    /// `marks`: phase starts with the RSS at that moment (nil when unknown); `endNs`/`endRSS`: the end of the last phase.
    init(marks: [(name: String, tNs: UInt64, rss: Int64?)], endNs: UInt64, endRSS: Int64?) {
        var index: [String: Int] = [:]
        for (i, p) in marks.enumerated() {
            let isLast = i + 1 == marks.count
            let stop = isLast ? max(endNs, p.tNs) : marks[i + 1].tNs
            let stopRSS = isLast ? endRSS : marks[i + 1].rss
            let key = RunColumn.safe(p.name)
            let k: Int
            if let existing = index[key] { k = existing } else {
                k = phases.count
                index[key] = k
                phases.append(Phase(name: key, seconds: 0, rssDeltaMB: nil))
            }
            phases[k].seconds += Double(stop - p.tNs) / 1e9
            if let a = p.rss, let b = stopRSS {
                phases[k].rssDeltaMB = (phases[k].rssDeltaMB ?? 0) + Double(b - a) / 1e6
            }
        }
    }

    /// `phase_<name>_s` and `phase_<name>_rss_delta_mb` cells.
    func write(to record: inout RunRecord) {
        for p in phases {
            record.set("\(RunColumn.phasePrefix)\(p.name)_s", p.seconds, digits: 6)
            if let d = p.rssDeltaMB { record.set("\(RunColumn.phasePrefix)\(p.name)_rss_delta_mb", d, digits: 3) }
        }
    }
}
