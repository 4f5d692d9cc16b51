/// The report's one inline script (no library, no network): tooltips, series toggles, the repeat and phase
/// selectors, nearest-sample hover on time series, sortable tables and the comparison view. It sets
/// `data-ready="1"` on `<html>` when every part has initialised (the browser test checks it).
enum HTMLScript {
    static let js = #"""
(function () {
  'use strict';
  var tip = document.getElementById('hw-tip');
  function showTip(text, x, y) {
    tip.textContent = text; tip.hidden = false;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = Math.max(4, Math.min(window.innerWidth - w - 4, x + 14)) + 'px';
    tip.style.top = Math.max(4, (y + h + 20 > window.innerHeight) ? y - h - 10 : y + 14) + 'px';
  }
  function hideTip() { tip.hidden = true; }
  // Inside a time-series plot its own mousemove handler owns the tooltip (below).
  document.addEventListener('mouseover', function (e) {
    var t = e.target.closest && !e.target.closest('svg.ts') && e.target.closest('[data-tip]');
    if (t) showTip(t.getAttribute('data-tip'), e.clientX, e.clientY);
  });
  document.addEventListener('mouseout', function (e) {
    if (e.target.closest && !e.target.closest('svg.ts') && e.target.closest('[data-tip]')) hideTip();
  });
  document.addEventListener('focusin', function (e) {
    var t = e.target.closest && e.target.closest('[data-tip]');
    if (t) { var r = t.getBoundingClientRect(); showTip(t.getAttribute('data-tip'), r.right, r.bottom); }
  });
  document.addEventListener('focusout', hideTip);

  // Series toggles: a legend button hides or shows its series in every SVG of its figure.
  document.querySelectorAll('.series-toggle').forEach(function (b) {
    b.addEventListener('click', function () {
      var on = b.getAttribute('aria-pressed') !== 'true';
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
      var key = b.getAttribute('data-series');
      b.closest('figure').querySelectorAll('svg [data-series]').forEach(function (el) {
        if (el.getAttribute('data-series') === key) el.classList.toggle('off', !on);
      });
    });
  });

  // Repeat selector: shows the chosen repeat's plots in its section.
  document.querySelectorAll('select.repeat-select').forEach(function (s) {
    s.addEventListener('change', function () {
      s.closest('section').querySelectorAll('.rep').forEach(function (d) { d.hidden = d.getAttribute('data-rep') !== s.value; });
    });
  });

  // Phases-of selector: which configuration's phases the all-configurations plot shades.
  document.querySelectorAll('select.bands-select').forEach(function (s) {
    s.addEventListener('change', function () {
      s.closest('figure').querySelectorAll('g.bands').forEach(function (g) {
        if (g.getAttribute('data-bands-of') === s.value) g.removeAttribute('display'); else g.setAttribute('display', 'none');
      });
    });
  });

  // Time series: hover shows the nearest sample of every visible line.
  function axis(svg, name) { var a = svg.getAttribute(name).split(' ').map(Number); return { p0: a[0], p1: a[1], lo: a[2], hi: a[3] }; }
  function invert(a, p) { return a.lo + (p - a.p0) / (a.p1 - a.p0) * (a.hi - a.lo); }
  function fmt(v) { var x = Math.abs(v); return x >= 100 ? v.toFixed(0) : x >= 10 ? v.toFixed(1) : v.toFixed(2); }
  document.querySelectorAll('svg.ts').forEach(function (svg) {
    var guide = svg.querySelector('.guide'), xa = axis(svg, 'data-xmap'), ya = axis(svg, 'data-ymap');
    var lines = Array.prototype.map.call(svg.querySelectorAll('g.series'), function (g) {
      var d = g.querySelector('path.line').getAttribute('d');
      var pts = d.slice(1).split('L').map(function (s) { return s.split(',').map(Number); });
      return { g: g, label: g.getAttribute('data-label'), pts: pts };
    });
    svg.addEventListener('mousemove', function (e) {
      var m = svg.getScreenCTM(); if (!m) return;
      var pt = svg.createSVGPoint(); pt.x = e.clientX; pt.y = e.clientY;
      var p = pt.matrixTransform(m.inverse());
      if (p.x < Math.min(xa.p0, xa.p1) || p.x > Math.max(xa.p0, xa.p1)) { hideTip(); guide.setAttribute('display', 'none'); return; }
      var near = [];
      lines.forEach(function (l) {
        if (l.g.classList.contains('off') || !l.pts.length) return;
        var lo = 0, hi = l.pts.length - 1;
        while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (l.pts[mid][0] < p.x) lo = mid; else hi = mid; }
        var q = Math.abs(l.pts[lo][0] - p.x) <= Math.abs(l.pts[hi][0] - p.x) ? l.pts[lo] : l.pts[hi];
        if (Math.abs(q[0] - p.x) < 25) near.push({ label: l.label, mb: invert(ya, q[1]), t: invert(xa, q[0]) });
      });
      near.sort(function (a, b) { return b.mb - a.mb; });
      var out = ['t = ' + fmt(invert(xa, p.x)) + ' s'].concat(near.map(function (n) { return n.label + ': ' + fmt(n.mb) + ' MB at ' + fmt(n.t) + ' s'; }));
      var band = e.target.closest && e.target.closest('.band');
      if (band) out.push(band.getAttribute('data-tip'));
      guide.setAttribute('x1', p.x); guide.setAttribute('x2', p.x); guide.removeAttribute('display');
      showTip(out.join('\n'), e.clientX, e.clientY);
    });
    svg.addEventListener('mouseleave', function () { guide.setAttribute('display', 'none'); hideTip(); });
  });

  // Sortable tables: every header is a button; numbers sort by their data-v value, text alphabetically.
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var heads = table.querySelectorAll('thead th');
    heads.forEach(function (th, col) {
      var b = th.querySelector('button.sort'); if (!b) return;
      b.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        heads.forEach(function (h) { h.setAttribute('aria-sort', 'none'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        function key(r) { var c = r.cells[col]; if (!c) return null; var v = c.getAttribute('data-v'); return v === null ? c.textContent : (v === '' ? null : Number(v)); }
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          if (x === null || y === null) return x === y ? 0 : (x === null ? 1 : -1);
          var r = (typeof x === 'number' && typeof y === 'number') ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
          return asc ? r : -r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  // Comparison view: two configurations side by side, every metric and the ratio B/A.
  document.querySelectorAll('section.compare').forEach(function (sec) {
    var data = JSON.parse(sec.querySelector('script.compare-data').textContent);
    var a = sec.querySelector('select.cmp-a'), b = sec.querySelector('select.cmp-b'), body = sec.querySelector('tbody');
    function cell(text, cls) { var td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; return td; }
    function num(v) { if (v === undefined || v === null) return '–'; var x = Math.abs(v); return x >= 1e4 ? Math.round(v).toLocaleString('en-US') : x >= 100 ? v.toFixed(1) : v.toPrecision(4).replace(/\.?0+$/, ''); }
    function render() {
      var A = data.configs[Number(a.value)], B = data.configs[Number(b.value)];
      body.textContent = '';
      data.metrics.forEach(function (m) {
        var va = A.values[m.name], vb = B.values[m.name];
        if (va === undefined && vb === undefined) return;
        var tr = document.createElement('tr'), th = document.createElement('th');
        th.scope = 'row'; th.textContent = m.name + (m.unit ? ' (' + m.unit + ')' : ''); tr.appendChild(th);
        tr.appendChild(cell(num(va), 'n')); tr.appendChild(cell(num(vb), 'n'));
        var ratio = '–', cls = 'n';
        if (va !== undefined && vb !== undefined && va > 0 && vb >= 0) {
          var r = vb / va; ratio = '×' + (Math.abs(r) >= 100 ? r.toFixed(0) : r.toFixed(3));
          if (r !== 1 && (m.dir === 'lower' || m.dir === 'higher')) {
            var better = (m.dir === 'lower') === (r < 1);
            cls += better ? ' ratio-better' : ' ratio-worse'; ratio += better ? ' (B better)' : ' (B worse)';
          }
        }
        tr.appendChild(cell(ratio, cls));
        body.appendChild(tr);
      });
      sec.querySelector('.cmp-count').textContent = body.rows.length + ' metrics';
    }
    a.addEventListener('change', render); b.addEventListener('change', render);
    render();
  });
  document.documentElement.setAttribute('data-ready', '1');
})();
"""#
}
