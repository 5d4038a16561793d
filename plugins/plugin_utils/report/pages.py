# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the flow report and the diff report share: endpoint labels, catalog provenance with document titles,
anomaly classes, and the Jinja2 templates under ``templates/`` (shipped with the collection)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")

# Anomaly classes, in the order a change board reads them.
ANOMALY_CLASSES = (
    ("security", "security-relevant", "the documents disagree on, or leave out, a port or peer: what is opened "
                                      "rests on our reading"),
    ("direction", "ambiguous direction", "which side listens is printed one way and described another"),
    ("transcription", "transcription", "garbled or cut text in the source; port, protocol and direction are intact"),
)
_DIRECTION = re.compile(r"direction|revers|listener column|printed (as|from)|which side|two-way", re.I)
_ENV = {}


def classify_anomaly(anomaly):
    """``security``, ``direction`` or ``transcription`` for a catalog anomaly ({kind, note})."""
    if _DIRECTION.search(anomaly["note"]):
        return "direction"
    if anomaly["kind"] in ("mangled_cell", "numbering"):
        return "transcription"
    return "security"


def node_label(nodes, name):
    """``product[cluster]`` for a UC node, ``gateway`` for a gateway, the name itself for a zone."""
    node = nodes.get(name)
    if node is None:
        return name
    if node["product"] == "gateway":
        return "gateway"
    return "%s[%s]" % (node["product"], node["cluster"])


def document_title(catalog, document):
    meta = catalog.documents.get(document)
    return meta.get("title", document) if meta else document


def provenance(catalog, ids):
    """{catalog id: where it comes from} for the ids the catalog knows (others are left out)."""
    out = {}
    for cid in sorted(set(ids)):
        entry = catalog.by_id.get(cid)
        if entry is None:
            continue
        source = entry["source"]
        tables = (catalog.documents.get(source["document"]) or {}).get("tables") or {}
        out[cid] = {
            "product": entry["product"], "release": entry["release"],
            "document": source["document"], "title": document_title(catalog, source["document"]),
            "table": source["table"], "table_title": (tables.get(source["table"]) or {}).get("title", ""),
            "row": source["row"], "protocol": entry["protocol"], "description": entry["description"],
            "cite": "%s, table %s row %s" % (document_title(catalog, source["document"]), source["table"], source["row"]),
        }
    return out


def script_json(data):
    """JSON for a <script type="application/json"> element ("</" would end the element early)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")


def render(name, **context):
    """A template of ``templates/`` (HTML autoescaped, undefined names are errors)."""
    if "env" not in _ENV:
        env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                          undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True,
                          lstrip_blocks=True)
        env.filters["script_json"] = script_json
        env.filters["md"] = lambda text: str(text).replace("|", "\\|").replace("\n", " ")
        _ENV["env"] = env
    return _ENV["env"].get_template(name).render(**context)
