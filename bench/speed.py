#!/usr/bin/env python3
"""Measures the console page against its React peers and a one-input Leptos floor, in one headless-Chromium run,
interleaved, and prints each page's figures, the ratios to the peer issue 10 sets targets against, and PASS/MISS.
A benchmark: exits 0 whatever the figures (1 only when something could not start), unless --check, which exits 1
on a missed target.

    python3 bench/speed.py [--rounds N] [--keys K] [--errors E] [--toggles T] [--peer rjsf|rhf] [--check]
                           [--no-floor] [--dist DIR] [--json FILE]

The caller builds what it measures (`./dev speed` does): the console in dist/ (trunk build --release), the React
peers in target/react-peer/{rjsf,rhf}/ (bench/react-peer/build.mjs), the floor in target/leptos-floor/
(bench/leptos-floor, trunk) and workspace-server (cargo build --release; $CARGO_TARGET_DIR is honoured). Needs
/usr/bin/chromium and /usr/bin/chromedriver; Python's standard library only.

Pages. Every page is served by its own workspace-server (`--dist DIR`, same binary and flags), so all are served
alike: the server's cache headers, Content-Security-Policy and compression. Each load opens a new tab (a fresh
renderer, focus emulated as in a focused window), with the page origin's localStorage cleared (the console keeps a
draft there) and the DevTools Network domain on (for the Accept-Encoding override below; it costs all loads alike).

Order. Every round visits every page once per phase, the order rotating by one page per round, so machine noise
and position effects fall on all pages alike:
  1. cold loads, uncompressed: HTTP and code caches cleared, Accept-Encoding: identity (as issue 10 measured);
  2. cold loads, compressed as the server serves them to a browser (Chromium's own Accept-Encoding);
  3. warm loads (caches kept: a repeat visit), then in that tab: memory, key presses, invalid characters, toggles.

Metrics (ms; "next frame" is the first requestAnimationFrame callback after the event, the start of the frame that
shows the change; "frame done" is a message posted from that callback, handled once the frame's style, layout and
paint work is done):
  load     navigation start -> the first animation frame in which the name field (#ws-workspaceName) exists; also
           when it entered the DOM (a MutationObserver installed before any page script), first contentful paint
           and the load event. The target uses the cold, uncompressed median.
  keystroke  a real key press (WebDriver Element Send Keys, one letter) into the name field, which holds a valid
           name and was changed and left once (so every page validates it live): the keydown event's timestamp ->
           the next frame after the input event. Also input event -> next frame: the page's own share, without
           Chromium's keydown-to-character round trip between browser and renderer (2-5 ms here, on every page).
  error    the same with a space (not allowed in a name): keydown -> the first frame in which the name's error
           (#ws-workspaceName-error) is in the document and not hidden; "in DOM": when it was inserted.
  toggle   ArrowDown on the billing select (#ws-paymentType, pay-as-you-go -> subscription), a real key press:
           keydown -> the first frame in which the subscription duration field (#ws-duration) is shown.
  memory   after the warm load has settled: CDP HeapProfiler.collectGarbage (twice), then Runtime.getHeapUsage:
           the V8 heap in use (usedSize), plus the byte length of every WebAssembly.Memory the page instantiated
           (caught by wrapping WebAssembly.instantiate*), and how much of that holds data. Blink's DOM heap
           (embedderHeapUsedSize) is shown, not counted.
  bytes    gzip -9 (the gzip binary, as bench/size.sh) of what each page ships: its .wasm, .js, .css and .html
           files; raw bytes; the bytes a cold load transferred (Resource Timing transferSize, headers included),
           uncompressed and as served, with the Content-Encoding the server chose.

Verdicts. Each target's ratio (ours / the peer) is judged on the figures above, and printed with a 90% bootstrap
interval (see interval()); a limit inside that interval is named, since another run may then judge otherwise.

The API emulator's own timings are not here: `./dev stress` measures creates under load (p50/p99 at concurrency
64), bad bodies and slow clients, and crates/server/tests/emulator.rs checks that 50 simultaneous creates with one
clientToken make one workspace.
"""

import argparse
import gzip
import http.client
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
NAME_ID = "ws-workspaceName"
ERROR_ID = NAME_ID + "-error"
BILLING_ID = "ws-paymentType"
SUBSCRIPTION_ID = "ws-duration"
ARROW_DOWN = "\ue015"
# Chromium's own Accept-Encoding, to ask the server what a browser would get.
BROWSER_ENCODINGS = "gzip, deflate, br, zstd"
CHROME_OPTIONS = {
    "binary": CHROMIUM,
    "args": [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-extensions",
        "--no-first-run",
        "--window-size=1280,900",
    ],
}

# The targets of issue 10, as ours / peer: (key, label, limit).
TARGETS = [
    ("load", "load -> form interactive (cold, uncompressed, median)", 0.5),
    ("key_p95", "keystroke -> next frame, p95", 0.25),
    ("memory", "JS heap after GC + wasm memory", 0.8),
    ("bytes", "bytes shipped, gzip -9", 0.55),
]
FLOOR_FACTOR = 1.5


