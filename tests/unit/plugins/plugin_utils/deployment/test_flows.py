# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Flow decisions: scopes, clusters, zones, features, releases, bad input, explain, compression."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re

import netaddr
import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.explain import explain
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import FlowError, build_flows
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.host_policy import host_index, host_policy
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import Cidrs, CidrList, ports_contain

CATALOG = load_catalog()

HOSTVARS = {
    "pub-a": {"ansible_host": "10.1.0.10", "uc_cluster": "a", "uc_address6": "2001:db8:1::10",
              "uc_cucm_services": ["callmanager"]},
    "sub-a": {"ansible_host": "10.1.0.11", "uc_cluster": "a", "uc_cucm_services": ["callmanager", "tftp"]},
    "pub-b": {"ansible_host": "10.2.0.10", "uc_cluster": "b"},
    "imp-1": {"ansible_host": "10.1.1.10", "uc_cluster": "p", "uc_cucm_cluster": "a"},
    "cuc-1": {"ansible_host": "10.1.2.10", "uc_cucm_cluster": "a"},
    "gw-1": {"ansible_host": "10.1.9.1"},
}
GROUPS = {"publisher": ["pub-a", "pub-b"], "subscriber": ["sub-a"], "imp": ["imp-1"], "unity": ["cuc-1"],
          "gateways": ["gw-1"], "routers": ["rtr-1"]}
ZONES = {"phone": ["10.20.0.0/16", "2001:db8:20::/48"], "admin_workstation": ["10.99.0.0/24"],
         "ldap_directory": ["10.5.0.10"], "dns_server": ["10.5.0.53"]}


def flows(**kwargs):
    args = dict(zones=ZONES)
    args.update(kwargs)
    return build_flows(CATALOG, kwargs.pop("hostvars", HOSTVARS), kwargs.pop("groups", GROUPS),
                       **dict((k, v) for k, v in args.items() if k not in ("hostvars", "groups")))


@pytest.fixture(scope="module")
def result():
    return flows()


def test_localhost_entries_never_become_flows(result):
    localhost_ids = set(e["id"] for e in CATALOG.entries if e["scope"] == "localhost")
    assert localhost_ids
    used = set(i for f in result["flows"] for i in f["catalog_ids"])
    assert not used & localhost_ids
    assert all(s["reason"].startswith("localhost only") for s in result["skipped"] if s["id"] in localhost_ids)


def test_cluster_entries_only_within_one_cluster_and_product(result):
    cluster_ids = set(e["id"] for e in CATALOG.entries if e["scope"] == "cluster")
    checked = 0
    for flow in result["flows"]:
        if set(flow["catalog_ids"]) & cluster_ids:
            names = flow["src_names"] + flow["dst_names"]
            assert len(set(result["nodes"][n]["cluster"] for n in names)) == 1, flow
            assert len(set(result["nodes"][n]["product"] for n in names)) == 1, flow
            checked += 1
    assert checked


def test_cluster_b_does_not_reach_cluster_a_database(result):
    answer = explain(result, CATALOG, "pub-b", "pub-a", 1500, "tcp")
    assert not answer["allowed"]
    assert any("different clusters" in r["reason"] for r in answer["reasons"]), answer["reasons"]
    assert explain(result, CATALOG, "sub-a", "pub-a", 1500, "tcp")["allowed"]


def test_phones_reach_sccp_with_provenance(result):
    answer = explain(result, CATALOG, "10.20.3.4", "sub-a", 2000, "tcp")
    assert answer["allowed"], answer
    assert any(p["document"] == "001_f5a05621c64c5648.txt" for p in answer["provenance"])
    assert answer["src_endpoints"] == ["phone"]


def test_tftp_only_on_nodes_running_it(result):
    assert explain(result, CATALOG, "10.20.3.4", "sub-a", 69, "udp")["allowed"]
    answer = explain(result, CATALOG, "10.20.3.4", "pub-a", 69, "udp")
    assert not answer["allowed"]


def test_unresolved_zones_are_listed_or_fatal(result):
    roles = [u["role"] for u in result["unresolved"]]
    assert "snmp_manager" in roles and "phone" not in roles
    with pytest.raises(FlowError, match=r"inventory: uc_zones: no addresses for .*snmp_manager.*uc_strict_zones"):
        flows(strict_zones=True)


def _used_ids(result):
    return set(i for f in result["flows"] for i in f["catalog_ids"])


def test_features_gate_flows():
    with_snmp = flows(features=["snmp"])
    without = flows(features=[])
    snmp_ids = set(e["id"] for e in CATALOG.entries if e["feature"] == "snmp")
    assert not _used_ids(without) & snmp_ids
    assert all(s["reason"].startswith(("feature", "localhost")) for s in without["skipped"] if s["id"] in snmp_ids)
    assert len(with_snmp["flows"]) >= len(without["flows"])


