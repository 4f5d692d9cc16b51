/// Which resident chunk the item loader evicts when its memory budget is full.
public enum EvictionPolicy: String, Sendable, CaseIterable {
    /// Least recently used: the chunk whose last item access is oldest.
    case lru
    /// Least frequently used: the chunk with the fewest item accesses since the loader was created (counts survive
    /// eviction, so a hot chunk stays hot after a reload); ties go to the least recently used.
    case lfu
    /// First in, first out: the chunk that became resident earliest, regardless of use.
    case fifo

    /// What a policy knows about one eviction candidate.
    public struct Usage: Sendable, Equatable {
        /// Candidate id (the loader's chunk index).
        public var id: Int
        /// Logical time (access counter) of the last item access.
        public var lastAccess: UInt64
        /// Item accesses counted so far.
        public var accessCount: UInt64
        /// Logical time at which the chunk became resident (its load sequence number).
        public var loadSequence: UInt64

        public init(id: Int, lastAccess: UInt64, accessCount: UInt64, loadSequence: UInt64) {
            self.id = id
            self.lastAccess = lastAccess
            self.accessCount = accessCount
            self.loadSequence = loadSequence
        }
    }

    /// Whether candidate `a` should be evicted before candidate `b` (a strict total order when ids differ).
    @inline(__always)
    public func evictsBefore(_ a: Usage, _ b: Usage) -> Bool {
        switch self {
        case .lru:
            if a.lastAccess != b.lastAccess { return a.lastAccess < b.lastAccess }
        case .lfu:
            if a.accessCount != b.accessCount { return a.accessCount < b.accessCount }
            if a.lastAccess != b.lastAccess { return a.lastAccess < b.lastAccess }
        case .fifo:
            if a.loadSequence != b.loadSequence { return a.loadSequence < b.loadSequence }
        }
        return a.id < b.id
    }

    /// The candidate to evict first, or nil when there is none. O(candidates).
    public func victim<C: Sequence>(among candidates: C) -> Usage? where C.Element == Usage {
        var best: Usage?
        for c in candidates {
            if let b = best { if evictsBefore(c, b) { best = c } } else { best = c }
        }
        return best
    }
}