class Fatal(Exception):
    """Something the benchmark needs could not start."""


# ---------------------------------------------------------------------------------------------------------------
# numbers


def pct(values, p):
    """The p-th percentile (linear interpolation between closest ranks), or None for no values."""
    values = [v for v in values if v is not None]
    if not values:
        return None
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def fmt(v, digits=1, unit=""):
    if v is None:
        return "–"
    return f"{v:,.{digits}f}{unit}"


def kb(v):
    return "–" if v is None else f"{v / 1024:,.1f} KB"


def mb(v):
    return "–" if v is None else f"{v / 1048576:,.2f} MB"


def table(header, rows, indent="  "):
    """Prints rows with the first column left-aligned and the others right-aligned."""
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    for r in [header] + rows:
        cells = [str(c).ljust(widths[0]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(r)]
        print(indent + "  ".join(cells).rstrip())


# ---------------------------------------------------------------------------------------------------------------
# processes


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(argv, log_path):
    """Starts argv in its own process group, stdout and stderr to log_path."""
    log = open(log_path, "wb")
    try:
        return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    finally:
        log.close()


def stop(proc):
    """Ends the process group proc leads (the browser chromedriver started goes with it)."""
    if proc is None or proc.poll() is not None and not group_alive(proc.pid):
        return
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        if not group_alive(proc.pid):
            return


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def tail(path, lines=15):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:]).rstrip()
    except OSError:
        return ""


def wait_http(proc, url, what, log_path, timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise Fatal(f"{what} exited with status {proc.returncode} before answering:\n{tail(log_path)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                r.read()
                return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise Fatal(f"{what} did not answer {url} within {timeout:.0f}s:\n{tail(log_path)}")
        time.sleep(0.05)


def server_binary():
    for profile in ("release", "debug"):
        path = os.path.join(TARGET, profile, "workspace-server")
        if os.access(path, os.X_OK):
            return path, profile
    raise Fatal(f"no workspace-server in {TARGET}/release or {TARGET}/debug: "
                "run `cargo build --release -p workspace-server` (or ./dev speed, which builds it)")


# ---------------------------------------------------------------------------------------------------------------
# the pages


class Page:
    """One page under test: its files, and the workspace-server that serves them."""

    def __init__(self, key, label, dist, toggle=True):
        self.key, self.label, self.dist, self.toggle = key, label, dist, toggle
        self.server = None
        self.url = None
        self.origin = None
        self.cold, self.served, self.warm = [], [], []
        self.memory, self.keys, self.errors, self.toggles = [], [], [], []
        self.files = []
        self.encodings = {}
        self.lost = []

    def serve(self, binary, logs):
        port = free_port()
        log = os.path.join(logs, f"server-{self.key}.log")
        self.server = start([binary, "--listen", f"127.0.0.1:{port}", "--dist", self.dist, "--startup-delay", "0"],
                            log)
        self.origin = f"http://127.0.0.1:{port}"
        self.url = self.origin + "/"
        wait_http(self.server, self.url, f"workspace-server for {self.label}", log)

    def shipped(self):
        """[(name, raw bytes, gzip -9 bytes)] of the page's wasm, JS, CSS and HTML, as bench/size.sh counts them."""
        out = []
        for name in sorted(os.listdir(self.dist)):
            path = os.path.join(self.dist, name)
            if os.path.isfile(path) and name.rsplit(".", 1)[-1] in ("wasm", "js", "css", "html"):
                with open(path, "rb") as f:
                    raw = len(f.read())
                try:
                    gz = len(subprocess.run(["gzip", "-9", "-c", path], check=True, capture_output=True).stdout)
                except (OSError, subprocess.CalledProcessError):
                    with open(path, "rb") as f:  # no gzip binary: Python's zlib at level 9 (a few bytes apart)
                        gz = len(gzip.compress(f.read(), 9))
                out.append((name, raw, gz))
        return out

    def ask_encodings(self):
        """What Content-Encoding the server sends each file for a browser's Accept-Encoding, and how many bytes."""
        port = int(self.origin.rsplit(":", 1)[1])
        for name, _, _ in self.files:
            path = "/" if name == "index.html" else "/" + name
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                conn.request("GET", path, headers={"Accept-Encoding": BROWSER_ENCODINGS})
                r = conn.getresponse()
                body = r.read()
                self.encodings[name] = (r.getheader("Content-Encoding") or "identity", len(body))
            finally:
                conn.close()


# ---------------------------------------------------------------------------------------------------------------
# WebDriver (W3C, over urllib)


class WebDriverError(Exception):
    pass


class Session:
    def __init__(self, base):
        self.base = base
        value = self.call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            # navigate returns at once, so the load probe can start before the load event.
            "pageLoadStrategy": "none",
            "goog:chromeOptions": CHROME_OPTIONS,
        }}}, timeout=60)
        self.id = value["sessionId"]
        self.capabilities = value.get("capabilities", {})
        self.call("POST", self.path("/timeouts"), {"script": 30_000, "pageLoad": 60_000})

    def path(self, suffix=""):
        return f"/session/{self.id}{suffix}"

    def call(self, method, path, body=None, timeout=60):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                payload = json.load(r)
        except urllib.error.HTTPError as e:
            try:
                v = json.load(e).get("value", {})
                raise WebDriverError(f"{method} {path}: {v.get('error')}: {v.get('message', '')[:300]}") from None
            except ValueError:
                raise WebDriverError(f"{method} {path}: HTTP {e.code}") from None
        return payload.get("value")

    def navigate(self, url):
        self.call("POST", self.path("/url"), {"url": url})

    def run(self, script, *args):
        return self.call("POST", self.path("/execute/sync"), {"script": script, "args": list(args)})

    def run_async(self, script, *args):
        return self.call("POST", self.path("/execute/async"), {"script": script, "args": list(args)})

    def cdp(self, cmd, params=None):
        """Chromedriver's bridge to the DevTools protocol, on the current tab."""
        return self.call("POST", self.path("/goog/cdp/execute"), {"cmd": cmd, "params": params or {}})

    def find(self, css):
        value = self.call("POST", self.path("/element"), {"using": "css selector", "value": css})
        return next(iter(value.values()))

    def send_keys(self, element, text):
        self.call("POST", self.path(f"/element/{element}/value"), {"text": text})

    def fresh_tab(self):
        """Opens a new tab, closes the current one and switches to the new: a new document in a new renderer."""
        handle = self.call("POST", self.path("/window/new"), {"type": "tab"})["handle"]
        self.call("DELETE", self.path("/window"))
        self.call("POST", self.path("/window"), {"handle": handle})

    def delete(self):
        self.call("DELETE", self.path(), timeout=30)


