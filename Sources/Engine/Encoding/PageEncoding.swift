/// How the values of one page are laid out before compression (docs/FORMAT.md, "Page bodies").
public enum PageEncoding: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Values as they are in memory: fixed-width values, or offsets + UTF-8 bytes.
    case plain = 0
    /// A dictionary of the distinct values plus one index (1, 2 or 4 bytes) per row.
    case dictionary = 1
    /// Runs of equal values: each run's value plus its length.
    case runLength = 2

    public var description: String {
        switch self {
        case .plain: return "plain"
        case .dictionary: return "dictionary"
        case .runLength: return "run_length"
        }
    }
}
