import Foundation
import RunContract

/// Why the monitor killed a process.
enum KillReason: Sendable {
    case timeout
    case memoryLimit(rssBytes: Int64)
    /// stdout + stderr grew over the plan's output limit.
    case outputLimit(bytes: Int64)
    /// The harness was interrupted (SIGINT, SIGTERM, SIGHUP) while the run was starting or running.
    case interrupted(signal: Int32)
}
