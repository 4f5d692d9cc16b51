import Foundation
import XCTest

/// Runs the built `highwater` binary (next to this test bundle) as a user would, in a scratch directory.
struct CLI {
    /// What one invocation did.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The products directory: where `swift test` put `highwater`, `highwater-spawn` and this test bundle.
    static let productsDir: URL = {
        var dir = Bundle(for: CLIMarker.self).bundleURL.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: dir.appendingPathComponent("highwater").path) {
            dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build/debug")
        }
        return dir
    }()

    static var binary: String { productsDir.appendingPathComponent("highwater").path }

    /// The repository root (for suites/).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `highwater args` (or `executable args`) in `directory`, waiting for it; stdout and stderr captured.
    @discardableResult
    static func run(_ args: [String], in directory: URL, executable: String = CLI.binary,
                    environment: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        p.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        // Output to files, not pipes: nothing can fill up and block the program, whatever it prints.
        let outURL = FileManager.default.temporaryDirectory.appendingPathComponent("hw-cli-\(UUID().uuidString).out")
        let errURL = outURL.deletingPathExtension().appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try out.close()
        try err.close()
        return Result(status: p.terminationStatus, stdout: try String(contentsOf: outURL, encoding: .utf8),
                      stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    /// A fresh scratch directory, removed when the test ends.
    static func scratch(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hw-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// `DIR/runs.csv` as records (the harness writes no quoted fields in these tests' columns, except `error`).
    static func runs(_ dir: URL) throws -> [[String: String]] {
        try csv(dir.appendingPathComponent("runs.csv"))
    }

    static func csv(_ url: URL) throws -> [[String: String]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        guard !lines.isEmpty else { return [] }
        let header = splitCSV(lines.removeFirst())
        return lines.map { line in
            let cells = splitCSV(line)
            var d: [String: String] = [:]
            for (i, h) in header.enumerated() where i < cells.count { d[h] = cells[i] }
            return d
        }
    }

    /// RFC 4180 fields of one line (quotes doubled inside quoted fields).
    static func splitCSV(_ line: String) -> [String] {
        var out: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(line)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else { field.append(c) }
            } else if c == "," { out.append(field); field = "" } else if c == "\"" { quoted = true } else { field.append(c) }
            i += 1
        }
        out.append(field)
        chars.removeAll()
        return out
    }
}

/// Anchors `Bundle(for:)` in this test bundle.
final class CLIMarker {}
