import Foundation
import RunContract
import Engine

/// Note 000 (Lance-Ray): `workers` processes each write data files for a disjoint slice of the rows with a
/// `FragmentWriter` (no commit) and hand back only their fragments' metadata (file path, rows, bytes: a line of
/// text each, not the objects), then the parent adds them all in one commit. A second committer deliberately
/// commits first on top of the same base version, so the main commit loses the race and retries with backoff.
///
/// Workers are separate executables started with `posix_spawn`. Each reports its own peak RSS (`VmHWM`, its
/// address space's high-water mark) on its last line; the parent also records `wait4`'s `ru_maxrss`, which on
/// Linux includes the spawning process's RSS at exec.
/// The executable is this process's (`/proc/self/exe`) with the hidden first argument
/// `ParallelWriteWorkload.workerArgument`; the CLI must dispatch that argument to `workerMain(arguments:)`
/// (see `WorkloadRegistry.helperEntryPoint(for:)`).
public struct ParallelWriteWorkload: Workload {
    public static let name = "parallel_write"
    public static let summary = "Worker processes write fragments of disjoint row slices; one commit adds them (note 000)"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("workers", .int, unit: "processes", default: "2", range: 1...256, help: "writer processes"),
        ParameterSpec("rows", .int, unit: "rows", default: "1M", range: 1...1e10, help: "rows written over all workers"),
        ParameterSpec("max_rows_per_file", .int, unit: "rows", default: "262144", range: 1...1e12,
                      help: "a worker's data file ends once it holds this many rows"),
    ]

    /// Hidden first argument that makes the executable run as a worker.
    public static let workerArgument = "__parallel_write_worker"
    /// Prefix of the lines a worker prints for each fragment: `<prefix> <data file> <rows> <file bytes>`.
    static let fragmentLinePrefix = "highwater-fragment"
    /// Prefix of the last line a worker prints: `<prefix> <raw value bytes written> <VmHWM bytes>` (its own peak RSS).
    static let summaryLinePrefix = "highwater-worker"
    /// Rows per generated batch in the workers.
    static let batchRows = 10_000

    /// How to start a worker: the executable, the arguments before the worker's own, and extra environment.
    struct WorkerCommand {
        var executable: String
        var leadingArguments: [String]
        /// When set, the worker arguments travel in this environment variable (joined by U+001F) instead of argv.
        var argumentsEnvironmentVariable: String?

        /// This executable with the hidden worker argument (what the `highwater` CLI dispatches).
        static let selfExecutable = WorkerCommand(executable: "/proc/self/exe", leadingArguments: [workerArgument],
                                                  argumentsEnvironmentVariable: nil)
    }

    let workers: Int
    let rows: Int
    let maxRowsPerFile: Int
    /// Tests replace this to start workers through the test executable.
    var workerCommand = WorkerCommand.selfExecutable

    public init(parameters: ParameterValues) throws {
        workers = parameters.int("workers")
        rows = parameters.int("rows")
        maxRowsPerFile = parameters.int("max_rows_per_file")
        guard workers <= rows else { throw ParameterError("parallel_write: workers=\(workers) exceeds rows=\(rows)") }
    }

    private func datasetURL(_ context: RunContext) -> URL {
        context.workDirectory.appendingPathComponent("code_chunks", isDirectory: true)
    }

    /// Creates the empty dataset (version 1).
    public mutating func prepare(_ context: RunContext) throws {
        _ = try Dataset.create(at: datasetURL(context), schema: CodeChunksGenerator.schema)
    }

    public mutating func run(_ context: RunContext) throws {
        let url = datasetURL(context)
        let base = try Dataset.open(at: url)

        context.phase("write")
        let writeStart = Clock.nowNs()
        let children = try startWorkers(url)
        var collected = WorkerResults()
        for (w, child) in children.enumerated() { collected.add(worker: w, try child.wait()) }
        let fragments = collected.fragments, rawBytes = collected.rawBytes, peaks = collected.peaks
        let maxRSS = collected.maxRSS, workerCPUSeconds = collected.workerCPUSeconds, failures = collected.failures
        guard failures.isEmpty else { throw ParameterError("parallel_write: " + failures.joined(separator: "; ")) }
        let writeNs = Clock.nowNs() - writeStart

        context.phase("commit")
        // The conflicting committer: another handle on the same base version commits first, so the main
        // commit's first attempt finds its version number taken, backs off, rebases and retries.
        let rival = try Dataset.open(at: url, version: base.version)
        let rivalDataset = try rival.commit(.append([]))
        let committed = try base.commit(.append(fragments))

        context.rows = committed.countRows()
        context.inputBytes = rawBytes
        context.files = fragments.count
        context.versions = 2
        context.bytesWritten = fragments.reduce(0) { $0 + $1.fileBytes } + committed.commitBytesWritten + rivalDataset.commitBytesWritten
        context.setMetric("commit_retries", Double(committed.commitRetries))
        context.setMetric("estimate_in_memory_data_size_mb", Double(committed.estimateInMemoryDataSize()) / 1e6)
        context.setMetric("worker_peak_rss_mb_max", Double(peaks.max() ?? 0) / 1e6)
        context.setMetric("worker_peak_rss_mb_min", Double(peaks.min() ?? 0) / 1e6)
        context.setMetric("worker_peak_rss_mb_sum", Double(peaks.reduce(0, +)) / 1e6)
        // wait4's figure: on Linux it starts from the spawning process's RSS at exec (posix_spawn shares the
        // parent's address space until exec), so it is at least this process's RSS then.
        context.setMetric("worker_ru_maxrss_mb_max", Double(maxRSS.max() ?? 0) / 1e6)
        context.setMetric("write_rows_per_s", Double(rows) / max(Double(writeNs) / 1e9, 1e-9))
        context.setMetric("worker_cpu_s_sum", workerCPUSeconds)
        context.setMetric("workers", Double(workers))
        guard context.rows == rows else {
            throw ParameterError("parallel_write: committed \(context.rows) rows, expected \(rows)")
        }
    }

    /// Starts one worker process per slice of the rows.
    private func startWorkers(_ url: URL) throws -> [Subprocess] {
        var children: [Subprocess] = []
        for w in 0..<workers {
            let slice = (rows * w / workers) ..< (rows * (w + 1) / workers)
            let args = [url.path, String(slice.lowerBound), String(slice.upperBound), String(maxRowsPerFile)]
            var env: [String: String] = [:]
            var argv = workerCommand.leadingArguments
            if let variable = workerCommand.argumentsEnvironmentVariable {
                env[variable] = args.joined(separator: "\u{1F}")
            } else {
                argv += args
            }
            children.append(try Subprocess(executable: workerCommand.executable, arguments: argv, environment: env))
        }
        return children
    }

    /// Entry point of a worker process: `arguments` are `<dataset dir> <first row> <end row> <max rows per file>`.
    /// Writes data files for rows `first ..< end` into the dataset's directory without committing, prints one
    /// `highwater-fragment <data file> <rows> <file bytes>` line per file, then `highwater-worker <raw bytes> <VmHWM bytes>`. Returns the exit code
    /// (0 success, 2 bad arguments, 1 failure, with the reason on stderr).
    public static func workerMain(arguments: [String]) -> Int32 {
        guard arguments.count == 4, let first = Int(arguments[1]), let end = Int(arguments[2]),
              let maxRows = Int(arguments[3]), first >= 0, end >= first, maxRows > 0 else {
            FileHandle.standardError.write(Data("parallel_write worker: expected <dataset dir> <first row> <end row> <max rows per file>, got \(arguments)\n".utf8))
            return 2
        }
        do {
            let url = URL(fileURLWithPath: arguments[0], isDirectory: true)
            let written = try writeFragments(dataset: url, rows: first..<end, maxRowsPerFile: maxRows)
            var out = ""
            for f in written.fragments {
                out += "\(fragmentLinePrefix) \(f.dataFile) \(f.physicalRows) \(f.fileBytes)\n"
            }
            out += "\(summaryLinePrefix) \(written.rawBytes) \(Int(ProcessMemory.peakResidentBytes()))\n"
            // Unbuffered, so nothing waits in a stdio buffer at exit.
            FileHandle.standardOutput.write(Data(out.utf8))
            return 0
        } catch {
            FileHandle.standardError.write(Data("parallel_write worker: \(error)\n".utf8))
            return 1
        }
    }

    /// Writes rows `rows` as uncommitted fragments of the dataset at `dataset` with a `FragmentWriter`, rolling
    /// files at `maxRowsPerFile`; returns the fragments and the raw value bytes written.
    static func writeFragments(dataset url: URL, rows: Range<Int>, maxRowsPerFile: Int) throws -> (fragments: [FragmentMetadata], rawBytes: Int) {
        let writer = FragmentWriter(at: url, schema: CodeChunksGenerator.schema,
                                    options: WriteOptions(maxRowsPerFile: maxRowsPerFile))
        let generator = CodeChunksGenerator(batchCapacityRows: batchRows)
        var start = rows.lowerBound
        while start < rows.upperBound {
            let end = min(start + batchRows, rows.upperBound)
            try writer.write(generator.batch(rows: start..<end))
            start = end
        }
        let fragments = try writer.finish()
        return (fragments, writer.rawBytes)
    }
}

