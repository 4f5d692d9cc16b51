import ArgumentParser
import Foundation
import Harness

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every workload with its parameters (type, unit, default, allowed values).")

    func run() throws {
        print(WorkloadCatalog.text())
    }
}

struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Redraw the plots of a results directory from its CSV files alone, into DIR/plots/ (PNG and SVG).")

    @Argument(help: ArgumentHelp("Results directory (with runs.csv, timeseries.csv).", valueName: "dir"))
    var directory: String

    func run() throws {
        let files = try Plotter.drawAll(directory: URL(fileURLWithPath: directory))
        print("plots: \(files.count) files in \(directory)/plots/")
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write DIR/report.md and DIR/report.html (one self-contained file, interactive plots): environment, the sweep, a table per workload, the plots and findings computed from the data.")

    @Argument(help: ArgumentHelp("Results directory.", valueName: "dir"))
    var directory: String

    @Flag(name: .customLong("no-plots"), help: "Do not (re)draw the plots first. Default: plots are redrawn.")
    var noPlots = false

    func run() throws {
        let url = try ReportWriter.write(directory: URL(fileURLWithPath: directory), drawPlots: !noPlots)
        print("report: \(url.path)")
        print("report: \(url.deletingLastPathComponent().appendingPathComponent("report.html").path)")
    }
}
