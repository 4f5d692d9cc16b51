import Foundation
import RunContract

/// The grid of a plan as blocks of index ranges (one block per `[[run]]` entry): its size is known without building
/// it, and configurations are built one at a time, so a plan of any size can be counted, refused or printed in
/// constant memory (apart from 8 bytes per configuration to drop duplicates across entries).
struct ConfigurationSpace {
    /// One entry's slice of the grid: allocators × env combinations × parameter combinations.
    struct Block {
        let workload: String
        let command: String?
        let allocators: [Allocator]
        let env: [Axis]
        let axes: [Axis]
        let swept: [String]
        /// Configurations in the block (nil when the product overflows `Int`).
        let count: Int?

        /// The configuration at `index` (0 ..< count): allocators vary slowest, the last parameter fastest.
        func configuration(at index: Int) -> RunConfiguration {
            var rest = index
            var params: [KeyValue] = []
            params.reserveCapacity(axes.count)
            for axis in axes.reversed() {
                params.append(KeyValue(axis.name, axis.values[rest % axis.values.count]))
                rest /= axis.values.count
            }
            var env: [KeyValue] = []
            for axis in self.env.reversed() {
                env.append(KeyValue(axis.name, axis.values[rest % axis.values.count]))
                rest /= axis.values.count
            }
            return RunConfiguration(workload: workload, commandTemplate: command, allocator: allocators[rest % allocators.count],
                                    env: env.sorted { $0.key < $1.key }, params: params.reversed(), sweptParams: swept)
        }
    }

    let blocks: [Block]

    /// Configurations before duplicates across entries are dropped; nil when it does not fit an `Int`.
    var upperBound: Int? {
        var total = 0
        for b in blocks {
            guard let c = b.count else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(c)
            if overflow { return nil }
            total = sum
        }
        return total
    }

    /// Product of the value counts, or nil on overflow.
    static func product(_ counts: [Int]) -> Int? {
        var p = 1
        for c in counts {
            let (m, overflow) = p.multipliedReportingOverflow(by: c)
            if overflow { return nil }
            p = m
        }
        return p
    }

    /// Calls `body` with every distinct configuration in plan order.
    func forEach(_ body: (RunConfiguration) throws -> Void) rethrows {
        var seen = Set<UInt64>()
        for b in blocks {
            for i in 0..<(b.count ?? 0) {
                let c = b.configuration(at: i)
                if seen.insert(UInt64(c.configID, radix: 16) ?? 0).inserted { try body(c) }
            }
        }
    }
}
