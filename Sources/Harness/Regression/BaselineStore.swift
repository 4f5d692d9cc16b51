import Foundation
import RunContract

/// The baselines directory (`results/baselines/NAME.json`): saving a result directory as a baseline and listing them.
public struct BaselineStore: Sendable {
    public let directory: String

    public init(directory: String = "results/baselines") { self.directory = directory }

    /// What `save` did.
    public struct Saved: Sendable {
        public var url: URL
        public var replaced: Bool
        public var configurations: Int
        public var runs: Int
        /// Runs that did not end `ok` (the baseline keeps only the ok repeats' metrics).
        public var failedRuns: Int
        public var bytes: Int
    }

    /// Stores the result directory `resultDirectory` as `NAME.json`. Errors (exit 2) name the flag and value.
    public func save(resultDirectory: String, as name: String) throws -> Saved {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }), !name.hasPrefix(".") else {
            throw HarnessError(source: "--as", value: name, reason: "a baseline name is letters, digits, '.', '_' and '-'")
        }
        var set = try ResultDirectory.read(URL(fileURLWithPath: resultDirectory))
        set.name = name
        set.source = resultDirectory
        set.created = UTCTimestamp.iso8601()
        guard !set.configurations.isEmpty else {
            throw HarnessError(source: resultDirectory, field: "runs.csv", reason: "no runs to save")
        }
        let url = URL(fileURLWithPath: directory).appendingPathComponent(name + ".json")
        let replaced = FileManager.default.fileExists(atPath: url.path)
        do { try set.write(to: url) } catch {
            throw HarnessError(source: "--dir", value: directory, reason: "cannot write \(url.path): \(error.localizedDescription)")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        return Saved(url: url, replaced: replaced, configurations: set.configurations.count,
                     runs: set.configurations.reduce(0) { $0 + $1.runs },
                     failedRuns: set.configurations.reduce(0) { $0 + $1.failures.count }, bytes: size)
    }

    /// One line per baseline file (name, date, host, git revision, size), or why it is unreadable; sorted by file name.
    public func listing() -> [String] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        return files.map { file in
            let url = URL(fileURLWithPath: directory).appendingPathComponent(file)
            do {
                let b = try ResultSet.readBaseline(from: url)
                let runs = b.configurations.reduce(0) { $0 + $1.runs }
                return "\(b.name)\t\(b.created ?? "-")\t\(b.environment.host ?? "-")\t\(b.environment.gitRev ?? "-")\t\(b.configurations.count) configuration(s), \(runs) run(s)"
            } catch {
                return "\(file)\tunreadable: \(error)"
            }
        }
    }
}
