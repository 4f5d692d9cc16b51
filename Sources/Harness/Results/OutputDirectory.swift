import Foundation
import RunContract

/// A results directory owned by one sweep: a lock held for the whole sweep (`DIR/.highwater.lock`, flock), so a
/// second sweep into the same directory is refused naming the holder's pid; and the previous sweep's results moved
/// aside into `DIR/previous/` before anything is written, so nothing measured is destroyed by starting again.
public final class OutputDirectory {
    public let url: URL
    private let lockFD: Int32
    /// What happened to earlier results, for the progress output (nil when there were none).
    public private(set) var note: String?

    /// Result files a sweep writes (moved aside together).
    static let resultNames = ["runs.csv", "summary.csv", "timeseries.csv", "processes.csv", "process_series.csv", "run.json", "report.md", "report.html", "logs", "plots"]

    /// Creates `url` if needed, takes its lock and moves earlier results aside. Errors name `--out`.
    public init(_ url: URL) throws {
        guard !url.path.isEmpty else { throw HarnessError(source: "--out", reason: "empty path") }
        self.url = url
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw HarnessError(source: "--out", value: url.path, reason: "cannot create the output directory")
        }
        let lockPath = url.appendingPathComponent(".highwater.lock").path
        lockFD = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard lockFD >= 0 else {
            throw HarnessError(source: "--out", value: url.path, reason: "output directory is not writable (\(String(cString: strerror(errno))))")
        }
        guard flock(lockFD, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.readPid(lockFD)
            close(lockFD)
            throw HarnessError(source: "--out", value: url.path,
                               reason: "another sweep\(holder.map { " (pid \($0))" } ?? "") is writing there; wait for it or choose another --out")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(lockFD, 0)
        _ = pwrite(lockFD, pid, pid.utf8.count, 0)
        try moveEarlierResultsAside()
    }

    deinit {
        flock(lockFD, LOCK_UN)
        close(lockFD)
    }

    /// Moves the files of an earlier sweep (if `runs.csv` is there) into `previous/`, replacing an older `previous/`.
    func moveEarlierResultsAside() throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: url.appendingPathComponent("runs.csv").path) else { return }
        let previous = url.appendingPathComponent("previous")
        do {
            try? fm.removeItem(at: previous)
            try fm.createDirectory(at: previous, withIntermediateDirectories: true)
            for name in Self.resultNames where fm.fileExists(atPath: url.appendingPathComponent(name).path) {
                try fm.moveItem(at: url.appendingPathComponent(name), to: previous.appendingPathComponent(name))
            }
        } catch {
            throw HarnessError(source: "--out", value: url.path, reason: "cannot move the earlier results aside into previous/: \(error.localizedDescription)")
        }
        note = "earlier results in \(url.path) moved to \(previous.path)/"
    }

    static func readPid(_ fd: Int32) -> Int32? {
        var buf = [UInt8](repeating: 0, count: 32)
        let n = pread(fd, &buf, 31, 0)
        guard n > 0 else { return nil }
        return Int32(String(decoding: buf[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
