/// A reusable typed scratch array (contents undefined after `ensure`).
final class ScratchArray<T> {
    private(set) var pointer: UnsafeMutablePointer<T>
    private(set) var capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = max(capacity, 16)
        pointer = .allocate(capacity: self.capacity)
    }

    deinit { pointer.deallocate() }

    /// A pointer to at least `n` elements (previous contents are lost when it grows).
    @inline(__always)
    func ensure(_ n: Int) -> UnsafeMutablePointer<T> {
        if n > capacity {
            pointer.deallocate()
            capacity = max(n, capacity * 2)
            pointer = .allocate(capacity: capacity)
        }
        return pointer
    }
}
