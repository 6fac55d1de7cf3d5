#!/usr/bin/env python3
"""Prints how fast the console page and the API emulator are. A benchmark, not a test: it only checks that the
page loaded, and exits non-zero only when something could not start.

    python3 bench/speed.py [--loads N] [--keystrokes K] [--requests M] [--burst B] [--each] [--no-page]

The caller builds what it measures (`./dev speed` does both): the page in dist/ (`trunk build --release`) and
workspace-server (`cargo build --release -p workspace-server`; target/debug is used when there is no release
binary). Needs Debian's /usr/bin/chromium and /usr/bin/chromedriver; Python's standard library only.

Page: N loads of the page in one headless Chromium session (the first with an empty cache, the rest warm), each
timed inside the page from navigation start: DOMContentLoaded, the wasm fetch (Resource Timing), the moment the
name field is in the DOM (a MutationObserver installed before the page's scripts) and the first animation frame
that sees it (requestAnimationFrame polling), first contentful paint and the load event. Each load comes from
about:blank (a fresh renderer, like a new tab) with localStorage cleared (no draft). The server sends no
Cache-Control, so whether a warm load takes the wasm from the cache or revalidates it (304) depends on the age of
dist/ (heuristic freshness); the "wasm B sent" column says which. Then the latency from
an edit of the name field to its validation message appearing (and, for a valid value, disappearing): set value
and dispatch input+blur in the page, and real key presses sent through WebDriver (timed from the keydown event).

API: M sequential valid and M invalid CreateWorkspace POSTs over one keep-alive connection, then a burst of B
concurrent creates with one clientToken, which must create one workspace.
"""

import argparse
import http.client
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
REGION = "cn-hangzhou"
NAME_ID = "ws-workspaceName"
ERROR_ID = NAME_ID + "-error"
CHROME_OPTIONS = {
    "binary": CHROMIUM,
    "args": [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--window-size=1280,900",
    ],
}


class Fatal(Exception):
    """Something the benchmark needs could not start."""


# ---------------------------------------------------------------------------------------------------------------
# numbers


def pct(values, p):
    """The p-th percentile (linear interpolation between closest ranks), or None for no values."""
    if not values:
        return None
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def fmt(v, unit="", digits=1):
    if v is None:
        return "–"
    return f"{v:,.{digits}f}{unit}"


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
        path = os.path.join(ROOT, "target", profile, "workspace-server")
        if os.access(path, os.X_OK):
            return path, profile
    raise Fatal("no target/release/workspace-server or target/debug/workspace-server: "
                "run `cargo build --release -p workspace-server` (or ./dev speed, which builds it)")


# ---------------------------------------------------------------------------------------------------------------
# WebDriver (W3C, over urllib)


class WebDriverError(Exception):
    pass


class Session:
    def __init__(self, base):
        self.base = base
        value = self.call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            # navigate returns at once, so the probe can start before the load event (chromedriver still holds
            # it until about DOMContentLoaded; the early MutationObserver does not depend on that).
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

    def cdp(self, cmd, params):
        """Chromedriver's bridge to the DevTools protocol (not W3C; used for one optional probe)."""
        return self.call("POST", self.path("/goog/cdp/execute"), {"cmd": cmd, "params": params})

    def find(self, css):
        value = self.call("POST", self.path("/element"), {"using": "css selector", "value": css})
        return next(iter(value.values()))

    def send_keys(self, element, text):
        self.call("POST", self.path(f"/element/{element}/value"), {"text": text})

    def delete(self):
        self.call("DELETE", self.path(), timeout=30)


# Installed before any page script: notes when the name field first exists (a MutationObserver callback runs as a
# microtask right after the DOM change, so this is the moment the form was mounted, not the next frame).
EARLY_PROBE = """
(() => {
  if (window.__wsFormAt !== undefined) return;
  window.__wsFormAt = null;
  const seen = () => {
    if (window.__wsFormAt === null && document.getElementById(%s)) {
      window.__wsFormAt = performance.now();
      return true;
    }
    return false;
  };
  new MutationObserver((_, observer) => { if (seen()) observer.disconnect(); })
    .observe(document, { childList: true, subtree: true });
})();
""" % json.dumps(NAME_ID)

