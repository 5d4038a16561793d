# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTML flow report in a real headless Chromium (Debian's `chromium` package).

The page is generated from the example inventory (inventory/example, read the way Ansible merges
variables), written to a temporary directory and opened from file:// - nothing else is loaded. Chromium is
driven over the Chrome DevTools protocol with the small websocket client below (standard library only),
with real mouse clicks and keyboard input. Checks: no console errors, one table row per flow, filtering,
sorting, the SVG diagram, labels inside the diagram, and a screenshot kept at tests/output/report-screenshot.png
(or $COLLAB_FW_TEST_OUTPUT/report-screenshot.png).

Without a browser the tests skip locally; with CI=true they fail: install `chromium` (and, for selenium
users, `chromium-driver`) with apt-get.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import time

import pytest

from ansible_collections.collab.firewall.plugins.filter.uc_flows import uc_flows
from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.report.diff import diff_report, diff_trees
from ansible_collections.collab.firewall.plugins.plugin_utils.report.flow_report import flow_report
from uc_inventory import load_inventory  # tests/lib, registered by tests/integration/conftest.py

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
INVENTORY = os.path.join(ROOT, "inventory", "example")
OUTPUT = os.environ.get("COLLAB_FW_TEST_OUTPUT") or os.path.join(ROOT, "tests", "output")
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
FILTER_TEXT = "cvp-1-30"
VIEWPORT = (1280, 900)


# ---------------------------------------------------------------- the inventory, as Ansible reads it
# (the one loader of tests and benchmarks: tests/lib/uc_inventory.py, registered by conftest.py)


def example_deployment():
    """The flows exactly as a playbook gets them: the uc_flows filter reads the uc_* settings itself."""
    hostvars, groups = load_inventory(INVENTORY)
    return load_catalog(), uc_flows(hostvars, groups)


def test_inventory_is_read_the_way_ansible_merges_it():
    hostvars, groups = load_inventory(INVENTORY)
    assert groups["publisher"] == ["cucm-pub-1", "cucm-pub-2"]
    assert "cvp-oamp-1" in groups["uc"] and "asa-dc-1" in groups["all"]
    assert hostvars["imp-1"]["uc_cluster"] == "hq-imp"          # group `vars:`
    assert hostvars["cucm-pub-1"]["uc_cluster"] == "hq"          # host vars
    assert hostvars["rtr-core-1"]["uc_zones"]["phone"][0] == "10.20.0.0/16"   # group_vars/all.yml
    assert hostvars["cvp-rpt-1"]["uc_cvp_roles"] == ["reporting"]


# ---------------------------------------------------------------- a minimal DevTools client


class DevToolsError(RuntimeError):
    pass


