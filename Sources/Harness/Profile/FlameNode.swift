import Foundation

/// The call tree of folded stacks, for drawing: each node's cost is the sum of the stacks passing through it.
/// `baseCost` is the other profile's cost of the same path in a differential graph (0 otherwise).
final class FlameNode {
    let name: String
    var cost: Double = 0
    var baseCost: Double = 0
    var children: [String: FlameNode] = [:]

    init(name: String) { self.name = name }

    /// The tree of `stacks` under a root named `rootName`; `base` fills `baseCost` along the same paths (paths
    /// only in `base` are not drawn: the graph shows the second profile's shape, coloured by the change).
    static func tree(_ stacks: FoldedStacks, base: FoldedStacks? = nil, rootName: String) -> FlameNode {
        let root = FlameNode(name: rootName)
        for (stack, cost) in stacks.costs {
            root.cost += cost
            var node = root
            for f in stack {
                if let c = node.children[f] { node = c } else {
                    let c = FlameNode(name: f)
                    node.children[f] = c
                    node = c
                }
                node.cost += cost
            }
        }
        if let base {
            for (stack, cost) in base.costs {
                root.baseCost += cost
                var node: FlameNode? = root
                for f in stack {
                    node = node?.children[f]
                    node?.baseCost += cost
                }
            }
        }
        return root
    }

    /// Children in name order (the flame graph convention: x order carries no meaning, so it is alphabetical).
    var sortedChildren: [FlameNode] { children.values.sorted { $0.name < $1.name } }

    /// Depth of the deepest node (the root is 0).
    var depth: Int { 1 + (children.values.map(\.depth).max() ?? -1) }
}
