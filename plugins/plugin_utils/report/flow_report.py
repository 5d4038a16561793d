# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The flow matrix of a deployment as CSV, Markdown or one self-contained HTML page."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import io
import json

COLUMNS = ("from", "to", "transport", "ports", "catalog_ids", "documents", "description")
FORMATS = ("csv", "markdown", "html", "json")


def _label(result, name):
    """Inventory hosts are summarised by product and cluster; zones keep their role name."""
    node = result["nodes"].get(name)
    if node is None:
        return name
    if node["product"] == "gateway":
        return "gateway"
    return "%s[%s]" % (node["product"], node["cluster"])


def matrix(result, catalog):
    """One row per flow with endpoint labels and the provenance of its catalog ids."""
    rows = []
    for flow in result["flows"]:
        sources = sorted(set(_label(result, n) for n in flow["src_names"]))
        targets = sorted(set(_label(result, n) for n in flow["dst_names"]))
        documents = sorted(set("%s table %s" % (catalog.by_id[i]["source"]["document"], catalog.by_id[i]["source"]["table"])
                               for i in flow["catalog_ids"]))
        rows.append({
            "from": " ".join(sources),
            "to": " ".join(targets),
            "transport": flow["transport"],
            "ports": " ".join(str(p) for p in flow["ports"]) or "-",
            "catalog_ids": " ".join(flow["catalog_ids"]),
            "documents": "; ".join(documents),
            "description": flow["description"],
            "sources": " ".join(flow["sources"]),
            "destinations": " ".join(flow["destinations"]),
        })
    return rows


def touched_anomalies(result, catalog):
    """Anomalies of the catalog entries this deployment opens."""
    ids = sorted(set(i for f in result["flows"] for i in f["catalog_ids"]))
    return [{"id": i, "kind": a["kind"], "note": a["note"]} for i in ids for a in catalog.by_id[i]["anomalies"]]