/// What the workers reported: their fragments, raw bytes and peaks, and why any failed.
private struct WorkerResults {
    var fragments: [FragmentMetadata] = []
    var rawBytes = 0
    /// VmHWM reported by each worker.
    var peaks: [Int] = []
    /// wait4 ru_maxrss of each worker.
    var maxRSS: [Int] = []
    /// wait4 user + system time of all workers.
    var workerCPUSeconds = 0.0
    var failures: [String] = []

    /// Folds in worker `w`'s exit and stdout (`highwater-fragment` lines, then its `highwater-worker` summary).
    mutating func add(worker w: Int, _ exit: Subprocess.Exit) {
        maxRSS.append(exit.peakRSSBytes)
        workerCPUSeconds += exit.userSeconds + exit.systemSeconds
        guard exit.exitCode == 0 else {
            failures.append("worker \(w) \(exit.signal.map { "killed by signal \($0)" } ?? "exited with \(exit.exitCode ?? -1)")")
            return
        }
        var summary: (raw: Int, peak: Int)?
        for line in exit.stdout.split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.first == Substring(ParallelWriteWorkload.summaryLinePrefix), f.count == 3, let raw = Int(f[1]), let peak = Int(f[2]) {
                summary = (raw, peak)
            } else if f.first == Substring(ParallelWriteWorkload.fragmentLinePrefix) {
                guard f.count == 4, let r = Int(f[2]), let b = Int(f[3]) else {
                    failures.append("worker \(w) printed a malformed line: \(line)")
                    continue
                }
                fragments.append(FragmentMetadata(dataFile: String(f[1]), physicalRows: r, fileBytes: b))
            }
        }
        guard let summary else {
            failures.append("worker \(w) did not report its summary line")
            return
        }
        rawBytes += summary.raw
        peaks.append(summary.peak)
    }
}