# ---------------------------------------------------------------------------------------------------------------
# probes (JavaScript run in the page)

# Installed before any page script of every new document: when the name field first exists (a MutationObserver
# callback runs as a microtask right after the DOM change), and every WebAssembly.Memory the page instantiates.
EARLY_PROBE = """
(() => {
  if (window.__wsFormAt !== undefined) return;
  window.__wsFormAt = null;
  const seen = () => {
    if (window.__wsFormAt === null && document.getElementById(%(name)s)) {
      window.__wsFormAt = performance.now();
      return true;
    }
    return false;
  };
  new MutationObserver((_, observer) => { if (seen()) observer.disconnect(); })
    .observe(document, { childList: true, subtree: true });
  const memories = window.__wsMemories = [];
  const keep = (result) => {
    const instance = result && (result.instance || result);
    if (instance && instance.exports) {
      for (const v of Object.values(instance.exports)) if (v instanceof WebAssembly.Memory) memories.push(v);
    }
    return result;
  };
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    if (original) WebAssembly[name] = function (...args) { return original.apply(this, args).then(keep); };
  }
})();
""" % {"name": json.dumps(NAME_ID)}

# execute/async: waits (requestAnimationFrame polling) until the name field exists and the load event has ended,
# then reports the page's own timings, in ms from navigation start, and what the load transferred.
LOAD_PROBE = """
const [url, done] = [arguments[0], arguments[arguments.length - 1]];
if (location.href !== url) { done({ wrongDocument: location.href }); return; }
const t0 = performance.now();
const limit = t0 + 20000;
let rafAt = document.getElementById(%(name)s) ? t0 : null;
const alreadyThere = rafAt !== null;
function finish(error) {
  const nav = performance.getEntriesByType('navigation')[0] || {};
  const fcp = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint');
  const entries = [nav, ...performance.getEntriesByType('resource')].filter(e => e.name && e.name.startsWith(location.origin));
  const sum = k => entries.reduce((a, e) => a + (e[k] || 0), 0);
  done({
    error,
    alreadyThere,
    visible: document.visibilityState,
    formRaf: rafAt,
    formDom: window.__wsFormAt === undefined ? null : window.__wsFormAt,
    dcl: nav.domContentLoadedEventEnd || null,
    load: nav.loadEventEnd || null,
    fcp: fcp ? fcp.startTime : null,
    transfer: sum('transferSize'), encoded: sum('encodedBodySize'), decoded: sum('decodedBodySize'),
    requests: entries.length,
  });
}
function tick() {
  const now = performance.now();
  if (rafAt === null && document.getElementById(%(name)s)) rafAt = now;
  const nav = performance.getEntriesByType('navigation')[0];
  // First contentful paint is recorded after the frame that paints the form, so wait for it (briefly).
  const painted = performance.getEntriesByType('paint').some(e => e.name === 'first-contentful-paint');
  if (rafAt !== null && nav && nav.loadEventEnd > 0 && (painted || now > rafAt + 1000)) return finish(null);
  if (now > limit) return finish(rafAt === null ? 'the name field did not appear within 20 s' : null);
  requestAnimationFrame(tick);
}
tick();
""" % {"name": json.dumps(NAME_ID)}

