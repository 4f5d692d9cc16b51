import Foundation
import RunContract

/// Paths the harness needs at run time.
public enum HarnessPaths {
    private static let override = Locked<String?>(nil)

    /// The `highwater` binary that children re-execute: `/proc/self/exe` unless set (tests point it at the built binary).
    public static var executable: String {
        get {
            if let o = override.current { return o }
            return (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        }
        set { override.withLock { $0 = newValue } }
    }
}
