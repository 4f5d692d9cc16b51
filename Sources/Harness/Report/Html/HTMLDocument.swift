/// The page around the report's sections: one self-contained HTML file (style and script inline, plots inline
/// SVG). Its Content-Security-Policy forbids every network request, so a slip that would fetch something is
/// blocked and shows as a console error (which the browser test fails on).
enum HTMLDocument {
    static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

    /// The whole page; `navigation` are (anchor id, text) pairs for the table of contents.
    static func page(title: String, subtitle: String, navigation: [(String, String)], body: String) -> String {
        var s = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        s += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(contentSecurityPolicy)\">"
        s += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"generator\" content=\"highwater report\">"
        s += "<title>\(HTML.esc(title))</title><style>\(HTMLStyles.css)</style></head><body>"
        s += "<header class=\"top\"><h1>\(HTML.esc(title))</h1><p>\(subtitle)</p></header>"
        if !navigation.isEmpty {
            s += "<nav class=\"toc\" aria-label=\"Sections\">"
            for (id, text) in navigation { s += "<a href=\"#\(id)\">\(HTML.esc(text))</a>" }
            s += "</nav>"
        }
        s += "<main>" + body + "</main><div id=\"hw-tip\" role=\"tooltip\" hidden></div>"
        s += "<script>\(HTMLScript.js)</script></body></html>\n"
        return s
    }
}