# Shared by the probes below: the native value setters (so React sees a programmatic change as its own), waiting
# for frames, and "frame done" (a message posted from a requestAnimationFrame callback is handled after that
# frame's rendering work).
HELPERS = """
const inputValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
const selectValue = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set;
const frames = (n, then) => n === 0 ? then() : requestAnimationFrame(() => frames(n - 1, then));
const afterFrame = (then) => { const c = new MessageChannel(); c.port1.onmessage = () => then(); c.port2.postMessage(null); };
const shown = (id) => { const el = document.getElementById(id); return !!el && !el.closest('[hidden]'); };
"""

# execute/async, before one real key press into the name field. Puts a valid name in it (the first time also
# leaving the field once, so every page validates it live from then on), lets the page settle, then arms
# listeners: the keydown's timestamp, and from the input event either the next frame ('key') or the first frame
# that shows the name's error ('error').
ARM_NAME = HELPERS + """
const [mode, base, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const field = document.getElementById(%(name)s);
if (!field) { done({ error: 'no name field' }); return; }
const set = (v) => { inputValue.call(field, v); field.dispatchEvent(new Event('input', { bubbles: true })); };
if (!window.__wsTouched) {
  field.focus(); set(base); field.blur(); window.__wsTouched = true;
}
if (mode === 'error' || field.value.length > 40 || shown(%(error)s)) set(base);
if (document.activeElement !== field) field.focus();
frames(2, () => setTimeout(() => {
  if (shown(%(error)s)) { done({ error: 'the error is still shown for a valid name: ' + field.value }); return; }
  const probe = window.__wsProbe = { down: null, input: null, dom: null, raf: null, frame: null, error: null };
  field.addEventListener('keydown', (e) => { if (probe.down === null) probe.down = e.timeStamp; }, { once: true, capture: true });
  let observer = null;
  if (mode === 'error') {
    observer = new MutationObserver(() => { if (probe.dom === null && shown(%(error)s)) probe.dom = performance.now(); });
    observer.observe(field.closest('.ws-field') || document.body, { childList: true, subtree: true, attributes: true });
  }
  const frame = () => requestAnimationFrame(() => {
    const now = performance.now();
    if (mode === 'key' || shown(%(error)s)) {
      probe.raf = now;
      if (observer) observer.disconnect();
      afterFrame(() => { probe.frame = performance.now(); });
    } else if (now - probe.input > 2000) {
      probe.error = 'no error shown 2 s after the key';
    } else frame();
  });
  window.addEventListener('input', () => { probe.input = performance.now(); frame(); }, { once: true, capture: true });
  done({ value: field.value });
}, 30));
""" % {"name": json.dumps(NAME_ID), "error": json.dumps(ERROR_ID)}

# execute/async, before ArrowDown on the billing select: pay-as-you-go selected (set as a person's change would
# be, if the last toggle left subscription), the subscription fields gone, then listeners from the keydown to the
# first frame that shows the subscription duration field.
ARM_TOGGLE = HELPERS + """
const done = arguments[arguments.length - 1];
const select = document.getElementById(%(billing)s);
if (!select) { done({ error: 'no billing select' }); return; }
if (select.value !== 'PayAsYouGo') {
  selectValue.call(select, 'PayAsYouGo');
  select.dispatchEvent(new Event('input', { bubbles: true }));
  select.dispatchEvent(new Event('change', { bubbles: true }));
}
select.focus();
frames(2, () => setTimeout(() => {
  if (shown(%(sub)s)) { done({ error: 'subscription fields shown for pay-as-you-go' }); return; }
  const probe = window.__wsProbe = { down: null, input: null, dom: null, raf: null, frame: null, error: null };
  select.addEventListener('keydown', (e) => { if (probe.down === null) probe.down = e.timeStamp; }, { once: true, capture: true });
  const observer = new MutationObserver(() => { if (probe.dom === null && shown(%(sub)s)) probe.dom = performance.now(); });
  observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden'] });
  const frame = () => requestAnimationFrame(() => {
    const now = performance.now();
    if (shown(%(sub)s)) {
      probe.raf = now;
      observer.disconnect();
      afterFrame(() => { probe.frame = performance.now(); });
    } else if (now - probe.down > 2000) {
      probe.error = 'no subscription fields 2 s after the key';
    } else frame();
  });
  select.addEventListener('keydown', () => frame(), { once: true });
  done({ value: select.value });
}, 30));
""" % {"billing": json.dumps(BILLING_ID), "sub": json.dumps(SUBSCRIPTION_ID)}

# execute/async after the key: the probe's figures, relative to the keydown, once the frame is done.
AWAIT_PROBE = """
const done = arguments[arguments.length - 1];
const limit = performance.now() + 3000;
(function wait() {
  const p = window.__wsProbe;
  if (p && p.error) { done({ error: p.error }); return; }
  if (p && p.frame !== null && p.down !== null) {
    done({ raf: p.raf - p.down, frame: p.frame - p.down, dom: p.dom === null ? null : p.dom - p.down,
           input: p.input === null ? null : p.input - p.down });
    return;
  }
  if (performance.now() > limit) { done({ error: 'no result 3 s after the key', probe: p }); return; }
  setTimeout(wait, 5);
})();
"""

