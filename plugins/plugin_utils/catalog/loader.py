# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The port catalog: loads the per-document YAML under ``data/``, expands each record into one
entry per transport, checks the invariants every later step relies on, and answers queries.

The format is described in docs/catalog-format.md; the expanded entry's JSON Schema is
``data/entry.schema.json`` (enforced by the unit tests; the loader checks the cross-record
invariants a schema cannot express: unique ids, known endpoint roles, ordered port ranges, table coverage,
and the direction model of docs/catalog-format.md: one listener per record (``to``), ephemeral records without
ports, named peers for signalling and media, service-bound CUCM roles, platform-specific gateway records).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import os
import re

import yaml

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import (
    PORTLESS_TRANSPORTS,
    TRANSPORTS,
    PortError,
    parse_port_item,
    ports_contain,
)

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
DOCUMENT_FILES = ("cup8.yml", "cucm.yml", "imp.yml", "cuc8.yml", "cvp.yml")
PRODUCTS = ("cucm", "imp", "unity", "cvp")
SCOPES = ("localhost", "cluster", "network")
ANOMALY_KINDS = ("mangled_cell", "contradiction", "self_contradiction", "missing_value", "numbering")
SOURCE_KINDS = ("table", "note")
# `platform: default`: the record applies to the gateways whose uc_gateway_platform is unset (never a value of it)
DEFAULT_PLATFORM = "default"
RECORD_FIELDS = ("id", "table", "row", "source", "from", "to", "protocol", "transports", "ports", "src_ports",
                 "ephemeral", "bidirectional", "scope", "configurable", "feature", "also_requires", "platform",
                 "description", "anomalies")
# Signalling protocols whose remote end the documents name as a gateway, trunk, SIP or H.323 peer: the generic
# `endpoint` zone never stands for those (docs/catalog-format.md, direction model rule 7).
PEER_PROTOCOLS = ("sip", "sips", "h225", "h225_ras", "h245", "mgcp", "rtp")
# CUCM service binding (rule 8): which role a CUCM listener of these protocols must be.
CUCM_SERVICE_ROLES = {
    "sccp": "cucm_callmanager", "sccps": "cucm_callmanager", "sip": "cucm_callmanager",
    "sips": "cucm_callmanager", "mgcp": "cucm_callmanager", "h225": "cucm_callmanager",
    "h225_ras": "cucm_callmanager", "h245": "cucm_callmanager", "tftp": "cucm_tftp", "cti": "cucm_cti",
    "cti_tls": "cucm_cti", "jtapi": "cucm_cti",
}
CUCM_GENERIC_ROLES = ("cucm", "cucm_publisher", "cucm_subscriber")
_RECORD_ID = re.compile(r"^(?P<key>[a-z0-9]+)-(?P<table>\d+(?:-\d+)?)-(?P<row>\d{2})[a-z]?$")

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CACHE = {}


class CatalogError(CollabFirewallError):
    """The catalog data breaks an invariant; the message names the file and the record."""


class CatalogQueryError(CollabFirewallError):
    """A query names a product, release, role or other value the catalog does not have."""


class Catalog(object):
    """The loaded catalog. Treat it as read-only: it is shared by every caller in the process."""

    def __init__(self, entries, facts, documents, endpoints):
        self.entries = tuple(entries)
        self.facts = tuple(facts)
        self.documents = documents
        self.endpoints = endpoints
        self.by_id = dict((entry["id"], entry) for entry in self.entries)
        self.features = tuple(sorted(set(f for e in self.entries for f in required_features(e))))
        self.releases = {}
        for doc in documents.values():
            self.releases.setdefault(doc["product"], []).append(doc["release"])
        for product in self.releases:
            self.releases[product].sort(key=release_key, reverse=True)

    def newest_release(self, product):
        return self.releases[product][0]

    def anomalies(self):
        """Every flagged anomaly as (entry id, kind, note), entries in catalog order."""
        return [(e["id"], a["kind"], a["note"]) for e in self.entries for a in e["anomalies"]]


