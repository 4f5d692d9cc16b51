import Foundation

/// Something a workload says while it runs; forwarded to the parent as it happens.
public enum RunEvent: Sendable {
    /// A phase starts now (`tNs` on the monotonic clock). A phase lasts until the next one.
    case phase(name: String, tNs: UInt64)
}
