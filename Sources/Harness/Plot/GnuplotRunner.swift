import Foundation
import RunContract

/// Runs gnuplot: one script per plot writing a PNG and an SVG.
struct GnuplotRunner {
    let pngTerminal: String

    init() throws {
        guard let path = Self.which("gnuplot") else {
            throw HarnessError(source: "gnuplot", reason: "not installed (apt-get install gnuplot-nox, or run scripts/install-deps.sh)")
        }
        self.path = path
        pngTerminal = Self.run(path, script: "set terminal pngcairo\n").status == 0 ? "pngcairo" : "png"
    }
    let path: String

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    static func run(_ path: String, script: String) -> (status: Int32, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        let inPipe = Pipe()
        let errPipe = Pipe()
        p.standardInput = inPipe
        p.standardError = errPipe
        p.standardOutput = FileHandle.nullDevice
        do { try p.run() } catch { return (-1, "\(error)") }
        inPipe.fileHandleForWriting.write(Data(script.utf8))
        try? inPipe.fileHandleForWriting.close()
        let err = errPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: err, as: UTF8.self))
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
        let r = Self.run(path, script: script)
        guard r.status == 0 else {
            throw HarnessError(source: gp.path, reason: "gnuplot failed: \(r.stderr.split(separator: "\n").prefix(3).joined(separator: " | "))")
        }
        return [png, svg]
    }
}
