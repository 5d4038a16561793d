# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The direction model in the flow builder: one entry opens one direction towards its listener, ephemeral
flags before ports, no blank peer read as "any", gateways as SIP peers, service binding, gateway platforms.

Driven through the public filters (uc_flows, uc_explain) so the tests do not depend on module layout."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.filter.uc_explain import uc_explain
from ansible_collections.collab.firewall.plugins.filter.uc_flows import uc_flows
from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog

CATALOG = load_catalog()
ZONES = {"phone": ["10.20.0.0/16"], "endpoint": ["10.20.0.0/16", "10.40.0.0/16"],
         "admin_workstation": ["10.99.0.0/24"], "snmp_manager": ["10.99.1.10"], "syslog_server": ["10.99.1.11"],
         "cuic": ["10.10.7.50"], "sip_peer": ["10.50.0.5"]}
HOSTVARS = {
    "pub": {"ansible_host": "10.1.0.10", "uc_cluster": "a", "uc_cucm_services": []},
    "cm": {"ansible_host": "10.1.0.11", "uc_cluster": "a", "uc_cucm_services": ["callmanager"]},
    "tftp": {"ansible_host": "10.1.0.12", "uc_cluster": "a", "uc_cucm_services": ["tftp"]},
    "cuc": {"ansible_host": "10.1.2.10"},
    "call": {"ansible_host": "10.1.4.10", "uc_cvp_roles": ["call_server", "vxml_server"]},
    "rpt": {"ansible_host": "10.1.4.20", "uc_cvp_roles": ["reporting"]},
    "gw-g3": {"ansible_host": "10.1.9.1", "uc_gateway_platform": "asr_isr_g3"},
    "gw-g2": {"ansible_host": "10.1.9.2", "uc_gateway_platform": "isr_g2"},
    "gw-x": {"ansible_host": "10.1.9.3"},
}
GROUPS = {"publisher": ["pub"], "subscriber": ["cm", "tftp"], "unity": ["cuc"], "cvp": ["call", "rpt"],
          "gateways": ["gw-g3", "gw-g2", "gw-x"]}
GROUPS["uc"] = sorted(set(n for hosts in GROUPS.values() for n in hosts))
FEATURES = ["sip_trunk", "snmp", "syslog", "reporting", "sip_integration"]


def deploy(hostvars=None, **options):
    options.setdefault("zones", ZONES)
    options.setdefault("features", FEATURES)
    return uc_flows(hostvars or HOSTVARS, GROUPS, **options)


@pytest.fixture(scope="module")
def result():
    return deploy()


def allowed(result, src, dst, port, transport="tcp"):
    return uc_explain(result, src, dst, port, transport)["allowed"]


def test_every_flow_points_from_its_entries_initiator_to_their_listener(result):
    for flow in result["flows"]:
        for entry_id in flow["catalog_ids"]:
            entry = CATALOG.by_id[entry_id]
            assert entry["from"] in flow["from_roles"] and entry["to"] in flow["to_roles"], (entry_id, flow)


@pytest.mark.parametrize("src, dst, port, transport, expected", [
    # CVP Informix: the reporting server listens, the call server connects (cvp-1-27a); never the reverse
    ("call", "rpt", 1526, "tcp", True),
    ("rpt", "call", 1526, "tcp", False),
    # SNMP traps go from the node to the manager, never into the node (cvp-2-03)
    ("10.99.1.10", "call", 162, "udp", False),
    # syslog: the collector listens (cvp-2-04)
    ("10.99.1.11", "call", 514, "udp", False),
    # SNMP polling: the node listens (cvp-2-01)
    ("10.99.1.10", "call", 161, "udp", True),
])
def test_two_way_columns_open_one_direction(result, src, dst, port, transport, expected):
    assert allowed(result, src, dst, port, transport) is expected


def test_ephemeral_flag_is_checked_before_ports(result):
    for port in (32768, 40000, 61000):
        for transport in ("tcp", "udp"):
            assert not allowed(result, "10.20.1.1", "cuc", port, transport)
    answer = uc_explain(result, "10.20.1.1", "cuc", 40000, "tcp")
    assert any(r["id"] == "cuc8-1-1-29-tcp" for r in answer["reasons"])


def test_ephemeral_only_with_uc_open_ephemeral():
    closed, opened = deploy(features=FEATURES + ["windows_rpc_dynamic"]), \
        deploy(features=FEATURES + ["windows_rpc_dynamic"], open_ephemeral=True)
    assert not allowed(closed, "call", "rpt", 50000)
    assert allowed(opened, "call", "rpt", 50000)
    # an entry whose peer no document names stays closed even then
    assert not allowed(opened, "10.20.1.1", "cuc", 40000)


def test_blank_peers_are_never_any_device(result):
    # CVP 1051 (cvp-3-07/08) and RTP (cvp-1-21a) are not opened from the generic endpoint zone
    for port, transport in ((1051, "tcp"), (1051, "udp"), (20000, "udp")):
        assert not allowed(result, "10.40.1.1", "call", port, transport)
    unresolved = dict((u["role"], u) for u in result["unresolved"])
    assert {"cvp-3-07-tcp", "cvp-3-08-udp", "cuc8-1-1-29-tcp"} <= set(unresolved["unspecified"]["catalog_ids"])
    assert "never opened" in unresolved["unspecified"]["reason"]


def test_gateways_and_sip_peers_reach_the_cvp_call_server(result):
    for transport in ("tcp", "udp"):
        for src in ("gw-g3", "gw-x", "10.50.0.5"):
            answer = uc_explain(result, src, "call", 5060, transport)
            assert answer["allowed"] and "cvp-1-03-%s" % transport in answer["catalog_ids"], answer
        # the generic endpoint zone does not get the gateways' rows
        assert not allowed(result, "10.40.1.1", "call", 5060, transport)
    assert allowed(result, "gw-x", "call", 20000, "udp")          # RTP from the media peer (cvp-1-21a)


