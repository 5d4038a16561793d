# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The direction reviews of the Unified CVP and Unity Connection 8.x documents (docs/review/cvp.md,
docs/review/cuc8.md) hold in the catalog data."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import pytest

from ansible_collections.collab.firewall.plugins.plugin_utils.catalog import loader as catalog_mod
from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog

CATALOG = load_catalog()
DOCUMENTS = {"cvp": "004_7cc27e727b41ea63.txt", "cuc8": "003_e0967b9895897e12.txt"}
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
        logged = set(re.findall(r"^\| `?(%s-[0-9a-z-]+)`? \|" % key, handle.read(), re.M))
    records = set(e["id"].rsplit("-", 1)[0] for e in entries(key))
    assert records and records == logged


@pytest.mark.parametrize("port, transport, expected", [
    (1526, "tcp", {("cvp_call_server", "cvp_reporting"), ("cuic", "cvp_reporting")}),  # the database listens
    (162, "udp", {("cvp", "snmp_manager")}),                  # traps go from the agent to the manager
    (161, "udp", {("snmp_manager", "cvp")}),                  # the manager polls the agent
    (514, "udp", {("cvp", "syslog_server")}),                 # the collector listens
    (5000, "tcp", {("icm", "cvp_call_server")}),              # the VRU PG connects to the ICM subsystem
    (2099, "tcp", {("cvp_oamp", "cvp")}),                     # the OPS console connects to each Resource Manager
])
def test_cvp_two_way_rows_open_towards_their_listener(port, transport, expected):
    assert directions(entries("cvp", port, transport)) == expected


@pytest.mark.parametrize("transport", ["tcp", "udp"])
def test_cvp_sip_endpoints_are_named_peers(transport):
    # the gateways and SBCs through sip_peer, the Virtualized Voice Browser by its own zone, the Unified CM
    # call-processing nodes (cvp-1-03c); never a generic endpoint, and the call server only
    assert directions(entries("cvp", 5060, transport)) == {
        ("sip_peer", "cvp_call_server"), ("vvb", "cvp_call_server"), ("cucm_callmanager", "cvp_call_server")}


@pytest.mark.parametrize("key", sorted(DOCUMENTS))
def test_media_towards_gateways_flags_the_platform_ranges_of_the_cucm_document(key):
    # the gateway's own media range per platform is given only by the Unified CM document (001, table 2
    # rows 29-30): the row's one range stays for every gateway, the ASR/ISR G3 range is a platform record of
    # the same row, and both say where the ranges come from
    found = [e for e in entries(key) if e["to"] == "gateway" and e["protocol"] == "rtp"]
    ranges = sorted((e["platform"] or "", e["ports"][0]) for e in found)
    assert ranges == [("", "16384-32767"), ("asr_isr_g3", "8000-48200")]
    assert len(set((e["source"]["table"], e["source"]["row"]) for e in found)) == 1
    for entry in found:
        assert any(a["kind"] == "contradiction" and "001" in a["note"] and "G3" in a["note"]
                   for a in entry["anomalies"]), entry["id"]


def test_rows_without_a_peer_are_unspecified_and_flagged():
    for entry_id in ("cvp-3-07-tcp", "cvp-3-08-udp", "cuc8-1-1-29-tcp", "cuc8-1-1-29-udp"):
        entry = CATALOG.by_id[entry_id]
        assert entry["from"] == "unspecified"
        assert any(a["kind"] == "missing_value" for a in entry["anomalies"]), entry_id
