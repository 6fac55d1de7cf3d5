#!/usr/bin/env python3
"""Checks that the React peers do what the console does, by driving them (and the console, as the reference) in
headless Chromium with real clicks and key presses: the same sections, labels and ids; subscription fields shown
only for subscription billing and renewal fields only with auto-renew, their values kept while hidden; an error
when a changed field is left, then live; 20 tags at most; GPU instance type rows; an error summary on submit; a
submit that creates a workspace and shows the returned ids. A check of the yardstick, not part of ./dev test.

    python3 bench/react-peer/check.py [--console DIST]    (after ./dev speed or node build.mjs built the peers)
"""

import argparse
import json
import os
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import speed  # noqa: E402  (bench/speed.py: processes, servers, WebDriver)

SECTIONS = ["Region and name", "Resources", "Storage and catalog", "Billing", "Access", "Tags", "Advanced"]
LABELS = ["Region", "Workspace name", "Resource quota (CU)", "GPU quota", "GPU instance types", "OSS path",
          "DLF version", "DLF catalog ID", "Billing method", "Subscription duration", "Duration unit",
          "Renew automatically", "Renewal period", "Renewal unit", "Job execution role", "Resource group ID", "Tags",
          "Release type", "Start a session cluster automatically", "Client token"]
SUBSCRIPTION_LABELS = LABELS[9:14]
IDS = ["ws-regionId", "ws-workspaceName", "ws-resourceSpec-cu", "ws-resourceSpec-gpu", "ws-gpuSpec", "ws-ossBucket",
       "ws-dlfType", "ws-dlfCatalogId", "ws-paymentType", "ws-ramRoleName", "ws-resourceGroupId", "ws-tag",
       "ws-releaseType", "ws-autoStartSessionCluster", "ws-clientToken"]
TAB = "\ue004"
BACKSPACE = "\ue003"

SHOWN = "const el = document.getElementById(arguments[0]); return !!el && !el.closest('[hidden]');"
VALUE = "const el = document.getElementById(arguments[0]); return el ? (el.type === 'checkbox' ? el.checked : el.value) : null;"


class Failed(Exception):
    pass


