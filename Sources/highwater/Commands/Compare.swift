import ArgumentParser
import Foundation
import Harness

/// `highwater compare BASELINE CURRENT`.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two result sets (baseline file, baseline NAME or result directory each) metric by metric.",
        discussion: """
        Noisy metrics (times, throughput, memory) regress only when the change of medians is beyond the threshold AND \
        the two-sided Mann-Whitney U test over the repeats gives p < alpha; with too few repeats they are judged on \
        the threshold alone and marked. Deterministic metrics (alloc_count, alloc_bytes, bytes_written, files, \
        versions, rows) need no statistics. Exit codes: 0 nothing regressed (improvements pass), 1 a regression or a \
        failed run in CURRENT, 2 bad input (missing or malformed baseline, schema mismatch, different configurations).
        """)

    @Argument(help: ArgumentHelp("Baseline: a baseline .json file, a NAME in --baselines-dir, or a result directory.", valueName: "baseline"))
    var baseline: String

    @Argument(help: ArgumentHelp("Current results: a result directory, a baseline .json file or a NAME.", valueName: "current"))
    var current: String

    @OptionGroup var comparison: ComparisonArguments

    func run() throws {
        let options = try comparison.options()
        _ = try comparison.outputFormat()
        let b = try comparison.resultSet(baseline, role: "baseline")
        let c = try comparison.resultSet(current, role: "current")
        try comparison.emit(try Comparator.compare(baseline: b, current: c, options: options))
    }
}