class DevTools(object):
    """Chrome DevTools protocol over one websocket (RFC 6455 client: masked text frames out, any in)."""

    GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    def __init__(self, url, timeout=30.0):
        if not url.startswith("ws://"):
            raise DevToolsError("not a ws:// url: %s" % url)
        hostport, path = url[len("ws://"):].split("/", 1)
        host, port = hostport.rsplit(":", 1)
        self.timeout = timeout
        self.sock = socket.create_connection((host, int(port)), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode("ascii")
        request = ("GET /%s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (path, hostport, key))
        self.sock.sendall(request.encode("ascii"))
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        if " 101 " not in lines[0] + " ":
            raise DevToolsError("websocket handshake refused: %s" % lines[0])
        accept = base64.b64encode(hashlib.sha1((key + self.GUID).encode("ascii")).digest()).decode("ascii")
        if not any(line.lower().startswith("sec-websocket-accept:") and line.split(":", 1)[1].strip() == accept
                   for line in lines):
            raise DevToolsError("websocket handshake: bad Sec-WebSocket-Accept")
        self.next_id = 0
        self.events = []

    def close(self):
        try:
            self._send_frame(0x8, b"")
        except OSError:
            pass
        self.sock.close()

    def _fill(self):
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise DevToolsError("DevTools connection closed")
        self.buffer += chunk

    def _take(self, size):
        while len(self.buffer) < size:
            self._fill()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def _send_frame(self, opcode, payload):
        header = bytearray([0x80 | opcode])
        size = len(payload)
        if size < 126:
            header.append(0x80 | size)
        elif size < 1 << 16:
            header.append(0x80 | 126)
            header += struct.pack("!H", size)
        else:
            header.append(0x80 | 127)
            header += struct.pack("!Q", size)
        mask = os.urandom(4)
        masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
        self.sock.sendall(bytes(header) + mask + masked)

    def _message(self):
        parts = []
        while True:
            first, second = self._take(2)
            opcode, size = first & 0x0F, second & 0x7F
            if size == 126:
                size = struct.unpack("!H", self._take(2))[0]
            elif size == 127:
                size = struct.unpack("!Q", self._take(8))[0]
            mask = self._take(4) if second & 0x80 else None
            payload = self._take(size)
            if mask:
                payload = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
            if opcode == 0x9:
                self._send_frame(0xA, payload)
                continue
            if opcode == 0x8:
                raise DevToolsError("DevTools closed the websocket")
            if opcode in (0x0, 0x1, 0x2):
                parts.append(payload)
                if first & 0x80:
                    return json.loads(b"".join(parts).decode("utf-8"))

    def call(self, method, **params):
        self.next_id += 1
        wanted = self.next_id
        self._send_frame(0x1, json.dumps({"id": wanted, "method": method, "params": params}).encode("utf-8"))
        deadline = time.time() + self.timeout
        while time.time() < deadline:
            message = self._message()
            if message.get("id") == wanted:
                if "error" in message:
                    raise DevToolsError("%s: %s" % (method, message["error"]))
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)
        raise DevToolsError("%s: no answer in %ss" % (method, self.timeout))

    def wait_event(self, method):
        deadline = time.time() + self.timeout
        seen = len(self.events)
        for event in self.events:
            if event["method"] == method:
                return event
        while time.time() < deadline:
            message = self._message()
            if "method" in message:
                self.events.append(message)
                if message["method"] == method:
                    return message
        raise DevToolsError("no %s event in %ss (after %d events)" % (method, self.timeout, seen))

    def js(self, expression):
        """The value of a JavaScript expression in the page (exceptions fail the test)."""
        answer = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in answer:
            raise DevToolsError("%s: %s" % (expression, answer["exceptionDetails"]))
        return answer["result"].get("value")

    def click(self, selector):
        """A real left click in the middle of the element (scrolled into view first)."""
        box = self.js("(function(){const e=document.querySelector(%s); e.scrollIntoView({block:'center'});"
                      "const r=e.getBoundingClientRect(); return [r.left+r.width/2, r.top+r.height/2];})()"
                      % json.dumps(selector))
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    def type_text(self, selector, text):
        """Focus the element with a click, then type key by key."""
        self.click(selector)
        for char in text:
            self.call("Input.dispatchKeyEvent", type="keyDown", text=char, key=char, unmodifiedText=char)
            self.call("Input.dispatchKeyEvent", type="keyUp", key=char)

    def problems(self):
        """Console errors, uncaught exceptions, error log entries and requests that left file://."""
        found = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                args = [str(a.get("value", a.get("description"))) for a in params.get("args", [])]
                found.append("console.%s: %s" % (params["type"], " ".join(args)))
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                found.append("exception: %s" % details.get("exception", {}).get("description", details.get("text")))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                found.append("log: %s" % params["entry"].get("text"))
            elif method == "Network.requestWillBeSent":
                url = params.get("request", {}).get("url", "")
                if not url.startswith(("file:", "data:", "about:")):
                    found.append("network request: %s" % url)
        return found


# ---------------------------------------------------------------- the browser


def _in_ci():
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def find_browser():
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    catalog, result = example_deployment()
    page = tmp_path_factory.mktemp("report") / "flows.html"
    page.write_text(flow_report(result, catalog, "html"), encoding="utf-8")
    # the diff page: the example against a copy with one more feature (what test_diff.py checks in detail)
    import copy
    from test_uc_diff import render  # pylint: disable=import-error
    hostvars, groups = load_inventory(INVENTORY)
    _old, old_tree = render(hostvars, groups)
    changed = copy.deepcopy(hostvars)
    for host in changed.values():
        host["uc_features"] = list(host["uc_features"]) + ["smtp"]
        host["uc_zones"] = dict(host["uc_zones"], phone=host["uc_zones"]["phone"] + ["10.50.0.0/16"])
    _new, new_tree = render(changed, groups)
    diff_page = page.parent / "diff.html"
    diff_page.write_text(diff_report(diff_trees(old_tree, new_tree), catalog, "html"), encoding="utf-8")
    empty_page = page.parent / "empty-diff.html"
    empty_page.write_text(diff_report(diff_trees(old_tree, old_tree), catalog, "html"), encoding="utf-8")
    return {"path": str(page), "url": page.as_uri(), "diff_url": diff_page.as_uri(), "empty_url": empty_page.as_uri(),
            "result": result}


@pytest.fixture(scope="module")
def browser():
    binary = find_browser()
    if binary is None:
        message = "no Chromium (%s) on PATH: apt-get install -y chromium chromium-driver" % "/".join(BROWSERS)
        if _in_ci():
            pytest.fail("CI=true: " + message)
        pytest.skip(message)
    profile = tempfile.mkdtemp(prefix="collab-fw-chromium-")
    command = [
        binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--no-default-browser-check", "--mute-audio",
        "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost",
        "--user-data-dir=%s" % profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
        "--window-size=%d,%d" % VIEWPORT, "about:blank",
    ]
    log = open(os.path.join(profile, "chromium.log"), "w+")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        port_file = os.path.join(profile, "DevToolsActivePort")
        deadline = time.time() + 60
        lines = []
        while time.time() < deadline and process.poll() is None:
            if os.path.exists(port_file):
                with open(port_file) as handle:
                    lines = handle.read().split()
                if len(lines) >= 2:
                    break
            time.sleep(0.1)
        if len(lines) < 2:
            log.seek(0)
            pytest.fail("Chromium did not open its DevTools port (exit %s):\n%s" % (process.poll(), log.read()[-3000:]))
        browser_ws = DevTools("ws://127.0.0.1:%s%s" % (lines[0], lines[1]))
        yield {"port": lines[0], "ws": browser_ws}
        browser_ws.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(profile, ignore_errors=True)


def open_tab(browser, url):
    """A fresh tab with ``url`` loaded; DevTools events recorded from before navigation."""
    target = browser["ws"].call("Target.createTarget", url="about:blank")["targetId"]
    tab = DevTools("ws://127.0.0.1:%s/devtools/page/%s" % (browser["port"], target))
    for domain in ("Page", "Runtime", "Log", "Network"):
        tab.call(domain + ".enable")
    tab.call("Emulation.setDeviceMetricsOverride", width=VIEWPORT[0], height=VIEWPORT[1], deviceScaleFactor=1, mobile=False)
    tab.call("Page.navigate", url=url)
    tab.wait_event("Page.loadEventFired")
    return tab, target


@pytest.fixture
def page(browser, report):
    tab, target = open_tab(browser, report["url"])
    yield tab
    tab.close()
    browser["ws"].call("Target.closeTarget", targetId=target)


@pytest.fixture
def diff_page(browser, report):
    tab, target = open_tab(browser, report["diff_url"])
    yield tab
    tab.close()
    browser["ws"].call("Target.closeTarget", targetId=target)


VISIBLE = "Array.from(document.querySelectorAll('%s tbody tr')).filter(function(tr){return tr.style.display !== 'none';})"


def visible_ids(tab, table="#flowtable"):
    return tab.js((VISIBLE % table) + ".map(function(tr){return tr.id;})")


def overlaps(tab, svg):
    """Pairs of labels (texts, label pills, cluster boxes) of an SVG whose boxes overlap, and labels outside it."""
    return tab.js("""(function(){
      const svg = document.querySelector('%s'), box = svg.getBoundingClientRect(), out = [];
      const items = Array.from(svg.querySelectorAll('.pill rect, .group rect, .zone text, text.col'));
      const rects = items.map(function (e) { return [e, e.getBoundingClientRect()]; });
      rects.forEach(function (a, i) {
        const r = a[1];
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
          out.push('outside: ' + (a[0].textContent || a[0].parentNode.textContent));
        rects.slice(i + 1).forEach(function (b) {
          const s = b[1];
          if (r.left < s.right - 0.5 && s.left < r.right - 0.5 && r.top < s.bottom - 0.5 && s.top < r.bottom - 0.5)
            out.push((a[0].parentNode.textContent || a[0].textContent) + ' / ' + (b[0].parentNode.textContent || b[0].textContent));
        });
      });
      return out;})()""" % svg)


def screenshot(tab, name):
    if not os.path.isdir(OUTPUT):
        os.makedirs(OUTPUT)
    height = min(tab.js("document.documentElement.scrollHeight"), 2400)
    shot = tab.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                    clip={"x": 0, "y": 0, "width": VIEWPORT[0], "height": height, "scale": 1})
    data = base64.b64decode(shot["data"])
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    with open(os.path.join(OUTPUT, name), "wb") as handle:
        handle.write(data)
    assert struct.unpack("!II", data[16:24]) == (VIEWPORT[0], height)


