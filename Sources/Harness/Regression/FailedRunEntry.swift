import Foundation
import RunContract

/// A run of the current results that did not end `ok`.
public struct FailedRunEntry: Sendable, Codable, Equatable {
    public var configuration: String
    public var runID: String
    public var status: String
    public var error: String

    enum CodingKeys: String, CodingKey {
        case configuration
        case runID = "run_id"
        case status, error
    }
}