# The page's wasm linear memory: its size, and how much of it holds data (4 KiB pages with a non-zero byte; the
# rest, such as most of the 1 MiB stack Rust reserves, the OS need not back with RAM until it is written).
WASM_MEMORY = """
let size = 0, used = 0;
for (const m of window.__wsMemories || []) {
  const words = new Uint32Array(m.buffer);
  size += m.buffer.byteLength;
  for (let page = 0; page < words.length; page += 1024) {
    for (let i = page, end = Math.min(page + 1024, words.length); i < end; i++) if (words[i]) { used += 4096; break; }
  }
}
return [size, used];
"""

# ---------------------------------------------------------------------------------------------------------------
# measuring


def load(session, page, cold, identity=False):
    """One load of the page in a new tab; returns the load probe's figures. `identity` asks for every file
    uncompressed (Accept-Encoding: identity), whatever the server could send."""
    session.fresh_tab()
    # Headless tabs are not focused, and an unfocused page gets no focus or blur events.
    session.cdp("Emulation.setFocusEmulationEnabled", {"enabled": True})
    session.cdp("Page.addScriptToEvaluateOnNewDocument", {"source": EARLY_PROBE})
    session.cdp("Storage.clearDataForOrigin", {"origin": page.origin, "storageTypes": "local_storage"})
    # The Network domain on for every load, so the instrumentation costs all loads alike.
    session.cdp("Network.enable")
    session.cdp("Network.setExtraHTTPHeaders", {"headers": {"Accept-Encoding": "identity"} if identity else {}})
    if cold:
        session.cdp("Network.clearBrowserCache")
    session.navigate(page.url)
    for _ in range(400):
        r = session.run_async(LOAD_PROBE, page.url)
        if "wrongDocument" not in r:
            break
        time.sleep(0.005)  # navigate returned before the new document committed
    if r.get("wrongDocument") or r.get("error"):
        raise Fatal(f"{page.label}: the page did not load: {r.get('error') or r}")
    if r.get("visible") != "visible":
        raise Fatal(f"{page.label}: the tab is {r.get('visible')}, so its frames would be throttled")
    return r


def memory(session):
    """JS heap in use after two full collections, the DOM's heap, and the page's wasm memory, in bytes."""
    session.cdp("HeapProfiler.collectGarbage")
    session.cdp("HeapProfiler.collectGarbage")
    usage = session.cdp("Runtime.getHeapUsage")
    wasm, wasm_used = session.run(WASM_MEMORY)
    return {"js": usage.get("usedSize"), "dom": usage.get("embedderHeapUsedSize"), "wasm": wasm, "wasm_used": wasm_used}


def press(session, page, arm, args, element, key, into):
    """Arms a probe, sends one real key, and appends the probe's figures to `into` (or says why not)."""
    armed = session.run_async(arm, *args)
    if armed.get("error"):
        raise Fatal(f"{page.label}: {armed['error']}")
    session.send_keys(element, key)
    time.sleep(0.03)  # the frame comes first; the waiting script would compete with it for the main thread
    r = session.run_async(AWAIT_PROBE)
    if r.get("error"):
        # One lost sample is reported, not fatal; a page that never answers fails the run below.
        page.lost.append(r["error"])
        if len(page.lost) > 10:
            raise Fatal(f"{page.label}: {len(page.lost)} probes lost, the last: {r['error']} ({r.get('probe')})")
        return
    into.append(r)


def interact(session, page, keys, errors, toggles, round_no):
    """Memory, then key presses, invalid characters and toggles, in the tab the warm load left."""
    time.sleep(0.3)  # let start-up work (idle callbacks, timers) finish before the heap is measured
    page.memory.append(memory(session))
    name = session.find("#" + NAME_ID)
    base = f"bench{round_no}"
    letters = "abcdefghijklmnopqrstuvwxyz"
    for i in range(keys):
        press(session, page, ARM_NAME, ["key", base], name, letters[(round_no + i) % 26], page.keys)
    for _ in range(errors):
        press(session, page, ARM_NAME, ["error", base], name, " ", page.errors)
    if page.toggle and toggles:
        billing = session.find("#" + BILLING_ID)
        for _ in range(toggles):
            press(session, page, ARM_TOGGLE, [], billing, ARROW_DOWN, page.toggles)


def measure(pages, args, logs):
    port = free_port()
    log_path = os.path.join(logs, "chromedriver.log")
    driver = start([CHROMEDRIVER, f"--port={port}", f"--log-path={log_path}"], os.path.join(logs, "chromedriver.out"))
    session = None
    try:
        wait_http(driver, f"http://127.0.0.1:{port}/status", "chromedriver", os.path.join(logs, "chromedriver.out"))
        try:
            session = Session(f"http://127.0.0.1:{port}")
        except (WebDriverError, OSError) as e:
            raise Fatal(f"could not start headless Chromium through chromedriver: {e}\n{tail(log_path)}")
        browser = session.capabilities.get("browserVersion", "?")
        n = len(pages)
        started = time.monotonic()
        for r in range(args.rounds):
            order = [pages[(r + i) % n] for i in range(n)]
            for page in order:
                page.cold.append(load(session, page, cold=True, identity=True))
            for page in order:
                page.served.append(load(session, page, cold=True))
            for page in order:
                page.warm.append(load(session, page, cold=False))
                interact(session, page, args.keys, args.errors, args.toggles, r)
            print(f"  round {r + 1}/{args.rounds} done ({time.monotonic() - started:.0f} s)", file=sys.stderr)
        return browser
    finally:
        if session is not None:
            try:
                session.delete()
            except (WebDriverError, OSError):
                pass
        stop(driver)


