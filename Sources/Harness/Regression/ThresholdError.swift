import Foundation
import TOMLKit
import RunContract

/// A threshold could not be parsed or does not fit its metric. `description` is one line.
public struct ThresholdError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
