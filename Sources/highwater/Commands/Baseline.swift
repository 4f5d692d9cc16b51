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
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }), !name.hasPrefix(".") else {
                throw HarnessError(source: "--as", value: name, reason: "a baseline name is letters, digits, '.', '_' and '-'")
            }
            var set = try ResultDirectory.read(URL(fileURLWithPath: directory))
            set.name = name
            set.source = directory
            set.created = UTCTimestamp.iso8601()
            guard !set.configurations.isEmpty else {
                throw HarnessError(source: directory, field: "runs.csv", reason: "no runs to save")
            }
            let failed = set.configurations.reduce(0) { $0 + $1.failures.count }
            let url = URL(fileURLWithPath: baselinesDir).appendingPathComponent(name + ".json")
            let replaced = FileManager.default.fileExists(atPath: url.path)
            do { try set.write(to: url) } catch {
                throw HarnessError(source: "--dir", value: baselinesDir, reason: "cannot write \(url.path): \(error.localizedDescription)")
            }
            let runs = set.configurations.reduce(0) { $0 + $1.runs }
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            print("baseline '\(name)' \(replaced ? "replaced" : "saved"): \(url.path) (\(set.configurations.count) configuration(s), \(runs) run(s), \(size) bytes)")
            if failed > 0 {
                FileHandle.standardError.write(Data("highwater: warning: \(failed) run(s) in \(directory) did not end ok; the baseline keeps only the ok repeats' metrics\n".utf8))
            }
        }
    }

    struct ListBaselines: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the baselines in a directory with their date, host and size.")

        @Option(name: .customLong("dir"), help: ArgumentHelp("Directory of baseline files.", valueName: "dir"))
        var baselinesDir: String = "results/baselines"

        func run() throws {
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: baselinesDir)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
            if files.isEmpty { print("no baselines in \(baselinesDir)"); return }
            for file in files {
                let url = URL(fileURLWithPath: baselinesDir).appendingPathComponent(file)
                do {
                    let b = try ResultSet.readBaseline(from: url)
                    let runs = b.configurations.reduce(0) { $0 + $1.runs }
                    print("\(b.name)\t\(b.created ?? "-")\t\(b.environment.host ?? "-")\t\(b.environment.gitRev ?? "-")\t\(b.configurations.count) configuration(s), \(runs) run(s)")
                } catch {
                    print("\(file)\tunreadable: \(error)")
                }
            }
        }
    }
}
