import Foundation

/// Errors of the item chunk format, the throttled source and the item loader. Corruption errors name the file and
/// the byte offset at which the problem was found.
public enum ItemLoaderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes at `offset` in `file` are not a valid chunk (`reason` says what is wrong).
    case corrupt(file: String, offset: Int, reason: String)
    /// `file` ended at `offset` before the data its header announces.
    case truncated(file: String, offset: Int)
    /// A system call on `path` failed with `errno`.
    case io(path: String, operation: String, errno: Int32)
    /// The memory budget cannot hold even one chunk of `chunkBytes` bytes (the loader evicts whole chunks).
    case budgetTooSmall(budgetBytes: Int, chunkBytes: Int)
    /// Item `index` is not in `0..<itemCount`.
    case itemOutOfRange(index: Int, itemCount: Int)
    /// The download was cancelled before the requested bytes arrived.
    case cancelled(file: String)

    /// The item loader's form of an engine error (`readExactly`/`writeExactly` throw `.io` and `.truncated`).
    init(fileError: EngineError) {
        switch fileError {
        case let .io(path, operation, code): self = .io(path: path, operation: operation, errno: code)
        case let .truncated(file, offset): self = .truncated(file: file, offset: offset)
        case let .corrupt(file, offset, reason): self = .corrupt(file: file, offset: offset, reason: reason)
        default: self = .corrupt(file: "", offset: 0, reason: fileError.description)
        }
    }

    public var description: String {
        switch self {
        case let .corrupt(file, offset, reason): return "corrupt chunk \(file) at byte \(offset): \(reason)"
        case let .truncated(file, offset): return "truncated chunk \(file) at byte \(offset)"
        case let .io(path, op, e): return "\(op) \(path) failed: \(String(cString: strerror(e)))"
        case let .budgetTooSmall(b, c): return "memory budget \(b) B is smaller than a chunk of \(c) B"
        case let .itemOutOfRange(i, n): return "item \(i) out of range 0..<\(n)"
        case let .cancelled(file): return "download of \(file) cancelled"
        }
    }
}
