/// The report's one inline stylesheet: screen layout, plot styling, and a print stylesheet (no controls, no
/// tooltips, figures kept whole, black text on white).
enum HTMLStyles {
    static let css = #"""
:root{--fg:#1d232a;--muted:#5b6570;--line:#d5dbe1;--bg:#fff;--panel:#f5f7f9;--accent:#0b5cad;--bad:#b3261e;--good:#1b6e3a;--warn:#8a5a00}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
header.top{padding:18px 28px 10px;border-bottom:1px solid var(--line);background:var(--panel)}
header.top h1{margin:0 0 4px;font-size:24px}
header.top p{margin:0;color:var(--muted)}
nav.toc{padding:8px 28px;border-bottom:1px solid var(--line);font-size:14px;position:sticky;top:0;background:var(--bg);z-index:5}
nav.toc a{margin-right:14px;color:var(--accent);text-decoration:none}
nav.toc a:hover,nav.toc a:focus{text-decoration:underline}
main{padding:8px 28px 40px;max-width:1680px}
h2{font-size:20px;margin:28px 0 8px;padding-top:6px;border-top:2px solid var(--line)}
h3{font-size:16px;margin:20px 0 6px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.card{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:150px}
.card b{display:block;font-size:20px}
.card span{color:var(--muted);font-size:13px}
.status{display:inline-block;border-radius:4px;padding:0 6px;font-size:13px;border:1px solid currentColor}
.status.ok{color:var(--good)}.status.bad{color:var(--bad)}
ul.findings li{margin:4px 0}
table{border-collapse:collapse;margin:8px 0 14px;font-size:13.5px}
caption{text-align:left;color:var(--muted);padding:2px 0 4px;font-size:13px}
th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
thead th{background:var(--panel)}
th button.sort{all:unset;cursor:pointer;display:block;width:100%}
th button.sort:focus-visible{outline:2px solid var(--accent)}
th[aria-sort=ascending] button.sort::after{content:" ▲"}
th[aria-sort=descending] button.sort::after{content:" ▼"}
.table-wrap{overflow-x:auto}
.plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:14px}
.plots figure.wide{grid-column:1/-1}
.plots figure.wide svg.plot-svg{max-width:920px}
figure.plot{margin:0;border:1px solid var(--line);border-radius:6px;padding:8px 10px;background:#fff;break-inside:avoid}
figure.plot figcaption{font-weight:600;font-size:14px;margin-bottom:4px}
svg.plot-svg{width:100%;height:auto;display:block}
.legend{display:flex;flex-wrap:wrap;gap:4px 6px;margin:2px 0 4px;align-items:center;font-size:12.5px}
.series-toggle{display:inline-flex;align-items:center;gap:4px;border:1px solid var(--line);background:#fff;border-radius:4px;padding:1px 6px;cursor:pointer;font:inherit;text-align:left}
.series-toggle[aria-pressed=false]{opacity:.45;text-decoration:line-through}
.legend label{margin-left:8px}
svg .off{display:none}
svg .grid{stroke:#e6eaee;stroke-width:1}
svg .frame{fill:none;stroke:#9aa4ae}
svg .tick{font-size:13px;fill:#4a5560}
svg .axis-title{font-size:14px;fill:#1d232a}
svg .band-label{font-size:12px;fill:#333;pointer-events:none}
svg .band{opacity:.85}
svg .frontier{stroke:#222;stroke-width:2.5;stroke-dasharray:7 4}
svg .frontier-ring{fill:none;stroke:#222;stroke-width:1.5}
svg .point-label{font:11px "DejaVu Sans Mono",monospace;fill:#222}
svg .leader{stroke:#888;stroke-width:.8}
svg .err{stroke-width:1.4}
svg .guide{stroke:#555;stroke-width:1;stroke-dasharray:3 3;pointer-events:none}
svg .mk{cursor:pointer}
svg .mk:focus{outline:none;stroke:#000;stroke-width:2.5}
p.note{font-size:12.5px;color:var(--muted);margin:4px 0 0}
#hw-tip{position:fixed;z-index:20;pointer-events:none;background:#1d232a;color:#fff;font-size:12.5px;padding:5px 8px;border-radius:4px;max-width:600px;white-space:pre-line;box-shadow:0 2px 6px rgba(0,0,0,.3)}
.controls{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:6px 0;font-size:14px}
select{font:inherit;padding:1px 4px}
.ratio-better{color:var(--good);font-weight:600}.ratio-worse{color:var(--bad);font-weight:600}
.profiles img{max-width:100%;border:1px solid var(--line)}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.verdict-line{font-size:17px;padding:3px 10px}
.verdict-regressed{color:var(--bad);font-weight:700}.verdict-improved{color:var(--good);font-weight:600}.verdict-drift{color:var(--warn)}
@media print{
 nav.toc,.controls,#hw-tip,.legend .series-toggle[aria-pressed=false],noscript{display:none!important}
 body{font-size:11pt;color:#000}
 header.top{background:none}
 main{padding:0;max-width:none}
 .plots{display:block}
 figure.plot,table,section.compare{break-inside:avoid;page-break-inside:avoid;margin-bottom:10px}
 h2,h3{break-after:avoid;page-break-after:avoid}
 .series-toggle{border:none;padding:0}
 a[href^="profiles/"]::after{content:" (" attr(href) ")"}
}
"""#
}
