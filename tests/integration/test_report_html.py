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
from ansible_collections.collab.firewall.plugins.plugin_utils.report.flow_report import COLUMNS, flow_report, matrix
from uc_inventory import load_inventory  # tests/lib, registered by tests/integration/conftest.py

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
INVENTORY = os.path.join(ROOT, "inventory", "example")
OUTPUT = os.environ.get("COLLAB_FW_TEST_OUTPUT") or os.path.join(ROOT, "tests", "output")
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
FILTER_TEXT = "cvp"
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
    return {"path": str(page), "url": page.as_uri(), "result": result, "rows": matrix(result, catalog)}


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


@pytest.fixture
def page(browser, report):
    """A fresh tab with the report loaded; DevTools events recorded from before navigation."""
    target = browser["ws"].call("Target.createTarget", url="about:blank")["targetId"]
    tab = DevTools("ws://127.0.0.1:%s/devtools/page/%s" % (browser["port"], target))
    for domain in ("Page", "Runtime", "Log", "Network"):
        tab.call(domain + ".enable")
    tab.call("Emulation.setDeviceMetricsOverride", width=VIEWPORT[0], height=VIEWPORT[1], deviceScaleFactor=1, mobile=False)
    tab.call("Page.navigate", url=report["url"])
    tab.wait_event("Page.loadEventFired")
    yield tab
    tab.close()
    browser["ws"].call("Target.closeTarget", targetId=target)


def shown(tab):
    return tab.js("document.querySelectorAll('#flows tbody tr').length")


def column(tab, name):
    index = list(COLUMNS).index(name) + 1
    return tab.js("Array.from(document.querySelectorAll('#flows tbody tr td:nth-child(%d)')).map(function(td){return td.textContent;})"
                  % index)


def test_page_loads_without_console_errors(page, report):
    assert page.js("document.title") == "UC flow matrix"
    assert page.js("location.protocol") == "file:"
    assert page.js("document.getElementById('summary').textContent").startswith("%d flows" % len(report["result"]["flows"]))
    assert page.problems() == []


def test_table_shows_every_flow(page, report):
    total = len(report["result"]["flows"])
    assert total > 20
    assert shown(page) == total
    assert page.js("document.getElementById('count').textContent") == str(total)
    assert page.js("document.getElementById('total').textContent") == str(total)
    assert page.js("Array.from(document.querySelectorAll('#flows th')).map(function(th){return th.textContent;})") == list(COLUMNS)
    assert column(page, "catalog_ids") == [row["catalog_ids"] for row in report["rows"]]


def test_filter_narrows_the_table(page, report):
    expected = [row for row in report["rows"] if any(FILTER_TEXT in str(row[c]).lower() for c in COLUMNS)]
    assert 0 < len(expected) < len(report["rows"])
    page.type_text("#filter", FILTER_TEXT.upper())   # the filter ignores case
    assert page.js("document.getElementById('filter').value") == FILTER_TEXT.upper()
    assert shown(page) == len(expected)
    assert page.js("document.getElementById('count').textContent") == str(len(expected))
    assert column(page, "catalog_ids") == [row["catalog_ids"] for row in expected]
    for char in FILTER_TEXT:   # Backspace until empty: everything is back
        page.call("Input.dispatchKeyEvent", type="rawKeyDown", key="Backspace", code="Backspace", windowsVirtualKeyCode=8)
        page.call("Input.dispatchKeyEvent", type="keyUp", key="Backspace", code="Backspace", windowsVirtualKeyCode=8)
    assert shown(page) == len(report["rows"])
    page.type_text("#filter", "no-such-flow-anywhere")
    assert shown(page) == 0
    assert page.problems() == []


def test_ports_and_catalog_ids_wrap_between_tokens_only(page):
    # a port range (10001-10002) or a catalog id (cucm-8-01-tcp) broken at its hyphen reads as two items
    tokens = page.js("document.querySelectorAll('#flows td .tok').length")
    assert tokens > 200
    broken = page.js("Array.from(document.querySelectorAll('#flows td .tok')).filter(function(s){"
                     "return s.getClientRects().length > 1;}).map(function(s){return s.textContent;})")
    assert broken == []
    # the cells still hold the plain text, so copying a row gives the ports and ids unchanged
    assert page.js("document.querySelector('#flows tbody td:nth-child(4)').textContent").split() != []


