/// A position in a `PageGroupSource`'s sequence: opens each fragment when it reaches it. A value owned by one
/// thread at a time.
struct PageGroupCursor {
    private var fragmentIndex = 0
    private var open: OpenFragment?
    private var page = 0

    /// The next page group of `source`, or nil at the end.
    /// - Throws: errors opening the next fragment's data or deletion file.
    mutating func next(in source: PageGroupSource) throws -> PageGroupSource.Task? {
        while true {
            if let open, page < open.pageCount {
                defer { page += 1 }
                return PageGroupSource.Task(fragment: open, page: page)
            }
            open = nil
            guard fragmentIndex < source.dataset.fragments.count else { return nil }
            let fragment = source.dataset.fragments[fragmentIndex]
            fragmentIndex += 1
            open = try OpenFragment(dataset: source.dataset, fragment: fragment)
            page = 0
        }
    }
}
