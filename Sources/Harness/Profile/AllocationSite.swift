import Foundation

/// The call site an allocation is charged to in the report: the deepest frame of its stack that is not the
/// allocator, the Swift runtime, a standard-library container growing its buffer or a helper named for allocating
/// (those are how memory is allocated, not who asked for it), with its caller. `peak_sites.csv` keeps every frame; this is only the report's summary.
enum AllocationSite {
    /// Frame name prefixes that are allocation machinery.
    static let machinery = [
        "malloc", "calloc", "realloc", "free", "posix_memalign", "aligned_alloc", "memalign", "valloc", "operator new",
        "__libc", "_int_", "swift_", "_swift", "__swift", "Swift.", "specialized Swift.", "_ContiguousArrayBuffer",
        "specialized _ContiguousArrayBuffer", "ContiguousArray.", "specialized ContiguousArray.", "Array.", "specialized Array.",
        "_allocateUninitializedArray", "specialized _allocateUninitializedArray", "_copyCollectionToContiguousArray",
        "specialized _copyCollectionToContiguousArray", "_NativeDictionary", "specialized _NativeDictionary", "_DictionaryStorage",
        "specialized _DictionaryStorage", "Dictionary.", "specialized Dictionary.", "_NativeSet", "specialized _NativeSet",
        "_SetStorage", "Set.", "specialized Set.", "_StringGuts", "String.", "specialized String.", "__StringStorage",
        "UnsafeMutableRawPointer.allocate", "UnsafeMutablePointer.allocate", "UnsafeMutableBufferPointer.allocate",
        "ManagedBuffer", "Data.", "Foundation.", "__DataStorage", "Unmanaged", "[", "0x",
    ]

    /// Words that mark a program's own allocation helpers (a buffer pool's `allocate`, a buffer's `grow`, `reserve`,
    /// `ensureBytes`), found in the function's name before its arguments, case-insensitively.
    static let helperWords = ["alloc", "grow", "reserve", "ensure"]

    static func isMachinery(_ frame: String) -> Bool {
        if machinery.contains(where: { frame.hasPrefix($0) }) { return true }
        let base = frame.prefix { $0 != "(" }.lowercased()
        return helperWords.contains { base.contains($0) }
    }

    /// The site of a stack (root first): the deepest non-machinery frame, else the leaf, followed by ` ← ` and the
    /// nearest caller that is another function (an allocation helper such as a buffer pool says little on its own).
    static func site(of stack: [String]) -> String {
        guard let i = stack.lastIndex(where: { !isMachinery($0) }) else { return stack.last ?? "?" }
        guard let caller = stack[..<i].last(where: { $0 != stack[i] }) else { return stack[i] }
        return "\(stack[i]) ← \(caller)"
    }

    /// Cost per site, heaviest first.
    static func costs(_ stacks: FoldedStacks) -> [(site: String, cost: Double)] {
        var out: [String: Double] = [:]
        for (stack, cost) in stacks.costs { out[site(of: stack), default: 0] += cost }
        return out.map { (site: $0.key, cost: $0.value) }.sorted { ($0.cost, $1.site) > ($1.cost, $0.site) }
    }
}