def required_features(entry):
    """The features an entry needs, all of them: its ``feature`` and the ones it ``also_requires``."""
    return ([entry["feature"]] if entry["feature"] else []) + list(entry["also_requires"])


def missing_feature(entry, features):
    """The first feature the entry needs that ``features`` leaves off, or None when it may be opened."""
    for feature in required_features(entry):
        if feature not in features:
            return feature
    return None


def release_key(release):
    """Sort key for releases such as "8.0", "8.x", "11.5", "14": numbers compare as numbers, x as 0."""
    return tuple(int(part) if part.isdigit() else 0 for part in release.split("."))


def _read(path):
    with open(path, "rb") as handle:
        return yaml.load(handle, Loader=_Loader)


def _check_ports(items, where):
    if not isinstance(items, list):
        raise CatalogError("%s: ports must be a list, got %r" % (where, items))
    for item in items:
        try:
            parse_port_item(item)
        except PortError as exc:
            raise CatalogError("%s: %s" % (where, exc))


def _overlap(first, second):
    spans = [parse_port_item(item) for item in first]
    return any(a <= d and c <= b for a, b in spans for c, d in (parse_port_item(item) for item in second))


def _check_direction(record, endpoints, ports, src_ports, anomalies, where):
    """The direction model (docs/catalog-format.md): contradictory records are load errors."""
    if record.get("ephemeral") and ports:
        raise CatalogError("%s: ephemeral: true with ports %r; an ephemeral record carries ports: [] and the range "
                           "lives in an ephemeral_range fact" % (where, ports))
    if record["scope"] != "localhost" and record["from"] != record["to"] and src_ports and _overlap(ports, src_ports):
        raise CatalogError("%s: ports and src_ports overlap, i.e. a listener on both ends; one record has one "
                           "listener (`to`): write two records (a, b), one per listening side" % where)
    for role in (record["from"], record["to"]):
        if endpoints[role].get("unfilled") and not any(a.get("kind") == "missing_value" for a in anomalies):
            raise CatalogError("%s: role %r needs an anomaly of kind missing_value saying why no peer can be "
                               "named" % (where, role))
    if record["protocol"] in PEER_PROTOCOLS and "endpoint" in (record["from"], record["to"]):
        raise CatalogError("%s: %s with the generic endpoint zone; name the peer (gateway, sip_peer, phone, a "
                           "node role, or unspecified)" % (where, record["protocol"]))
    wanted = CUCM_SERVICE_ROLES.get(record["protocol"])
    if wanted and record["scope"] != "localhost":
        for side, role in (("towards", record["to"]), ("from", record["from"])):
            if role in CUCM_GENERIC_ROLES:
                raise CatalogError("%s: %s %s %r; the CUCM end of %s is %r (service binding: a node without the "
                                   "service neither listens nor initiates)"
                                   % (where, record["protocol"], side, role, record["protocol"], wanted))
    if record["scope"] == "cluster":
        for role in (record["from"], record["to"]):
            meta = endpoints[role]
            if meta["kind"] != "node" or "gateways" in meta.get("groups", ()):
                raise CatalogError("%s: scope cluster needs UC node roles on both ends, got %r" % (where, role))
    source = record.get("source", "table")
    if source not in SOURCE_KINDS:
        raise CatalogError("%s: source %r is not one of %s" % (where, source, ", ".join(SOURCE_KINDS)))
    also = record.get("also_requires")
    if also is not None:
        if not record.get("feature"):
            raise CatalogError("%s: also_requires without a feature; put the one feature in `feature`" % where)
        if (not isinstance(also, list) or not also or len(set(also)) != len(also) or record["feature"] in also
                or not all(isinstance(f, str) and re.match(r"^[a-z][a-z0-9_]*$", f) for f in also)):
            raise CatalogError("%s: also_requires must be a list of other feature names, got %r" % (where, also))
    platform = record.get("platform")
    if platform is not None:
        sides = [endpoints[r] for r in (record["from"], record["to"]) if endpoints[r].get("platforms")]
        if not sides:
            raise CatalogError("%s: platform %r on a record without a gateway side (gateway, sip_peer)" % (where, platform))
        valid = sorted(set(p for meta in sides for p in meta["platforms"])) + [DEFAULT_PLATFORM]
        if platform not in valid:
            raise CatalogError("%s: platform %r is not one of %s (endpoints.yml)" % (where, platform, ", ".join(valid)))


