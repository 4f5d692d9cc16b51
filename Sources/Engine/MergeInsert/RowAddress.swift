/// Where a live row is: the fragment holding it and its physical row offset in the fragment's data file.
public struct RowAddress: Sendable, Hashable {
    public var fragmentId: Int
    public var rowOffset: UInt32

    public init(fragmentId: Int, rowOffset: UInt32) {
        self.fragmentId = fragmentId
        self.rowOffset = rowOffset
    }
}
