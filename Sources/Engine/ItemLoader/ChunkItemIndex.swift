/// How item indices map to a loader's chunks: they run through chunk 0, then chunk 1, and so on.
struct ChunkItemIndex: Sendable {
    /// Prefix sums of the chunks' item counts (chunks + 1 entries): chunk `c` holds items
    /// `firstItem[c] ..< firstItem[c + 1]`.
    let firstItem: [Int]

    init(_ chunks: [ChunkDescriptor]) {
        var prefix = [0]
        prefix.reserveCapacity(chunks.count + 1)
        for c in chunks { prefix.append(prefix[prefix.count - 1] + c.itemCount) }
        firstItem = prefix
    }

    /// Items in all chunks.
    var itemCount: Int { firstItem[firstItem.count - 1] }

    /// The chunk holding item `index` (binary search, O(log chunks)).
    func chunk(ofItem index: Int) -> Int {
        var lo = 0
        var hi = firstItem.count - 2
        while lo < hi {
            let mid = (lo + hi + 1) >> 1
            if firstItem[mid] <= index { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}
