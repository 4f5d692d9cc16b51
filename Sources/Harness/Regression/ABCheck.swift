import Foundation
import RunContract

/// `highwater check --against OTHER`: the same suite run by two builds, alternately, one repeat per invocation
/// (A, B, A, B, ...), so machine drift hits both sides alike; A is the reference. Each side's repeats are then
/// concatenated into `outputDirectory/A` and `outputDirectory/B` and read back as result sets.
public struct ABCheck: Sendable {
    /// The suite file both sides run.
    public var suitePath: String
    /// Side A (reference) and side B (current) executables.
    public var referenceBinary: String
    public var currentBinary: String
    public var repeats: Int
    /// Unrecorded warmups per configuration: run before the first repeat of each side only.
    public var warmup: Int
    public var outputDirectory: URL
    /// Further `highwater run` arguments both sides get (the command line's overrides).
    public var extraArguments: [String] = []

    public init(suitePath: String, referenceBinary: String, currentBinary: String, repeats: Int, warmup: Int,
                outputDirectory: URL, extraArguments: [String] = []) {
        self.suitePath = suitePath
        self.referenceBinary = URL(fileURLWithPath: referenceBinary).standardizedFileURL.path
        self.currentBinary = currentBinary
        self.repeats = repeats
        self.warmup = warmup
        self.outputDirectory = outputDirectory
        self.extraArguments = extraArguments
    }

    /// The `highwater run` arguments of one side's repeat `r`, writing into `dir`.
    func arguments(repeatIndex r: Int, into dir: URL) -> [String] {
        var args = ["run", "--suite", suitePath, "--repeat", "1", "--out", dir.path, "--no-plots", "--no-overhead-check", "--plain"]
        args += extraArguments
        // Warm up once per side, not once per repeat.
        if warmup > 0 && r > 0 { args += ["--warmup", "0"] }
        return args
    }

    /// Runs both sides and returns their result sets, named `A: path` and `B: path`. Progress goes to `log`.
    public func run(log: FileHandle = .standardError) throws -> (reference: ResultSet, current: ResultSet) {
        let fm = FileManager.default
        guard fm.isExecutableFile(atPath: referenceBinary) else {
            throw HarnessError(source: "--against", value: referenceBinary, reason: "not an executable file")
        }
        let sides = [("A", referenceBinary), ("B", currentBinary)]
        var dirs: [String: [URL]] = ["A": [], "B": []]
        for r in 0..<repeats {
            for (side, binary) in sides {
                let dir = outputDirectory.appendingPathComponent(side).appendingPathComponent("r\(r)")
                try? fm.removeItem(at: dir)
                log.write(Data("highwater check: repeat \(r + 1)/\(repeats), side \(side) (\(binary))\n".utf8))
                try runSide(binary, arguments: arguments(repeatIndex: r, into: dir), role: side == "A" ? "--against" : "check")
                guard fm.fileExists(atPath: dir.appendingPathComponent("runs.csv").path) else {
                    throw HarnessError(source: side == "A" ? "--against" : "check", value: binary, reason: "wrote no \(dir.path)/runs.csv")
                }
                dirs[side]!.append(dir)
            }
        }
        for (side, _) in sides {
            let combined = outputDirectory.appendingPathComponent(side)
            try? fm.removeItem(at: combined.appendingPathComponent("runs.csv"))
            try ResultMerge.concatenateRepeats(inputs: dirs[side]!, into: combined)
        }
        var a = try ResultDirectory.read(outputDirectory.appendingPathComponent("A"))
        var b = try ResultDirectory.read(outputDirectory.appendingPathComponent("B"))
        a.name = "A: \(referenceBinary)"
        b.name = "B: \(currentBinary)"
        return (a, b)
    }

    /// Runs one invocation (its output on our stderr); exit 1 (failed runs, which are rows and fail the comparison) is accepted, 2 and signals are fatal.
    func runSide(_ binary: String, arguments: [String], role: String) throws {
        let exit: Subprocess.Exit
        do {
            exit = try Subprocess(executable: binary, arguments: arguments, stdout: .standardError, stderr: .inherit).wait()
        } catch {
            throw HarnessError(source: role, value: binary, reason: "cannot start: \(error)")
        }
        guard let code = exit.exitCode, code == 0 || code == 1 else {
            throw HarnessError(source: role, value: binary,
                               reason: "`\(([binary] + arguments).joined(separator: " "))` ended with \(exit.exitCode.map { "exit status \($0)" } ?? "signal \(exit.signal ?? 0)")")
        }
    }
}
