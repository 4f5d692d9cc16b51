// Release-mode engine benchmark: encode, write and read throughput of the storage engine's format layer on
// `code_chunks` data (WORKLOAD.md), until the harness's write/scan workloads measure it end to end.
//
//   swift build -c release --product engine-bench && .build/release/engine-bench [--rows N] [--batch N]
//       [--level N] [--dir PATH] [--repeat N]
//
// Prints one line per measurement: rows/s, MB/s of raw value bytes and ms per batch, from the measuring thread's
// CPU time (best of --repeat runs; robust when other processes share the cores), except the 2-thread pipeline,
// which is wall clock. The "encode + write" line counts the writer thread's CPU only (not the kernel's flush).
import Engine
import Foundation
import Workloads

struct Options {
    var rows = 1_000_000
    var batch = 10_000
    var level = 1
    var repeats = 3
    var directory = FileManager.default.temporaryDirectory.appendingPathComponent("engine-bench-\(getpid())")

    init(_ args: [String]) {
        var i = 1
        func value() -> String {
            i += 1
            guard i < args.count else { fail("missing value for \(args[i - 1])") }
            return args[i]
        }
        func int(_ name: String) -> Int {
            let v = value()
            guard let n = Int(v), n >= 0 else { fail("\(name) must be a non-negative integer, got \(v)") }
            return n
        }
        while i < args.count {
            switch args[i] {
            case "--rows": rows = int("--rows")
            case "--batch": batch = max(1, int("--batch"))
            case "--level": level = int("--level")
            case "--repeat": repeats = max(1, int("--repeat"))
            case "--dir": directory = URL(fileURLWithPath: value())
            case "-h", "--help":
                print("engine-bench [--rows N (default 1000000)] [--batch ROWS (10000)] [--level ZSTD (1; 0 = off)] [--repeat N (3)] [--dir PATH]")
                exit(0)
            default: fail("unknown argument \(args[i])")
            }
            i += 1
        }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(("engine-bench: " + message + "\n").data(using: .utf8)!)
    exit(2)
}

/// Rows/s and MB/s from CPU time of the measuring thread (single-thread sections) or wall time (pipeline).
func report(_ name: String, rows: Int, bytes: Int, nanoseconds: UInt64, wallNanoseconds: UInt64? = nil, extra: String = "") {
    let s = Double(nanoseconds) / 1e9
    let batches = Double(max(1, (rows + options.batch - 1) / options.batch))
    let wall = wallNanoseconds.map { String(format: " (wall %.2f)", Double($0) / 1e6 / batches) } ?? ""
    print(String(format: "%-34@ %10.0f rows/s %9.1f MB/s %8.2f ms/batch%@%@", name as NSString,
                 Double(rows) / s, Double(bytes) / 1e6 / s, s * 1e3 / batches, wall as NSString, extra as NSString))
    fflush(nil)  // one line at a time even into a pipe
}

/// Best of `options.repeats` runs of `body`, in CPU nanoseconds of this thread.
func best(_ body: () throws -> Void) rethrows -> UInt64 {
    var bestNs = UInt64.max
    for _ in 0..<options.repeats {
        // CPU time of this thread: stable when other processes compete for the cores.
        let t = EngineClock.threadCPUNanoseconds()
        try body()
        bestNs = min(bestNs, EngineClock.threadCPUNanoseconds() - t)
    }
    return bestNs
}

/// Best of `options.repeats` runs of `body`, in wall nanoseconds (for multi-threaded sections).
func bestWall(_ body: () throws -> Void) rethrows -> UInt64 {
    var bestNs = UInt64.max
    for _ in 0..<options.repeats {
        let t = EngineClock.monotonicNanoseconds()
        try body()
        bestNs = min(bestNs, EngineClock.monotonicNanoseconds() - t)
    }
    return bestNs
}

let options = Options(CommandLine.arguments)
let ranges = CodeChunksGenerator.batchRanges(totalRows: options.rows, batchSize: options.batch)
print("engine-bench: \(options.rows) code_chunks rows, batch \(options.batch), zstd level \(options.level), best of \(options.repeats)")

// 1. Generation alone.
let generator = CodeChunksGenerator(batchCapacityRows: options.batch)
var rawBytes = 0
let generateNs = best {
    rawBytes = 0
    for r in ranges { rawBytes += generator.batch(rows: r).rawValueBytes }
}
report("generate", rows: options.rows, bytes: rawBytes, nanoseconds: generateNs)

let batches = ranges.map { generator.batch(rows: $0) }
let encodingOptions = EncodingOptions(compressionLevel: options.level)
let encoder = BatchEncoder()

// 2. Encode, all columns, one thread.
var timings = EncodeTimings()
var encodedBytes = 0
let encodeNs = try best {
    timings = EncodeTimings()
    encodedBytes = 0
    for b in batches {
        let e = try encoder.encode(b, options: encodingOptions)
        timings += e.timings
        encodedBytes += e.encodedBytes
    }
}
report("encode all columns", rows: options.rows, bytes: rawBytes, nanoseconds: encodeNs,
       extra: String(format: "  stats %.2f select %.2f compress %.2f ms/batch, ratio %.2f",
                     Double(timings.statsNanoseconds) / 1e6 / Double(batches.count),
                     Double(timings.selectNanoseconds) / 1e6 / Double(batches.count),
                     Double(timings.compressNanoseconds) / 1e6 / Double(batches.count),
                     Double(rawBytes) / Double(max(encodedBytes, 1))))

// 3. Encode per column, with the encoding the selector picks, then with each encoding forced.
for (c, field) in CodeChunksGenerator.schema.fields.enumerated() {
  for forced in [nil] + PageEncoding.allCases.map(Optional.some) {
    let encodingOptions = EncodingOptions(compressionLevel: options.level, forcedEncoding: forced)
    let projected = batches.map { $0.project([c]) }
    let bytes = projected.reduce(0) { $0 + $1.rawValueBytes }
    var t = EncodeTimings()
    var encoded = 0
    var encoding = ""
    let ns = try best {
        t = EncodeTimings()
        encoded = 0
        for b in projected {
            let e = try encoder.encode(b, options: encodingOptions)
            t += e.timings
            encoded += e.encodedBytes
            encoding = e.pages[0].statistics.encoding.description
        }
    }
    report("encode \(field.name)" + (forced == nil ? "" : " (forced)"), rows: options.rows, bytes: bytes, nanoseconds: ns,
           extra: String(format: "  stats %.3f select %.3f compress %.3f ms/batch, %@, ratio %.2f",
                         Double(t.statsNanoseconds) / 1e6 / Double(batches.count),
                         Double(t.selectNanoseconds) / 1e6 / Double(batches.count),
                         Double(t.compressNanoseconds) / 1e6 / Double(batches.count),
                         encoding as NSString, Double(bytes) / Double(max(encoded, 1))))
  }
}

// 4. Write a data file (encode + write on one thread), then read it back.
try? FileManager.default.createDirectory(at: options.directory, withIntermediateDirectories: true)
let url = options.directory.appendingPathComponent("bench.hwd")
var fileBytes = 0
let writeNs = try best {
    let writer = try DataFileWriter(url: url, schema: CodeChunksGenerator.schema)
    for b in batches { try writer.write(try encoder.encode(b, options: encodingOptions)) }
    fileBytes = try writer.finish(sync: false).byteCount
}
report("encode + write file", rows: options.rows, bytes: rawBytes, nanoseconds: writeNs,
       extra: String(format: "  file %.1f MB", Double(fileBytes) / 1e6))

// 5. Generate on this thread, encode + write on a second one (the streaming writer's shape, queue depth 4).
let pipelineNs = try bestWall {
    let handoff = BoundedQueue<RecordBatch>(capacity: 4)
    let level = options.level
    let done = DispatchSemaphore(value: 0)
    // The writer lives on the encoding thread from creation to finish; the generator only fills the queue.
    let thread = Thread {
        do {
            let writer = try DataFileWriter(url: url, schema: CodeChunksGenerator.schema)
            let e = BatchEncoder()
            while let b = try handoff.pop() {
                try writer.write(try e.encode(b, options: EncodingOptions(compressionLevel: level)))
            }
            _ = try writer.finish(sync: false)
        } catch {
            FileHandle.standardError.write(Data("engine-bench: write failed: \(error)\n".utf8))
            exit(1)
        }
        done.signal()
    }
    thread.start()
    let g = CodeChunksGenerator(batchCapacityRows: options.batch)
    for r in ranges { try handoff.push(g.batch(rows: r)) }
    handoff.close()
    done.wait()
}
report("generate | encode + write (2 thr)", rows: options.rows, bytes: rawBytes, nanoseconds: pipelineNs,
       extra: "  wall clock, 2 threads")

// 6. Read and decode every page of every column.
let reader = try DataFileReader(url: url)
var readRows = 0
let readNs = try best {
    readRows = 0
    for p in 0..<reader.pageCount { readRows += try reader.readBatch(page: p).rowCount }
}
precondition(readRows == options.rows, "read \(readRows) rows")
report("read + decode all columns", rows: options.rows, bytes: rawBytes, nanoseconds: readNs)
for (c, field) in reader.schema.fields.enumerated() {
    let ns = try best {
        for p in 0..<reader.pageCount { _ = try reader.readPage(column: c, page: p) }
    }
    report("read \(field.name)", rows: options.rows, bytes: batches.reduce(0) { $0 + $1.columns[c].rawValueBytes }, nanoseconds: ns)
}
try? FileManager.default.removeItem(at: options.directory)