# execute/async: waits (polling with requestAnimationFrame) until the name field exists and the load event has
# ended, then reports the page's own timings, all in ms from navigation start (performance.timeOrigin).
LOAD_PROBE = """
const [url, done] = [arguments[0], arguments[arguments.length - 1]];
if (location.href !== url) { done({ wrongDocument: location.href }); return; }
const t0 = performance.now();
const limit = t0 + 20000;
let rafAt = document.getElementById(%s) ? t0 : null;
const alreadyThere = rafAt !== null;
function finish(error) {
  const nav = performance.getEntriesByType('navigation')[0] || {};
  const wasm = performance.getEntriesByType('resource').filter(e => /\\.wasm(\\?|$)/.test(e.name)).pop();
  const fcp = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint');
  done({
    error,
    scriptStart: t0,
    alreadyThere,
    formRaf: rafAt,
    formDom: window.__wsFormAt === undefined ? null : window.__wsFormAt,
    dcl: nav.domContentLoadedEventEnd || null,
    load: nav.loadEventEnd || null,
    html: nav.responseEnd || null,
    htmlBytes: nav.transferSize,
    fcp: fcp ? fcp.startTime : null,
    wasm: wasm ? {
      start: wasm.startTime, end: wasm.responseEnd, duration: wasm.duration,
      transfer: wasm.transferSize, encoded: wasm.encodedBodySize, decoded: wasm.decodedBodySize,
    } : null,
  });
}
function tick() {
  const now = performance.now();
  if (rafAt === null && document.getElementById(%s)) rafAt = now;
  const nav = performance.getEntriesByType('navigation')[0];
  // The first contentful paint is recorded after the frame that paints the form, so wait for it (briefly).
  const painted = performance.getEntriesByType('paint').some(e => e.name === 'first-contentful-paint');
  if (rafAt !== null && nav && nav.loadEventEnd > 0 && (painted || now > rafAt + 1000)) return finish(null);
  if (now > limit) return finish(rafAt === null ? 'the name field did not appear within 20 s' : null);
  requestAnimationFrame(tick);
}
tick();
""" % (json.dumps(NAME_ID), json.dumps(NAME_ID))

# execute/async: for each repetition, set an invalid value (even i) or a valid one (odd i), dispatch input and blur
# as typing and leaving the field would, and time until the error message appears (or disappears). The DOM change
# is caught by a MutationObserver; the next animation frame is when it could be on screen.
EDIT_PROBE = """
const [reps, done] = [arguments[0], arguments[arguments.length - 1]];
const field = document.getElementById(%(name)s);
if (!field) { done({ error: 'no name field' }); return; }
const box = field.closest('.ws-field') || document.body;
field.focus();
const out = [];
let i = 0;
function next() {
  if (i >= reps) { done({ out }); return; }
  const invalid = i %% 2 === 0;
  const value = invalid ? 'bad name ' + i : 'bench_ok_' + i;
  const wanted = () => invalid === (document.getElementById(%(error)s) !== null);
  let settled = false;
  let observer = null;
  const record = (dom, sync) => {
    if (settled) return;
    settled = true;
    if (observer) observer.disconnect();
    requestAnimationFrame(() => {
      out.push({ invalid, sync, dom: dom - t0, frame: performance.now() - t0 });
      i += 1;
      setTimeout(next, 30);
    });
  };
  const t0 = performance.now();
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
  field.dispatchEvent(new FocusEvent('blur'));
  if (wanted()) { record(performance.now(), true); return; }
  observer = new MutationObserver(() => { if (wanted()) record(performance.now(), false); });
  observer.observe(box, { childList: true, subtree: true, attributes: true, characterData: true });
  setTimeout(() => {
    if (!settled) { settled = true; observer.disconnect(); done({ out, error: 'no change after 2 s for ' + value }); }
  }, 2000);
}
next();
""" % {"name": json.dumps(NAME_ID), "error": json.dumps(ERROR_ID)}

