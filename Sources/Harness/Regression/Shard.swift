/// A deterministic slice `index/count` of a sweep, for spreading one sweep over a CI matrix.
/// Shard `i` (1-based) takes the planned runs whose position `p` satisfies `p % count == i - 1`,
/// so every run lands in exactly one shard and shards stay balanced.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based shard number.
    public let index: Int
    /// Number of shards.
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, index >= 1, index <= count else {
            throw ShardError("--shard: '\(index)/\(count)' must be I/N with 1 <= I <= N")
        }
        self.index = index
        self.count = count
    }

    /// Parses `I/N`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw ShardError("--shard: '\(text)' is not I/N (e.g. 2/4)")
        }
        try self.init(index: i, count: n)
    }

    public var description: String { "\(index)/\(count)" }

    /// The items of this shard, in their original order.
    public func select<T>(_ items: [T]) -> [T] {
        items.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }
}

/// Bad `--shard` input.
public struct ShardError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
