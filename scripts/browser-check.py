#!/usr/bin/env python3
"""Opens a Highwater report.html in headless Chromium and fails on anything a reader would notice.

Drives Chromium through the DevTools protocol over --remote-debugging-pipe (stdlib only: the pipe carries
NUL-terminated JSON, no websocket). Fails (exit 1, one line per problem) when:
  - a script throws, or anything is logged at console/log level "error" (CSP violations included);
  - the page makes any request besides the report itself (network, or a file next to it), or a load fails;
  - the script did not finish initialising (<html data-ready="1">);
  - an --expect-section / --expect-plot is missing, a plot has no SVG, no drawn line or marker, or zero size;
  - an image (an embedded flame graph) does not load, an SVG plot has no <title>, a comparison table is empty, or sorting a column / toggling a series does nothing;
  - printed (print media), the navigation and controls still show.
Writes a PNG screenshot (--screenshot) and the rendered DOM (--dump-dom) when asked.
Exit codes: 0 pass, 1 a check failed, 2 bad usage, 3 no Chromium found.

Usage: browser-check.py REPORT.html [--expect-section ID]... [--expect-plot ID]... [--screenshot PNG]
                        [--screenshot-from CSS_SELECTOR] [--dump-dom FILE] [--width 1280] [--height 1000] [--timeout 20]
"""
import argparse, base64, json, os, select, shutil, subprocess, sys, tempfile, time


