import Foundation

/// The sweep's scratch directory (`$TMPDIR/highwater-<pid>-<n>`): each run's spec, report and data files. Removed at
/// the end of the sweep; the directories of sweeps whose process is gone (killed with SIGKILL) are removed when the
/// next sweep starts.
struct ScratchDirectory {
    let url: URL

    init() throws {
        let tmp = FileManager.default.temporaryDirectory
        Self.removeOrphans(in: tmp)
        url = tmp.appendingPathComponent("highwater-\(getpid())-\(UInt64.random(in: 0...UInt64.max) % 1_000_000)")
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw HarnessError(source: tmp.path, reason: "cannot create a scratch directory: \(error.localizedDescription)")
        }
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    /// Removes `highwater-<pid>-*` directories whose process no longer exists.
    static func removeOrphans(in tmp: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []
        for name in names where name.hasPrefix("highwater-") {
            let parts = name.split(separator: "-")
            guard parts.count == 3, let pid = pid_t(parts[1]), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(at: tmp.appendingPathComponent(name)) }
        }
    }
}