def test_a_virtualized_voice_browser_reaches_the_call_servers_sip_listener_only():
    # cvp-1-03b: the VVB is a SIP endpoint of the call server like the IOS VXML gateway (cvp-1-03)
    result = deploy(zones=dict(ZONES, vvb=["10.60.0.7"]))
    for transport in ("tcp", "udp"):
        answer = uc_explain(result, "10.60.0.7", "call", 5060, transport)
        assert answer["allowed"] and "cvp-1-03b-%s" % transport in answer["catalog_ids"], answer
        assert not allowed(result, "10.60.0.7", "rpt", 5060, transport)        # no call server there
        assert not allowed(result, "10.60.0.7", "cm", 5060, transport)         # not a Unified CM trunk peer


def test_no_signalling_on_a_tftp_only_node(result):
    for port in (5060, 5061):
        assert not allowed(result, "cm", "tftp", port)
        assert not allowed(result, "tftp", "cm", port)
    # no intercluster trunk of another cluster here, but the CallManager node reaches its peer's listener
    assert not allowed(result, "cm", "pub", 5060)
    assert allowed(result, "10.20.1.1", "tftp", 69, "udp")


def test_gateway_platform_chooses_the_rtp_range(result):
    # ASR/ISR G3 gets 8000-48200 (cucm-2-29), ISR G2 16384-32766 (cucm-2-30), unset the generic range (cucm-7-17c)
    assert allowed(result, "10.20.1.1", "gw-g3", 8000, "udp")
    assert not allowed(result, "10.20.1.1", "gw-g2", 8000, "udp")
    assert not allowed(result, "10.20.1.1", "gw-x", 8000, "udp")
    assert allowed(result, "10.20.1.1", "gw-g2", 16384, "udp")
    assert not allowed(result, "10.20.1.1", "gw-g2", 32767, "udp")     # the generic range is not G2's
    report = result["gateway_platforms"]
    assert report["gw-g3"] == {"platform": "asr_isr_g3", "source": "uc_gateway_platform"}
    assert report["gw-x"]["source"] == "default" and "uc_gateway_platform is not set" in report["gw-x"]["note"]
    assert "cucm-7-17c-udp" in report["gw-x"]["note"]


@pytest.mark.parametrize("port, expected", [(16383, False), (16384, True), (24000, True), (32767, True), (32768, False)])
def test_a_gateway_without_platform_still_gets_phone_media(result, port, expected):
    # media to a gateway does not depend on its platform; only the range does (the generic one when unset)
    answer = uc_explain(result, "10.20.1.1", "gw-x", port, "udp")
    assert answer["allowed"] is expected, answer
    if expected:
        assert answer["catalog_ids"] == ["cucm-7-17c-udp"]
    flows = [f for f in result["flows"] if "cucm-7-17c-udp" in f["catalog_ids"]]
    assert [f["dst_names"] for f in flows] == [["gw-x"]] and flows[0]["ports"] == ["16384-32767"]


def test_unknown_gateway_platform_names_host_variable_and_valid_values():
    hostvars = copy.deepcopy(HOSTVARS)
    hostvars["gw-x"]["uc_gateway_platform"] = "isr_g1"
    with pytest.raises(AnsibleFilterError, match=r"gw-x: uc_gateway_platform: unknown gateway platform 'isr_g1'; "
                                                 r"valid: asr_isr_g3, isr_g2"):
        deploy(hostvars)


def test_unity_sip_range_default_and_override():
    base = deploy(features=FEATURES)
    assert allowed(base, "cm", "cuc", 5100) and allowed(base, "gw-x", "cuc", 5080, "udp")
    assert not allowed(base, "tftp", "cuc", 5060)               # only call-processing nodes (cuc8-1-1-04a)
    narrowed = deploy(port_overrides={"cuc8-1-1-04a-tcp": ["5060-5061"]})
    assert allowed(narrowed, "cm", "cuc", 5061) and not allowed(narrowed, "cm", "cuc", 5100)


def test_unspecified_zone_is_refused_and_strict_zones_ignores_it():
    with pytest.raises(AnsibleFilterError, match="uc_zones: zone 'unspecified' is never filled"):
        deploy(zones=dict(ZONES, unspecified=["10.0.0.0/8"]))
    zones = dict((k, v) for k, v in ZONES.items())
    result = deploy(zones=zones, features=["snmp"], strict_zones=False)
    assert any(u["role"] == "unspecified" for u in result["unresolved"])


def test_explain_answers_ssh_from_the_management_sources_like_the_rulesets(result):
    # no catalog flow opens tcp/22 on a CVP server here (cvp-2-05 needs remote_admin), but the management rule
    # of every node's ruleset does: explain says so instead of "refused"
    answer = uc_explain(result, "10.99.0.5", "call", 22, "tcp")
    assert answer["allowed"] and answer["management"] and answer["catalog_ids"] == [], answer
    assert answer["flows"] == ["management ssh"]
    assert not allowed(result, "10.20.1.1", "call", 22)                 # a phone is no management source
    assert not allowed(result, "10.99.0.5", "call", 22, "udp")
    refused = uc_explain(result, "10.99.0.5", "call", 23, "tcp")        # telnet has no management rule
    assert not refused["allowed"] and "cvp-2-06-tcp" in [r["id"] for r in refused["reasons"]]
    # with extra management sources the answer follows them
    extra = deploy(management_sources=["10.77.0.0/16"])
    assert allowed(extra, "10.77.1.1", "rpt", 22) and not allowed(result, "10.77.1.1", "rpt", 22)