def _expand(doc, record, key, endpoints, where):
    """Turn one document record into one entry per transport."""
    for field in ("id", "table", "row", "from", "to", "protocol", "transports", "scope", "description"):
        if field not in record:
            raise CatalogError("%s: missing field %r" % (where, field))
    unknown = sorted(set(record) - set(RECORD_FIELDS))
    if unknown:
        raise CatalogError("%s: unknown field(s) %s; valid fields: %s" % (where, ", ".join(unknown), ", ".join(RECORD_FIELDS)))
    match = _RECORD_ID.match(record["id"])
    if not match or match.group("key") != key or match.group("table") != str(record["table"]):
        raise CatalogError("%s: id %r does not follow <%s>-<table>-<row>" % (where, record["id"], key))
    if str(record["table"]) not in doc["tables"]:
        raise CatalogError("%s: table %r is not listed under tables" % (where, record["table"]))
    for role in (record["from"], record["to"]):
        if role not in endpoints:
            raise CatalogError("%s: endpoint role %r is not in endpoints.yml" % (where, role))
    if record["scope"] not in SCOPES:
        raise CatalogError("%s: scope %r is not one of %s" % (where, record["scope"], ", ".join(SCOPES)))
    ports = record.get("ports") or []
    src_ports = record.get("src_ports") or []
    _check_ports(ports, where)
    _check_ports(src_ports, where)
    anomalies = record.get("anomalies") or []
    for anomaly in anomalies:
        if anomaly.get("kind") not in ANOMALY_KINDS or not anomaly.get("note"):
            raise CatalogError("%s: anomaly %r needs a kind among %s and a note" % (where, anomaly, ANOMALY_KINDS))
    _check_direction(record, endpoints, ports, src_ports, anomalies, where)
    entries = []
    for transport in record["transports"]:
        if transport not in TRANSPORTS:
            raise CatalogError("%s: transport %r is not one of %s" % (where, transport, ", ".join(TRANSPORTS)))
        if transport in PORTLESS_TRANSPORTS and ports:
            raise CatalogError("%s: %s carries no ports, got %r" % (where, transport, ports))
        entries.append(
            {
                "id": "%s-%s" % (record["id"], transport),
                "product": doc["product"],
                "release": doc["release"],
                "source": {"document": doc["document"], "table": str(record["table"]), "row": record["row"],
                           "kind": record.get("source", "table")},
                "from": record["from"],
                "to": record["to"],
                "protocol": record["protocol"],
                "transport": transport,
                "ports": list(ports),
                "src_ports": list(src_ports),
                "ephemeral": bool(record.get("ephemeral", False)),
                "bidirectional": bool(record.get("bidirectional", False)),
                "scope": record["scope"],
                "configurable": bool(record.get("configurable", False)),
                "feature": record.get("feature"),
                "also_requires": list(record.get("also_requires") or []),
                "platform": record.get("platform"),
                "description": record["description"],
                "anomalies": [dict(kind=a["kind"], note=a["note"]) for a in anomalies],
            }
        )
    return entries


