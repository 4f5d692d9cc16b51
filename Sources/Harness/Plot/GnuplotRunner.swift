import Foundation
import RunContract

/// Runs gnuplot: one script per plot writing a PNG and an SVG.
struct GnuplotRunner {
    let pngTerminal: String

    init() throws {
        guard let path = Subprocess.which("gnuplot") else {
            throw HarnessError(source: "gnuplot", reason: "not installed (apt-get install gnuplot-nox, or run scripts/install-deps.sh)")
        }
        self.path = path
        pngTerminal = Self.run(path, ["-e", "set terminal pngcairo"]).status == 0 ? "pngcairo" : "png"
    }
    let path: String

    /// Runs gnuplot with `arguments`; its exit status (-1 when it could not run) and stderr.
    static func run(_ path: String, _ arguments: [String]) -> (status: Int32, stderr: String) {
        do {
            let exit = try Subprocess(executable: path, arguments: arguments, stdout: .discard, stderr: .capture).wait()
            return (exit.exitCode ?? -1, exit.stderr)
        } catch {
            return (-1, "\(error)")
        }
    }

    /// Writes `<name>.gp` and runs it; returns the PNG and SVG written.
    func draw(name: String, setup: [String], plot: String, plotsDir: URL) throws -> [URL] {
        let png = plotsDir.appendingPathComponent("\(name).png")
        let svg = plotsDir.appendingPathComponent("\(name).svg")
        let pngTerm = pngTerminal == "pngcairo" ? "set terminal pngcairo size 1100,650 noenhanced font \"Sans,10\"" : "set terminal png size 1100,650 noenhanced"
        var script = "set encoding utf8\nset decimalsign locale \"C.UTF-8\"\n" + setup.joined(separator: "\n") + "\n"
        script += "\(pngTerm)\nset output \(Plotter.q(png.path))\n\(plot)\n"
        script += "set terminal svg size 1100,650 noenhanced dynamic font \"Sans,10\"\nset output \(Plotter.q(svg.path))\nreplot\nset output\n"
        let gp = plotsDir.appendingPathComponent("data/\(name).gp")
        try script.write(to: gp, atomically: true, encoding: .utf8)
        let r = Self.run(path, [gp.path])
        guard r.status == 0 else {
            throw HarnessError(source: gp.path, reason: "gnuplot failed: \(r.stderr.split(separator: "\n").prefix(3).joined(separator: " | "))")
        }
        return [png, svg]
    }
}
