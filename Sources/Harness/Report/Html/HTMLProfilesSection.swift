import Foundation

/// The "Profiles" section: flame graphs found under `DIR/profiles/<configuration>/` (`heap.svg`: what held memory at
/// the peak, `cpu.svg`: CPU time), each embedded as an image (its own scripts do not run inside the report) with a
/// link to the interactive file next to the report. Empty when the run has no profiles.
enum HTMLProfilesSection {
    /// Flame graphs embedded in all; beyond it they are linked only (keeps the report small). Default 1.5 MB.
    static let embedBudgetBytes = 1_500_000

    static func html(directory: URL) -> String {
        let root = directory.appendingPathComponent("profiles")
        let fm = FileManager.default
        guard let configs = try? fm.contentsOfDirectory(atPath: root.path).sorted(), !configs.isEmpty else { return "" }
        var used = 0
        var items = ""
        var count = 0
        for c in configs {
            let dir = root.appendingPathComponent(c)
            guard let files = try? fm.contentsOfDirectory(atPath: dir.path) else { continue }
            let svgs = files.filter { $0.hasSuffix(".svg") }.sorted { rank($0) < rank($1) }
            for f in svgs {
                guard let data = try? Data(contentsOf: dir.appendingPathComponent(f)) else { continue }
                count += 1
                let what = rank(f) == 0 ? "memory held at the peak (heap)" : rank(f) == 1 ? "CPU time" : String(f.dropLast(4))
                let rel = "profiles/\(c)/\(f)"
                items += "<figure class=\"plot profile\" id=\"profile-\(HTML.id(c))-\(HTML.id(String(f.dropLast(4))))\"><figcaption>\(HTML.esc(c)): \(HTML.esc(what))</figcaption>"
                if used + data.count * 4 / 3 <= embedBudgetBytes {
                    used += data.count * 4 / 3
                    items += "<img alt=\"Flame graph of \(HTML.esc(what)) for configuration \(HTML.esc(c))\" src=\"data:image/svg+xml;base64,\(data.base64EncodedString())\">"
                } else {
                    items += "<p class=\"note\">Not embedded (the report's budget for flame graphs, \(embedBudgetBytes / 1_000_000) MB, is used up).</p>"
                }
                items += "<p class=\"note\"><a href=\"\(HTML.esc(rel))\">\(HTML.esc(rel))</a>: the interactive flame graph (zoom, search).</p></figure>"
            }
        }
        guard count > 0 else { return "" }
        var s = "<section id=\"profiles\" class=\"profiles\" aria-labelledby=\"profiles-h\"><h2 id=\"profiles-h\">Profiles</h2>"
        s += "<p>Flame graphs of \(count) profile\(count == 1 ? "" : "s") from <code>profiles/</code>: the width of a frame is its share of the memory "
        s += "held at the peak (heap) or of the CPU samples (cpu).</p><div class=\"plots\">"
        return s + items + "</div></section>"
    }

    static func rank(_ file: String) -> Int { file == "heap.svg" ? 0 : file == "cpu.svg" ? 1 : 2 }
}
