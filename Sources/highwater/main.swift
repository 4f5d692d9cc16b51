import ArgumentParser
import Foundation
import Harness
import Workloads

/// The `highwater` command line: argument parsing only; the work is in the Harness library.
struct Highwater: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "highwater",
        abstract: "Benchmark and profile throughput and memory high-water marks of parameterized workloads and external commands.",
        discussion: "Exit codes: 0 success; 1 a run failed (or a regression was found); 2 bad usage or bad input; 3 a result file could not be written; 128+N interrupted by signal N (summary.csv and run.json are still written).",
        subcommands: [Run.self, List.self, Plot.self, Report.self, ChildCommand.self] + regressionSubcommands
    )
}

// Helper processes a workload spawns (e.g. parallel_write's workers: `highwater __parallel_write_worker ...`)
// dispatch on their hidden first argument before any parsing.
if CommandLine.arguments.count > 1, let helperMain = WorkloadRegistry.helperEntryPoint(for: CommandLine.arguments[1]) {
    exit(helperMain(Array(CommandLine.arguments.dropFirst(2))))
}

// Errors: HarnessError and usage errors are one line on stderr and exit 2; help exits 0.
do {
    var command = try Highwater.parseAsRoot()
    try command.run()
} catch let e as HarnessError {
    FileHandle.standardError.write(Data((e.line + "\n").utf8))
    exit(2)
} catch let e as OutputError {
    FileHandle.standardError.write(Data((e.line + "\n").utf8))
    exit(OutputError.exitCode)
} catch let e as ParameterError {
    FileHandle.standardError.write(Data("highwater: error: \(e.description)\n".utf8))
    exit(2)
} catch {
    let code = Highwater.exitCode(for: error)
    if code == .validationFailure {
        let msg = Highwater.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        FileHandle.standardError.write(Data("highwater: error: \(msg)\n".utf8))
        exit(2)
    }
    Highwater.exit(withError: error)
}
