import Workloads

/// The text of `highwater list`: every workload and its parameters, from the declarations that validate input.
public enum WorkloadCatalog {
    public static func text() -> String {
        var out = ""
        for w in WorkloadRegistry.all {
            out += "\(w.name): \(w.summary)\n"
            let rows = w.parameters.map { p in
                [p.name, p.type.label, p.unit.isEmpty ? "-" : p.unit, p.defaultValue, p.allowedDescription, p.help]
            }
            let header = ["parameter", "type", "unit", "default", "allowed", "meaning"]
            var widths = header.map(\.count)
            for r in rows { for (i, c) in r.enumerated() where i < 5 { widths[i] = max(widths[i], c.count) } }
            func line(_ r: [String]) -> String {
                "  " + r.enumerated().map { i, c in i < 5 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0) : c }.joined(separator: "  ") + "\n"
            }
            out += line(header)
            for r in rows { out += line(r) }
            out += "\n"
        }
        out += "command: any external program (--command 'prog {param}'), parameters are free text substituted into the template.\n"
        return out
    }
}
