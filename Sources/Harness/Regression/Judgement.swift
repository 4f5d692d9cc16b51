import Foundation
import RunContract

/// The verdict of one metric from its two samples.
public struct Judgement: Sendable, Equatable {
    public var verdict: Verdict
    public var pValue: Double?
    public var test: String
    public var note: String
    public var ratioCI: [Double]?
}
