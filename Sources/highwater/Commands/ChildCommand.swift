import ArgumentParser
import Foundation
import WorkloadHost

/// Hidden: the child side of a workload run (re-executed by the parent with posix_spawn).
struct ChildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "__child", abstract: "Internal: run one workload in this process.", shouldDisplay: false)

    @Option(name: .long, help: "Child spec (JSON) written by the parent.")
    var spec: String

    func run() throws {
        let code = ChildMain.run(specPath: spec)
        if code != 0 { throw ExitCode(code) }
    }
}