# ---------------------------------------------------------------------------------------------------------------
# report


# The samples behind each target with a spread (bytes have none), and the percentile the target takes of them:
# the figure summary() reports and the interval report() prints come from the same samples.
SAMPLES = {
    "load": (lambda p: [s["formRaf"] for s in p.cold], 50),
    "key_p95": (lambda p: [k["raf"] for k in p.keys], 95),
    "memory": (lambda p: [m["js"] + m["wasm"] for m in p.memory if m["js"] is not None], 50),
}


def target_figure(page, key):
    samples, p = SAMPLES[key]
    return pct(samples(page), p)


def summary(page):
    """The page's headline figures."""
    return {
        "load": target_figure(page, "load"),
        "load_served": pct([s["formRaf"] for s in page.served], 50),
        "load_warm": pct([s["formRaf"] for s in page.warm], 50),
        "dom_cold": pct([s["formDom"] for s in page.cold], 50),
        "fcp_cold": pct([s["fcp"] for s in page.cold], 50),
        "loadevent_cold": pct([s["load"] for s in page.cold], 50),
        "key_p50": pct([k["raf"] for k in page.keys], 50),
        "key_p95": target_figure(page, "key_p95"),
        "key_input_p50": pct([k["raf"] - k["input"] for k in page.keys], 50),
        "key_input_p95": pct([k["raf"] - k["input"] for k in page.keys], 95),
        "key_done_p50": pct([k["frame"] for k in page.keys], 50),
        "key_done_p95": pct([k["frame"] for k in page.keys], 95),
        "error_p50": pct([k["raf"] for k in page.errors], 50),
        "error_p95": pct([k["raf"] for k in page.errors], 95),
        "error_dom_p95": pct([k["dom"] for k in page.errors], 95),
        "error_done_p95": pct([k["frame"] for k in page.errors], 95),
        "toggle_p50": pct([k["raf"] for k in page.toggles], 50),
        "toggle_p95": pct([k["raf"] for k in page.toggles], 95),
        "toggle_done_p95": pct([k["frame"] for k in page.toggles], 95),
        "memory": target_figure(page, "memory"),
        "js_heap": pct([m["js"] for m in page.memory], 50),
        "wasm": pct([m["wasm"] for m in page.memory], 50),
        "wasm_used": pct([m["wasm_used"] for m in page.memory], 50),
        "dom_heap": pct([m["dom"] for m in page.memory], 50),
        "bytes": sum(g for _, _, g in page.files),
        "raw": sum(r for _, r, _ in page.files),
        "transfer": pct([s["transfer"] for s in page.served], 50),
        "transfer_identity": pct([s["transfer"] for s in page.cold], 50),
    }


def ratio(a, b):
    return None if a is None or not b else a / b


BOOTSTRAP = 2000


def interval(ours, peer, p):
    """A 90% bootstrap interval for pct(ours, p) / pct(peer, p): both pages' samples drawn again with replacement,
    BOOTSTRAP times, with a fixed seed so a run's figures can be reproduced from its --json samples. It says how far
    the ratio could move between two runs on the same machine, which decides whether a PASS or MISS near a limit
    means anything."""
    ours = [v for v in ours if v is not None]
    peer = [v for v in peer if v is not None]
    if len(ours) < 2 or len(peer) < 2:
        return None
    rng = random.Random(10)
    ratios = []
    for _ in range(BOOTSTRAP):
        a = pct(rng.choices(ours, k=len(ours)), p)
        b = pct(rng.choices(peer, k=len(peer)), p)
        if b:
            ratios.append(a / b)
    ratios.sort()
    return ratios[int(0.05 * len(ratios))], ratios[int(0.95 * len(ratios)) - 1]