def test_release_selects_document():
    result = flows(releases={"imp": "8.0"})
    ids = set(i for f in result["flows"] for i in f["catalog_ids"])
    assert any(i.startswith("cup8-") for i in ids) and not any(i.startswith("imp-") for i in ids)
    assert result["releases"]["imp"] == "8.0"
    assert flows()["releases"]["imp"] == "11.5"


def test_flows_are_minimal_and_deterministic(result):
    keys = [(tuple(f["src_names"]), tuple(f["dst_names"]), f["transport"]) for f in result["flows"]]
    assert len(keys) == len(set(keys))
    assert flows() == result


def test_host_policy_management_first_and_self_contained(result):
    policy = host_policy(result, "sub-a", management_sources=["192.0.2.7"])
    assert policy["management"]["sources"] == ["10.99.0.0/24", "192.0.2.7/32"]
    assert policy["rules"]
    for rule in policy["rules"]:
        assert rule["catalog_ids"] and all(i in rule["comment"] for i in rule["catalog_ids"])
    pairs = [(tuple(r["sources"]), r["transport"]) for r in policy["rules"]]
    assert len(pairs) == len(set(pairs))


def test_host_index_cuts_the_same_policies(result):
    """The main job cuts every node's policy with one host_index: the same policies as without it; an index of
    another deployment is not used."""
    index = host_index(result)
    other = host_index(dict(copy.deepcopy(result), flows=[]))  # used by mistake, the policies would lack rules
    # voice gateways have no host firewall (host_policy refuses them)
    nodes = sorted(n for n, node in result["nodes"].items() if node["product"] != "gateway")
    for host in nodes:
        alone = host_policy(result, host, management_sources=["192.0.2.7"])
        assert host_policy(result, host, management_sources=["192.0.2.7"], index=index) == alone
        assert host_policy(result, host, management_sources=["192.0.2.7"], index=other) == alone
        shared = host_policy(result, host, index=index)["rules"]
        assert all(isinstance(r["sources"], CidrList) for r in shared)  # rendered text only, never handed out
        assert not any(isinstance(r["sources"], CidrList) for r in alone["rules"])
    assert any(host_policy(result, host)["rules"] for host in nodes)


def test_cidrs_keys_equal_and_hash_like_tuples():
    key = Cidrs(("10.64.0.0/24", "10.64.2.0/24"))
    assert key == ("10.64.0.0/24", "10.64.2.0/24") and hash(key) == hash(("10.64.0.0/24", "10.64.2.0/24"))
    assert hash(key) == hash(key)  # from the remembered hash
    assert {("10.64.0.0/24", "10.64.2.0/24"): 1}[key] == 1
    listed = CidrList(key)
    assert listed == ["10.64.0.0/24", "10.64.2.0/24"] and listed.key is key


def _with(hostvars=None, **changes):
    new = copy.deepcopy(HOSTVARS if hostvars is None else hostvars)
    for host, values in changes.items():
        new.setdefault(host, {}).update(values)
    return new


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"hostvars": _with(**{"sub-a": {"ansible_host": "10.1.0.300"}})},
         "sub-a: ansible_host: address '10.1.0.300' is not a valid"),
        ({"hostvars": _with(**{"sub-a": {"ansible_host": "10.1.0.0/24"}})}, "sub-a: ansible_host: '10.1.0.0/24' is a network"),
        ({"hostvars": _with(**{"sub-a": {"uc_address6": "10.1.0.5"}})}, "sub-a: uc_address6: '10.1.0.5' is not an IPv6"),
        ({"hostvars": dict((k, v) for k, v in HOSTVARS.items() if k != "gw-1")},
         "gw-1: ansible_host: is not set"),
        ({"hostvars": _with(**{"gw-1": {"ansible_host": "10.1.0.11"}})}, "ansible_host: address 10.1.0.11/32 is also used by"),
        ({"hostvars": _with(**{"sub-a": {"uc_cucm_services": ["tftpd"]}})}, "sub-a: uc_cucm_services: unknown service 'tftpd'"),
        ({"zones": {"phones": ["10.0.0.0/8"]}}, "inventory: uc_zones: unknown zone 'phones'; valid zones:"),
        ({"zones": {"phone": ["10.20.0.0/33"]}}, "inventory: uc_zones.phone: address '10.20.0.0/33'"),
        ({"zones": {"phone": ["10.20.0.0/16", "10.20.5.0/24"]}}, "uc_zones.phone: 10.20.0.0/16 and 10.20.5.0/24 overlap"),
        ({"zones": {"phone": "10.20.0.0/16"}}, "uc_zones.phone: must be a list"),
        ({"features": ["teleport"]}, "inventory: uc_features: unknown feature 'teleport'"),
        ({"releases": {"imp": "9.1"}}, "inventory: uc_release.imp: release '9.1' is not in the catalog; valid: 11.5, 8.0"),
        ({"releases": {"cme": "1"}}, "inventory: uc_release: unknown product 'cme'"),
        ({"port_overrides": {"cucm-1-20-tcp": [70000]}}, "uc_port_overrides.cucm-1-20-tcp: port 70000 is outside 1-65535"),
        ({"port_overrides": {"nope": [1]}}, "uc_port_overrides: unknown catalog id 'nope'"),
        ({"management_sources": ["bad"]}, "inventory: uc_management_sources: address 'bad'"),
    ],
)
def test_bad_input_names_host_and_variable(kwargs, message):
    with pytest.raises(FlowError, match=re.escape(message)):
        flows(**kwargs)