class Checker:
    def __init__(self, session, page):
        self.s, self.page, self.failures = session, page, []

    def expect(self, ok, what):
        if not ok:
            self.failures.append(what)

    def shown(self, id_):
        return self.s.run(SHOWN, id_)

    def value(self, id_):
        return self.s.run(VALUE, id_)

    def el(self, id_):
        return self.s.find("#" + id_)

    def click(self, id_=None, css=None):
        css = css or "#" + id_
        # The console's action bar sticks to the bottom of the window: click nothing under it.
        self.s.run("document.querySelector(arguments[0]).scrollIntoView({ block: 'center' });", css)
        element = self.s.find(css)
        self.s.call("POST", self.s.path(f"/element/{element}/click"), {})
        time.sleep(0.1)

    def type(self, id_, text):
        self.s.send_keys(self.el(id_), text)
        time.sleep(0.1)

    def select(self, id_, value):
        self.click(css=f"#{id_} option[value='{value}']")

    def labelled(self, text):
        return self.s.run("return [...document.querySelectorAll('label, legend')].some(l => !l.closest('[hidden]') && l.textContent.includes(arguments[0]));", text)

    def count(self, css):
        return self.s.run("return document.querySelectorAll(arguments[0]).length;", css)

    def run(self):
        s = self.s
        s.fresh_tab()
        s.cdp("Emulation.setFocusEmulationEnabled", {"enabled": True})
        s.cdp("Storage.clearDataForOrigin", {"origin": self.page.origin, "storageTypes": "local_storage"})
        s.navigate(self.page.url)
        for _ in range(200):
            if s.run("return !!document.getElementById('ws-workspaceName')"):
                break
            time.sleep(0.05)
        text = s.run("return document.body.innerText;")
        for title in SECTIONS:
            self.expect(title in text, f"section {title!r}")
        for label in LABELS:
            if label not in SUBSCRIPTION_LABELS:
                self.expect(self.labelled(label), f"label {label!r}")
        for id_ in IDS:
            self.expect(s.run("return !!document.getElementById(arguments[0]);", id_), f"element #{id_}")

        # Subscription and renewal fields: shown only when they apply; what was typed in them stays.
        self.expect(not self.shown("ws-duration"), "duration hidden for pay-as-you-go")
        self.select("ws-paymentType", "Pre")
        for id_ in ("ws-duration", "ws-paymentDurationUnit", "ws-autoRenew"):
            self.expect(self.shown(id_), f"#{id_} shown for subscription")
        self.expect(not self.shown("ws-autoRenewPeriod"), "renewal period hidden without auto-renew")
        self.click("ws-autoRenew")
        self.expect(self.shown("ws-autoRenewPeriod") and self.shown("ws-autoRenewPeriodUnit"),
                    "renewal fields shown with auto-renew")
        for label in SUBSCRIPTION_LABELS:
            self.expect(self.labelled(label), f"label {label!r}")
        self.s.run("document.getElementById('ws-duration').select();")
        self.type("ws-duration", "7")
        self.select("ws-paymentType", "PayAsYouGo")
        self.expect(not self.shown("ws-duration") and not self.shown("ws-autoRenewPeriod"),
                    "subscription fields hidden again")
        self.select("ws-paymentType", "Pre")
        self.expect(self.value("ws-duration") == "7", f"duration kept while hidden (got {self.value('ws-duration')!r})")
        self.expect(self.value("ws-autoRenew") is True, "auto-renew kept while hidden")
        self.select("ws-paymentType", "PayAsYouGo")

        # Error when the field is left, then live.
        self.type("ws-workspaceName", "my ws")
        self.expect(not self.shown("ws-workspaceName-error"), "no error before the field is left")
        self.type("ws-workspaceName", TAB)
        self.expect(self.shown("ws-workspaceName-error"), "error once the name field is left")
        s.run("document.getElementById('ws-workspaceName').focus();")
        self.type("ws-workspaceName", BACKSPACE * 3 + "_ws")
        self.expect(self.value("ws-workspaceName") == "my_ws", f"name typed (got {self.value('ws-workspaceName')!r})")
        self.expect(not self.shown("ws-workspaceName-error"), "error gone live once fixed")
        self.type("ws-workspaceName", "!")
        self.expect(self.shown("ws-workspaceName-error"), "error live while typing once left")
        self.type("ws-workspaceName", BACKSPACE)

        # Lists: 20 tags at most, rows removed; a GPU instance type row.
        add_tag = "#ws-tag > button"
        for _ in range(20):
            self.click(css=add_tag)
        self.expect(self.count("#ws-tag li") == 20, f"20 tag rows (got {self.count('#ws-tag li')})")
        self.expect(s.run("return document.querySelector(arguments[0]).disabled;", add_tag), "no 21st tag")
        self.expect("(20/20)" in s.run("return document.getElementById('ws-tag').textContent;"), "tag count shown")
        for _ in range(19):
            self.click(css="#ws-tag li:last-child button")
        self.expect(self.count("#ws-tag li") == 1, "tag rows removed")
        self.type("ws-tag-0-key", "team")
        self.type("ws-tag-0-value", "data")
        self.click(css="#ws-gpuSpec > button")
        self.type("ws-gpuSpec-0", "ecs.gn7i-c8g1.2xlarge")
        self.type("ws-resourceSpec-gpu", "1")

        # Submit with errors: a summary, each error a link; then valid: the ids.
        self.click(css="button[type=submit]")
        summary = s.run("const el = document.getElementById('ws-summary'); return el ? el.innerText : '';")
        for label in ("Resource quota (CU)", "OSS path"):
            self.expect(label in summary, f"summary names {label!r} (got {summary[:200]!r})")
        self.expect(self.count("#ws-summary a") >= 2, "summary links")
        time.sleep(0.1)
        focused = s.run("return document.activeElement && document.activeElement.id;")
        self.expect(focused == "ws-resourceSpec-cu", f"focus on the first invalid field (got {focused!r})")
        self.type("ws-resourceSpec-cu", "8")
        self.type("ws-ossBucket", "oss://bench-bucket")
        self.type("ws-ossBucket", TAB)
        self.expect(self.value("ws-ossBucket") == "oss://bench-bucket/", "OSS path completed with a slash on leave")
        self.click(css="button[type=submit]")
        for _ in range(50):
            if s.run("return !!document.querySelector('[data-id=workspaceId]');"):
                break
            time.sleep(0.1)
        ids = s.run("return [...document.querySelectorAll('[data-id]')].map(e => e.dataset.id + '=' + e.textContent);")
        self.expect(len(ids or []) == 3, f"three ids shown (got {ids})")
        listed = json.load(urllib.request.urlopen(self.page.origin + "/api/v1/workspaces?regionId=cn-hangzhou"))
        made = [w for w in listed.get("workspaces", []) if w.get("workspaceName") == "my_ws"]
        self.expect(len(made) == 1, f"one workspace my_ws created (got {len(made)})")
        if made:
            w = made[0]
            tags = w.get("tags") or w.get("tag") or []
            self.expect(json.dumps(tags).find("team") >= 0, f"tag sent ({tags})")
        return self.failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--console", default=os.path.join(speed.ROOT, "dist"), help="the console's dist (the reference)")
    args = ap.parse_args()
    logs = tempfile.mkdtemp(prefix="ws-peer-check-")
    binary, _ = speed.server_binary()
    pages = [speed.Page("ours", "console", args.console),
             speed.Page("rjsf", "RJSF peer", os.path.join(speed.ROOT, "target", "react-peer", "rjsf")),
             speed.Page("rhf", "RHF peer", os.path.join(speed.ROOT, "target", "react-peer", "rhf"))]
    port = speed.free_port()
    driver = speed.start([speed.CHROMEDRIVER, f"--port={port}"], os.path.join(logs, "chromedriver.log"))
    failed = 0
    try:
        speed.wait_http(driver, f"http://127.0.0.1:{port}/status", "chromedriver", os.path.join(logs, "chromedriver.log"))
        session = speed.Session(f"http://127.0.0.1:{port}")
        for page in pages:
            page.serve(binary, logs)
            checker = Checker(session, page)
            try:
                failures = checker.run()
            except (speed.WebDriverError, OSError) as e:
                failures = checker.failures + [f"stopped: {e}"]
            failed += bool(failures)
            print(f"{page.label}: " + ("ok" if not failures else "FAILED: " + "; ".join(failures)))
        session.delete()
    finally:
        speed.stop(driver)
        for page in pages:
            speed.stop(page.server)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