def find_chromium():
    for name in (os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome", "chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


class Browser:
    """Chromium with the DevTools protocol on fds 3 (commands in) and 4 (replies and events out)."""

    def __init__(self, binary, profile_dir):
        self.cmd_r, self.cmd_w = os.pipe()
        self.out_r, self.out_w = os.pipe()
        args = [binary, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--mute-audio", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile_dir]
        # A shell puts the two pipe ends on fds 3 and 4, where Chromium expects them.
        self.proc = subprocess.Popen(["/bin/sh", "-c", 'exec "$@" 3<&%d 4>&%d' % (self.cmd_r, self.out_w), "sh"] + args,
                                     pass_fds=(self.cmd_r, self.out_w), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(self.cmd_r)
        os.close(self.out_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.cmd_w, json.dumps(msg).encode() + b"\0")
        return self.next_id

    def read(self, deadline):
        """The next message, or None at the deadline."""
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.out_r], [], [], left)[0]:
                return None
            chunk = os.read(self.out_r, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe (exit %s)" % self.proc.poll())
            self.buf += chunk
        raw, self.buf = self.buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, session=None, timeout=15):
        want = self.send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            msg = self.read(deadline)
            if msg is None:
                raise RuntimeError("no reply to %s within %s s" % (method, timeout))
            if msg.get("id") == want:
                if "error" in msg:
                    raise RuntimeError("%s: %s" % (method, msg["error"].get("message")))
                return msg.get("result", {})
            self.events.append(msg)

    def wait_event(self, method, timeout):
        deadline = time.monotonic() + timeout
        for i, e in enumerate(self.events):
            if e.get("method") == method:
                return self.events.pop(i)
        while True:
            msg = self.read(deadline)
            if msg is None:
                return None
            if msg.get("method") == method:
                return msg
            self.events.append(msg)

    def drain(self, seconds):
        deadline = time.monotonic() + seconds
        while True:
            msg = self.read(deadline)
            if msg is None:
                return
            self.events.append(msg)

    def close(self):
        try:
            self.send("Browser.close")
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        os.close(self.cmd_w)
        os.close(self.out_r)


INSPECT = r"""(() => {
  const box = el => { const r = el.getBoundingClientRect(); return [r.width, r.height]; };
  return JSON.stringify({
    ready: document.documentElement.getAttribute('data-ready'),
    sections: [...document.querySelectorAll('section[id]')].map(s => s.id),
    plots: [...document.querySelectorAll('figure.plot[id]')].map(f => ({
      id: f.id.replace(/^plot-/, ''),
      svgs: f.querySelectorAll('svg.plot-svg').length,
      drawn: f.querySelectorAll('svg.plot-svg path.line, svg.plot-svg .mk').length,
      size: box(f) })),
    untitled: [...document.querySelectorAll('svg.plot-svg')].filter(s => !s.querySelector(':scope > title')).length,
    compareRows: [...document.querySelectorAll('section.compare tbody')].map(t => t.rows.length),
    headings: document.querySelectorAll('h1, h2, h3').length,
    profiles: document.querySelectorAll('#profiles img').length,
    brokenImages: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.alt || i.src.slice(0, 60)) });
})()"""

# Sorts the first sortable table by its last numeric column both ways and toggles the first series of the first
# plot with a legend: each must change the page as a reader expects.
INTERACT = r"""(() => {
  const out = {};
  const table = document.querySelector('table.sortable');
  if (table && table.tBodies[0].rows.length > 1) {
    const heads = [...table.querySelectorAll('thead th')];
    const col = heads.map(h => h.classList.contains('n')).lastIndexOf(true);
    if (col >= 0) {
      const vals = () => [...table.tBodies[0].rows].map(r => r.cells[col].getAttribute('data-v')).filter(v => v !== '').map(Number);
      const sorted = (a, dir) => a.every((v, i) => i === 0 || dir * (v - a[i - 1]) >= 0);
      heads[col].querySelector('button').click();
      const asc = sorted(vals(), 1) && heads[col].getAttribute('aria-sort') === 'ascending';
      heads[col].querySelector('button').click();
      const desc = sorted(vals(), -1) && heads[col].getAttribute('aria-sort') === 'descending';
      out.sort = asc && desc;
    }
  }
  const button = document.querySelector('figure.plot .series-toggle');
  if (button) {
    const key = button.getAttribute('data-series');
    const inFigure = () => [...button.closest('figure').querySelectorAll('svg [data-series]')].filter(e => e.getAttribute('data-series') === key);
    button.click();
    const hidden = inFigure().length > 0 && inFigure().every(e => e.classList.contains('off')) && button.getAttribute('aria-pressed') === 'false';
    button.click();
    out.toggle = hidden && inFigure().every(e => !e.classList.contains('off'));
  }
  return JSON.stringify(out);
})()"""


PRINT = r"""(() => { const c = [...document.querySelectorAll('nav.toc, .controls')];
  return c.length === 0 ? null : c.every(e => getComputedStyle(e).display === 'none'); })()"""


def check(args):
    binary = find_chromium()
    if not binary:
        print("browser-check: no Chromium found (install: scripts/install-deps.sh --test)", file=sys.stderr)
        return 3
    report = os.path.abspath(args.report)
    if not os.path.isfile(report):
        print("browser-check: %s: no such file" % report, file=sys.stderr)
        return 2
    url = "file://" + report
    problems = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="hw-browser-") as profile:
        b = Browser(binary, profile)
        try:
            target = b.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            s = b.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Runtime", "Log", "Network", "Page"):
                b.call(domain + ".enable", session=s)
            b.call("Emulation.setDeviceMetricsOverride", {"width": args.width, "height": args.height, "deviceScaleFactor": 1, "mobile": False}, session=s)
            b.call("Page.navigate", {"url": url}, session=s)
            if b.wait_event("Page.loadEventFired", args.timeout) is None:
                problems.append("the page did not finish loading within %s s" % args.timeout)
            b.drain(0.3)
            page = json.loads(b.call("Runtime.evaluate", {"expression": INSPECT, "returnByValue": True}, session=s)["result"]["value"])
            if args.screenshot:
                if args.screenshot_from:
                    # Scroll so that the element's top sits just under the sticky navigation bar.
                    js = "(() => { const e = document.querySelector(%s); if (!e) return false; " \
                         "window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 44); return true; })()" % json.dumps(args.screenshot_from)
                    if not b.call("Runtime.evaluate", {"expression": js, "returnByValue": True}, session=s)["result"]["value"]:
                        problems.append("--screenshot-from: no element matches %s" % args.screenshot_from)
                    b.drain(0.2)
                shot = b.call("Page.captureScreenshot", {"format": "png"}, session=s)["data"]
                with open(args.screenshot, "wb") as f:
                    f.write(base64.b64decode(shot))
            if args.dump_dom:
                dom = b.call("Runtime.evaluate", {"expression": "document.documentElement.outerHTML", "returnByValue": True}, session=s)
                with open(args.dump_dom, "w", encoding="utf-8") as f:
                    f.write(dom["result"]["value"])
            acted = json.loads(b.call("Runtime.evaluate", {"expression": INTERACT, "returnByValue": True}, session=s)["result"]["value"])
            # Print: the stylesheet's print rules hide the controls.
            b.call("Emulation.setEmulatedMedia", {"media": "print"}, session=s)
            printed = b.call("Runtime.evaluate", {"expression": PRINT, "returnByValue": True}, session=s)["result"]["value"]
            acted["print"] = printed
            b.drain(0.2)
        except RuntimeError as e:
            problems.append("browser: %s" % e)
            page, acted = {}, {}
        finally:
            b.close()
    requests = 0
    for e in b.events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            problems.append("script error: %s (line %s)" % ((d.get("exception") or {}).get("description") or d.get("text"), d.get("lineNumber")))
        elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            problems.append("console.%s: %s" % (p["type"], " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))))
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            problems.append("console error (%s): %s" % (p["entry"].get("source"), p["entry"].get("text")))
        elif m == "Network.requestWillBeSent":
            u = p.get("request", {}).get("url", "")
            if u != url and not u.startswith("data:"):
                requests += 1
                problems.append("request: %s (the report must load nothing)" % u)
        elif m == "Network.loadingFailed":
            problems.append("failed request: %s %s" % (p.get("errorText"), "(blocked: %s)" % p["blockedReason"] if p.get("blockedReason") else ""))
    if page:
        if page.get("ready") != "1":
            problems.append("the report's script did not finish (no data-ready=\"1\" on <html>)")
        for sec in args.expect_section:
            if sec not in page["sections"]:
                problems.append("missing section: #%s" % sec)
        plots = {p["id"]: p for p in page["plots"]}
        for want in args.expect_plot:
            p = plots.get(want)
            if p is None:
                problems.append("missing plot: %s" % want)
            elif p["svgs"] == 0 or p["drawn"] == 0 or min(p["size"]) <= 0:
                problems.append("plot %s is empty (%d svg, %d lines/markers, %gx%g px)" % (want, p["svgs"], p["drawn"], p["size"][0], p["size"][1]))
        for alt in page["brokenImages"]:
            problems.append("an image did not load: %s" % alt)
        if page["untitled"]:
            problems.append("%d SVG plot(s) without a <title>" % page["untitled"])
        if any(n == 0 for n in page["compareRows"]):
            problems.append("a comparison table has no rows")
        if acted.get("sort") is False:
            problems.append("sorting a numeric column did not order the rows")
        if acted.get("toggle") is False:
            problems.append("a legend button did not hide and show its series")
        if acted.get("print") is False:
            problems.append("printed, the page still shows its navigation and controls (no print stylesheet?)")
    took = time.monotonic() - started
    size = os.path.getsize(report)
    if problems:
        for p in problems:
            print("browser-check: FAIL: " + p)
        print("browser-check: FAIL %s (%d problem(s), %.1f s)" % (args.report, len(problems), took))
        return 1
    print("browser-check: PASS %s: %d bytes, %d sections, %d plots (%d expected), %d comparison view(s), sort %s, toggle %s, "
          "print %s, 0 console errors, %d requests, %.1f s%s" % (
              args.report, size, len(page["sections"]), len(page["plots"]), len(args.expect_plot), len(page["compareRows"]),
              "ok" if acted.get("sort") else "n/a", "ok" if acted.get("toggle") else "n/a", "ok" if acted.get("print") else "n/a", requests, took,
              ", screenshot " + args.screenshot if args.screenshot else ""))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("report")
    ap.add_argument("--expect-section", action="append", default=[])
    ap.add_argument("--expect-plot", action="append", default=[])
    ap.add_argument("--screenshot")
    ap.add_argument("--screenshot-from", help="CSS selector of the element the screenshot starts at (default: the top)")
    ap.add_argument("--dump-dom")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=1000)
    ap.add_argument("--timeout", type=float, default=20)
    sys.exit(check(ap.parse_args()))


if __name__ == "__main__":
    main()
