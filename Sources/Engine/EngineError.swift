/// Every error the engine throws. Errors about bytes on disk name the file and the byte offset where the
/// problem was found (offset 0 = first byte of the file).
public enum EngineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Bytes at `offset` of `file` fail a check (magic, checksum, bound, encoding rule).
    case corrupt(file: String, offset: Int, reason: String)
    /// `file` ends before `offset`, where more bytes were expected.
    case truncated(file: String, offset: Int)
    /// No file or directory at `path`.
    case missingFile(path: String)
    /// A system call failed: `operation` on `path` with `errno`.
    case io(path: String, operation: String, errno: Int32)
    /// Another writer committed `version` first (engine-dataset's commit protocol).
    case commitConflict(version: Int)
    /// A commit kept conflicting and gave up after `attempts` attempts.
    case commitRetriesExhausted(attempts: Int)
    /// A requested dataset version does not exist at `path`.
    case versionNotFound(path: String, version: Int)
    /// A file or dataset already exists at `path` where a new one was to be created.
    case alreadyExists(path: String)
    /// A batch's schema differs from the schema of the file or dataset it is written to.
    case schemaMismatch(expected: String, found: String)
    /// An argument is outside its allowed range; `reason` names it and its value.
    case invalidArgument(reason: String)
    /// An operation on a writer or reader that was already closed or finished.
    case closed(what: String)
    /// A writer was asked to store `value` in a field that only holds `range` (a name longer than its u16 length,
    /// a count over u32, a negative value in an unsigned field, a page body over 2^30 bytes); nothing was written.
    case valueOutOfRange(what: String, value: Int, range: ClosedRange<Int>)

    public var description: String {
        switch self {
        case let .corrupt(file, offset, reason): return "corrupt data in \(file) at byte \(offset): \(reason)"
        case let .truncated(file, offset): return "\(file) is truncated: expected more bytes at byte \(offset)"
        case let .missingFile(path): return "missing file: \(path)"
        case let .io(path, operation, errno): return "\(operation) failed on \(path): errno \(errno)"
        case let .commitConflict(version): return "commit conflict: version \(version) was committed by another writer"
        case let .commitRetriesExhausted(attempts): return "commit gave up after \(attempts) conflicting attempts"
        case let .versionNotFound(path, version): return "version \(version) not found in \(path)"
        case let .alreadyExists(path): return "already exists: \(path)"
        case let .schemaMismatch(expected, found): return "schema mismatch: expected \(expected), found \(found)"
        case let .invalidArgument(reason): return "invalid argument: \(reason)"
        case let .closed(what): return "\(what) is already closed"
        case let .valueOutOfRange(what, value, range):
            return "cannot write \(what) \(value): the field holds \(range.lowerBound)...\(range.upperBound)"
        }
    }
}
