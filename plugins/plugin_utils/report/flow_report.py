# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The flow matrix of a deployment as CSV, Markdown or one self-contained HTML page."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import io
import json

from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import merge_ports
from ansible_collections.collab.firewall.plugins.plugin_utils.report.pages import (
    ANOMALY_CLASSES,
    classify_anomaly,
    node_label,
    provenance,
    render,
)

COLUMNS = ("from", "to", "transport", "ports", "catalog_ids", "documents", "description")
FORMATS = ("csv", "markdown", "html", "json")


def _labels(nodes):
    """``node_label`` of each name, worked out once per name (flows list hundreds of node names each)."""
    known = {}

    def label(name):
        found = known.get(name)
        if found is None:
            found = known[name] = node_label(nodes, name)
        return found
    return label


def matrix(result, catalog):
    """One row per flow with endpoint labels and the provenance of its catalog ids."""
    rows = []
    label = _labels(result["nodes"])
    for flow in result["flows"]:
        sources = sorted(set(label(n) for n in flow["src_names"]))
        targets = sorted(set(label(n) for n in flow["dst_names"]))
        documents = documents_of(provenance(catalog, flow["catalog_ids"]), flow["catalog_ids"])
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


def _md(rows, result, anomalies, catalog, model=None):
    model = _model(rows, result, catalog, anomalies) if model is None else model
    return render("flows.md.j2", rows=rows, result=result, model=model, classes=ANOMALY_CLASSES,
                  columns=COLUMNS, summary=_summary(rows, result))


def deployment_part(result):
    """What the diff needs of a deployment: the flows with node and zone names and every name's addresses."""
    keep = ("src_names", "dst_names", "transport", "ports", "catalog_ids", "from_roles", "to_roles")
    return {
        "flows": [dict((k, flow[k]) for k in keep) for flow in result["flows"]],
        "nodes": dict((name, {"product": node["product"], "cluster": node["cluster"], "groups": list(node["groups"]),
                              "addresses": list(node["addresses"])}) for name, node in result["nodes"].items()),
        "zones": dict((name, list(cidrs)) for name, cidrs in (result.get("zones") or {}).items()),
        "releases": dict(result.get("releases") or {}),
        "features": list(result.get("features") or []),
    }


def _ports_text(by_transport):
    """"tcp 80 443 8080 · udp 69" from {transport: [port items]}."""
    parts = []
    for transport in sorted(by_transport, key=lambda t: (t not in ("tcp", "udp"), t)):
        ports = merge_ports(by_transport[transport]) if by_transport[transport] else []
        parts.append(" ".join([transport] + [str(p) for p in ports]))
    return " \u00b7 ".join(parts)


def _short(text, limit=34):
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


def edges_of(items, is_node, label_of, row_id):
    """Diagram edges between endpoint labels: {id: edge} and each item's edge ids.

    ``items`` carry ``src_names``, ``dst_names``, ``transport`` and ``ports``; an edge runs from a zone to a UC
    group (side ``in``), from a UC group to a zone (``out``) or between UC groups (``internal``).
    """
    edges, by_pair, item_edges = {}, {}, []
    for index, item in enumerate(items):
        ids = []
        for src in sorted(set(label_of(n) for n in item["src_names"])):
            for dst in sorted(set(label_of(n) for n in item["dst_names"])):
                src_node, dst_node = is_node(src), is_node(dst)
                side = "internal" if src_node and dst_node else ("in" if dst_node else ("out" if src_node else None))
                if side is None:
                    continue
                key = (src, dst)
                if key not in by_pair:
                    by_pair[key] = "e%d" % len(by_pair)
                    edges[by_pair[key]] = {"id": by_pair[key], "from": src, "to": dst, "side": side, "rows": [],
                                           "ports": {}, "statuses": set()}
                edge = edges[by_pair[key]]
                edge["rows"].append(row_id(index))
                edge["ports"].setdefault(item["transport"], []).extend(p for p in item["ports"] if p != "-")
                edge["statuses"].add(item.get("status") or "")
                ids.append(by_pair[key])
        item_edges.append(ids)
    for edge in edges.values():
        full = _ports_text(edge.pop("ports"))
        statuses = edge.pop("statuses")
        edge.update(label=_short(full), full=full, title="%s \u2192 %s" % (edge["from"], edge["to"]),
                    weight=min(1 + len(edge["rows"]) / 2.0, 5),
                    status=statuses.pop() if len(statuses) == 1 else ("changed" if statuses else ""))
    return edges, item_edges


def diagram_of(edges, middle):
    """The layered view's columns: zones that start flows (left), UC groups, zones UC nodes reach (right)."""
    return {
        "left": sorted(set(e["from"] for e in edges.values() if e["side"] == "in")),
        "middle": sorted(middle),
        "right": sorted(set(e["to"] for e in edges.values() if e["side"] == "out")),
        "edges": sorted((e["id"] for e in edges.values() if e["side"] in ("in", "out")), key=lambda i: int(i[1:])),
    }


def matrix_of(edges, groups):
    """Flows between UC groups as a matrix {row label: {column label: edge}}."""
    cells = {}
    for edge in edges.values():
        if edge["side"] == "internal":
            cells.setdefault(edge["from"], {})[edge["to"]] = edge
    used = sorted(set(cells) | set(k for row in cells.values() for k in row))
    return {"labels": [g for g in sorted(groups) if g in used], "cells": cells}


