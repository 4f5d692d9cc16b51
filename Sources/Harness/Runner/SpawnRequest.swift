import Foundation
import RunContract

/// What to spawn.
struct SpawnRequest {
    /// Absolute path of the program.
    var executable: String
    /// argv, including argv[0].
    var arguments: [String]
    /// The complete environment of the child.
    var environment: [String: String]
    /// File that receives stderr (and stdout unless `pipeStdout`).
    var logPath: String
    /// Pipe stdout to the parent (external command mode: protocol lines), else it goes to `logPath`.
    var pipeStdout: Bool
    /// Give the child a pipe on fd 3 for its event lines (workload mode).
    var eventsOnFD3: Bool
}
