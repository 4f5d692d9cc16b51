import Foundation
import RunContract

/// The report's first sections: the sweep at a glance (cards), the environment, what ran, the sampler's overhead
/// and the runs that were not ok.
enum HTMLOverview {
    static func glance(_ j: RunJSON?, _ set: ResultsOnDisk, findings: Int) -> String {
        var s = "<section id=\"overview\" aria-labelledby=\"overview-h\"><h2 id=\"overview-h\">At a glance</h2><div class=\"cards\">"
        func card(_ value: String, _ what: String) { s += "<div class=\"card\"><b>\(HTML.esc(value))</b><span>\(HTML.esc(what))</span></div>" }
        card("\(set.runs.rows.count)", "runs recorded")
        if let j { card("\(j.configurations.count) × \(j.plan.repeats)", "configurations × repeats") }
        card("\(set.workloads.count)", "workload\(set.workloads.count == 1 ? "" : "s"): " + set.workloads.joined(separator: ", "))
        if let w = j?.wallS { card(ProgressPrinter.duration(w), "sweep wall time") }
        card("\(findings)", "findings")
        if let o = j?.samplerOverhead, let us = o.cpuMicrosPerSample["10"] {
            card("\(HTML.num(us, 1)) µs", "sampler CPU per sample at 10 ms; wall ×\(HTML.num(o.wallRatioVsOff["10"], 3)) vs unsampled")
        }
        s += "</div><p>Statuses: "
        var counts: [String: Int] = [:]
        for r in set.runs.records { counts[r[RunColumn.status] ?? "?", default: 0] += 1 }
        s += counts.keys.sorted().map { k in
            "<span class=\"status \(k == RunStatus.ok.rawValue ? "ok" : "bad")\">\(HTML.esc(k)): \(counts[k]!)</span>"
        }.joined(separator: " ")
        s += ". MB = 10<sup>6</sup> bytes. Medians over the <code>ok</code> repeats; ranges are min–max; CI is the 95% t-interval of the mean.</p>"
        s += "<ul class=\"ran\">"
        for w in set.workloads {
            let rows = set.configurations(of: w)
            let dims = ResultsOnDisk.sweptDimensions(rows, header: set.summary.header).map(ResultsOnDisk.dimensionName)
            s += "<li><a href=\"#w-\(HTML.id(w))\"><code>\(HTML.esc(w))</code></a>: \(rows.count) configuration\(rows.count == 1 ? "" : "s")"
            s += dims.isEmpty ? "</li>" : " over \(HTML.esc(dims.joined(separator: " × ")))</li>"
        }
        s += "</ul>"
        if let e = j?.environment {
            s += "<p>On \(HTML.esc(e.cpuModel)) × \(e.cores) cores, \(HTML.num(Double(e.memoryBytes) / 1e9)) GB, \(HTML.esc(e.kernel)), "
            s += "\(HTML.esc(e.swiftVersion)), git <code>\(HTML.esc(String(e.gitRev.prefix(12))))</code> (<a href=\"#environment\">environment</a>, "
            s += "<a href=\"#sweep\">sweep</a>\(j?.samplerOverhead == nil ? "" : ", <a href=\"#sampler-overhead\">sampler overhead</a>")).</p>"
        }
        return s + "</section>"
    }

    static func environment(_ j: RunJSON) -> String {
        let e = j.environment
        let rows: [(String, String)] = [
            ("git revision", e.gitRev), ("host", e.host), ("CPU", "\(e.cpuModel), \(e.cores) cores"),
            ("memory", "\(HTML.num(Double(e.memoryBytes) / 1e9)) GB"), ("kernel", e.kernel), ("Swift", e.swiftVersion),
            ("allocators", e.allocatorVersions.keys.sorted().map { "\($0) \(e.allocatorVersions[$0] ?? "")" }.joined(separator: ", ")),
            ("command line", e.commandLine.joined(separator: " ")), ("started", e.timestamp),
        ]
        var s = "<section id=\"environment\" aria-labelledby=\"environment-h\"><h2 id=\"environment-h\">Environment</h2><table><tbody>"
        for (k, v) in rows { s += "<tr><th scope=\"row\">\(HTML.esc(k))</th><td>\(HTML.esc(v))</td></tr>" }
        return s + "</tbody></table></section>"
    }

    static func sweep(_ j: RunJSON) -> String {
        let p = j.plan
        var s = "<section id=\"sweep\" aria-labelledby=\"sweep-h\"><h2 id=\"sweep-h\">The sweep</h2><p>Source <code>\(HTML.esc(p.source))</code>: "
        s += "\(j.configurations.count) configurations × \(p.repeats) repeats (+\(p.warmup) unrecorded warmups each), interleaved. "
        s += "Allocators: \(HTML.esc(p.allocators.map(\.rawValue).joined(separator: ", "))). Sampling every "
        s += p.sampleMs == 0 ? "– (off)" : "\(HTML.esc(formatNumber(p.sampleMs))) ms"
        s += ", timeout \(HTML.esc(formatNumber(p.timeoutS))) s, memory limit \(p.memoryLimitMB > 0 ? HTML.esc(formatNumber(p.memoryLimitMB)) + " MB" : "none")"
        s += ", allocation counts \(p.allocCounts ? "on" : "off").</p><ul>"
        for (i, e) in p.entries.enumerated() {
            var line = "run[\(i)]: " + (e.workload.map { "workload \($0)" } ?? "command \(e.command ?? "")")
            if !e.params.isEmpty { line += " with " + e.params.map { "\($0.name) = \($0.values.joined(separator: ", "))" }.joined(separator: "; ") }
            s += "<li>\(HTML.esc(line))</li>"
        }
        for a in p.env { s += "<li>env \(HTML.esc(a.name)) = \(HTML.esc(a.values.joined(separator: ", ")))</li>" }
        s += "</ul>"
        if let o = j.samplerOverhead { s += overhead(o) }
        return s + "</section>"
    }

    static func overhead(_ o: SamplerOverhead) -> String {
        var s = "<section id=\"sampler-overhead\" aria-labelledby=\"sampler-overhead-h\"><h3 id=\"sampler-overhead-h\">Sampler overhead</h3>"
        s += "<p>Calibration: \(HTML.esc(o.calibration)).</p><table><thead><tr><th scope=\"col\">sampling</th><th scope=\"col\" class=\"n\">wall (ms)</th>"
        s += "<th scope=\"col\" class=\"n\">vs off</th><th scope=\"col\" class=\"n\">sampler CPU per sample (µs)</th></tr></thead><tbody>"
        for k in ["off", "1", "10"] {
            s += "<tr><th scope=\"row\">\(k == "off" ? "off" : k + " ms")</th><td class=\"n\">\(HTML.num(o.wallS[k].map { $0 * 1000 }, 1))</td>"
            s += "<td class=\"n\">\(HTML.num(o.wallRatioVsOff[k], 3))×</td><td class=\"n\">\(k == "off" ? "–" : HTML.num(o.cpuMicrosPerSample[k], 2))</td></tr>"
        }
        s += "</tbody></table>"
        if let m = o.marginalCPUMicrosPerSample {
            s += "<p>Marginal cost of one sample (CPU difference between 1 ms and 10 ms sampling over the difference in samples): \(HTML.num(m, 2)) µs. "
        } else { s += "<p>" }
        s += "The sampler runs on the parent's thread, not in the child: its cost is CPU time in the parent.</p></section>"
        return s
    }

    static func failures(_ set: ResultsOnDisk) -> String {
        let bad = set.runs.records.filter { $0[RunColumn.status] != RunStatus.ok.rawValue }
        let s = "<section id=\"failures\" aria-labelledby=\"failures-h\"><h2 id=\"failures-h\">Runs not ok</h2>"
        guard !bad.isEmpty else { return s + "<p>None.</p></section>" }
        let table = SortableTable(caption: "\(bad.count) runs with a status other than ok", columns: ["run", "workload", "allocator", "status", "error"],
                                  rows: bad.map { r in [RunColumn.runID, RunColumn.workload, RunColumn.allocator, RunColumn.status, RunColumn.error].map { .text(r[$0] ?? "") } })
        return s + table.html() + "</section>"
    }
}