def _csv(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS + ("sources", "destinations"), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _cell(text):
    return str(text).replace("|", "\\|")


def _md(rows, result, anomalies):
    lines = ["# UC flow matrix", "", "%d flows. Releases: %s. Features: %s." % (
        len(rows), ", ".join("%s %s" % kv for kv in sorted(result["releases"].items())), ", ".join(result["features"])),
        "", "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(_cell(row[c]) for c in COLUMNS) + " |" for row in rows]
    lines += ["", "## Unresolved endpoints", "", "Zones the catalog needs but `uc_zones` does not define; their flows are not opened.", ""]
    lines += ["- `%s`: %s%s" % (u["role"], " ".join(u["catalog_ids"]), " (%s)" % u["reason"] if u.get("reason") else "")
              for u in result["unresolved"]] or ["- none"]
    platforms = result.get("gateway_platforms") or {}
    lines += ["", "## Gateway platforms", "", "The platform whose documented port ranges each gateway gets "
              "(`uc_gateway_platform`).", ""]
    lines += ["- `%s`: %s" % (name, info["platform"] if info["platform"] else "not set - " + info.get("note", "default"))
              for name, info in sorted(platforms.items())] or ["- no gateways"]
    lines += ["", "## Catalog anomalies in these flows", ""]
    lines += ["- `%s` (%s): %s" % (a["id"], a["kind"], a["note"]) for a in anomalies] or ["- none"]
    return "\n".join(lines) + "\n"


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>UC flow matrix</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;width:100%%;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
th{background:#eef;cursor:pointer;user-select:none;position:sticky;top:0}
th.asc:after{content:" \\25B2"}th.desc:after{content:" \\25BC"}
.tok{white-space:nowrap}
#filter{width:40em;max-width:100%%;padding:4px;margin:.5em 0}
#diagram{max-width:100%%;height:auto}
svg text{font-size:11px;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.zone{fill:#35a}.node{fill:#c60}
.muted{color:#777}
</style></head><body>
<h1>UC flow matrix</h1>
<p class="muted" id="summary"></p>
<h2>Zones and flows</h2>
<p class="muted">Arrows point from source to destination; a line grows with the number of flows; a loop is a flow
between nodes of the same product and cluster. <span style="color:#c60">&#9679;</span> UC nodes of the inventory
(product[cluster]), <span style="color:#35a">&#9679;</span> external zones (uc_zones).</p>
<svg id="diagram" width="900" height="620" viewBox="0 0 900 620" role="img" aria-label="diagram of zones and flows"></svg>
<h2>Flows</h2>
<input id="filter" type="search" placeholder="Filter: any text, e.g. phone, 5060, cucm-6-">
<p><span id="count"></span> of <span id="total"></span> flows shown</p>
<table id="flows"><thead><tr></tr></thead><tbody></tbody></table>
<h2>Unresolved endpoints</h2><ul id="unresolved"></ul>
<h2>Catalog anomalies in these flows</h2><ul id="anomalies"></ul>
<script id="data" type="application/json">%s</script>
<script>
"use strict";
const data = JSON.parse(document.getElementById("data").textContent);
const cols = %s;
// space-separated tokens (ports, ranges, catalog ids) wrap between tokens, never at their hyphens
const tokenCols = {ports: true, catalog_ids: true};
const head = document.querySelector("#flows thead tr");
const body = document.querySelector("#flows tbody");
let sortCol = null, sortDir = 1;
cols.forEach(function (c) {
  const th = document.createElement("th"); th.textContent = c; th.dataset.col = c;
  th.addEventListener("click", function () {
    sortDir = (sortCol === c) ? -sortDir : 1; sortCol = c;
    head.querySelectorAll("th").forEach(function (h) { h.className = ""; });
    th.className = sortDir > 0 ? "asc" : "desc"; draw();
  });
  head.appendChild(th);
});
function cell(c, value) {
  const td = document.createElement("td");
  if (!tokenCols[c]) { td.textContent = value; return td; }
  String(value).split(" ").forEach(function (word, i) {
    if (i) td.appendChild(document.createTextNode(" "));
    const span = document.createElement("span"); span.className = "tok"; span.textContent = word;
    td.appendChild(span);
  });
  return td;
}
function draw() {
  const q = document.getElementById("filter").value.toLowerCase();
  let rows = data.rows.filter(function (r) {
    return !q || cols.some(function (c) { return String(r[c]).toLowerCase().indexOf(q) >= 0; });
  });
  if (sortCol) rows = rows.slice().sort(function (a, b) {
    return String(a[sortCol]).localeCompare(String(b[sortCol]), undefined, {numeric: true}) * sortDir;
  });
  body.textContent = "";
  rows.forEach(function (r) {
    const tr = document.createElement("tr");
    cols.forEach(function (c) { tr.appendChild(cell(c, r[c])); });
    body.appendChild(tr);
  });
  document.getElementById("count").textContent = rows.length;
}
document.getElementById("filter").addEventListener("input", draw);
document.getElementById("total").textContent = data.rows.length;
document.getElementById("summary").textContent = data.summary;
function list(id, items) {
  const ul = document.getElementById(id);
  if (!items.length) { const li = document.createElement("li"); li.textContent = "none"; ul.appendChild(li); }
  items.forEach(function (t) { const li = document.createElement("li"); li.textContent = t; ul.appendChild(li); });
}
list("unresolved", data.unresolved);
list("anomalies", data.anomalies);
(function diagram() {
  const svg = document.getElementById("diagram"), ns = "http://www.w3.org/2000/svg";
  function el(name, attrs, parent) {
    const e = document.createElementNS(ns, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (parent || svg).appendChild(e);
    return e;
  }
  const marker = el("marker", {id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 8, markerHeight: 8,
                               markerUnits: "userSpaceOnUse", orient: "auto"}, el("defs", {}));
  el("path", {d: "M0,0L10,5L0,10z", fill: "#678"}, marker);
  const names = Array.from(new Set(data.edges.flatMap(function (e) { return [e.from, e.to]; }))).sort();
  // UC nodes on an inner ring, zones on an outer ring, each zone turned towards the nodes it talks to
  const inner = names.filter(function (n) { return data.kinds[n] === "node"; });
  const outer = names.filter(function (n) { return data.kinds[n] !== "node"; });
  const cx = 450, cy = 310, pos = {}, angle = {};
  function ring(items, rad, offset) {
    items.forEach(function (n, i) {
      const a = offset + 2 * Math.PI * i / items.length;
      angle[n] = a; pos[n] = [cx + rad * Math.cos(a), cy + rad * Math.sin(a)];
    });
  }
  if (!inner.length || !outer.length) {
    ring(names, 235, -Math.PI / 2);
  } else {
    ring(inner, 125, -Math.PI / 2);
    const pull = {};
    outer.forEach(function (n) {
      let x = 0, y = 0;
      data.edges.forEach(function (e) {
        const other = e.from === n ? e.to : (e.to === n ? e.from : null);
        if (other !== null && other in angle) { x += Math.cos(angle[other]); y += Math.sin(angle[other]); }
      });
      pull[n] = (Math.atan2(y, x) + 2.5 * Math.PI) %% (2 * Math.PI);
    });
    outer.sort(function (a, b) { return pull[a] - pull[b] || (a < b ? -1 : 1); });
    ring(outer, 245, -Math.PI / 2 + pull[outer[0]]);
  }
  data.edges.forEach(function (e) {
    const p = pos[e.from], q = pos[e.to], width = Math.min(1 + e.count / 2, 6);
    const style = {"class": "edge", stroke: "#89a", "stroke-opacity": 0.8, "stroke-width": width, fill: "none"};
    let shape;
    if (e.from === e.to) {
      // a loop outside the circle of nodes, away from the other edges
      const a = angle[e.from], lx = p[0] + 16 * Math.cos(a), ly = p[1] + 16 * Math.sin(a);
      style.d = "M" + lx + " " + ly + " m-10 0 a10 10 0 1 0 20 0 a10 10 0 1 0 -20 0";
      shape = el("path", style);
    } else {
      const dx = q[0] - p[0], dy = q[1] - p[1], len = Math.sqrt(dx * dx + dy * dy) || 1;
      style.x1 = p[0] + 8 * dx / len; style.y1 = p[1] + 8 * dy / len;
      style.x2 = q[0] - 8 * dx / len; style.y2 = q[1] - 8 * dy / len;
      style["marker-end"] = "url(#arrow)";
      shape = el("line", style);
    }
    el("title", {}, shape).textContent = e.from + " -> " + e.to + ": " + e.count + " flow" + (e.count === 1 ? "" : "s");
  });
  names.forEach(function (n) {
    const a = angle[n], c = Math.cos(a), s = Math.sin(a);
    el("circle", {cx: pos[n][0], cy: pos[n][1], r: 6, "class": data.kinds[n] === "node" ? "node" : "zone"});
    // labels sit outside the circle of nodes: left-hand labels end at their node, right-hand ones start there
    const t = el("text", {x: pos[n][0] + 32 * c, y: pos[n][1] + 32 * s + 4,
                          "text-anchor": c < -0.2 ? "end" : (c > 0.2 ? "start" : "middle")});
    t.textContent = n;
  });
})();
draw();
</script></body></html>
"""


def _html(rows, result, anomalies):
    edges = {}
    for row in rows:
        for source in row["from"].split():
            for target in row["to"].split():
                edges[(source, target)] = edges.get((source, target), 0) + 1
    kinds = dict((name, "zone") for name in result.get("zones", {}))
    kinds.update((_label(result, name), "node") for name in result["nodes"])
    data = {
        "rows": rows,
        "summary": "%d flows; releases %s; features %s" % (
            len(rows), ", ".join("%s %s" % kv for kv in sorted(result["releases"].items())), ", ".join(result["features"])),
        "edges": [{"from": s, "to": t, "count": n} for (s, t), n in sorted(edges.items())],
        "kinds": kinds,
        "unresolved": ["%s: %s%s" % (u["role"], " ".join(u["catalog_ids"]), " (%s)" % u["reason"] if u.get("reason") else "")
                       for u in result["unresolved"]],
        "anomalies": ["%s (%s): %s" % (a["id"], a["kind"], a["note"]) for a in anomalies],
    }
    # "</" inside the JSON would end the script element early
    payload = json.dumps(data, sort_keys=True).replace("</", "<\\/")
    return _PAGE % (payload, json.dumps(list(COLUMNS)))


def flow_report(result, catalog, fmt):
    if fmt not in FORMATS:
        raise ValueError("format %r is not one of %s" % (fmt, ", ".join(FORMATS)))
    rows = matrix(result, catalog)
    anomalies = touched_anomalies(result, catalog)
    if fmt == "csv":
        return _csv(rows)
    if fmt == "markdown":
        return _md(rows, result, anomalies)
    if fmt == "json":
        return json.dumps({"flows": rows, "unresolved": result["unresolved"], "anomalies": anomalies,
                           "skipped": result["skipped"], "gateway_platforms": result.get("gateway_platforms") or {}},
                          indent=1, sort_keys=True) + "\n"
    return _html(rows, result, anomalies)