def documents_of(provenance_map, ids):
    """"Title, table 6 (title): rows 2, 5" per document table, for the catalog ids of one flow."""
    tables = {}
    for cid in ids:
        meta = provenance_map.get(cid)
        if meta:
            key = (meta["title"], meta["table"], meta["table_title"])
            tables.setdefault(key, set()).add(meta["row"])
    return ["%s, table %s%s: row%s %s" % (title, table, " (%s)" % table_title if table_title else "",
                                          "s" if len(rows) > 1 else "", ", ".join(str(r) for r in sorted(rows)))
            for (title, table, table_title), rows in sorted(tables.items())]


def node_index(nodes):
    return dict((name, {"label": node_label(nodes, name), "product": node["product"], "cluster": node["cluster"],
                        "groups": list(node.get("groups") or []), "addresses": list(node["addresses"])})
                for name, node in nodes.items())


def _model(rows, result, catalog, anomalies):
    nodes = result["nodes"]
    origin = provenance(catalog, [i for f in result["flows"] for i in f["catalog_ids"]]) if catalog is not None else {}
    items = [dict(flow, ports=[str(p) for p in flow["ports"]] or ["-"]) for flow in result["flows"]]
    label = _labels(nodes)
    groups = set(label(n) for n in nodes)
    edges, item_edges = edges_of(items, lambda name: name in groups, label, lambda i: "f%d" % i)
    table = []
    for index, (flow, row) in enumerate(zip(result["flows"], rows)):
        table.append(dict(row, id="f%d" % index, edges=item_edges[index], src_names=flow["src_names"],
                          dst_names=flow["dst_names"], from_groups=_grouped(nodes, flow["src_names"], label),
                          to_groups=_grouped(nodes, flow["dst_names"], label),
                          document_list=documents_of(origin, flow["catalog_ids"]),
                          citations=[(i, origin[i]["cite"] if i in origin else i) for i in flow["catalog_ids"]]))
    ids_rows = {}
    for row in table:
        for cid in row["catalog_ids"].split():
            ids_rows.setdefault(cid, []).append(row["id"])
    classified = []
    for anomaly in anomalies:
        cls = classify_anomaly(anomaly)
        classified.append(dict(anomaly, cls=cls, cite=(origin.get(anomaly["id"]) or {}).get("cite", ""),
                               rows=ids_rows.get(anomaly["id"], [])))
    counts = dict((key, sum(1 for a in classified if a["cls"] == key)) for key, _t, _h in ANOMALY_CLASSES)
    return {"table": table, "edges": edges, "anomalies": classified, "counts": counts,
            "diagram": diagram_of(edges, groups), "matrix": matrix_of(edges, groups),
            "nodes": node_index(nodes)}


def _grouped(nodes, names, label=None):
    """[(label, [node names])] of a flow end: a zone stays alone, nodes are grouped by product[cluster]."""
    out = {}
    label = label or (lambda name: node_label(nodes, name))
    for name in names:
        out.setdefault(label(name), []).append(name if name in nodes else None)
    return [(label, sorted(n for n in members if n)) for label, members in sorted(out.items())]


def _summary(rows, result):
    return "%d flows; releases %s; features %s" % (
        len(rows), ", ".join("%s %s" % kv for kv in sorted(result["releases"].items())), ", ".join(result["features"]))


def _html(rows, result, anomalies, catalog=None, model=None):
    model = _model(rows, result, catalog, anomalies) if model is None else model
    data = {"edges": model["edges"], "nodes": model["nodes"], "diagrams": {"layers": model["diagram"]}}
    return render("flows.html.j2", title="UC flow matrix", summary=_summary(rows, result), model=model,
                  result=result, classes=ANOMALY_CLASSES, data=data,
                  navigation=[("overview", "Layered view"), ("between", "Between UC clusters"), ("flows", "Flows"),
                              ("nodes", "Nodes"), ("anomalies", "Anomalies"), ("unresolved", "Unresolved")])


def flow_report(result, catalog, fmt):
    return flow_reports(result, catalog, [fmt])[fmt]


def flow_reports(result, catalog, formats):
    """{format: text} of several formats of one deployment's flow matrix, the rows and the model worked out
    once for all of them (the main job writes every format)."""
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError("format %r is not one of %s" % (fmt, ", ".join(FORMATS)))
    rows = matrix(result, catalog)
    anomalies = touched_anomalies(result, catalog)
    model = _model(rows, result, catalog, anomalies) if set(formats) & set(("markdown", "html")) else None
    return dict((fmt, _report(result, catalog, fmt, rows, anomalies, model)) for fmt in formats)


def _report(result, catalog, fmt, rows, anomalies, model):
    if fmt == "csv":
        return _csv(rows)
    if fmt == "markdown":
        return _md(rows, result, anomalies, catalog, model)
    if fmt == "json":
        classified = [dict(a, cls=classify_anomaly(a)) for a in anomalies]
        return json.dumps({"flows": rows, "unresolved": result["unresolved"], "anomalies": classified,
                           "skipped": result["skipped"], "deployment": deployment_part(result),
                           "gateway_platforms": result.get("gateway_platforms") or {}},
                          indent=1, sort_keys=True) + "\n"
    return _html(rows, result, anomalies, catalog, model)
