import Foundation

/// A thread-safe cache bounded by the sum of its entries' declared sizes, evicting the least recently used
/// entries when an insert would exceed the budget.
///
/// Entries live in a contiguous array of nodes threaded into a doubly linked recency list by index (head = most
/// recently used, tail = least recently used); a dictionary maps each key to its node slot. Freed slots are reused
/// through a free list, so `get`, `insert`, `remove` and each eviction are O(1) and allocate nothing beyond the
/// entry itself (and occasional amortized growth of the node array and dictionary).
///
/// Sizes are what the caller declares (`bytes:` on insert), as in Lance's `DeepSizeOf`-weighted caches: the cache
/// never measures values itself. An entry whose declared size exceeds the whole budget is not cached at all and is
/// counted in `rejectedInserts`.
public final class ByteBoundedCache<Key: Hashable, Value> {
    @usableFromInline
    struct Node {
        @usableFromInline var key: Key?
        @usableFromInline var value: Value?
        @usableFromInline var bytes: Int
        @usableFromInline var prev: Int
        @usableFromInline var next: Int

        @inlinable
        init(key: Key?, value: Value?, bytes: Int, prev: Int, next: Int) {
            self.key = key
            self.value = value
            self.bytes = bytes
            self.prev = prev
            self.next = next
        }
    }

    /// Name used in statistics columns (`cache_<name>_*`).
    public let name: String
    /// Upper bound, in bytes, on the sum of the declared sizes of the entries held.
    public let budgetBytes: Int

    @usableFromInline let lock = NSLock()
    @usableFromInline var nodes: ContiguousArray<Node> = []
    @usableFromInline var slots: [Key: Int] = [:]
    @usableFromInline var head = -1
    @usableFromInline var tail = -1
    @usableFromInline var freeHead = -1
    @usableFromInline var stats = CacheStatistics()
    @usableFromInline var peak = 0
    @usableFromInline var rejected = 0

    /// Creates an empty cache.
    /// - Parameters:
    ///   - name: statistics name (e.g. `index`, `metadata`).
    ///   - budgetBytes: the most bytes (sum of declared entry sizes) held at any moment; 0 disables caching.
    @inlinable
    public init(name: String, budgetBytes: Int) {
        precondition(budgetBytes >= 0, "budgetBytes must be >= 0")
        self.name = name
        self.budgetBytes = budgetBytes
    }

    /// Returns the value for `key` and marks it most recently used, counting a hit; or nil, counting a miss.
    @inlinable
    public func get(_ key: Key) -> Value? {
        lock.lock()
        defer { lock.unlock() }
        guard let slot = slots[key] else {
            stats.misses += 1
            return nil
        }
        stats.hits += 1
        moveToFront(slot)
        return nodes[slot].value
    }

