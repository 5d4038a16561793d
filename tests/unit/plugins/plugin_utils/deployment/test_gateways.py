# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What reaches a voice gateway itself: its trusted list and its own inbound ACLs, on the example inventory
and on a second one, proven with the ACL matcher over the rendered configuration read back."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import os

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from ansible_collections.collab.firewall.plugins.filter.uc_flows import uc_flows
from ansible_collections.collab.firewall.plugins.plugin_utils.acl import matcher, readers
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.gateways import (
    GatewayError,
    call_control,
    gateway_flows,
    gateway_index,
    trusted_list,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.output.tree import gateway_files, gateway_plan
from ansible_collections.collab.firewall.plugins.plugin_utils.render.ios_voice import parse_trusted_list

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", ".."))
EXAMPLE = os.path.join(ROOT, "inventory", "example")
DEFAULT_SERVICES = ["callmanager", "tftp", "cti_manager"]


def _yaml(*parts):
    path = os.path.join(EXAMPLE, *parts)
    if not os.path.exists(path):
        return {}
    with open(path) as handle:
        return yaml.safe_load(handle) or {}


def _walk(name, group, inherited, hostvars, groups):
    own = dict(inherited, **(group.get("vars") or {}))
    members = groups.setdefault(name, [])
    for host, host_vars in (group.get("hosts") or {}).items():
        hostvars.setdefault(host, {}).update(dict(own, **(host_vars or {})))
        members.append(host)
    for child, sub in (group.get("children") or {}).items():
        _walk(child, sub or {}, own, hostvars, groups)
        members.extend(groups[child])


def example_inventory():
    """inventory/example as (hostvars, groups): all.yml for every host, group vars, host vars files."""
    hostvars, groups = {}, {}
    _walk("all", _yaml("hosts.yml")["all"], _yaml("group_vars", "all.yml"), hostvars, groups)
    for host in hostvars:
        hostvars[host].update(_yaml("host_vars", host + ".yml"))
    return hostvars, groups


def second_inventory():
    """One cluster: a database-only publisher, call processing on two subscribers (one dual stack), a
    TFTP-only node, a CVP call server and a VXML-only server, one gateway (ISR G2), phones and admins."""
    common = {"uc_zones": {"phone": ["10.120.0.0/16", "2001:db8:120::/48"], "admin_workstation": ["10.199.0.0/24"],
                           "endpoint": ["10.120.0.0/16"]},
              "uc_features": ["mgcp", "h323", "secure_signaling", "sip_trunk"], "uc_release": {"cucm": "14"}}
    hosts = {
        "pub": {"ansible_host": "10.110.1.10", "uc_cluster": "c1", "uc_cucm_services": []},
        "sub-a": {"ansible_host": "10.110.1.11", "uc_address6": "2001:db8:110::11", "uc_cluster": "c1",
                  "uc_cucm_services": ["callmanager"]},
        "sub-b": {"ansible_host": "10.110.1.12", "uc_cluster": "c1", "uc_cucm_services": ["callmanager", "cti_manager"]},
        "tftp": {"ansible_host": "10.110.1.21", "uc_cluster": "c1", "uc_cucm_services": ["tftp"]},
        "cvp-cs": {"ansible_host": "10.110.4.10", "uc_cluster": "cc", "uc_cvp_roles": ["call_server"]},
        "cvp-vxml": {"ansible_host": "10.110.4.20", "uc_cluster": "cc", "uc_cvp_roles": ["vxml_server"]},
        "gw": {"ansible_host": "10.110.9.1", "uc_gateway_platform": "isr_g2",
               "ios_acl_interfaces": [{"name": "GigabitEthernet0/0", "zones": ["publisher", "subscriber", "cvp"]},
                                      {"name": "GigabitEthernet0/1", "zones": ["phone", "admin_workstation"]}]},
    }
    groups = {"publisher": ["pub"], "subscriber": ["sub-a", "sub-b", "tftp"], "cvp": ["cvp-cs", "cvp-vxml"],
              "gateways": ["gw"], "imp": [], "unity": []}
    groups["uc"] = sorted(h for g in list(groups.values()) for h in g)
    hostvars = dict((h, dict(common, **v)) for h, v in hosts.items())
    return hostvars, groups


def expected_peers(hostvars, groups):
    """Call control read straight from the inventory: callmanager nodes and CVP call servers."""
    cucm = [h for g in ("publisher", "subscriber") for h in groups.get(g, [])
            if "callmanager" in hostvars[h].get("uc_cucm_services", DEFAULT_SERVICES)]
    cvp = [h for h in groups.get("cvp", []) if "call_server" in hostvars[h].get("uc_cvp_roles", ["call_server"])]
    return sorted(cucm + cvp)


def addresses(hostvars, names):
    out = []
    for name in names:
        out.append(hostvars[name]["ansible_host"] + "/32")
        if hostvars[name].get("uc_address6"):
            out.append(hostvars[name]["uc_address6"] + "/128")
    return sorted(out)


INVENTORIES = {"example": example_inventory, "second": second_inventory}


@pytest.fixture(scope="module", params=sorted(INVENTORIES))
def inventory(request):
    hostvars, groups = INVENTORIES[request.param]()
    return request.param, hostvars, groups, uc_flows(hostvars, groups)


def test_trusted_list_holds_exactly_the_signalling_peers(inventory):
    _name, hostvars, groups, deployment = inventory
    peers = expected_peers(hostvars, groups)
    for gateway in groups["gateways"]:
        trusted = trusted_list(deployment, gateway)
        assert trusted["peers"] == peers
        assert sorted(trusted["ipv4"] + trusted["ipv6"]) == addresses(hostvars, peers)
        tftp_only = [h for h in hostvars if hostvars[h].get("uc_cucm_services") == ["tftp"]]
        assert tftp_only and not set(tftp_only) & set(trusted["peers"])
        # the rendered voice block reads back as the same entries, one line per peer address
        plan = gateway_plan(deployment, gateway, hostvars[gateway].get("ios_acl_interfaces") or [])
        parsed = parse_trusted_list(gateway_files(plan)["config.txt"])
        assert parsed["present"] and parsed["ipv4"] == trusted["ipv4"] and parsed["ipv6"] == trusted["ipv6"]
        assert len(plan["voice"]["entries"]) == len(addresses(hostvars, peers))


@pytest.mark.parametrize("services, joins", [(["callmanager"], True), (["tftp"], False), (["cti_manager"], False)])
def test_a_new_node_joins_the_list_only_with_call_processing(inventory, services, joins):
    _name, hostvars, groups, _deployment = inventory
    hostvars, groups = copy.deepcopy(hostvars), copy.deepcopy(groups)
    template = hostvars[groups["subscriber"][0]]
    hostvars["new-sub"] = dict(template, ansible_host="10.111.1.99", uc_cucm_services=services)
    hostvars["new-sub"].pop("uc_address6", None)
    groups["subscriber"].append("new-sub")
    groups["uc"].append("new-sub")
    deployment = uc_flows(hostvars, groups)
    for gateway in groups["gateways"]:
        trusted = trusted_list(deployment, gateway)
        assert ("new-sub" in trusted["peers"]) is joins
        assert ("10.111.1.99/32" in trusted["ipv4"]) is joins


def test_no_call_control_is_an_error_naming_the_gateway():
    hostvars, groups = second_inventory()
    for host in ("sub-a", "sub-b"):
        hostvars[host]["uc_cucm_services"] = ["tftp"]
    hostvars["cvp-cs"]["uc_cvp_roles"] = ["reporting"]
    deployment = uc_flows(hostvars, groups)
    with pytest.raises(GatewayError, match=r"^gw: ip address trusted list: no call-control node"):
        trusted_list(deployment, "gw")
    with pytest.raises(GatewayError, match="gw: "):
        gateway_plan(deployment, "gw", [])
    with pytest.raises(GatewayError, match="sub-a: gateways: is not a host of the gateways group"):
        call_control(deployment, "sub-a")


def test_a_gateway_without_interfaces_still_gets_its_trusted_list():
    hostvars, groups = second_inventory()
    deployment = uc_flows(hostvars, groups)
    files = gateway_files(gateway_plan(deployment, "gw", []))
    assert sorted(files) == ["config.txt", "gateway.json", "voice.txt"]
    assert files["config.txt"] == files["voice.txt"]
    assert files["voice.txt"].startswith("voice service voip\n ip address trusted list\n  ipv4 10.110.1.11\n")


def _acls(plan):
    device = plan["device"]
    return dict(((afi, name), aces) for (afi, name), aces in
                readers.ios_aces(device["acls"], device["object_group_lines"]).items())


def _verdict(lists, plan, interface, src, dst, transport, port):
    acl = [a for a in plan["acls"] if a["interface"] == interface][0]
    key = ("ipv6", acl["name6"]) if ":" in src else ("ipv4", acl["name"])
    return matcher.evaluate(lists[key], src, dst, transport, port)[0]


def _host(cidr):
    return str(matcher.netaddr.IPNetwork(cidr).network + (1 if matcher.netaddr.IPNetwork(cidr).size > 2 else 0))


def test_gateway_acl_permits_what_reaches_it_and_denies_other_signalling(inventory):
    _name, hostvars, groups, deployment = inventory
    tftp_only = [h for h in hostvars if hostvars[h].get("uc_cucm_services") == ["tftp"]][0]
    for gateway in groups["gateways"]:
        interfaces = hostvars[gateway]["ios_acl_interfaces"]
        plan = gateway_plan(deployment, gateway, interfaces)
        lists = _acls(plan)
        gw = hostvars[gateway]["ansible_host"]
        checked = 0
        for acl in plan["acls"]:
            behind = matcher.netaddr.IPSet(acl["behind"])
            for flow in plan["flows"]:
                for src, dst, transport, port in matcher.flow_probes(flow):
                    if src in behind:
                        assert _verdict(lists, plan, acl["interface"], str(src), str(dst), transport, port) == "permit", \
                            (gateway, acl["interface"], flow["description"], src, port)
                        checked += 1
        assert checked > 10
        peers = trusted_list(deployment, gateway)["peers"]
        inside = [i["name"] for i in interfaces if set(i["zones"]) & {"subscriber", "publisher"}][0]
        phones = [i["name"] for i in interfaces if "phone" in i["zones"]][0]
        sub = hostvars[[p for p in peers if p in groups["subscriber"]][0]]["ansible_host"]
        admin = _host(deployment["management"]["sources"][0])
        phone = _host(deployment["zones"]["phone"][0])
        tftp = hostvars[tftp_only]["ansible_host"]
        permitted = [(inside, sub, "tcp", 1720), (inside, sub, "tcp", 5060), (inside, sub, "udp", 5060),
                     (inside, sub, "udp", 2427), (phones, admin, "tcp", 22)]
        denied = [(phones, phone, "udp", 5060), (phones, phone, "tcp", 5060), (phones, phone, "tcp", 1720),
                  (phones, phone, "udp", 2427), (phones, phone, "tcp", 22), (inside, tftp, "udp", 5060),
                  (inside, tftp, "tcp", 5060), (inside, tftp, "tcp", 1720), (inside, "192.0.2.7", "udp", 5060),
                  (phones, "198.51.100.7", "tcp", 5061)]
        for interface, src, transport, port in permitted:
            assert _verdict(lists, plan, interface, src, gw, transport, port) == "permit", (gateway, src, port)
        for interface, src, transport, port in denied:
            assert _verdict(lists, plan, interface, src, gw, transport, port) == "deny", (gateway, src, port)


def test_signalling_from_other_nodes_is_listed_not_permitted():
    hostvars, groups = example_inventory()
    deployment = uc_flows(hostvars, groups)
    cut = gateway_flows(deployment, "gw-hq-1")
    imp = sorted(hostvars[h]["ansible_host"] for h in groups["imp"])
    assert imp and cut["excluded"]
    for flow in cut["flows"]:
        assert not matcher.netaddr.IPSet(flow["sources"]) & matcher.netaddr.IPSet(imp), flow
        assert flow["destinations"] == ["10.10.9.1/32"]
    assert all("not call control" in e["reason"] for e in cut["excluded"])


def test_the_change_diff_shows_a_gateways_new_trusted_peer():
    from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
    from ansible_collections.collab.firewall.plugins.plugin_utils.output.tree import deployment_tree
    from ansible_collections.collab.firewall.plugins.plugin_utils.report.diff import diff_trees

    hostvars, groups = second_inventory()
    trees = []
    for extra in (False, True):
        hv, gr = copy.deepcopy(hostvars), copy.deepcopy(groups)
        if extra:
            hv["sub-c"] = dict(hv["sub-b"], ansible_host="10.110.1.13", uc_cucm_services=["callmanager"])
            gr["subscriber"].append("sub-c")
            gr["uc"].append("sub-c")
        options = {"interfaces": hv["gw"]["ios_acl_interfaces"]}
        trees.append(deployment_tree(uc_flows(hv, gr), load_catalog(), {}, {}, gateways={"gw": options}))
    diff = diff_trees(*trees)
    gateway = [d for d in diff["devices"] if d["device"] == "gw"][0]
    assert " ipv4 10.110.1.13" in gateway["lines_added"]
    assert not [line for line in gateway["lines_removed"] if line.startswith(" ipv4 ") or line.startswith(" ipv6 ")]
    assert gateway["acls"]  # the new peer's signalling and media in the gateway's ACL


def test_a_shared_index_plans_every_gateway_as_alone(inventory):
    """The main job plans all gateways from one gateway_index: the same plans and files as one at a time, and
    an index made for another deployment is not used."""
    _name, hostvars, groups, deployment = inventory
    index = gateway_index(deployment)
    other = gateway_index(dict(copy.deepcopy(deployment), flows=[]))  # used by mistake, the plans would lack flows
    for gateway in groups["gateways"]:
        interfaces = hostvars[gateway].get("ios_acl_interfaces") or []
        alone = gateway_plan(deployment, gateway, interfaces)
        assert gateway_plan(deployment, gateway, interfaces, index=index) == alone
        assert gateway_plan(deployment, gateway, interfaces, index=other) == alone
        assert gateway_files(gateway_plan(deployment, gateway, interfaces, index=index)) == gateway_files(alone)
        assert alone["trusted_list"]["peers"] and alone["flows"]


def _uncovered_one_by_one(flows, candidate):
    """The rule of gateways._uncovered written plainly: each source keeps the ports no earlier flow of the same
    transport whose sources hold it permits."""
    import netaddr
    from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import format_ranges, port_ranges
    left = {}
    for source in candidate["sources"]:
        ports = port_ranges(candidate["ports"])
        for flow in flows:
            if flow["transport"] == candidate["transport"] and netaddr.IPSet([source]).issubset(
                    netaddr.IPSet(flow["sources"])):
                have = port_ranges(flow["ports"])
                ports = [r for r in ports if not any(s <= r[0] and r[1] <= e for s, e in have)]
        if ports:
            left.setdefault(tuple(ports), []).append(source)
    return [dict(candidate, sources=sources, ports=format_ranges(list(ports))) for ports, sources in sorted(left.items())]


_HOSTS = ["10.110.1.%d/32" % i for i in range(10, 18)] + ["2001:db8:110::%d/128" % i for i in range(1, 4)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(_HOSTS + ["10.110.1.8/29", "10.110.1.16/30"]), min_size=1,
                                   max_size=6, unique=True),
                          st.sampled_from(["udp", "tcp"]),
                          st.lists(st.sampled_from([5060, 5061, "5060-5061", 2427]), min_size=1, max_size=2)),
                max_size=5),
       st.lists(st.sampled_from(_HOSTS), min_size=1, max_size=len(_HOSTS), unique=True))
def test_reverse_flows_keep_what_no_earlier_flow_permits(earlier, targets):
    """Sources handled in groups give what each source handled alone gives."""
    from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import address_cidrs
    from ansible_collections.collab.firewall.plugins.plugin_utils.deployment import gateways
    flows = [{"sources": address_cidrs(sources), "transport": transport, "ports": ports}
             for sources, transport, ports in earlier]
    candidate = {"sources": address_cidrs(targets), "transport": "udp", "ports": ["5060-5061", 2427]}
    assert gateways._uncovered(flows, candidate) == _uncovered_one_by_one(flows, candidate)