# execute/sync before a real key press: a valid value (so no message), then a keydown listener and an observer
# that note when the key went down (the event's own timestamp) and when the message appeared.
ARM_KEY_PROBE = """
const field = document.getElementById(%(name)s);
field.focus();
field.value = arguments[0];
field.dispatchEvent(new Event('input', { bubbles: true }));
const box = field.closest('.ws-field') || document.body;
const probe = { down: null, shown: null, frame: null, pending: document.getElementById(%(error)s) !== null };
window.__wsKey = probe;
field.addEventListener('keydown', e => { if (probe.down === null) probe.down = e.timeStamp; }, { once: true });
const observer = new MutationObserver(() => {
  if (probe.shown === null && document.getElementById(%(error)s)) {
    probe.shown = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => { probe.frame = performance.now(); });
  }
});
observer.observe(box, { childList: true, subtree: true });
return probe.pending;
""" % {"name": json.dumps(NAME_ID), "error": json.dumps(ERROR_ID)}

AWAIT_KEY_PROBE = """
const done = arguments[arguments.length - 1];
const limit = performance.now() + 2000;
(function wait() {
  const p = window.__wsKey;
  if (p && p.frame !== null && p.down !== null) { done({ dom: p.shown - p.down, frame: p.frame - p.down }); return; }
  if (performance.now() > limit) { done({ error: 'no message after the key press', probe: p }); return; }
  setTimeout(wait, 1);
})();
"""