def report(pages, target_peer, args, browser, profile):
    chromium = browser
    try:
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        pass
    print(f"machine: nproc {len(os.sched_getaffinity(0))}, {platform.machine()}, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; {chromium}; workspace-server {profile} build")
    print(f"run: {args.rounds} rounds, interleaved; per page {len(pages[0].cold)} cold uncompressed, "
          f"{len(pages[0].served)} cold as served and {len(pages[0].warm)} warm loads, {len(pages[0].keys)} key presses, {len(pages[0].errors)} invalid characters, "
          f"{len(pages[0].toggles)} toggles")
    lost = [f"{p.label} {len(p.lost)} ({p.lost[-1]})" for p in pages if p.lost]
    if lost:
        print("lost probes (not counted): " + "; ".join(lost))
    figures = {p.key: summary(p) for p in pages}
    cols = [p.label for p in pages]

    def row(label, key, show, pages_=pages):
        return [label] + [show(figures[p.key][key]) if (key != "toggle" or p.toggle) else "–" for p in pages_]

    ms = lambda v: fmt(v, 1)  # noqa: E731
    print("\nper page (ms unless stated; cold = caches cleared, uncompressed unless stated; warm = a repeat visit)")
    rows = [
        row("load -> form interactive, cold, median", "load", ms),
        row("  form in DOM, cold, median", "dom_cold", ms),
        row("  first contentful paint, cold, median", "fcp_cold", ms),
        row("  load event end, cold, median", "loadevent_cold", ms),
        row("load -> form interactive, cold, compressed as served", "load_served", ms),
        row("load -> form interactive, warm, median", "load_warm", ms),
        row("keystroke -> next frame, p50", "key_p50", ms),
        row("keystroke -> next frame, p95", "key_p95", ms),
        row("  input event -> next frame, p50", "key_input_p50", ms),
        row("  input event -> next frame, p95", "key_input_p95", ms),
        row("keystroke -> frame done, p50", "key_done_p50", ms),
        row("keystroke -> frame done, p95", "key_done_p95", ms),
        row("invalid char -> error in frame, p50", "error_p50", ms),
        row("invalid char -> error in frame, p95", "error_p95", ms),
        row("  error in DOM, p95", "error_dom_p95", ms),
        row("  error frame done, p95", "error_done_p95", ms),
    ]
    rows += [[label] + [ms(figures[p.key][key]) if p.toggle else "–" for p in pages] for label, key in (
        ("toggle -> subscription fields in frame, p50", "toggle_p50"),
        ("toggle -> subscription fields in frame, p95", "toggle_p95"),
        ("  toggle frame done, p95", "toggle_done_p95"))]
    rows += [
        row("JS heap after GC + wasm memory, median", "memory", mb),
        row("  JS heap (V8, used)", "js_heap", mb),
        row("  wasm linear memory", "wasm", mb),
        row("    of which holds data (non-zero 4 KiB pages)", "wasm_used", mb),
        row("  DOM heap (Blink, not counted)", "dom_heap", mb),
        row("bytes shipped, gzip -9 (wasm+js+css+html)", "bytes", kb),
        row("  raw", "raw", kb),
        row("  transferred by a cold load, uncompressed", "transfer_identity", kb),
        row("  transferred by a cold load, as served", "transfer", kb),
    ]
    table([""] + cols, rows)
    print("  as served: Content-Encoding for a browser's Accept-Encoding: " + "; ".join(
        f"{p.label}: " + ", ".join(sorted({e for e, _ in p.encodings.values()})) for p in pages))

    print("\nfiles shipped (bytes: raw / gzip -9)")
    for p in pages:
        print(f"  {p.label}: " + ", ".join(f"{n} {r:,} / {g:,}" for n, r, g in p.files))

    ours = figures["ours"]
    peers = [p for p in pages if p.key in ("rjsf", "rhf")]
    misses = []
    print(f"\ntargets (issue 10): ours / peer; PASS/MISS against the {dict((p.key, p.label) for p in pages)[target_peer]} "
          "peer (--peer), the one the targets were set against by default")
    floor = figures.get("floor")
    header = ["metric", "ours"]
    for p in peers:
        header += [p.label, f"ours/{p.label}"]
    if floor:
        header += [f"floor/{target_peer.upper()}"]
    header += ["90% interval", "limit", "verdict"]
    rows = []
    beyond = []
    undecided = []
    by_key = {p.key: p for p in pages}
    for key, label, limit in TARGETS:
        show = mb if key == "memory" else kb if key == "bytes" else ms
        r = [label, show(ours[key])]
        verdict = "–"
        for p in peers:
            q = ratio(ours[key], figures[p.key][key])
            r += [show(figures[p.key][key]), fmt(q, 2)]
            if p.key == target_peer and q is not None:
                verdict = "PASS" if q <= limit else "MISS"
                if verdict == "MISS":
                    misses.append(label)
        if floor:
            f = ratio(floor[key], figures[target_peer][key])
            r.append(fmt(f, 2))
            if f is not None and f > limit:
                beyond.append(f"{label} (floor {f:.2f})")
        spread = None
        if key in SAMPLES:
            samples, p_ = SAMPLES[key]
            spread = interval(samples(by_key["ours"]), samples(by_key[target_peer]), p_)
        r.append(f"{spread[0]:.2f}-{spread[1]:.2f}" if spread else "–")
        if spread and spread[0] <= limit < spread[1]:
            undecided.append(f"{label} ({spread[0]:.2f}-{spread[1]:.2f} around {limit})")
        rows.append(r + [f"<= {limit}", verdict])
    table(header, rows)
    print("  floor/peer: the same ratio for the one-input Leptos page, the least a Leptos page costs on this harness")
    print(f"  90% interval: of ours/{target_peer.upper()}, both pages' samples drawn again {BOOTSTRAP} times")
    if beyond:
        print("  out of reach here even for the floor: " + "; ".join(beyond))
    if undecided:
        print("  within this run's noise of the limit, so another run may give the other verdict: "
              + "; ".join(undecided))
    print("\nother ratios (no target)")
    rows = []
    for label, key in (("keystroke -> next frame, p50", "key_p50"),
                       ("input event -> next frame, p95", "key_input_p95"),
                       ("invalid char -> error in frame, p95", "error_p95"),
                       ("toggle -> subscription fields, p95", "toggle_p95"),
                       ("load, cold, compressed as served", "load_served"),
                       ("load, warm", "load_warm"),
                       ("bytes transferred, cold, as served", "transfer")):
        rows.append([label] + [fmt(ratio(ours[key], figures[p.key][key]), 2) for p in peers])
    table([""] + [f"ours/{p.label}" for p in peers], rows)

    if floor:
        limit = FLOOR_FACTOR * floor["key_p95"] if floor["key_p95"] is not None else None
        ok = ours["key_p95"] is not None and limit is not None and ours["key_p95"] <= limit
        if not ok:
            misses.append("keystroke p95 within 1.5 x floor")
        print(f"\nfloor (one-input Leptos 0.8 page): keystroke p50/p95 {ms(floor['key_p50'])} / {ms(floor['key_p95'])} "
              f"ms; ours {ms(ours['key_p50'])} / {ms(ours['key_p95'])} ms = {fmt(ratio(ours['key_p95'], floor['key_p95']), 2)}"
              f" x floor p95; target <= {FLOOR_FACTOR} x ({ms(limit)} ms): {'PASS' if ok else 'MISS'}")
    print(f"\n{len(misses)} target(s) missed" + (": " + "; ".join(misses) if misses else ""))
    return figures, misses