    /// Returns whether `key` is cached, without touching recency or the hit/miss counters.
    @inlinable
    public func contains(_ key: Key) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return slots[key] != nil
    }

    /// Inserts or replaces the entry for `key` with a declared size of `bytes`, then evicts least recently used
    /// entries until the bytes held are within `budgetBytes`.
    ///
    /// An entry larger than the whole budget is not cached (any previous entry for `key` is removed) and is counted
    /// in `rejectedInserts`.
    /// - Returns: whether the entry is now cached.
    @inlinable @discardableResult
    public func insert(_ key: Key, _ value: Value, bytes: Int) -> Bool {
        precondition(bytes >= 0, "entry bytes must be >= 0")
        lock.lock()
        defer { lock.unlock() }
        if let slot = slots[key] {
            unlinkAndFree(slot)
        }
        guard bytes <= budgetBytes else {
            rejected += 1
            return false
        }
        while stats.bytes + bytes > budgetBytes, tail >= 0 {
            unlinkAndFree(tail)
            stats.evictions += 1
        }
        let slot = allocate(Node(key: key, value: value, bytes: bytes, prev: -1, next: head))
        if head >= 0 { nodes[head].prev = slot }
        head = slot
        if tail < 0 { tail = slot }
        slots[key] = slot
        stats.bytes += bytes
        stats.entries += 1
        if stats.bytes > peak { peak = stats.bytes }
        return true
    }

    /// Returns the cached value for `key` (a hit), or builds it with `make` (a miss), inserts it with the size
    /// `make` declares and returns it. `make` runs outside the lock, so two threads missing the same key at once
    /// may both build it (the later insert replaces the earlier one).
    @inlinable
    public func getOrInsert(_ key: Key, _ make: () throws -> (value: Value, bytes: Int)) rethrows -> Value {
        if let v = get(key) { return v }
        let made = try make()
        insert(key, made.value, bytes: made.bytes)
        return made.value
    }

    /// Removes the entry for `key`, if any (not counted as an eviction).
    /// - Returns: whether an entry was removed.
    @inlinable @discardableResult
    public func remove(_ key: Key) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let slot = slots[key] else { return false }
        unlinkAndFree(slot)
        return true
    }

    /// Drops every entry (not counted as evictions) and releases the node storage. Counters are kept.
    @inlinable
    public func removeAll() {
        lock.lock()
        defer { lock.unlock() }
        nodes = []
        slots = [:]
        head = -1
        tail = -1
        freeHead = -1
        stats.entries = 0
        stats.bytes = 0
    }

    /// Hits, misses, evictions, entries held and bytes held, now.
    @inlinable
    public var statistics: CacheStatistics {
        lock.lock()
        defer { lock.unlock() }
        return stats
    }

    /// The most bytes held at any moment since creation (never above `budgetBytes`).
    @inlinable
    public var peakBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return peak
    }

    /// Inserts refused because the entry alone was larger than `budgetBytes`.
    @inlinable
    public var rejectedInserts: Int {
        lock.lock()
        defer { lock.unlock() }
        return rejected
    }

    /// Keys from most to least recently used (for tests and debugging; O(entries)).
    @inlinable
    public func keysByRecency() -> [Key] {
        lock.lock()
        defer { lock.unlock() }
        var out: [Key] = []
        out.reserveCapacity(stats.entries)
        var i = head
        while i >= 0 {
            out.append(nodes[i].key!)
            i = nodes[i].next
        }
        return out
    }

    // MARK: - list plumbing (callers hold the lock)

    @inlinable
    func allocate(_ node: Node) -> Int {
        if freeHead >= 0 {
            let slot = freeHead
            freeHead = nodes[slot].next
            nodes[slot] = node
            return slot
        }
        nodes.append(node)
        return nodes.count - 1
    }

    @inlinable
    func unlink(_ slot: Int) {
        let p = nodes[slot].prev
        let n = nodes[slot].next
        if p >= 0 { nodes[p].next = n } else { head = n }
        if n >= 0 { nodes[n].prev = p } else { tail = p }
    }

    @inlinable
    func unlinkAndFree(_ slot: Int) {
        unlink(slot)
        if let k = nodes[slot].key { slots.removeValue(forKey: k) }
        stats.bytes -= nodes[slot].bytes
        stats.entries -= 1
        nodes[slot].key = nil
        nodes[slot].value = nil
        nodes[slot].bytes = 0
        nodes[slot].prev = -1
        nodes[slot].next = freeHead
        freeHead = slot
    }

    @inlinable
    func moveToFront(_ slot: Int) {
        guard slot != head else { return }
        unlink(slot)
        nodes[slot].prev = -1
        nodes[slot].next = head
        if head >= 0 { nodes[head].prev = slot }
        head = slot
        if tail < 0 { tail = slot }
    }
}

// @unchecked: every mutable property is guarded by `lock`; keys and values cross threads, so they must be Sendable.
extension ByteBoundedCache: @unchecked Sendable where Key: Sendable, Value: Sendable {}
