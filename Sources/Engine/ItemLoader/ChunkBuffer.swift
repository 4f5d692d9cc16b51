/// A heap buffer holding (part of) one chunk file's bytes; freed when the last reference goes.
///
/// Its bytes are written by one owner before they are shared (a `ThrottledSource` publishes each arrived prefix
/// under its lock; readers only read below it).
public final class ChunkBuffer: @unchecked Sendable {  // @unchecked: `base` and `count` never change after init.
    /// Start of the bytes (16-byte aligned).
    public let base: UnsafeMutableRawPointer
    /// Size in bytes.
    public let count: Int

    /// Allocates `count` uninitialized bytes.
    public init(count: Int) {
        self.count = count
        base = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
    }

    deinit { base.deallocate() }

    /// The whole buffer as raw bytes.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
}
