import ArgumentParser
import Foundation
import Harness

/// `highwater baseline save|list`: baselines that CI compares against.
struct Baseline: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Save and list baselines: small, versioned JSON files (schema highwater-baseline/1) holding every repeat's metrics per configuration, its parameters and the environment.",
        subcommands: [Save.self, ListBaselines.self])

    struct Save: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store a result directory as a baseline, DIR/NAME.json (default results/baselines/NAME.json), to commit and compare against.")

        @Argument(help: ArgumentHelp("Result directory written by `highwater run` (runs.csv, run.json).", valueName: "dir"))
        var directory: String

        @Option(name: .customLong("as"), help: ArgumentHelp("Baseline name: letters, digits, '.', '_' and '-'.", valueName: "name"))
        var name: String

        @Option(name: .customLong("dir"), help: ArgumentHelp("Directory of baseline files.", valueName: "dir"))
        var baselinesDir: String = "results/baselines"

        func run() throws {
            let saved = try BaselineStore(directory: baselinesDir).save(resultDirectory: directory, as: name)
            print("baseline '\(name)' \(saved.replaced ? "replaced" : "saved"): \(saved.url.path) (\(saved.configurations) configuration(s), \(saved.runs) run(s), \(saved.bytes) bytes)")
            if saved.failedRuns > 0 {
                FileHandle.standardError.write(Data("highwater: warning: \(saved.failedRuns) run(s) in \(directory) did not end ok; the baseline keeps only the ok repeats' metrics\n".utf8))
            }
        }
    }

    struct ListBaselines: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the baselines in a directory with their date, host and size.")

        @Option(name: .customLong("dir"), help: ArgumentHelp("Directory of baseline files.", valueName: "dir"))
        var baselinesDir: String = "results/baselines"

        func run() throws {
            let lines = BaselineStore(directory: baselinesDir).listing()
            print(lines.isEmpty ? "no baselines in \(baselinesDir)" : lines.joined(separator: "\n"))
        }
    }
}