def build_catalog(data_dir=DATA_DIR, files=DOCUMENT_FILES):
    """Read and check the catalog files; raise CatalogError on the first broken invariant."""
    endpoints = _read(os.path.join(data_dir, "endpoints.yml"))
    entries, facts, documents, seen = [], [], {}, {}
    for name in files:
        path = os.path.join(data_dir, name)
        key = name.rsplit(".", 1)[0]
        doc = _read(path)
        if doc.get("product") not in PRODUCTS:
            raise CatalogError("%s: product %r is not one of %s" % (name, doc.get("product"), PRODUCTS))
        doc["release"] = str(doc["release"])
        doc["tables"] = dict((str(k), v or {}) for k, v in (doc.get("tables") or {}).items())
        covered = set()
        for position, record in enumerate(doc.get("records") or [], 1):
            where = "%s record %d (%s)" % (name, position, record.get("id", "no id"))
            for entry in _expand(doc, record, key, endpoints, where):
                if entry["id"] in seen:
                    raise CatalogError("%s: id %r also used by %s" % (where, entry["id"], seen[entry["id"]]))
                seen[entry["id"]] = where
                entries.append(entry)
            covered.add(str(record["table"]))
        for table, meta in sorted(doc["tables"].items()):
            if table not in covered and not (meta.get("legend") or meta.get("missing")):
                raise CatalogError("%s: table %s has no records" % (name, table))
        for fact in doc.get("facts") or []:
            _check_ports(fact.get("ports") or [], "%s fact %s" % (name, fact.get("id")))
            facts.append(dict(fact, document=doc["document"], product=doc["product"], release=doc["release"]))
        documents[doc["document"]] = {
            "key": key,
            "product": doc["product"],
            "release": doc["release"],
            "release_basis": doc.get("release_basis", "stated"),
            "title": str(doc.get("title") or doc["document"]),
            "tables": doc["tables"],
        }
    return Catalog(entries, facts, documents, endpoints)


def load_catalog():
    """The process-wide catalog, built and checked on first use."""
    if "catalog" not in _CACHE:
        _CACHE["catalog"] = build_catalog()
    return _CACHE["catalog"]


def _one_of(name, value, valid):
    if value not in valid:
        raise CatalogQueryError(
            "unknown %s %r; valid values: %s" % (name, value, ", ".join(str(v) for v in sorted(valid)))
        )


def select_entries(catalog, products=None, release=None, scope=None, transport=None, port=None,
                   from_role=None, to_role=None, document=None, feature=None):
    """Entries matching every given criterion (None means any), as deep copies in catalog order.

    ``document`` accepts the seed's file name or its catalog key (``cucm``, ``cup8``, ...).
    """
    products = list(products or [])
    for product in products:
        _one_of("product", product, PRODUCTS)
    if release is not None:
        release = str(release)
        releases = set(r for p, rs in catalog.releases.items() if not products or p in products for r in rs)
        _one_of("release", release, releases)
    if scope is not None:
        _one_of("scope", scope, SCOPES)
    if transport is not None:
        _one_of("transport", transport, TRANSPORTS)
    if port is not None:
        try:
            port = int(port)
        except (TypeError, ValueError):
            raise CatalogQueryError("port: %r is not a number in 1-65535" % (port,))
        if not 1 <= port <= 65535:
            # no entry has destination port 0: it would select nothing, silently
            raise CatalogQueryError("port: %r is not a number in 1-65535" % (port,))
    for name, role in (("from_role", from_role), ("to_role", to_role)):
        if role is not None:
            _one_of(name, role, catalog.endpoints)
    if document is not None:
        keys = dict((meta["key"], doc) for doc, meta in catalog.documents.items())
        _one_of("document", document, set(catalog.documents) | set(keys))
        document = keys.get(document, document)
    if feature is not None:
        _one_of("feature", feature, catalog.features)

    def wanted(entry):
        return (
            (not products or entry["product"] in products)
            and (release is None or entry["release"] == release)
            and (scope is None or entry["scope"] == scope)
            and (transport is None or entry["transport"] == transport)
            and (port is None or ports_contain(entry["ports"], port))
            and (from_role is None or entry["from"] == from_role)
            and (to_role is None or entry["to"] == to_role)
            and (document is None or entry["source"]["document"] == document)
            and (feature is None or feature in required_features(entry))
        )

    return [copy.deepcopy(entry) for entry in catalog.entries if wanted(entry)]
