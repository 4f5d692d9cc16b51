import Foundation
import RunContract

/// A run that did not finish with status `ok`.
public struct FailedRun: Sendable, Codable, Equatable {
    public var runID: String
    /// `failed`, `timeout`, `oom` or `crashed`.
    public var status: String
    public var error: String

    public init(runID: String, status: String, error: String) {
        self.runID = runID
        self.status = status
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case status, error
    }
}
