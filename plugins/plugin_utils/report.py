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
    lines += ["- `%s`: %s" % (u["role"], " ".join(u["catalog_ids"])) for u in result["unresolved"]] or ["- none"]
    lines += ["", "## Catalog anomalies in these flows", ""]
    lines += ["- `%s` (%s): %s" % (a["id"], a["kind"], a["note"]) for a in anomalies] or ["- none"]
    return "\n".join(lines) + "\n"


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>UC flow matrix</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;width:100%%;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
th{background:#eef;cursor:pointer;user-select:none}
th.asc:after{content:" \\25B2"}th.desc:after{content:" \\25BC"}
#filter{width:40em;padding:4px;margin:.5em 0}
svg text{font-size:11px}
.muted{color:#777}
</style></head><body>
<h1>UC flow matrix</h1>
<p class="muted" id="summary"></p>
<h2>Zones and flows</h2>
<svg id="diagram" width="900" height="620" role="img" aria-label="diagram of zones and flows"></svg>
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
    cols.forEach(function (c) { const td = document.createElement("td"); td.textContent = r[c]; tr.appendChild(td); });
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
  const names = Array.from(new Set(data.edges.flatMap(function (e) { return [e.from, e.to]; }))).sort();
  const cx = 450, cy = 310, rad = 250, pos = {};
  names.forEach(function (n, i) {
    const a = 2 * Math.PI * i / names.length;
    pos[n] = [cx + rad * Math.cos(a), cy + rad * Math.sin(a)];
  });
  data.edges.forEach(function (e) {
    const l = document.createElementNS(ns, "line");
    l.setAttribute("x1", pos[e.from][0]); l.setAttribute("y1", pos[e.from][1]);
    l.setAttribute("x2", pos[e.to][0]); l.setAttribute("y2", pos[e.to][1]);
    l.setAttribute("stroke", "#89a"); l.setAttribute("stroke-width", Math.min(1 + e.count / 2, 6));
    const t = document.createElementNS(ns, "title"); t.textContent = e.from + " -> " + e.to + ": " + e.count + " flows";
    l.appendChild(t); svg.appendChild(l);
  });
  names.forEach(function (n) {
    const c = document.createElementNS(ns, "circle");
    c.setAttribute("cx", pos[n][0]); c.setAttribute("cy", pos[n][1]); c.setAttribute("r", 6); c.setAttribute("fill", "#35a");
    svg.appendChild(c);
    const t = document.createElementNS(ns, "text");
    t.setAttribute("x", pos[n][0] + 8); t.setAttribute("y", pos[n][1] - 6); t.textContent = n;
    svg.appendChild(t);
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
    data = {
        "rows": rows,
        "summary": "%d flows; releases %s; features %s" % (
            len(rows), ", ".join("%s %s" % kv for kv in sorted(result["releases"].items())), ", ".join(result["features"])),
        "edges": [{"from": s, "to": t, "count": n} for (s, t), n in sorted(edges.items())],
        "unresolved": ["%s: %s" % (u["role"], " ".join(u["catalog_ids"])) for u in result["unresolved"]],
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
                           "skipped": result["skipped"]}, indent=1, sort_keys=True) + "\n"
    return _html(rows, result, anomalies)
