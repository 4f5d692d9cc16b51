import RunContract

/// One run's RSS samples and event marks from `timeseries.csv`, with the configuration and repeat it belongs to.
struct RunTrace {
    var runID: String
    var configID: String
    var repeatIndex: Int
    /// Samples: seconds since spawn, RSS in MB.
    var samples: [(t: Double, v: Double)] = []
    /// Event marks (`begin`, `end`, `phase:NAME`) in time order, seconds since spawn.
    var marks: [(tS: Double, event: String)] = []

    /// The run's phases as bands (at most `maxBands`, see `PhaseBands.coalesced`).
    func phaseBands(maxBands: Int = 40) -> [PhaseBand] {
        let end = max(samples.last?.t ?? 0, marks.last?.tS ?? 0)
        return PhaseBands.coalesced(PhaseBands.bands(marks: marks, runEndS: end), maxBands: maxBands)
    }

    /// Traces of every run in `timeseries`, grouped by configuration id, each group by repeat. Runs not in `runs`
    /// (no repeat known) get repeat 0. Rows with unreadable times are skipped.
    static func byConfiguration(timeseries ts: CSVTable, runs: CSVTable) -> [String: [RunTrace]] {
        guard let iRun = ts.index(of: RunColumn.runID), let iCfg = ts.index(of: RunColumn.configID), let iT = ts.index(of: "t_ms"),
              let iR = ts.index(of: "rss_mb"), let iE = ts.index(of: "event") else { return [:] }
        var repeats: [String: Int] = [:]
        if let jRun = runs.index(of: RunColumn.runID), let jRep = runs.index(of: RunColumn.repeatIndex) {
            for r in runs.rows where r.count > max(jRun, jRep) { repeats[r[jRun]] = Int(r[jRep]) ?? 0 }
        }
        var traces: [String: RunTrace] = [:]
        var order: [String] = []
        let width = max(iRun, iCfg, iT, iR, iE)
        for row in ts.rows where row.count > width {
            guard let tMs = Double(row[iT]), tMs.isFinite else { continue }
            let run = row[iRun]
            if traces[run] == nil {
                order.append(run)
                traces[run] = RunTrace(runID: run, configID: row[iCfg], repeatIndex: repeats[run] ?? 0)
            }
            if row[iE].isEmpty {
                if let v = Double(row[iR]), v.isFinite { traces[run]!.samples.append((tMs / 1000, v)) }
            } else {
                traces[run]!.marks.append((tMs / 1000, row[iE]))
            }
        }
        var out: [String: [RunTrace]] = [:]
        for run in order { if let t = traces[run] { out[t.configID, default: []].append(t) } }
        for k in out.keys { out[k]!.sort { $0.repeatIndex < $1.repeatIndex } }
        return out
    }
}