def test_report_page(page, report):
    """One tab for every check of the flow report: load, table, filter, sort, edges, node view, anomalies."""
    flows = report["result"]["flows"]
    assert page.js("document.title") == "UC flow matrix"
    assert page.js("location.protocol") == "file:"
    assert page.js("document.getElementById('summary').textContent").startswith("%d flows" % len(flows))
    # every flow is a row, with the addresses of both ends
    assert len(visible_ids(page)) == len(flows) > 20
    first = page.js("document.querySelector('#flowtable tbody tr').textContent")
    assert all(a in first for a in flows[0]["sources"] + flows[0]["destinations"])
    assert "Unified CM port usage" in page.js("document.getElementById('flowtable').textContent")
    assert "001_f5a05621c64c5648.txt" not in page.js("document.getElementById('flowtable').textContent")
    # filter (any case) narrows to the flows of that catalog row, and back
    expected = ["f%d" % i for i, f in enumerate(flows) if any(FILTER_TEXT in c for c in f["catalog_ids"])]
    assert 0 < len(expected) < len(flows)
    page.type_text("#filter", FILTER_TEXT.upper())
    assert visible_ids(page) == expected
    assert page.js("document.getElementById('flowtable-count').textContent") == str(len(expected))
    page.js("(function(){const f=document.getElementById('filter'); f.value=''; f.dispatchEvent(new Event('input'));})()")
    assert len(visible_ids(page)) == len(flows)
    # sorting by transport, both ways, keeps rows whole
    transport = "Array.from(document.querySelectorAll('#flowtable tbody tr td:nth-child(3)')).map(function(t){return t.textContent;})"
    page.click("#flowtable th:nth-child(3)")
    up = page.js(transport)
    assert up == sorted(up) and len(set(up)) > 1
    page.click("#flowtable th:nth-child(3)")
    assert page.js(transport) == sorted(up, reverse=True)
    ids = page.js("Array.from(document.querySelectorAll('#flowtable tbody tr')).map(function(t){return t.id;})")
    by_id = dict(zip(ids, page.js(transport)))
    assert all(flows[int(i[1:])]["transport"] == t for i, t in by_id.items())
    # the layered view: every label is a pill with ports, none overlaps another, all inside the picture
    assert page.js("document.querySelectorAll('#layers .pill').length") > 20
    assert overlaps(page, "#layers") == []
    assert page.js("document.documentElement.scrollWidth <= window.innerWidth")
    # clicking a label shows exactly its flows
    edge = page.js("document.querySelector('#layers .pill').dataset.edge")
    rows = page.js("DATA.edges[%s].rows" % json.dumps(edge))
    page.click("#layers .pill")
    assert visible_ids(page) == rows
    assert page.js("getComputedStyle(document.getElementById('selection')).display") == "block"
    page.click("#selection-clear")
    assert len(visible_ids(page)) == len(flows)
    # a matrix cell between UC clusters does the same
    page.click("#between td.cell")
    assert 0 < len(visible_ids(page)) < len(flows)
    page.click("#selection-clear")
    # the per-node view: its addresses and only its flows
    node = "cucm-sub-1"
    page.click("#nodes a[href='#node=%s']" % node)
    # the hashchange event comes after the click returns
    deadline = time.time() + 5
    while time.time() < deadline and page.js("getComputedStyle(document.getElementById('nodeview')).display") != "block":
        time.sleep(0.05)
    assert page.js("getComputedStyle(document.getElementById('nodeview')).display") == "block"
    assert page.js("document.getElementById('node-addresses').textContent").split() == report["result"]["nodes"][node]["addresses"]
    mine = ["f%d" % i for i, f in enumerate(flows) if node in f["src_names"] + f["dst_names"]]
    assert sorted(visible_ids(page)) == sorted(mine) and mine
    # anomalies: classified, and each class can be hidden
    classes = page.js("Array.from(document.querySelectorAll('#anomalies tbody tr')).map(function(t){return t.dataset.cls;})")
    assert set(classes) == set(["security", "direction", "transcription"])
    page.click("input.cls[value=transcription]")
    shown = page.js(VISIBLE % "#anomalies" + ".map(function(t){return t.dataset.cls;})")
    assert shown and "transcription" not in shown and len(shown) == len([c for c in classes if c != "transcription"])
    assert page.problems() == []
    page.js("location.hash = ''; window.scrollTo(0, 0)")
    screenshot(page, "report-screenshot.png")


def test_diff_page(diff_page):
    assert diff_page.js("document.title").startswith("UC firewall change")
    statuses = set(diff_page.js("Array.from(document.querySelectorAll('#difftable tbody tr')).map(function(t){return t.className;})"))
    assert statuses == set(["added", "changed"])
    assert diff_page.js("document.querySelectorAll('#layers .pill').length") > 0
    assert overlaps(diff_page, "#layers") == []
    diff_page.type_text("#filter", "added")
    assert set(diff_page.js(VISIBLE % "#difftable" + ".map(function(t){return t.className;})")) == set(["added"])
    assert diff_page.problems() == []
    diff_page.js("(function(){const f=document.getElementById('filter'); f.value=''; f.dispatchEvent(new Event('input'));"
                 "window.scrollTo(0, 0);})()")
    screenshot(diff_page, "diff-screenshot.png")


def test_empty_diff_page(browser, report):
    tab, target = open_tab(browser, report["empty_url"])
    try:
        assert "No change" in tab.js("document.getElementById('summary').textContent")
        assert tab.js("document.querySelectorAll('#difftable tbody tr').length") == 0
        assert tab.problems() == []
    finally:
        tab.close()
        browser["ws"].call("Target.closeTarget", targetId=target)
