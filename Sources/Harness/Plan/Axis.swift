import Foundation
import RunContract
import Workloads

/// One swept axis: a parameter (or environment variable) and the values it takes, in the order given.
public struct Axis: Sendable, Codable, Equatable {
    public var name: String
    public var values: [String]
    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }
}
