import ArgumentParser
import Foundation
import Harness

/// `highwater merge OUT DIR...`.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the result directories of the shards of one sweep (run --shard I/N) into OUT.",
        discussion: """
        Writes OUT/runs.csv (union of the rows), OUT/summary.csv (recomputed from them), OUT/timeseries.csv \
        (concatenated) and OUT/run.json (the plan without its shard, statuses recounted, merged_from). Plots are not \
        drawn: run `highwater plot OUT`. Exit 2 on a duplicate run id, shards of different plans or counts, or a \
        missing input.
        """)

    @Argument(help: ArgumentHelp("Output directory (must not already hold a runs.csv).", valueName: "out"))
    var output: String

    @Argument(help: ArgumentHelp("Shard result directories.", valueName: "dir"))
    var inputs: [String]

    func run() throws {
        guard !inputs.isEmpty else { throw HarnessError(source: "merge", reason: "give the output directory and at least one shard directory") }
        let outcome = try ResultMerge.merge(inputs: inputs.map { URL(fileURLWithPath: $0) }, into: URL(fileURLWithPath: output))
        for n in outcome.notes { print("note: \(n)") }
        print("merged \(outcome.runs) runs from \(outcome.inputs.count) director\(outcome.inputs.count == 1 ? "y" : "ies") into \(output): \(outcome.files.joined(separator: ", "))")
    }
}
