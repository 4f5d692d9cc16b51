import Foundation
import RunContract

/// Writes `DIR/report.html` next to `report.md`: one self-contained file (no network request; style, script and
/// plots inline) with the sweep at a glance, the findings, every plot (interactive), sortable tables, a comparison
/// view and the flame graphs under `DIR/profiles/` when present. Reads the same files as the Markdown report.
public enum HTMLReportWriter {
    /// Writes the report atomically; returns its URL.
    @discardableResult
    public static func write(directory: URL) throws -> URL {
        let html = try render(directory: directory)
        let url = directory.appendingPathComponent("report.html")
        try OutputFile.replace(url, with: Data(html.utf8))
        return url
    }

    /// The page for the results in `directory`.
    public static func render(directory: URL) throws -> String {
        let set = try ResultsOnDisk(directory: directory)
        let runJSON = try? RunJSON.read(from: directory)
        let traces = set.timeseries.map { RunTrace.byConfiguration(timeseries: $0, runs: set.runs) } ?? [:]
        var findingsHTML = ""
        var count = 0
        var workloadsHTML = ""
        var nav: [(String, String)] = [("overview", "At a glance"), ("findings", "Findings")]
        var labels: [String: String] = [:]
        for w in set.workloads {
            let rows = set.configurations(of: w)
            let dims = ResultsOnDisk.sweptDimensions(rows, header: set.summary.header)
            let findings = Findings.compute(rows: rows, dims: dims, throughput: ResultsOnDisk.throughputMetric(rows))
            count += findings.count
            if !findings.isEmpty {
                findingsHTML += "<h3><code>\(HTML.esc(w))</code></h3><ul class=\"findings\">" + findings.map { "<li>\(HTML.esc($0))</li>" }.joined() + "</ul>"
            }
            let ids = Set(rows.compactMap { $0[RunColumn.configID] })
            for r in rows { if let id = r[RunColumn.configID] { labels[id] = "\(w) \(Plotter.label(r, dims))".trimmingCharacters(in: .whitespaces) } }
            let section = HTMLWorkloadSection(workload: w, results: set, traces: traces.filter { ids.contains($0.key) })
            workloadsHTML += try section.html()
            nav.append(("w-\(section.key)", w))
        }
        var body = HTMLOverview.glance(runJSON, set, findings: count)
        body += "<section id=\"findings\" aria-labelledby=\"findings-h\"><h2 id=\"findings-h\">Findings</h2>"
        body += findingsHTML.isEmpty ? "<p>None computed from these rows (findings compare configurations that differ in one dimension, both measured).</p>" : "<p>Computed from the rows below, as in report.md.</p>" + findingsHTML
        body += "</section>" + workloadsHTML
        let profiles = HTMLProfilesSection.html(directory: directory, labels: labels)
        if !profiles.isEmpty { nav.append(("profiles", "Profiles")) }
        let processes = ProcessesSection.html(directory: directory)
        if !processes.isEmpty { nav.append(("processes", "Processes")) }
        body += profiles + processes + HTMLOverview.failures(set)
        if let j = runJSON {
            body += HTMLOverview.sweep(j) + HTMLOverview.environment(j)
            nav += [("sweep", "Sweep"), ("environment", "Environment")]
        }
        nav.insert(("failures", "Not ok"), at: nav.count - (runJSON == nil ? 0 : 2))
        let name = runJSON?.plan.name ?? directory.lastPathComponent
        var subtitle = "Written by <code>highwater report</code> from runs.csv, timeseries.csv and run.json"
        if let e = runJSON?.environment { subtitle += " · \(HTML.esc(e.timestamp)) · \(HTML.esc(e.host)) · git \(HTML.esc(String(e.gitRev.prefix(12))))" }
        return HTMLDocument.page(title: "Highwater report: \(name)", subtitle: subtitle, navigation: nav, body: body)
    }
}