def test_host_policy_errors(result):
    with pytest.raises(FlowError, match="rtr-1: inventory_hostname: is not a UC node"):
        host_policy(result, "rtr-1")
    no_admin = flows(zones=dict((k, v) for k, v in ZONES.items() if k != "admin_workstation"))
    with pytest.raises(FlowError, match="no management source: SSH would be cut"):
        host_policy(no_admin, "sub-a")


def test_explain_reasons(result):
    localhost_entry = next(e for e in CATALOG.entries if e["scope"] == "localhost" and e["product"] in ("cucm", "imp")
                           and e["release"] in ("14", "11.5") and e["ports"])
    port = int(str(localhost_entry["ports"][0]).split("-", maxsplit=1)[0])
    target = "sub-a" if localhost_entry["product"] == "cucm" else "imp-1"
    answer = explain(result, CATALOG, "10.20.1.1", target, port, localhost_entry["transport"])
    if not answer["allowed"]:
        assert any(r["id"] == localhost_entry["id"] and "localhost only" in r["reason"] for r in answer["reasons"])
    nothing = explain(result, CATALOG, "10.20.1.1", "sub-a", 4, "tcp")
    assert nothing["reasons"] == [{"id": None, "reason": "no catalog entry documents tcp/4"}]
    with pytest.raises(FlowError, match="explain: src: 'nowhere' is neither an address nor a UC node"):
        explain(result, CATALOG, "nowhere", "sub-a", 5060, "tcp")
    with pytest.raises(FlowError, match="explain: port: 'sip' is not a port number"):
        explain(result, CATALOG, "10.20.1.1", "sub-a", "sip", "tcp")


# --- compression never changes what is permitted --------------------------------------------------------

_net = st.builds(lambda a, p: str(netaddr.IPNetwork("10.%d.%d.0/%d" % (a // 4, a % 4 * 64, p)).cidr),
                 st.integers(0, 15), st.integers(22, 26))
_ports = st.lists(st.one_of(st.integers(1, 40), st.tuples(st.integers(1, 40), st.integers(0, 6)).map(
    lambda t: "%d-%d" % (t[0], t[0] + t[1]))), min_size=1, max_size=4)
_flow = st.fixed_dictionaries({"sources": st.lists(_net, min_size=1, max_size=3), "transport": st.sampled_from(["tcp", "udp"]),
                               "ports": _ports, "from": st.sampled_from(["phone", "gateway", "cucm"])})


@settings(max_examples=60, deadline=None)
@given(st.lists(_flow, min_size=1, max_size=6), st.lists(st.tuples(st.integers(0, 4095), st.integers(0, 45),
                                                                   st.sampled_from(["tcp", "udp"])), max_size=40))
def test_host_policy_compression_keeps_permitted_tuples(raw_flows, probes):
    result = {"nodes": {"n1": {"addresses": ["10.200.0.1/32"], "cluster": "x", "product": "cucm"}},
              "management": {"sources": ["10.99.0.0/24"], "transport": "tcp", "ports": [22]}, "flows": []}
    for i, raw in enumerate(raw_flows):
        result["flows"].append({"sources": raw["sources"], "destinations": ["10.200.0.1/32"], "transport": raw["transport"],
                                "ports": raw["ports"], "catalog_ids": ["x-%d" % i], "from_roles": [raw["from"]],
                                "to_roles": ["cucm"], "dst_names": ["n1"], "description": "%s to cucm: p" % raw["from"]})
    policy = host_policy(result, "n1")
    for value, port, transport in probes:
        address = netaddr.IPAddress("10.%d.%d.%d" % (value // 1024, (value // 4) % 256, value % 4 * 60))

        def permits(rules):
            return any(r["transport"] == transport and ports_contain(r["ports"], port)
                       and any(address in netaddr.IPNetwork(s) for s in r["sources"]) for r in rules)
        assert permits(result["flows"]) == permits(policy["rules"])
