import Foundation
import RunContract

/// Writes a sweep's files as it goes: `runs.csv` and `timeseries.csv` a run at a time (each row whole), `run.json`
/// at the start and whenever something is learned, `summary.csv` at the end.
final class SweepWriter {
    let directory: URL
    let measuredRuns: Int
    private let runsFile: AppendingCSV
    private let timeseriesFD: Int32
    private let processesFD: Int32
    private let processSeriesFD: Int32
    private var runJSON: RunJSON

    init(directory: URL, plan: SweepPlan, environment: EnvironmentInfo, measuredRuns: Int) throws {
        self.directory = directory
        self.measuredRuns = measuredRuns
        runsFile = try AppendingCSV(url: directory.appendingPathComponent("runs.csv"))
        let ts = directory.appendingPathComponent("timeseries.csv")
        try OutputFile.replace(ts, with: Data(CSVTable.line(timeseriesHeader).utf8))
        timeseriesFD = try OutputFile.openForAppend(ts)
        let processes = directory.appendingPathComponent("processes.csv")
        try OutputFile.replace(processes, with: Data(CSVTable.line(processesHeader).utf8))
        processesFD = try OutputFile.openForAppend(processes)
        let processSeries = directory.appendingPathComponent("process_series.csv")
        try OutputFile.replace(processSeries, with: Data(CSVTable.line(processSeriesHeader).utf8))
        processSeriesFD = try OutputFile.openForAppend(processSeries)
        runJSON = RunJSON(schema: 1, environment: environment, plan: plan, configurations: try plan.configurations(), samplerOverhead: nil,
                          runsPlanned: measuredRuns, statuses: [:], wallS: nil)
        try runJSON.write(to: directory)
    }

    deinit {
        close(timeseriesFD)
        close(processesFD)
        close(processSeriesFD)
    }

    func recordOverhead(_ overhead: SamplerOverhead?) throws {
        runJSON.samplerOverhead = overhead
        try runJSON.write(to: directory)
    }

    func recordProfiles(_ profiles: [ProfileRecord]) throws {
        runJSON.profiles = profiles
        try runJSON.write(to: directory)
    }

    /// One run's row and its time series.
    func append(_ record: RunRecord, series: [TimeSeriesRow], processes: [[String]], processSeries: [[String]] = [],
                run: PlannedRun) throws {
        try runsFile.append(record.values)
        var chunk = ""
        for p in series {
            chunk += CSVTable.line([run.runID, run.configuration.configID, String(run.repeatIndex), formatNumber(p.tMs, digits: 3),
                                    p.rssMB.map { formatNumber($0, digits: 3) } ?? "", p.event,
                                    p.pssMB.map { formatNumber($0, digits: 3) } ?? "", p.processes.map(String.init) ?? "",
                                    p.cgroupMB.map { formatNumber($0, digits: 3) } ?? ""])
        }
        try OutputFile.append(timeseriesFD, Data(chunk.utf8), file: directory.appendingPathComponent("timeseries.csv").path)
        let rows = processes.map(CSVTable.line).joined()
        try OutputFile.append(processesFD, Data(rows.utf8), file: directory.appendingPathComponent("processes.csv").path)
        let perProcess = processSeries.map(CSVTable.line).joined()
        try OutputFile.append(processSeriesFD, Data(perProcess.utf8), file: directory.appendingPathComponent("process_series.csv").path)
    }

    /// `summary.csv` from the rows written, and `run.json` with the statuses, wall time and interruption.
    func finish(records: [RunRecord], wallS: Double, interruptedBy: Int32?) throws {
        let runsTable = try CSVTable.read(from: runsFile.url)
        try Summary.table(from: runsTable).write(to: directory.appendingPathComponent("summary.csv"))
        var statuses: [String: Int] = [:]
        for r in records { statuses[(r.status ?? .failed).rawValue, default: 0] += 1 }
        runJSON.statuses = statuses
        runJSON.wallS = wallS
        runJSON.interrupted = interruptedBy.map(ProcessMonitor.signalName)
        try runJSON.write(to: directory)
    }
}
