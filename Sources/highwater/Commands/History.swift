import ArgumentParser
import Foundation
import Harness

/// `highwater history FILE`: trend plots and change points of the checks recorded with `check --history FILE`.
struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw the trend of every metric in a history file (check --history) and mark where it stepped.",
        discussion: """
        One plot per configuration and metric (current median per check, the baseline median, regressed checks \
        marked) in --out, with change points drawn as dashed lines: binary segmentation with Welch's t statistic \
        over segments of at least --min-segment checks, a change where the score is at least --min-score and the \
        means differ by --min-step percent or more. Writes --out/change_points.csv and prints the change points.
        """)

    @Argument(help: ArgumentHelp("History file written by `highwater check --history FILE`.", valueName: "file"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("Output directory for plots and change_points.csv. Default: <file>-plots next to the file.", valueName: "dir"))
    var out: String?

    @Option(name: .customLong("min-segment"), help: ArgumentHelp("Fewest checks on each side of a change point. Default: 3.", valueName: "n"))
    var minSegment = 3

    @Option(name: .customLong("min-score"), help: ArgumentHelp("Smallest Welch t score of a change point. Default: 5.", valueName: "t"))
    var minScore = 5.0

    @Option(name: .customLong("min-step"), help: ArgumentHelp("Smallest step between the means on both sides, percent. Default: 5.", valueName: "percent"))
    var minStepPercent = 5.0

    func run() throws {
        let url = URL(fileURLWithPath: file)
        guard FileManager.default.fileExists(atPath: url.path) else { throw HarnessError(source: file, reason: "no such history file") }
        guard minSegment >= 2 else { throw HarnessError(source: "--min-segment", value: String(minSegment), reason: "must be at least 2") }
        let outDir = URL(fileURLWithPath: out ?? url.deletingPathExtension().path + "-plots")
        let detector = ChangePoints(minSegment: minSegment, minScore: minScore, minRelativeStep: minStepPercent / 100)
        let r = try HistoryPlotter.write(history: url, to: outDir, detector: detector)
        for f in r.changes {
            let p = f.series.points[f.change.index]
            print(String(format: "change: %@ %@ %@ at check %d (%@, %@): %.6g -> %.6g (%+.1f%%, score %.1f)", f.series.workload,
                         f.series.configuration, f.series.metric, f.change.index + 1, p.recordedAt, p.gitRev, f.change.before, f.change.after,
                         f.change.relativeStep * 100, f.change.score))
        }
        if r.changes.isEmpty { print("no change points") }
        if let why = r.plotsSkipped { print("plots skipped: \(why)") }
        print("written: \(r.files.count) files in \(outDir.path)")
    }
}
