import Foundation
import RunContract

extension ResultSet {
    /// Reads `argument` as a result directory (with runs.csv), a baseline file, or a baseline name in `baselinesDir`.
    /// Errors (exit 2) name `role` and what was tried.
    public static func resolve(_ argument: String, role: String, baselinesDir: String) throws -> ResultSet {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: argument, isDirectory: &isDir) {
            return isDir.boolValue ? try ResultDirectory.read(URL(fileURLWithPath: argument))
                                   : try ResultSet.readBaseline(from: URL(fileURLWithPath: argument))
        }
        if !argument.contains("/") && !argument.hasSuffix(".json") {
            let named = URL(fileURLWithPath: baselinesDir).appendingPathComponent(argument + ".json")
            if fm.fileExists(atPath: named.path) { return try ResultSet.readBaseline(from: named) }
            let known = ((try? fm.contentsOfDirectory(atPath: baselinesDir)) ?? []).filter { $0.hasSuffix(".json") }
                .map { String($0.dropLast(5)) }.sorted()
            throw HarnessError(source: role, value: argument,
                               reason: "no such baseline file, result directory, or baseline \(named.path)"
                                   + (known.isEmpty ? "" : " (baselines: \(known.joined(separator: ", ")))"))
        }
        throw HarnessError(source: role, value: argument, reason: "no such baseline file or result directory")
    }
}
