import Foundation
import XCTest
@testable import Workloads

/// Runs workloads in-process for tests: validated parameters, a scratch directory, prepare then run.
enum WorkloadHarness {
    /// A fresh scratch directory under the system temporary directory.
    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hw-wl-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Creates `W` from `raw` parameters (defaults filled in), prepares and runs it; returns the context.
    static func run<W: Workload>(_ type: W.Type, _ raw: [String: String], in directory: URL? = nil) throws -> RunContext {
        let values = try ParameterValues(specs: W.parameters, raw: raw, workload: W.name)
        let dir = try directory ?? scratchDirectory()
        let context = RunContext(workDirectory: dir, parameters: values)
        var workload = try W(parameters: values)
        try workload.prepare(context)
        try workload.run(context)
        if directory == nil { try? FileManager.default.removeItem(at: dir) }
        return context
    }
}
