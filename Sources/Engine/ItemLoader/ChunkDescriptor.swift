import Foundation

/// What a reader needs to know about a chunk file before downloading it (as LitData's index file records):
/// where it is, how many items it holds and how many bytes it has.
public struct ChunkDescriptor: Sendable, Equatable {
    public var url: URL
    /// Items in the chunk.
    public var itemCount: Int
    /// Size of the whole chunk file in bytes (header included).
    public var byteCount: Int

    public init(url: URL, itemCount: Int, byteCount: Int) {
        self.url = url
        self.itemCount = itemCount
        self.byteCount = byteCount
    }
}