def measure_page(url, loads, keystrokes, logs):
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
        early = True
        try:
            session.cdp("Page.addScriptToEvaluateOnNewDocument", {"source": EARLY_PROBE})
        except WebDriverError:
            early = False  # only the requestAnimationFrame figure then

        samples = []
        for i in range(loads):
            session.navigate("about:blank")
            session.navigate(url)
            for _ in range(200):
                r = session.run_async(LOAD_PROBE, url)
                if "wrongDocument" not in r:
                    break
                time.sleep(0.005)  # navigate returned before the new document committed
            if r.get("wrongDocument") or r.get("error"):
                raise Fatal(f"load {i + 1}: the page did not load: {r.get('error') or r}")
            samples.append(r)
            # Every load starts without a draft (the form keeps one in localStorage), as the first one did.
            session.run("localStorage.clear();")

        # Edits, in the page left by the last load.
        edit = session.run_async(EDIT_PROBE, 2 * keystrokes)
        if edit.get("error"):
            print(f"  (edit probe stopped early: {edit['error']})", file=sys.stderr)
        keys = []
        field = session.find("#" + NAME_ID)
        for i in range(max(keystrokes // 2, 1)):
            if session.run(ARM_KEY_PROBE, f"bench_key_{i}"):
                time.sleep(0.05)  # the message of the previous round was still on its way out
            session.send_keys(field, " ")  # a space is not allowed in a name
            r = session.run_async(AWAIT_KEY_PROBE)
            if r.get("error"):
                print(f"  (key probe: {r['error']})", file=sys.stderr)
                break
            keys.append(r)
        session.run("localStorage.clear();")
        return {"early": early, "samples": samples, "edits": edit.get("out", []), "keys": keys, "browser": browser}
    finally:
        if session is not None:
            try:
                session.delete()
            except (WebDriverError, OSError):
                pass
        stop(driver)


def report_page(url, early, samples, edits, keys, each=False, **_):
    print(f"\npage  {url}  ({len(samples)} loads; ms from navigation start)")
    cold, warm = samples[0], samples[1:]

    def wasm(s, k):
        return (s.get("wasm") or {}).get(k)

    def row(label, pick):
        return [label,
                fmt(pick(lambda s: s["html"])),
                fmt(pick(lambda s: s["dcl"])),
                fmt(pick(lambda s: wasm(s, "duration"))),
                fmt(pick(lambda s: wasm(s, "transfer")), digits=0),
                fmt(pick(lambda s: s["formDom"])) if early else "–",
                fmt(pick(lambda s: s["formRaf"])),
                fmt(pick(lambda s: s["fcp"])),
                fmt(pick(lambda s: s["load"]))]

    def over(values_of, p):
        return lambda f: pct([v for v in (f(s) for s in values_of) if v is not None], p)

    rows = [row("first load (cold cache)", lambda f: f(cold))]
    if each:
        rows += [row(f"  load {i}", lambda f, s=s: f(s)) for i, s in enumerate(warm, 2)]
    if warm:
        rows.append(row(f"warm loads, median of {len(warm)}", over(warm, 50)))
        rows.append(row("warm loads, p90", over(warm, 90)))
    table(["", "HTML", "DOMContentLoaded", "wasm fetch", "wasm B sent", "form in DOM", "form (rAF)", "FCP", "load"],
          rows)
    print("  (HTML: document received; wasm fetch: its Resource Timing duration; wasm B sent: 0 from the cache,\n"
          "   ~300 a 304 revalidation; form in DOM: the name field mounted; form (rAF): first animation frame that saw it)")
    def after_wasm(s):
        w = s.get("wasm")
        return (s["formDom"] or s["formRaf"]) - w["end"] if w else None

    w = cold.get("wasm")
    if w:
        later = [v for v in map(after_wasm, warm) if v is not None]
        print(f"  wasm: {w['decoded']:,} B, sent as {w['encoded']:,} B; from its last byte to the form in the DOM "
              f"(compile, instantiate, mount): {after_wasm(cold):.1f} ms on the first load"
              + (f", {pct(later, 50):.1f} ms warm (median)" if later else ""))
    late = sum(1 for s in samples if s["alreadyThere"])
    if late:
        print(f"  note: in {late} of {len(samples)} loads the form was there before the probe ran, so 'form (rAF)' "
              "is when the probe started")

    print("\nedit -> validation message  (ms, in the page)")
    rows = []
    for label, pick in (("invalid value -> message shown", lambda e: e["invalid"]),
                        ("valid value -> message gone", lambda e: not e["invalid"])):
        sel = [e for e in edits if pick(e)]
        dom = [e["dom"] for e in sel]
        frame = [e["frame"] for e in sel]
        sync = sum(1 for e in sel if e["sync"])
        rows.append([f"{label} (set value + input/blur)", len(sel), fmt(pct(dom, 50), digits=2),
                     fmt(pct(dom, 90), digits=2), fmt(pct(frame, 50), digits=2), f"{sync}/{len(sel)}"])
    if keys:
        dom = [k["dom"] for k in keys]
        frame = [k["frame"] for k in keys]
        rows.append(["real key press (WebDriver) -> message shown", len(keys), fmt(pct(dom, 50), digits=2),
                     fmt(pct(dom, 90), digits=2), fmt(pct(frame, 50), digits=2), "–"])
    table(["", "n", "DOM p50", "DOM p90", "next frame p50", "sync"], rows)
    print("  (DOM: until the change is in the document; next frame: until the following requestAnimationFrame;"
          " sync: done before dispatchEvent returned)")


# ---------------------------------------------------------------------------------------------------------------
# API


def create_body(name, token=None):
    body = {
        "workspaceName": name,
        "resourceSpec": {"cu": "8"},
        "ossBucket": "oss://bench-bucket/",
        "paymentType": "PayAsYouGo",
        "ramRoleName": "AliyunEMRSparkJobRunDefaultRole",
    }
    if token:
        body["clientToken"] = token
    return json.dumps(body).encode()


CREATE_PATH = f"/api/v1/workspaces?regionId={REGION}"
HEADERS = {"Content-Type": "application/json"}


def post(conn, body):
    conn.request("POST", CREATE_PATH, body=body, headers=HEADERS)
    r = conn.getresponse()
    return r.status, r.read()


def total_count(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", f"/api/v1/workspaces?regionId={REGION}&maxResults=1")
        r = conn.getresponse()
        data = r.read()
        if r.status != 200:
            raise Fatal(f"ListWorkspaces answered {r.status}: {data[:200]!r}")
        return json.loads(data)["totalCount"]
    finally:
        conn.close()


def sequential(port, bodies):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times, statuses = [], {}
    started = time.perf_counter()
    try:
        for body in bodies:
            t = time.perf_counter()
            status, _ = post(conn, body)
            times.append((time.perf_counter() - t) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        conn.close()
    return times, statuses, time.perf_counter() - started


def burst(port, n):
    token = uuid.uuid4().hex
    body = create_body("bench_burst", token)
    barrier = threading.Barrier(n + 1)
    results = [None] * n

    def worker(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.connect()  # connected before the start line, so the wall time is the requests'
            barrier.wait()
            status, data = post(conn, body)
            try:
                results[i] = (status, json.loads(data).get("workspaceId"))
            except ValueError:
                results[i] = (status, None)
        except Exception as e:  # noqa: BLE001 - reported below
            results[i] = (None, repr(e))
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    return results, time.perf_counter() - started


def measure_api(port, requests, burst_size):
    run = uuid.uuid4().hex[:8]
    valid = sequential(port, [create_body(f"bench_{run}_{i}") for i in range(requests)])
    invalid = sequential(port, [create_body("a b") for _ in range(requests)])
    before = total_count(port)
    results, wall = burst(port, burst_size)
    after = total_count(port)
    return valid, invalid, (results, wall, before, after)


def report_api(port, valid, invalid, burst_result):
    print(f"\napi  CreateWorkspace on http://127.0.0.1:{port} (sequential, one keep-alive connection)")
    rows = []
    for label, (times, statuses, wall) in (("valid body", valid), ("invalid body (\"a b\")", invalid)):
        codes = " ".join(f"{k}x{v}" for k, v in sorted(statuses.items()))
        rows.append([label, len(times), fmt(pct(times, 50), digits=3), fmt(pct(times, 90), digits=3),
                     fmt(pct(times, 99), digits=3), fmt(max(times), digits=3), fmt(len(times) / wall, digits=0),
                     codes])
    table(["", "n", "p50 ms", "p90 ms", "p99 ms", "max ms", "req/s", "status"], rows)
    results, wall, before, after = burst_result
    statuses = {}
    for status, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    ids = {wid for status, wid in results if status == 200}
    codes = " ".join(f"{k}x{v}" for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0])))
    verdict = "one workspace" if after - before == 1 and len(ids) == 1 else "NOT one workspace"
    print(f"  burst: {len(results)} concurrent creates, one clientToken: {wall * 1000:.1f} ms wall; status {codes}; "
          f"{len(ids)} distinct workspaceId; ListWorkspaces totalCount {before} -> {after}: {verdict}")


# ---------------------------------------------------------------------------------------------------------------


def machine_line(profile, browser):
    try:
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        chromium = f"Chromium {browser}"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"machine: nproc {len(os.sched_getaffinity(0))}, {platform.machine()}, "
            f"load average {load}; {chromium or 'Chromium ' + browser}; workspace-server {profile} build; "
            f"python {platform.python_version()}")


def interrupted(_signum, _frame):
    raise KeyboardInterrupt


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--loads", type=int, default=10, help="page loads (the first cold, the rest warm; default 10)")
    ap.add_argument("--keystrokes", type=int, default=20,
                    help="edits of each kind (invalid and valid) for the validation latency (default 20)")
    ap.add_argument("--requests", type=int, default=200, help="sequential API requests of each kind (default 200)")
    ap.add_argument("--burst", type=int, default=50, help="concurrent creates with one clientToken (default 50)")
    ap.add_argument("--no-page", action="store_true", help="skip the browser part")
    ap.add_argument("--each", action="store_true", help="also print every page load")
    args = ap.parse_args()
    if args.loads < 1 or args.keystrokes < 1 or args.requests < 1 or args.burst < 1:
        ap.error("counts must be at least 1")

    os.chdir(ROOT)
    # A TERM (a CI timeout, say) unwinds like Ctrl-C, so the finally blocks still stop the server and browser.
    signal.signal(signal.SIGTERM, interrupted)
    logs = tempfile.mkdtemp(prefix="ws-speed-")
    server = None
    try:
        if not os.path.isfile(os.path.join(ROOT, "dist", "index.html")):
            raise Fatal("no dist/index.html: build the page first (trunk build --release, or ./dev speed)")
        if not args.no_page:
            for tool in (CHROMIUM, CHROMEDRIVER):
                if not os.access(tool, os.X_OK):
                    raise Fatal(f"no {tool}: apt-get install chromium chromium-driver")
        binary, profile = server_binary()
        port = free_port()
        server_log = os.path.join(logs, "workspace-server.log")
        server = start([binary, "--listen", f"127.0.0.1:{port}", "--dist", "dist", "--startup-delay", "0"],
                       server_log)
        url = f"http://127.0.0.1:{port}/"
        wait_http(server, url, "workspace-server", server_log)

        page = None
        if not args.no_page:
            page = measure_page(url, args.loads, args.keystrokes, logs)
        api = measure_api(port, args.requests, args.burst)

        print(machine_line(profile, page["browser"] if page else "?"))
        if page:
            report_page(url, **page, each=args.each)
        report_api(port, *api)
        return 0
    except Fatal as e:
        print(f"bench/speed.py: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench/speed.py: interrupted", file=sys.stderr)
        return 130
    finally:
        stop(server)


if __name__ == "__main__":
    sys.exit(main())
