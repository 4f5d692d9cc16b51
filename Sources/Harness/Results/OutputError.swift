import Foundation

/// Writing a result file failed (disk full, permissions, a directory in the way): one line naming the file and the
/// errno, exit code 3. Rows already written stay whole.
public struct OutputError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let operation: String
    public let errnoValue: Int32

    public init(file: String, operation: String, errno: Int32) {
        self.file = file
        self.operation = operation
        errnoValue = errno
    }

    public var description: String { "\(file): \(operation) failed: \(String(cString: strerror(errnoValue))) (errno \(errnoValue))" }
    public var line: String { "highwater: error: \(description)" }

    /// The exit code for an output failure (0 ok, 1 a run failed or regressed, 2 bad input, 3 an output file failed).
    public static let exitCode: Int32 = 3
}
