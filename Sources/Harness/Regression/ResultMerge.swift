import Foundation
import RunContract

/// Combines the result directories of the shards of one sweep (`highwater run --shard I/N`) into one directory,
/// as if the sweep had run in one place: `runs.csv` is the union of the rows (columns in order of first
/// appearance), `timeseries.csv`, `processes.csv` and `process_series.csv` the concatenations, `summary.csv` recomputed from the merged rows with the
/// harness's `Summary.table(from:)`, `run.json` the first shard's with the shard removed, the statuses recounted,
/// the wall times summed and `merged_from` listing the inputs. Plots are not drawn (run `highwater plot OUT`).
public enum ResultMerge {
    /// What a merge did, for the command's output.
    public struct Outcome: Sendable, Equatable {
        public var runs: Int
        public var inputs: [String]
        /// Files written in the output directory.
        public var files: [String]
        /// Shards seen (`1/4`, ...) and anything the user should know (missing shards, no run.json to check plans).
        public var notes: [String]
    }

    /// Plan fields that may differ between shards of one sweep (the name defaults to a timestamp).
    static let planFieldsAllowedToDiffer: Set<String> = ["shard", "name", "commandLine", "drawPlots", "measureSamplerOverhead", "maxRuns", "maxLogMB", "reference"]

    /// Reads every input's run.json and checks they are shards of one sweep (same plan apart from the shard;
    /// shards of one count, none twice); notes what could not be checked and which shards are missing.
    static func checkPlans(_ inputs: [URL], notes: inout [String]) throws -> [(URL, [String: Any])] {
        // run.json: same plan apart from the shard.
        var runJSONs: [(URL, [String: Any])] = []
        for dir in inputs {
            let url = dir.appendingPathComponent("run.json")
            guard let data = try? Data(contentsOf: url) else { notes.append("\(dir.path) has no run.json: its plan was not checked"); continue }
            guard let obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                throw HarnessError(source: url.path, reason: "malformed JSON")
            }
            runJSONs.append((dir, obj))
        }
        if let (firstDir, first) = runJSONs.first {
            let reference = first["plan"] as? [String: Any] ?? [:]
            for (dir, obj) in runJSONs.dropFirst() {
                let plan = obj["plan"] as? [String: Any] ?? [:]
                let keys = Set(reference.keys).union(plan.keys).subtracting(planFieldsAllowedToDiffer)
                let differing = keys.sorted().filter { !jsonEqual(reference[$0], plan[$0]) }
                if !differing.isEmpty {
                    throw HarnessError(source: dir.appendingPathComponent("run.json").path, field: "plan." + differing.joined(separator: ",plan."),
                                       reason: "different plan from \(firstDir.path): these are not shards of one sweep")
                }
            }
            let shards = runJSONs.compactMap { ($0.1["plan"] as? [String: Any])?["shard"] as? String }
            var seen = Set<Int>()
            var total: Int?
            for s in shards {
                guard let sh = try? Shard(parsing: s) else { continue }
                if let t = total, t != sh.count {
                    throw HarnessError(source: "merge", field: "plan.shard", value: s, reason: "shards of different counts (\(t) and \(sh.count))")
                }
                total = sh.count
                if !seen.insert(sh.index).inserted {
                    throw HarnessError(source: "merge", field: "plan.shard", value: s, reason: "the same shard given twice")
                }
            }
            if let t = total {
                let missing = (1...t).filter { !seen.contains($0) }
                notes.append("shards \(seen.sorted().map { "\($0)/\(t)" }.joined(separator: ", "))"
                    + (missing.isEmpty ? " (complete)" : "; missing \(missing.map { "\($0)/\(t)" }.joined(separator: ", ")): the merged sweep is incomplete"))
            }
        }
        return runJSONs
    }

    /// Merges `inputs` into `output`. Throws `HarnessError` (exit 2) for a missing input, unreadable CSV,
    /// a duplicate run id across inputs, different plans, or an output directory that already holds results.
    @discardableResult
    public static func merge(inputs: [URL], into output: URL) throws -> Outcome {
        let perRunFiles = ["timeseries.csv", "processes.csv", "process_series.csv"]
        guard !inputs.isEmpty else { throw HarnessError(source: "merge", reason: "no input directories") }
        let fm = FileManager.default
        if fm.fileExists(atPath: output.appendingPathComponent("runs.csv").path) {
            throw HarnessError(source: output.path, reason: "already holds a runs.csv; merge into a new directory")
        }
        var notes: [String] = []
        let runJSONs = try checkPlans(inputs, notes: &notes)

        // runs.csv: union, duplicate run ids rejected.
        var header: [String] = []
        var rows: [[String: String]] = []
        var owner: [String: String] = [:]
        var perRun: [String: [CSVTable]] = [:]
        for dir in inputs {
            let url = dir.appendingPathComponent("runs.csv")
            guard fm.fileExists(atPath: url.path) else {
                throw HarnessError(source: dir.path, reason: "not a result directory: no runs.csv")
            }
            let t: CSVTable
            do { t = try CSVTable.read(from: url) } catch let e as CSVTable.ParseError {
                throw HarnessError(source: e.file, field: "line \(e.line)", reason: e.reason)
            }
            guard t.index(of: RunColumn.runID) != nil else { throw HarnessError(source: url.path, field: RunColumn.runID, reason: "missing column") }
            for c in t.header where !header.contains(c) { header.append(c) }
            for rec in t.records {
                let id = rec[RunColumn.runID] ?? ""
                if let first = owner[id] {
                    throw HarnessError(source: url.path, field: RunColumn.runID, value: id, reason: "duplicate run id: also in \(first)/runs.csv (the same shard merged twice, or overlapping shards)")
                }
                owner[id] = dir.path
                rows.append(rec)
            }
            for name in perRunFiles where fm.fileExists(atPath: dir.appendingPathComponent(name).path) {
                do { perRun[name, default: []].append(try CSVTable.read(from: dir.appendingPathComponent(name))) } catch let e as CSVTable.ParseError {
                    throw HarnessError(source: e.file, field: "line \(e.line)", reason: e.reason)
                }
            }
        }
        try prepareOutputDirectory(output)
        var files: [String] = []
        let merged = CSVTable(header: header, rows: rows.map { r in header.map { r[$0] ?? "" } })
        try merged.write(to: output.appendingPathComponent("runs.csv"))
        files.append("runs.csv")
        try Summary.table(from: merged).write(to: output.appendingPathComponent("summary.csv"))
        files.append("summary.csv")
        for name in perRunFiles {
            guard let tables = perRun[name], !tables.isEmpty else { continue }
            var unionHeader: [String] = []
            for t in tables { for c in t.header where !unionHeader.contains(c) { unionHeader.append(c) } }
            var union = CSVTable(header: unionHeader)
            for t in tables { for r in t.records { union.rows.append(unionHeader.map { r[$0] ?? "" }) } }
            try union.write(to: output.appendingPathComponent(name))
            files.append(name)
            if tables.count < inputs.count { notes.append("\(name) was missing from \(inputs.count - tables.count) input(s)") }
        }
        if var obj = runJSONs.first?.1 {
            if var plan = obj["plan"] as? [String: Any] { plan.removeValue(forKey: "shard"); obj["plan"] = plan }
            var statuses: [String: Int] = [:]
            for r in rows { statuses[r[RunColumn.status] ?? "", default: 0] += 1 }
            obj["statuses"] = statuses
            let walls = runJSONs.compactMap { ($0.1["wallS"] as? NSNumber)?.doubleValue }
            if walls.count == runJSONs.count { obj["wallS"] = walls.reduce(0, +) }
            obj["merged_from"] = inputs.map(\.path)
            let data = try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            try OutputFile.replace(output.appendingPathComponent("run.json"), with: data)
            files.append("run.json")
        }
        return Outcome(runs: rows.count, inputs: inputs.map(\.path), files: files, notes: notes)
    }

    /// Combines result directories that each hold one repeat of the same plan (`highwater run --repeat 1`, as
    /// `check --against` runs them, alternating two binaries) into `output` as one directory with repeats
    /// 0..<inputs.count: run ids `<config>-r0` of input `i` become `<config>-r<i>` and `repeat` becomes `i`, in
    /// `runs.csv` and `timeseries.csv`; `summary.csv` is recomputed; `run.json` is the first input's with
    /// `plan.repeats` set and `combined_from` listing the inputs. Returns the number of runs.
    @discardableResult
    public static func concatenateRepeats(inputs: [URL], into output: URL) throws -> Int {
        guard !inputs.isEmpty else { throw HarnessError(source: "merge", reason: "no input directories") }
        func renumber(_ table: CSVTable, _ i: Int) -> CSVTable {
            var t = table
            let idCol = t.index(of: RunColumn.runID), repCol = t.index(of: "repeat")
            for r in t.rows.indices {
                if let c = idCol {
                    let id = t.rows[r][c]
                    if let range = id.range(of: "-r[0-9]+$", options: .regularExpression) {
                        t.rows[r][c] = id.replacingCharacters(in: range, with: "-r\(i)")
                    } else {
                        t.rows[r][c] = id + "-i\(i)"
                    }
                }
                if let c = repCol { t.rows[r][c] = String(i) }
            }
            return t
        }
        var header: [String] = []
        var rows: [[String: String]] = []
        var tsHeader: [String] = []
        var tsRows: [[String: String]] = []
        for (i, dir) in inputs.enumerated() {
            let url = dir.appendingPathComponent("runs.csv")
            let t: CSVTable
            do { t = renumber(try CSVTable.read(from: url), i) } catch let e as CSVTable.ParseError {
                throw HarnessError(source: e.file, field: "line \(e.line)", reason: e.reason)
            }
            for c in t.header where !header.contains(c) { header.append(c) }
            rows += t.records
            let tsURL = dir.appendingPathComponent("timeseries.csv")
            if let ts = try? CSVTable.read(from: tsURL) {
                let rt = renumber(ts, i)
                for c in rt.header where !tsHeader.contains(c) { tsHeader.append(c) }
                tsRows += rt.records
            }
        }
        try prepareOutputDirectory(output)
        let merged = CSVTable(header: header, rows: rows.map { r in header.map { r[$0] ?? "" } })
        try merged.write(to: output.appendingPathComponent("runs.csv"))
        try Summary.table(from: merged).write(to: output.appendingPathComponent("summary.csv"))
        if !tsHeader.isEmpty {
            try CSVTable(header: tsHeader, rows: tsRows.map { r in tsHeader.map { r[$0] ?? "" } })
                .write(to: output.appendingPathComponent("timeseries.csv"))
        }
        if let data = try? Data(contentsOf: inputs[0].appendingPathComponent("run.json")),
           var obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] {
            if var plan = obj["plan"] as? [String: Any] { plan["repeats"] = inputs.count; obj["plan"] = plan }
            var statuses: [String: Int] = [:]
            for r in rows { statuses[r[RunColumn.status] ?? "", default: 0] += 1 }
            obj["statuses"] = statuses
            obj["runsPlanned"] = rows.count
            obj["combined_from"] = inputs.map(\.path)
            let out = try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            try out.write(to: output.appendingPathComponent("run.json"), options: .atomic)
        }
        return rows.count
    }

    private static func jsonEqual(_ a: Any?, _ b: Any?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (nil, _), (_, nil): return false
        default:
            let wrap = { (v: Any) -> Data? in try? JSONSerialization.data(withJSONObject: ["v": v], options: [.sortedKeys]) }
            return wrap(a!) == wrap(b!)
        }
    }
}