# ---------------------------------------------------------------------------------------------------------------


def interrupted(_signum, _frame):
    raise KeyboardInterrupt


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=10, help="interleaved rounds (default 10)")
    ap.add_argument("--keys", type=int, default=12, help="key presses per page per round (default 12)")
    ap.add_argument("--errors", type=int, default=6, help="invalid characters per page per round (default 6)")
    ap.add_argument("--toggles", type=int, default=3, help="billing toggles per page per round (default 3)")
    ap.add_argument("--peer", choices=("rjsf", "rhf"), default="rjsf",
                    help="the peer PASS/MISS is judged against (default rjsf, the one issue 10's targets came from)")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--no-floor", action="store_true", help="leave out the one-input Leptos floor")
    ap.add_argument("--dist", default=os.path.join(ROOT, "dist"), help="the console's built page (default dist/)")
    ap.add_argument("--json", metavar="FILE", help="also write every sample and figure to FILE")
    args = ap.parse_args()
    if args.rounds < 1 or args.keys < 1 or args.errors < 1 or args.toggles < 0:
        ap.error("--rounds, --keys and --errors must be at least 1")

    os.chdir(ROOT)
    # A TERM (a CI timeout, say) unwinds like Ctrl-C, so the finally blocks still stop the servers and browser.
    signal.signal(signal.SIGTERM, interrupted)
    logs = tempfile.mkdtemp(prefix="ws-speed-")
    peers = os.path.join(ROOT, "target", "react-peer")
    pages = [
        Page("ours", "ours", args.dist),
        Page("rjsf", "RJSF", os.path.join(peers, "rjsf")),
        Page("rhf", "RHF", os.path.join(peers, "rhf")),
    ]
    if not args.no_floor:
        pages.append(Page("floor", "floor", os.path.join(ROOT, "target", "leptos-floor"), toggle=False))
    try:
        for p in pages:
            if not os.path.isfile(os.path.join(p.dist, "index.html")):
                raise Fatal(f"no {p.dist}/index.html: build it first (./dev speed builds every page)")
        for tool in (CHROMIUM, CHROMEDRIVER):
            if not os.access(tool, os.X_OK):
                raise Fatal(f"no {tool}: apt-get install chromium chromium-driver")
        binary, profile = server_binary()
        for p in pages:
            p.files = p.shipped()
            p.serve(binary, logs)
            p.ask_encodings()
        browser = measure(pages, args, logs)
        figures, misses = report(pages, args.peer, args, browser, profile)
        if args.json:
            with open(args.json, "w") as f:
                json.dump({"figures": figures, "misses": misses, "samples": {p.key: {
                    "cold": p.cold, "served": p.served, "warm": p.warm, "memory": p.memory, "keys": p.keys, "errors": p.errors,
                    "toggles": p.toggles, "files": p.files, "encodings": p.encodings} for p in pages}}, f, indent=1)
        return 1 if args.check and misses else 0
    except Fatal as e:
        print(f"bench/speed.py: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench/speed.py: interrupted", file=sys.stderr)
        return 130
    finally:
        for p in pages:
            stop(p.server)


if __name__ == "__main__":
    sys.exit(main())
