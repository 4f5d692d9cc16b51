import Foundation

/// Where the item loader puts evicted chunks so that a later access re-reads them from local disk instead of
/// downloading them again. One file per chunk (`chunk-<index>.bin`) in `directory`.
public final class DiskOffload {
    /// Directory holding the offloaded chunk files (created if missing).
    public let directory: URL
    /// Bytes written to the offload directory so far.
    public private(set) var bytesWritten = 0
    /// Bytes read back from the offload directory so far.
    public private(set) var bytesRead = 0
    /// Chunks written so far.
    public private(set) var chunksWritten = 0
    private var sizes: [Int: Int] = [:]

    /// Creates (if needed) `directory` for offloaded chunks.
    public init(directory: URL) throws {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ItemLoaderError.io(path: directory.path, operation: "mkdir", errno: EIO)
        }
    }

    /// Whether chunk `id` has been offloaded.
    public func contains(_ id: Int) -> Bool { sizes[id] != nil }

    /// Bytes of chunk `id` on disk, if offloaded.
    public func size(of id: Int) -> Int? { sizes[id] }

    /// Path of chunk `id`'s offload file.
    public func url(of id: Int) -> URL { directory.appendingPathComponent("chunk-\(id).bin") }

    /// Writes `bytes` as chunk `id` (replacing an earlier copy).
    public func write(_ id: Int, _ bytes: UnsafeRawBufferPointer) throws {
        let path = url(of: id).path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ItemLoaderError.io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        if bytes.count > 0 {
            try ChunkFile.writeFully(fd: fd, path: path, from: bytes.baseAddress!, count: bytes.count, at: 0)
        }
        sizes[id] = bytes.count
        bytesWritten += bytes.count
        chunksWritten += 1
    }

    /// Reads chunk `id` back into a new buffer.
    public func read(_ id: Int) throws -> ChunkBuffer {
        let path = url(of: id).path
        guard let size = sizes[id] else { throw ItemLoaderError.io(path: path, operation: "read (not offloaded)", errno: ENOENT) }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ItemLoaderError.io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        let buffer = ChunkBuffer(count: size)
        try ChunkFile.readFully(fd: fd, path: path, into: buffer.base, count: size, at: 0)
        bytesRead += size
        return buffer
    }

    /// Deletes every offloaded file.
    public func removeAll() {
        for id in sizes.keys { unlink(url(of: id).path) }
        sizes.removeAll()
    }
}
