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
    /// File that receives stderr (and stdout unless `stdoutPath` is set), opened by the child itself.
    var logPath: String
    /// File that receives stdout (external commands), written by the child directly; the monitor reads it behind the
    /// child for `highwater:` protocol lines, so however fast the child prints, the monitor never waits on it.
    var stdoutPath: String?
    /// Which protocol the events descriptor (fd 3, a pipe) and stdout carry.
    var protocolMode: ProtocolReader.Mode
    /// Largest stdout + stderr the run may write, bytes; over it the run is killed (`failed`).
    var maxLogBytes: Int64
    /// The delegated cgroup v2 to create the run's own cgroup below (`CgroupProbe`), or nil to sample the tree only.
    var cgroupParent: String? = nil
    /// Names the run's cgroup (`highwater-<harness pid>-<runName>`).
    var runName = "run"
}
