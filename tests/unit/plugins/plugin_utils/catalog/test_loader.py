# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The catalog data: schema, invariants, coverage of every table of every document."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re

import pytest

from ansible_collections.collab.firewall.plugins.plugin_utils.catalog import loader as catalog_mod
from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import (
    CatalogError,
    CatalogQueryError,
    build_catalog,
    load_catalog,
    release_key,
    select_entries,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import parse_port_item

jsonschema = pytest.importorskip("jsonschema")

SEEDS = ("000_5a9a3fafe7b77bdc.txt", "001_f5a05621c64c5648.txt", "002_0f34838a36d660e4.txt",
         "003_e0967b9895897e12.txt", "004_7cc27e727b41ea63.txt")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_every_entry_matches_the_schema(catalog):
    with open(os.path.join(catalog_mod.DATA_DIR, "entry.schema.json")) as handle:
        schema = json.load(handle)
    validator = jsonschema.Draft202012Validator(schema)
    errors = ["%s: %s" % (e["id"], err.message) for e in catalog.entries for err in validator.iter_errors(e)]
    assert errors == []


def test_ids_are_unique_and_port_ranges_ordered(catalog):
    ids = [entry["id"] for entry in catalog.entries]
    assert len(ids) == len(set(ids))
    for entry in catalog.entries:
        for item in entry["ports"] + entry["src_ports"]:
            start, end = parse_port_item(item)
            assert 0 <= start <= end <= 65535, entry["id"]


def test_every_document_is_in_the_catalog(catalog):
    assert sorted(catalog.documents) == sorted(SEEDS)


def test_every_printed_table_has_entries(catalog):
    tables_with_entries = set((e["source"]["document"], e["source"]["table"]) for e in catalog.entries)
    for document, meta in catalog.documents.items():
        assert meta["tables"], document
        for table, info in meta["tables"].items():
            if info.get("legend") or info.get("missing"):
                assert info.get("title") or info.get("note"), (document, table)
                continue
            assert (document, table) in tables_with_entries, (document, table)


def test_endpoint_roles_are_documented(catalog):
    for name, role in catalog.endpoints.items():
        assert role["kind"] in ("node", "zone"), name
        assert role.get("description"), name
        if role["kind"] == "node":
            assert role.get("groups"), name


def test_portless_transports_carry_no_ports(catalog):
    for entry in catalog.entries:
        if entry["transport"] in ("icmp", "gre", "esp", "ah"):
            assert entry["ports"] == [], entry["id"]


def test_releases_newest_first(catalog):
    assert catalog.newest_release("imp") == "11.5"
    assert "8.0" in catalog.releases["imp"]
    assert release_key("8.x") < release_key("11.5") < release_key("14")


def test_sccp_is_in_the_cucm_catalog(catalog):
    sccp = select_entries(catalog, products=["cucm"], port=2000)
    assert sccp, "no CUCM entry for port 2000"
    assert any(e["transport"] == "tcp" and e["from"] == "phone" for e in sccp)
    assert all(e["source"]["document"] == "001_f5a05621c64c5648.txt" for e in sccp)


def test_anomaly_page_lists_every_anomaly(catalog):
    with open(os.path.join(os.path.dirname(catalog_mod.DATA_DIR), "..", "..", "..", "docs", "catalog.md")) as handle:
        page = handle.read()
    anomalies = catalog.anomalies()
    assert anomalies, "the documents have known anomalies (for example table numbering in the CUCM document)"
    missing = [entry_id for entry_id, _kind, _note in anomalies if entry_id not in page]
    assert missing == []


def test_descriptions_are_english(catalog):
    japanese = re.compile(u"[\u3040-\u30ff\u4e00-\u9fff]")
    offenders = [e["id"] for e in catalog.entries if japanese.search(e["description"])]
    offenders += [e["id"] for e in catalog.entries for a in e["anomalies"] if japanese.search(a["note"])]
    assert offenders == []


@pytest.mark.parametrize(
    "criteria, message",
    [
        ({"products": ["cme"]}, "unknown product 'cme'; valid values: cucm, cvp, imp, unity"),
        ({"scope": "site"}, "unknown scope 'site'; valid values: cluster, localhost, network"),
        ({"transport": "sctp"}, "unknown transport 'sctp'"),
        ({"port": 70000}, "port: 70000 is not a number in 1-65535"),
        ({"port": "sip"}, "port: 'sip' is not a number in 1-65535"),
        ({"from_role": "fax"}, "unknown from_role 'fax'"),
        ({"products": ["cucm"], "release": "8.0"}, "unknown release '8.0'; valid values: 14"),
        ({"document": "nope.txt"}, "unknown document 'nope.txt'"),
        ({"feature": "teleportation"}, "unknown feature 'teleportation'"),
    ],
)
def test_bad_queries_name_the_valid_values(catalog, criteria, message):
    with pytest.raises(CatalogQueryError, match=re.escape(message)):
        select_entries(catalog, **criteria)


def test_results_are_copies(catalog):
    first = select_entries(catalog, products=["cucm"])[0]
    first["ports"].append(1)
    assert select_entries(catalog, products=["cucm"])[0]["ports"] != first["ports"]


def _write(tmp_path, name, text):
    (tmp_path / name).write_text(text)


@pytest.mark.parametrize(
    "record, message",
    [
        ("{id: cucm-1-01, table: '1', row: 1, from: phone, to: cucm, protocol: x, transports: [tcp], "
         "ports: [70000], scope: network, description: broken port}", "outside 0-65535"),
        ("{id: cucm-1-01, table: '1', row: 1, from: phone, to: cucm, protocol: x, transports: [tcp], "
         "ports: ['20-10'], scope: network, description: reversed}", "starts after it ends"),
        ("{id: cucm-1-01, table: '1', row: 1, from: robot, to: cucm, protocol: x, transports: [tcp], "
         "ports: [1], scope: network, description: unknown role}", "endpoint role 'robot'"),
        ("{id: cucm-1-01, table: '1', row: 1, from: phone, to: cucm, protocol: x, transports: [icmp], "
         "ports: [7], scope: network, description: icmp port}", "icmp carries no ports"),
        ("{id: cucm-2-01, table: '1', row: 1, from: phone, to: cucm, protocol: x, transports: [tcp], "
         "ports: [1], scope: network, description: wrong id}", "does not follow"),
    ],
)
def test_loader_rejects_broken_records(tmp_path, record, message):
    _write(tmp_path, "endpoints.yml", "phone: {kind: zone, description: p}\ncucm: {kind: node, groups: [publisher], description: c}\n")
    _write(tmp_path, "cucm.yml", "document: 001_f5a05621c64c5648.txt\nproduct: cucm\nrelease: '14'\n"
           "tables: {'1': {title: t}}\nrecords:\n  - %s\n" % record)
    with pytest.raises(CatalogError, match=re.escape(message)):
        build_catalog(str(tmp_path), files=("cucm.yml",))


def test_loader_rejects_duplicate_ids_and_empty_tables(tmp_path):
    _write(tmp_path, "endpoints.yml", "phone: {kind: zone, description: p}\n")
    rec = "{id: cucm-1-01, table: '1', row: 1, from: phone, to: phone, protocol: x, transports: [tcp], " \
          "ports: [1], scope: network, description: dup}"
    _write(tmp_path, "cucm.yml", "document: 001_f5a05621c64c5648.txt\nproduct: cucm\nrelease: '14'\n"
           "tables: {'1': {title: t}, '2': {title: u}}\nrecords:\n  - %s\n  - %s\n" % (rec, rec))
    with pytest.raises(CatalogError, match="also used by"):
        build_catalog(str(tmp_path), files=("cucm.yml",))
    _write(tmp_path, "cucm.yml", "document: 001_f5a05621c64c5648.txt\nproduct: cucm\nrelease: '14'\n"
           "tables: {'1': {title: t}, '2': {title: u}}\nrecords:\n  - %s\n" % rec)
    with pytest.raises(CatalogError, match="table 2 has no records"):
        build_catalog(str(tmp_path), files=("cucm.yml",))


def test_catalog_page_is_up_to_date(catalog):
    from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.table import anomalies_page

    with open(os.path.join(os.path.dirname(catalog_mod.DATA_DIR), "..", "..", "..", "docs", "catalog.md")) as handle:
        assert handle.read() == anomalies_page(catalog), "run: python tools/catalog_doc.py"


_DIRECTION_ENDPOINTS = (
    "phone: {kind: zone, description: p}\n"
    "endpoint: {kind: zone, description: e}\n"
    "unspecified: {kind: zone, unfilled: true, description: u}\n"
    "cucm: {kind: node, groups: [publisher], description: c}\n"
    "cucm_callmanager: {kind: node, groups: [publisher], service: callmanager, description: cm}\n"
    "gateway: {kind: node, groups: [gateways], platforms: {isr_g2: g2, asr_isr_g3: g3}, description: g}\n"
)
_BASE = "{id: cucm-1-01, table: '1', row: 1, transports: [udp], scope: network, description: direction, %s}"


@pytest.mark.parametrize(
    "fields, message",
    [
        # rule 5: an ephemeral record has no ports of its own
        ("from: phone, to: cucm, protocol: x, ports: ['32768-61000'], ephemeral: true",
         "ephemeral: true with ports"),
        # rule 3: one record, one listener
        ("from: gateway, to: cucm, protocol: x, ports: ['16384-32767'], src_ports: ['16384-32767']",
         "a listener on both ends"),
        ("from: phone, to: cucm, protocol: x, ports: [1], listener: both", "unknown field(s) listener"),
        # rule 4 and the vocabulary: unknown roles, unspecified without a missing_value anomaly
        ("from: fax, to: cucm, protocol: x, ports: [1]", "endpoint role 'fax'"),
        ("from: unspecified, to: cucm, protocol: x, ports: [1]", "needs an anomaly of kind missing_value"),
        # rule 7: gateways and SIP peers are never the generic endpoint
        ("from: endpoint, to: cucm_callmanager, protocol: sip, ports: [5060]", "generic endpoint zone"),
        ("from: cucm, to: endpoint, protocol: rtp, ports: ['16384-32767']", "generic endpoint zone"),
        # rule 8: service binding
        ("from: gateway, to: cucm, protocol: sip, ports: [5060]", "the CUCM end of sip is 'cucm_callmanager'"),
        ("from: cucm, to: gateway, protocol: sip, ports: [5060]", "sip from 'cucm'; the CUCM end of sip"),
        # rule 9: platforms are the gateway role's
        ("from: phone, to: gateway, protocol: rtp, ports: [1], platform: isr_g1", "platform 'isr_g1' is not one of"),
        ("from: phone, to: cucm, protocol: x, ports: [1], platform: isr_g2", "without a gateway side"),
        ("from: phone, to: cucm, protocol: x, ports: [1], platform: default", "without a gateway side"),
        # rule 6: provenance kinds
        ("from: phone, to: cucm, protocol: x, ports: [1], source: footnote", "source 'footnote' is not one of"),
        # rule 11: cluster scope is between UC nodes
        ("from: gateway, to: cucm, protocol: x, ports: [1], scope: cluster", "scope cluster needs UC node roles"),
        # features: also_requires adds to a feature, never stands alone or repeats it
        ("from: phone, to: cucm, protocol: x, ports: [1], also_requires: [snmp]", "also_requires without a feature"),
        ("from: phone, to: cucm, protocol: x, ports: [1], feature: ntp, also_requires: [ntp]",
         "also_requires must be a list of other feature names"),
        ("from: phone, to: cucm, protocol: x, ports: [1], feature: ntp, also_requires: snmp",
         "also_requires must be a list of other feature names"),
        ("from: phone, to: cucm, protocol: x, ports: [1], feature: ntp, also_requires: []",
         "also_requires must be a list of other feature names"),
    ],
)
def test_loader_enforces_the_direction_model(tmp_path, fields, message):
    _write(tmp_path, "endpoints.yml", _DIRECTION_ENDPOINTS)
    record = _BASE % fields
    if "scope: cluster" in fields:
        record = record.replace("scope: network, ", "")
    _write(tmp_path, "cucm.yml", "document: 001_f5a05621c64c5648.txt\nproduct: cucm\nrelease: '14'\n"
           "tables: {'1': {title: t}}\nrecords:\n  - %s\n" % record)
    with pytest.raises(CatalogError, match=re.escape(message)):
        build_catalog(str(tmp_path), files=("cucm.yml",))


def test_loader_accepts_the_model_forms(tmp_path):
    _write(tmp_path, "endpoints.yml", _DIRECTION_ENDPOINTS)
    records = [
        _BASE.replace("cucm-1-01", "cucm-1-01a") % "from: phone, to: gateway, protocol: rtp, ports: ['8000-48200'], platform: asr_isr_g3",
        _BASE.replace("cucm-1-01", "cucm-1-01b") % ("from: unspecified, to: cucm, protocol: x, ports: [1], "
                                                    "anomalies: [{kind: missing_value, note: no peer named}]"),
        _BASE.replace("cucm-1-01", "cucm-1-01c") % "from: cucm, to: cucm, protocol: x, ports: [], ephemeral: true",
        _BASE.replace("cucm-1-01", "cucm-1-01d") % "from: phone, to: cucm, protocol: ssh, ports: [22], source: note",
        _BASE.replace("cucm-1-01", "cucm-1-01e") % "from: phone, to: gateway, protocol: rtp, ports: [1], platform: default",
        _BASE.replace("cucm-1-01", "cucm-1-01f") % "from: phone, to: cucm, protocol: x, ports: [2], feature: a, also_requires: [b]",
    ]
    _write(tmp_path, "cucm.yml", "document: 001_f5a05621c64c5648.txt\nproduct: cucm\nrelease: '14'\n"
           "tables: {'1': {title: t}}\nrecords:\n%s" % "".join("  - %s\n" % r for r in records))
    catalog = build_catalog(str(tmp_path), files=("cucm.yml",))
    by_id = catalog.by_id
    assert by_id["cucm-1-01a-udp"]["platform"] == "asr_isr_g3"
    assert by_id["cucm-1-01e-udp"]["platform"] == "default"   # gateways without uc_gateway_platform
    assert by_id["cucm-1-01d-udp"]["source"]["kind"] == "note"
    assert by_id["cucm-1-01b-udp"]["source"]["kind"] == "table"
    assert by_id["cucm-1-01c-udp"]["ephemeral"] is True and by_id["cucm-1-01c-udp"]["ports"] == []
    assert by_id["cucm-1-01f-udp"]["also_requires"] == ["b"] and by_id["cucm-1-01a-udp"]["also_requires"] == []
    assert catalog.features == ("a", "b")
    assert catalog_mod.missing_feature(by_id["cucm-1-01f-udp"], ["a"]) == "b"
    assert catalog_mod.missing_feature(by_id["cucm-1-01f-udp"], ["b"]) == "a"
    assert catalog_mod.missing_feature(by_id["cucm-1-01f-udp"], ["a", "b"]) is None
    assert [e["id"] for e in catalog_mod.select_entries(catalog, feature="b")] == ["cucm-1-01f-udp"]


def test_real_catalog_follows_the_direction_model(catalog):
    for entry in catalog.entries:
        assert not (entry["ephemeral"] and entry["ports"]), entry["id"]
        if entry["protocol"] in catalog_mod.PEER_PROTOCOLS:
            assert "endpoint" not in (entry["from"], entry["to"]), entry["id"]
    assert catalog.endpoints["unspecified"].get("unfilled") is True
    assert catalog.endpoints["sip_peer"]["groups"] == ["gateways"] and catalog.endpoints["sip_peer"]["zone"] is True
