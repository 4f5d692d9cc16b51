import Foundation

/// The "Profiles" section: flame graphs found under `DIR/profiles/<configuration>/` (`heap.svg`: what held memory at
/// the peak, `cpu.svg`: CPU time) and the differential ones under `DIR/profiles/diffs/<pair>/` (`heap_diff.svg`,
/// `cpu_diff.svg`), each embedded as an image (its own scripts do not run inside the report) with a link to the
/// interactive file next to the report. Empty when the run has no profiles.
enum HTMLProfilesSection {
    /// Flame graphs embedded in all; beyond it they are linked only (keeps the report small). Default 1.5 MB.
    static let embedBudgetBytes = 1_500_000

    /// One flame graph file: where it is (relative to the results directory) and what it shows.
    struct Graph {
        var path: String
        var caption: String
        var what: String
    }

    /// `labels`: configuration id → readable label (`write strategy=streaming`), for the captions.
    static func html(directory: URL, labels: [String: String] = [:]) -> String {
        let graphs = find(directory: directory, labels: labels)
        guard !graphs.isEmpty else { return "" }
        var used = 0
        var items = ""
        for g in graphs {
            guard let data = try? Data(contentsOf: directory.appendingPathComponent(g.path)) else { continue }
            let id = "profile-" + HTML.id(String(g.path.dropFirst("profiles/".count).dropLast(4)))
            items += "<figure class=\"plot profile\" id=\"\(id)\"><figcaption>\(HTML.esc(g.caption))</figcaption>"
            if used + data.count * 4 / 3 <= embedBudgetBytes {
                used += data.count * 4 / 3
                items += "<img alt=\"Flame graph of \(HTML.esc(g.what)): \(HTML.esc(g.caption))\" src=\"data:image/svg+xml;base64,\(data.base64EncodedString())\">"
            } else {
                items += "<p class=\"note\">Not embedded (the report's budget for flame graphs, \(embedBudgetBytes / 1_000_000) MB, is used up).</p>"
            }
            items += "<p class=\"note\"><a href=\"\(HTML.esc(g.path))\">\(HTML.esc(g.path))</a>: the interactive flame graph (hover for each frame's share).</p></figure>"
        }
        var s = "<section id=\"profiles\" class=\"profiles\" aria-labelledby=\"profiles-h\"><h2 id=\"profiles-h\">Profiles</h2>"
        s += "<p>Flame graphs of \(graphs.count) profile\(graphs.count == 1 ? "" : "s") from <code>profiles/</code>: the width of a frame is its "
        s += "share of the memory held at the peak (heap) or of the CPU samples (cpu); a difference graph compares two configurations that "
        s += "differ in one parameter.</p><div class=\"plots\">"
        return s + items + "</div></section>"
    }

    /// Every flame graph under `DIR/profiles/`: per configuration (heap first), then the differences.
    static func find(directory: URL, labels: [String: String]) -> [Graph] {
        let root = directory.appendingPathComponent("profiles")
        let fm = FileManager.default
        func svgs(_ dir: URL) -> [String] {
            ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".svg") }.sorted { rank($0) < rank($1) || (rank($0) == rank($1) && $0 < $1) }
        }
        guard let entries = try? fm.contentsOfDirectory(atPath: root.path).sorted() else { return [] }
        var out: [Graph] = []
        for c in entries where c != "diffs" {
            let name = labels[c].map { "\($0) (\(c))" } ?? c
            for f in svgs(root.appendingPathComponent(c)) {
                out.append(Graph(path: "profiles/\(c)/\(f)", caption: "\(name): \(describe(f))", what: describe(f)))
            }
        }
        let diffs = root.appendingPathComponent("diffs")
        for pair in ((try? fm.contentsOfDirectory(atPath: diffs.path)) ?? []).sorted() {
            for f in svgs(diffs.appendingPathComponent(pair)) {
                out.append(Graph(path: "profiles/diffs/\(pair)/\(f)", caption: "difference \(pair): \(describe(f))", what: describe(f)))
            }
        }
        return out
    }

    static func rank(_ file: String) -> Int { file.hasPrefix("heap") ? 0 : file.hasPrefix("cpu") ? 1 : 2 }

    static func describe(_ file: String) -> String {
        switch rank(file) {
        case 0: return "memory held at the peak (heap)"
        case 1: return "CPU time"
        default: return String(file.dropLast(4))
        }
    }
}
