import Foundation
import RunContract

/// Bad usage or bad input, reported as one line
/// `highwater: error: <source>: <field>: <value>: <reason>` and exit code 2, before any run starts.
public struct HarnessError: Error, CustomStringConvertible, Sendable {
    /// The file or flag the input came from (`suites/default.toml`, `--param`).
    public let source: String
    /// The field inside it (`run[0].params.batch_size`, `allocator`), empty when the source is the field.
    public let field: String
    /// The offending value, empty when there is none.
    public let value: String
    /// Why it was rejected.
    public let reason: String

    public init(source: String, field: String = "", value: String = "", reason: String) {
        self.source = source
        self.field = field
        self.value = value
        self.reason = reason
    }

    /// `<source>: <field>: <value>: <reason>` with empty parts left out.
    public var description: String {
        [source, field, value.isEmpty ? "" : "'\(value)'", reason].filter { !$0.isEmpty }.joined(separator: ": ")
    }

    /// The full stderr line.
    public var line: String { "highwater: error: \(description)" }
}