def test_sort_by_column(page, report):
    original = sorted(column(page, "transport"))
    assert len(set(original)) > 1, "the example needs more than one transport to show sorting"
    page.click("#flows th[data-col=transport]")
    ascending = column(page, "transport")
    assert ascending == sorted(ascending) and sorted(ascending) == original
    assert page.js("document.querySelector('#flows th[data-col=transport]').className") == "asc"
    page.click("#flows th[data-col=transport]")
    descending = column(page, "transport")
    assert descending == sorted(descending, reverse=True)
    assert page.js("document.querySelector('#flows th[data-col=transport]').className") == "desc"
    # sorting keeps the filter, and rows stay whole (catalog ids still belong to their transport)
    page.type_text("#filter", FILTER_TEXT)
    pairs = list(zip(column(page, "transport"), column(page, "catalog_ids")))
    expected = sorted(((r["transport"], r["catalog_ids"]) for r in report["rows"]
                       if any(FILTER_TEXT in str(r[c]).lower() for c in COLUMNS)), key=lambda p: p[0], reverse=True)
    assert sorted(pairs) == sorted(expected)
    assert [p[0] for p in pairs] == [p[0] for p in expected]
    assert page.problems() == []


def test_diagram_has_nodes_inside_the_picture(page, report):
    labels = set(n for row in report["rows"] for side in ("from", "to") for n in row[side].split())
    assert page.js("document.querySelectorAll('#diagram circle').length") == len(labels)
    assert set(page.js("Array.from(document.querySelectorAll('#diagram text')).map(function(t){return t.textContent;})")) == labels
    # one visible edge per (from, to) pair, flows inside one cluster as loops, arrows on the others
    pairs = set((s, t) for row in report["rows"] for s in row["from"].split() for t in row["to"].split())
    assert any(s == t for s, t in pairs), "the example has flows inside a cluster"
    edges = page.js("Array.from(document.querySelectorAll('#diagram .edge')).map(function(e){"
                    "const b=e.getBBox(); return [e.tagName, e.querySelector('title').textContent, b.width + b.height];})")
    assert sorted(edge[1].split(":")[0] for edge in edges) == sorted("%s -> %s" % p for p in pairs)
    assert all(edge[2] > 4 for edge in edges)
    assert sum(1 for edge in edges if edge[0] == "path") == sum(1 for s, t in pairs if s == t)
    assert page.js("document.querySelectorAll('#diagram line[marker-end]').length") == sum(1 for s, t in pairs if s != t)
    nodes = set(n for n in labels if n == "gateway" or "[" in n)
    assert set(page.js("Array.from(document.querySelectorAll('#diagram circle.node')).map(function(c){"
                       "return c.nextSibling.textContent;})")) == nodes
    # every label and node lies within the SVG's drawing area (nothing clipped at an edge)
    outside = page.js("""(function(){
      const svg = document.getElementById('diagram'), box = svg.getBoundingClientRect(), out = [];
      svg.querySelectorAll('circle, text').forEach(function (e) {
        const r = e.getBoundingClientRect();
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
          out.push(e.tagName + ' ' + (e.textContent || e.getAttribute('cx') + ',' + e.getAttribute('cy')));
      });
      return out;})()""")
    assert outside == []
    # the diagram fits the page width (no horizontal scrolling at the test viewport)
    assert page.js("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.problems() == []


def test_screenshot(page):
    if not os.path.isdir(OUTPUT):
        os.makedirs(OUTPUT)
    height = min(page.js("document.documentElement.scrollHeight"), 2000)
    shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                     clip={"x": 0, "y": 0, "width": VIEWPORT[0], "height": height, "scale": 1})
    data = base64.b64decode(shot["data"])
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    target = os.path.join(OUTPUT, "report-screenshot.png")
    with open(target, "wb") as handle:
        handle.write(data)
    width, png_height = struct.unpack("!II", data[16:24])
    assert (width, png_height) == (VIEWPORT[0], height)
