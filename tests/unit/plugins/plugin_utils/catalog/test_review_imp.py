# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The direction review of the IM and Presence documents (docs/review/imp.md, docs/review/cup8.md) holds."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import pytest

from ansible_collections.collab.firewall.plugins.plugin_utils.catalog import loader as catalog_mod
from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog

CATALOG = load_catalog()
DOCUMENTS = {"imp": "002_0f34838a36d660e4.txt", "cup8": "000_5a9a3fafe7b77bdc.txt"}
ROOT = os.path.join(os.path.dirname(catalog_mod.DATA_DIR), "..", "..", "..")


def entries(key, port=None, transport=None):
    found = [e for e in CATALOG.entries if e["source"]["document"] == DOCUMENTS[key]]
    if transport is not None:
        found = [e for e in found if e["transport"] == transport]
    if port is not None:
        found = [e for e in found if port in e["ports"]]
    return found


def directions(found):
    return set((e["from"], e["to"]) for e in found)


@pytest.mark.parametrize("key", sorted(DOCUMENTS))
def test_review_log_covers_every_record(key):
    with open(os.path.join(ROOT, "docs", "review", "%s.md" % key)) as handle:
        logged = set(re.findall(r"^\| `([a-z0-9-]+)` \|", handle.read(), re.M))
    records = set(e["id"].rsplit("-", 1)[0] for e in entries(key))
    assert records and records == logged


@pytest.mark.parametrize("key", sorted(DOCUMENTS))
def test_no_generic_endpoint_peer(key):
    assert not [e["id"] for e in entries(key) if "endpoint" in (e["from"], e["to"])]


@pytest.mark.parametrize("key", sorted(DOCUMENTS))
@pytest.mark.parametrize("port, transport, expected", [
    (389, "tcp", {("imp", "ldap_directory")}),           # the directory listens, IM and Presence connects
    (636, "tcp", {("imp", "ldap_directory")}),
    (162, "udp", {("imp", "snmp_manager")}),             # traps go to the manager
    (161, "udp", {("snmp_manager", "imp")}),             # the manager polls the node
    (1090, "tcp", {("admin_workstation", "imp")}),       # RTMT connects to the node's AMC service
    (1099, "tcp", {("admin_workstation", "imp")}),
    (5432, "tcp", {("imp", "external_database")}),
    (53, "udp", {("imp", "dns_server")}),
    (5061, "tcp", {("sip_peer", "imp"), ("cucm_callmanager", "imp")}),   # Unified CM as SIP peer (rule 12)
    (22, "tcp", {("admin_workstation", "imp"), ("imp", "imp")}),
])
def test_listener_is_to(key, port, transport, expected):
    assert directions(entries(key, port, transport)) == expected


@pytest.mark.parametrize("key", sorted(DOCUMENTS))
@pytest.mark.parametrize("port, transport, peer", [(5060, "udp", "sip_peer"), (5060, "tcp", "sip_peer"),
                                                   (500, "udp", "gateway")])
def test_both_ends_listen_rows_are_two_records(key, port, transport, peer):
    found = [e for e in entries(key, port, transport) if e["from"] != "cucm_callmanager"]   # rule 12: row 1c
    assert directions(found) == {(peer, "imp"), ("imp", peer)}
    assert len(set(e["source"]["row"] for e in found)) == 1


@pytest.mark.parametrize("key", sorted(DOCUMENTS))
def test_icmp_both_directions(key):
    assert directions(entries(key, transport="icmp")) == {("imp", "cucm"), ("cucm", "imp")}


@pytest.mark.parametrize("key", sorted(DOCUMENTS))
def test_unified_cm_is_the_ntp_server(key):
    ntp = entries(key, 123, "udp")
    notes = [e for e in ntp if e["source"]["kind"] == "note"]
    assert [(e["from"], e["to"], e["feature"]) for e in notes] == [("imp", "cucm_publisher", "ntp")]
    assert directions(ntp) == {("imp", "ntp_server"), ("imp", "cucm_publisher")}


def test_rows_printed_both_ways_are_two_listeners_or_say_how_they_were_printed():
    # rule 2 and 3 of the direction model: a row printed in both directions is either two records with the ends
    # swapped (both sides listen: SIP row 1, IKE row 38, ICMP row 42) or one record towards the listener that
    # carries a contradiction anomaly naming the printed second line (LDAP row 18)
    rows = {}
    for entry in entries("cup8"):
        if entry["bidirectional"]:
            rows.setdefault(entry["source"]["row"], []).append(entry)
    assert sorted(rows) == [1, 18, 38, 42]
    for row, found in rows.items():
        # Unified CM as a SIP peer of the proxy (row 1, letter c) is read from another document (rule 12)
        pairs = directions(e for e in found if e["from"] != "cucm_callmanager")
        if pairs == set((b, a) for a, b in pairs) and len(pairs) == 2:
            continue
        assert len(pairs) == 1, (row, pairs)
        assert any(a["kind"] == "contradiction" and "printed in both directions" in a["note"]
                   for e in found for a in e["anomalies"]), row
