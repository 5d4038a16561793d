# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Proofs for the interface ACLs of the example inventory and a second inventory with site entries
(tests/integration/inventory_site): every packet is decided by the collection's one matcher (acl.matcher)
over what the readers (acl.readers) make of the rendered device configuration.

The assertions are properties, not fixed ACE lists: they hold whatever flows the catalog yields.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import importlib.util
import os

import netaddr
import pytest

from uc_inventory import ROOT, deployment, load_inventory  # tests/lib, registered by tests/integration/conftest.py

from ansible_collections.collab.firewall.plugins.plugin_utils.acl.audit import audit_device, management_cuts
from ansible_collections.collab.firewall.plugins.plugin_utils.acl.matcher import evaluate, flow_probes, shadowed_aces
from ansible_collections.collab.firewall.plugins.plugin_utils.acl.readers import asa_device_acls, ios_device_acls
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.interfaces import AclFlowError
from ansible_collections.collab.firewall.plugins.plugin_utils.render.platforms import device_plan

EXAMPLE = os.path.join(ROOT, "inventory", "example")
SITE = os.path.join(ROOT, "tests", "integration", "inventory_site")
DEVICES = {EXAMPLE: (("rtr-core-1", "ios"), ("asa-dc-1", "asa")), SITE: (("rtr-a", "ios"), ("fw-a", "asa"))}
NAME = r"^UC-[A-Z0-9][A-Z0-9_.\-]*$"


def _plan(result, hostvars, host, platform, interfaces=None):
    hv = hostvars[host]
    return device_plan(result, interfaces or hv["%s_acl_interfaces" % platform], host, platform=platform,
                       log_deny=bool(hv.get("%s_acl_log_deny" % platform, False)),
                       scope=hv.get("%s_acl_scope" % platform, "protect"),
                       device={"addresses": [hv["ansible_host"]], "sources": []})


@pytest.fixture(scope="module", params=[EXAMPLE, SITE], ids=["example", "site"])
def rendered(request):
    hostvars, _groups = load_inventory(request.param)
    result = deployment(request.param)
    plans = dict((host, _plan(result, hostvars, host, platform)) for host, platform in DEVICES[request.param])
    return result, plans


def read(plan):
    """{acl name: (ipv4 ACEs, ipv6 ACEs)} of a rendered device, read back by the audit's readers."""
    device = plan["device"]
    if plan["platform"] == "ios":
        lists = ios_device_acls(device["acls"], device["object_group_lines"])
        return dict((a["name"], (lists[("ipv4", a["name"])], lists[("ipv6", a["name6"])])) for a in plan["acls"])
    lists = asa_device_acls(device["acls"], device["ogs"])
    return dict((a["name"], (lists[a["name"]], lists[a["name"]])) for a in plan["acls"])


def decide(aces, src, dst, transport, port=None):
    lists = aces[0] if netaddr.IPAddress(src).version == 4 else aces[1]
    return evaluate(lists, src, dst, transport, port)


def _host_in(cidrs, version):
    for cidr in cidrs:
        net = netaddr.IPNetwork(cidr)
        if net.version == version:
            return str(netaddr.IPAddress(net.first + 1 if net.size > 2 else net.first, version))
    return None


def _uc_addresses(result):
    return netaddr.IPSet(a for node in result["nodes"].values() for a in node["addresses"])


def _flow_covers(plan, src, dst, transport, port):
    for flow in plan["flows"] + ([plan["management"]] if plan["management"] else []):
        if flow["transport"] != transport:
            continue
        if netaddr.IPAddress(src) not in netaddr.IPSet(flow["sources"]) or \
                netaddr.IPAddress(dst) not in netaddr.IPSet(flow["destinations"]):
            continue
        if not flow.get("ports"):
            return True
        for item in flow["ports"]:
            low, _sep, high = str(item).partition("-")
            if int(low) <= port <= int(high or low):
                return True
    return False


def test_every_required_flow_is_permitted(rendered):
    result, plans = rendered
    for plan in plans.values():
        acls = read(plan)
        for acl in plan["acls"]:
            for flow in acl["flows"]:
                for src, dst, transport, port in flow_probes(flow, limit=16):
                    assert decide(acls[acl["name"]], src, dst, transport, port)[0] == "permit", (acl["name"], flow)


def test_scope_protect_passes_other_traffic_and_strict_does_not(rendered):
    result, plans = rendered
    nodes = _uc_addresses(result)
    seen = set()
    for plan in plans.values():
        acls = read(plan)
        for acl in plan["acls"]:
            if acl["direction"] != "in":  # the site entries of both inventories leave these packets alone
                continue
            src = _host_in(acl["behind"], 4)
            if netaddr.IPAddress(src) in nodes:
                # a UC node's own traffic beyond its flows is closed too ("from the UC nodes")
                assert decide(acls[acl["name"]], src, "192.0.2.10", "udp", 53)[0] == "deny", acl["name"]
                continue
            for dst, transport, port in (("192.0.2.10", "udp", 53), ("198.51.100.7", "tcp", 443)):
                action = decide(acls[acl["name"]], src, dst, transport, port)[0]
                assert action == ("permit" if acl["scope"] == "protect" else "deny"), (acl["name"], dst)
                seen.add(acl["scope"])
    assert "protect" in seen


def test_other_traffic_to_uc_nodes_is_denied(rendered):
    result, plans = rendered
    nodes = _uc_addresses(result)
    checked = 0
    for plan in plans.values():
        acls = read(plan)
        for acl in plan["acls"]:
            if acl["direction"] != "in":
                continue
            src = _host_in(acl["behind"], 4)
            for cidr in nodes.iter_cidrs():
                dst = str(cidr.ip)
                if cidr.version != 4 or netaddr.IPAddress(dst) in netaddr.IPSet(acl["behind"]):
                    continue
                for transport, port in (("tcp", 1500), ("tcp", 31337), ("udp", 9999)):
                    if _flow_covers(acl, src, dst, transport, port):
                        continue
                    assert decide(acls[acl["name"]], src, dst, transport, port)[0] == "deny", (acl["name"], dst, port)
                    checked += 1
    assert checked > 10


ND_PACKETS = (
    ("fe80::1", "ff02::1:ff00:10", 135),  # neighbour solicitation
    ("::", "ff02::1:ff00:10", 135),  # duplicate address detection
    ("fe80::2", "fe80::1", 136),  # neighbour advertisement
    ("2001:db8:50::5", "fe80::1", 136),  # advertisement from a global address to the router's link-local one
    ("fe80::1", "ff02::1", 134),  # router advertisement
    ("::", "ff02::2", 133),  # router solicitation before an address
)
# What a real router also sees on an interface (IOS filters ND to the router itself): solicitations and
# advertisements between global addresses (address resolution and reachability probes of the router's global
# address, the answer to a router that solicits from its global address), unsolicited advertisements to all
# nodes, a router solicitation from a link-local address. The ASA's access-groups see no ND to the ASA itself
# (docs/network-roles.md, "Neighbour discovery"), so these are required from the IOS ACLs.
ND_PACKETS_GLOBAL = (
    ("2001:db8:20::10", "2001:db8:20::1", 135),  # reachability probe of the router's global address
    ("2001:db8:20::10", "2001:db8:20::1", 136),  # advertisement answering the router's global solicitation
    ("2001:db8:20::10", "ff02::1:ff00:1", 135),  # address resolution from a global address
    ("2001:db8:20::10", "ff02::1", 136),  # unsolicited advertisement
    ("fe80::10", "ff02::2", 133),  # router solicitation from a link-local address
)
NOT_ND = (
    ("2001:db8:20::10", "2001:db8:20::1", 128),  # an echo request is not neighbour discovery
    ("fe80::10", "2001:db8:1::10", 1),
)


def test_neighbour_discovery_is_permitted_before_any_deny(rendered):
    result, plans = rendered
    for plan in plans.values():
        acls = read(plan)
        packets = ND_PACKETS + (ND_PACKETS_GLOBAL if plan["platform"] == "ios" else ())
        for acl in plan["acls"]:
            v6 = acls[acl["name"]][1]
            first_deny = min([i for i, ace in enumerate(v6) if ace.action == "deny"] or [len(v6)])
            for src, dst, icmp_type in packets:
                action, index = evaluate(v6, src, dst, "icmp", icmp_type)
                assert action == "permit" and index < first_deny, (acl["name"], src, dst, icmp_type)


def test_ios_selects_neighbour_discovery_by_type_for_any_address(rendered):
    """The IOS ND entries are 'permit icmp any any <type>': they match ND from and to every address and nothing
    else (an echo request or an unreachable is decided by the entries after them)."""
    result, plans = rendered
    for plan in plans.values():
        if plan["platform"] != "ios":
            continue
        lines = plan["device"]["lines"]
        for acl in plan["acls"]:
            body = lines[lines.index("ipv6 access-list %s" % acl["name6"]) + 1:]
            entries = [line.split(None, 2)[2] for line in body[:8] if " remark " not in line]
            assert entries == ["permit icmp any any nd-ns", "permit icmp any any nd-na",
                               "permit icmp any any router-solicitation", "permit icmp any any router-advertisement"]
            v6 = read(plan)[acl["name"]][1]
            for src, dst, icmp_type in NOT_ND:
                assert evaluate(v6, src, dst, "icmp", icmp_type)[1] not in (0, 1, 2, 3), (acl["name"], src, dst)


def test_no_duplicate_or_shadowed_ace_and_the_audit_of_the_rendering_is_clean(rendered):
    result, plans = rendered
    for plan in plans.values():
        for name, (v4, v6) in read(plan).items():
            assert not shadowed_aces(v4) and not shadowed_aces(v6), name
        device = plan["device"]
        report = audit_device(plan, plan["platform"], device["acls"], "\n".join(device["lines"]), ogs=device.get("ogs"))
        assert report["summary"]["clean"], report["summary"]
        assert not management_cuts(plan)


def test_object_group_names_are_readable_unique_and_short(rendered):
    result, plans = rendered
    for plan in plans.values():
        device = plan["device"]
        if plan["platform"] == "ios":
            names = [g["name"] for g in device["object_groups"]]
        else:
            names = [g["name"] for kind in device["ogs"] for g in kind["object_groups"]]
        assert len(names) == len(set(names))
        for name in names:
            assert len(name) <= 64
            pytest.importorskip("re").match(NAME, name) or pytest.fail(name)
        # most names carry no hash: a hash is only a collision suffix
        hashed = [n for n in names if len(n.rsplit("-", 1)[-1]) == 6 and not n.rsplit("-", 1)[-1].isalpha()]
        assert len(hashed) * 4 <= len(names), hashed


def _groups(plan):
    device = plan["device"]
    if plan["platform"] == "ios":
        return dict((g["name"], tuple(g["members"])) for g in device["object_groups"])
    return dict((g["name"], repr(g)) for kind in device["ogs"] for g in kind["object_groups"])


def test_names_are_stable_when_an_unrelated_zone_changes():
    hostvars, groups = load_inventory(EXAMPLE)
    before = deployment(EXAMPLE)
    changed = copy.deepcopy(before)
    changed["zones"]["browser"] = changed["zones"]["browser"] + ["10.41.0.0/16"]
    for host, platform in DEVICES[EXAMPLE]:
        old, new = _groups(_plan(before, hostvars, host, platform)), _groups(_plan(changed, hostvars, host, platform))
        by_content = dict((members, name) for name, members in new.items())
        same = [name for name, members in old.items() if members in by_content]
        assert len(same) >= len(old) // 2
        for name in same:
            assert by_content[old[name]] == name, name


def test_site_entries_come_before_and_after_the_uc_entries():
    hostvars, _groups = load_inventory(SITE)
    plan = _plan(deployment(SITE), hostvars, "rtr-a", "ios")
    acls = read(plan)["UC-GI0-1-IN"]
    phone = "10.50.3.4"
    assert decide(acls, phone, "10.1.6.67", "udp", 67)[0] == "permit"  # site_before: DHCP relay
    assert decide(acls, phone, "10.1.6.5", "tcp", 23)[0] == "deny"  # site_before deny beats scope protect
    assert decide(acls, phone, "10.1.6.5", "tcp", 80)[0] == "permit"  # scope protect: the rest passes
    assert decide(acls, phone, "192.0.2.1", "icmp")[0] == "permit"  # site_after
    strict = read(plan)["UC-GI0-3-IN"]
    assert decide(strict, "10.1.9.1", "192.0.2.1", "tcp", 443)[0] == "deny"  # scope strict
    text = "\n".join(plan["device"]["lines"])
    assert "remark site: DHCP relay" in text and "remark site: OSPF from the user VLAN router" in text
    asa = read(_plan(deployment(SITE), hostvars, "fw-a", "asa"))["UC-OUTSIDE-IN"]
    assert decide(asa, "10.99.0.5", "192.0.2.9", "udp", 161)[0] == "permit"
    assert decide(asa, "10.60.1.1", "10.1.6.9", "tcp", 443)[0] == "deny"  # site_after deny


def test_site_entries_with_source_ports_and_open_connections():
    hostvars, _groups = load_inventory(SITE)
    result = deployment(SITE)
    acls = read(_plan(result, hostvars, "rtr-a", "ios"))
    gateway_in = acls["UC-GI0-3-IN"][0]
    # the gateway's answers from port 443 to the NMS, on an open connection only (strict scope denies the rest)
    assert evaluate(gateway_in, "10.1.9.1", "10.99.0.7", "tcp", 50000, sport=443, established=True)[0] == "permit"
    assert evaluate(gateway_in, "10.1.9.1", "10.99.0.7", "tcp", 50000, sport=443)[0] == "deny"
    assert evaluate(gateway_in, "10.1.9.1", "10.99.0.7", "tcp", 50000, sport=23, established=True)[0] == "deny"
    assert evaluate(gateway_in, "10.1.9.1", "10.99.0.7", "udp", 40000, sport=161)[0] == "permit"
    assert evaluate(gateway_in, "10.1.9.1", "10.99.0.7", "udp", 80, sport=161)[0] == "deny"
    asa = read(_plan(result, hostvars, "fw-a", "asa"))["UC-INSIDE-IN"][0]
    assert evaluate(asa, "10.1.3.10", "10.1.7.123", "udp", 123, sport=123)[0] == "permit"
    assert evaluate(asa, "10.1.3.10", "10.1.7.123", "udp", 123, sport=40000)[0] == "deny"
    asa_text = "\n".join(_plan(result, hostvars, "fw-a", "asa")["device"]["lines"])
    assert "extended permit udp host 10.1.3.10 eq 123 host 10.1.7.123 eq 123" in asa_text


def test_established_is_refused_on_a_stateful_firewall():
    hostvars, _groups = load_inventory(SITE)
    interfaces = [{"name": "GigabitEthernet0/5", "nameif": "dmz", "zones": ["phone"], "site_before": [
        {"action": "permit", "protocol": "tcp", "source": "any", "destination": "any", "established": True}]}]
    with pytest.raises(AclFlowError) as exc:
        device_plan(deployment(SITE), interfaces, "fw-a", "asa_acl_interfaces", platform="asa")
    assert str(exc.value).startswith("fw-a: asa_acl_interfaces[0].site_before[0].established: this platform is "
                                     "stateful"), str(exc.value)


@pytest.mark.parametrize("entry, message", [
    ({"action": "allow", "protocol": "tcp", "source": "any", "destination": "any"}, "site_before[0].action: 'allow'"),
    ({"action": "permit", "protocol": "ospfv3", "source": "any", "destination": "any"}, "site_before[0].protocol"),
    ({"action": "permit", "protocol": "ospf", "source": "any", "destination": "any", "ports": [1]},
     "site_before[0].ports: only tcp and udp"),
    ({"action": "permit", "protocol": "tcp", "source": "phones", "destination": "any"},
     "site_before[0].source: 'phones' is not 'any', a zone name or an address/CIDR"),
    ({"action": "permit", "protocol": "tcp", "source": "10.0.0.1/8", "destination": "any"}, "has host bits set"),
    ({"action": "permit", "protocol": "tcp", "source": "any"}, "site_before[0].destination: is required"),
    ({"action": "permit", "protocol": "tcp", "source": "any", "destination": "any", "color": 1}, "unknown key(s) color"),
    ({"action": "permit", "protocol": "icmp", "source": "any", "destination": "any", "source_ports": [7]},
     "site_before[0].source_ports: only tcp and udp"),
    ({"action": "permit", "protocol": "tcp", "source": "any", "destination": "any", "source_ports": "22"},
     "site_before[0].source_ports: must be a list"),
    ({"action": "permit", "protocol": "udp", "source": "any", "destination": "any", "established": True},
     "site_before[0].established: only tcp entries"),
    ({"action": "permit", "protocol": "tcp", "source": "any", "destination": "any", "established": "yes"},
     "site_before[0].established: must be true or false"),
    ({"action": "permit", "protocol": "tcp", "source": "any", "destination": "any", "remark": "the NMS's polls"},
     "site_before[0].remark: leave out quotes"),
])
def test_bad_site_entries_name_host_interface_and_entry(entry, message):
    hostvars, _groups = load_inventory(SITE)
    interfaces = [{"name": "GigabitEthernet0/9", "zones": ["phone"], "site_before": [entry]}]
    with pytest.raises(AclFlowError) as exc:
        device_plan(deployment(SITE), interfaces, "rtr-a", "ios_acl_interfaces", platform="ios")
    assert str(exc.value).startswith("rtr-a: ios_acl_interfaces[0].") and message in str(exc.value), str(exc.value)


def test_an_acl_that_would_cut_the_management_of_the_device_is_an_error():
    hostvars, _groups = load_inventory(SITE)
    result = deployment(SITE)
    interfaces = [{"name": "Gi0/2", "zones": ["admin_workstation"], "scope": "strict",
                   "site_before": [{"action": "deny", "protocol": "tcp", "source": "admin_workstation",
                                    "destination": "10.1.254.1", "ports": [22], "remark": "oops"}]}]
    plan = device_plan(result, interfaces, "rtr-a", platform="ios", device={"addresses": ["10.1.254.1"], "sources": []})
    assert not management_cuts(plan)  # the device's own management comes first
    plan["device"]["acls"][0]["acls"][0]["aces"].pop(0)  # without it, the site deny cuts SSH to the router
    cuts = management_cuts(plan)
    assert cuts and "10.99.0.1 -> 10.1.254.1 tcp/22 is denied by" in cuts[0]


def _mutated(plan, mutate):
    device = copy.deepcopy(plan["device"])
    mutate(device["acls"][0]["acls"][0]["aces"])
    return audit_device(plan, "ios", device["acls"], "\n".join(device["lines"]))


def test_the_exact_audit_finds_injected_faults():
    hostvars, _groups = load_inventory(SITE)
    plan = _plan(deployment(SITE), hostvars, "rtr-a", "ios")
    name = plan["acls"][0]["name"]
    first_flow = next(i for i, ace in enumerate(plan["device"]["acls"][0]["acls"][0]["aces"])
                      if "destination" in ace and "port_protocol" in ace["destination"] and ace["grant"] == "permit"
                      and "DHCP" not in " ".join(ace.get("remarks") or []))

    def drop(aces):
        del aces[first_flow]

    def extra(aces):
        aces.insert(0, {"sequence": 1, "grant": "permit", "protocol": "tcp", "source": {"any": True},
                        "destination": {"host": "10.1.0.10", "port_protocol": {"eq": "1500"}}})

    def shadow(aces):
        copy_of = dict(aces[first_flow], sequence=aces[-1]["sequence"] + 5)
        copy_of.pop("remarks", None)
        aces.insert(len(aces) - 1, copy_of)

    missing = _mutated(plan, drop)
    assert missing["summary"]["missing"] == 1 and missing["summary"]["extra"] == 0
    assert missing["acls"][0]["name"] == name and missing["acls"][0]["missing"][0]["pairs"]
    more = _mutated(plan, extra)
    assert more["summary"]["extra"] == 1 and more["acls"][0]["extra"][0]["ace"].startswith("1 permit tcp any host 10.1.0.10")
    assert "phone -> publisher" in more["acls"][0]["extra"][0]["pairs"] and more["zone_pairs"]
    shadowed = _mutated(plan, shadow)
    assert shadowed["summary"]["shadowed"] == 1 and shadowed["summary"]["missing"] == 0
    clean = _mutated(plan, lambda aces: None)
    assert clean["summary"]["clean"]


def _synthetic():
    path = os.path.join(ROOT, "bench", "synthetic.py")
    spec = importlib.util.spec_from_file_location("bench_synthetic", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_large_deployment_renders_without_duplicates_and_audits_clean():
    """The benchmark's large deployment, scaled down to keep the suite short (bench/audit.py runs it whole)."""
    synthetic = _synthetic()
    result = synthetic.flows(synthetic.large(clusters=6, phones=300, gateways=20))
    for host, (platform, interfaces) in synthetic.LARGE_DEVICES.items():
        plan = device_plan(result, interfaces, host, platform=platform, device={"addresses": ["10.254.0.1"], "sources": []})
        device = plan["device"]
        report = audit_device(plan, platform, device["acls"], "\n".join(device["lines"]), ogs=device.get("ogs"))
        assert report["summary"]["clean"], (host, report["summary"])


def _reply_packets(flow):
    """The answers to a flow's probe packets: (src, dst, transport, dport, sport, established)."""
    for src, dst, transport, port in flow_probes(flow, limit=32):
        if transport == "tcp":
            yield str(dst), str(src), "tcp", 50000, port, True
        elif transport == "udp":
            yield str(dst), str(src), "udp", 50000, port, False
        elif transport == "icmp":
            yield str(dst), str(src), "icmp", "echo-reply", None, False


def _peer_answer(acl, lists, src, dst):
    for flow in acl["flows"]:
        if flow["transport"] != "udp" or not flow.get("ports"):
            continue
        if _flow_covers({"flows": [flow], "management": None}, src, dst, "udp", _first_port(flow)):
            return evaluate(lists, src, dst, "udp", _first_port(flow))
    return ("deny", None)


def _first_port(flow):
    return int(str(flow["ports"][0]).split("-", maxsplit=1)[0])


def _check_replies(plan):
    """Every answer to a connection crossing an IOS ACL the other way passes it; the same packet as the
    first segment of a new TCP connection does not, unless a flow of this direction permits it."""
    acls, checked = read(plan), 0
    for acl in plan["acls"]:
        v4, v6 = acls[acl["name"]]
        answered = acl["replies"]["flows"] + ([acl["replies"]["management"]] if acl["replies"]["management"] else [])
        for flow in answered:
            for src, dst, transport, dport, sport, established in _reply_packets(flow):
                lists = v4 if netaddr.IPAddress(src).version == 4 else v6
                verdict = evaluate(lists, src, dst, transport, dport, sport, established)
                if verdict[0] != "permit" and transport == "udp":
                    # a peer protocol (RTP, SIP over UDP): the answer goes to the port the peer listens on,
                    # which the flow of this direction permits
                    verdict = _peer_answer(acl, lists, src, dst)
                assert verdict[0] == "permit", (plan["host"], acl["name"], flow["description"], src, dst, sport)
                checked += 1
                if established and not _flow_covers(acl, src, dst, "tcp", dport):
                    assert evaluate(lists, src, dst, "tcp", dport, sport)[0] == "deny", (acl["name"], src, dst, sport)
    return checked


def test_ios_acls_let_the_answers_of_connections_from_the_other_side_back(rendered):
    result, plans = rendered
    checked = 0
    for plan in plans.values():
        if plan["platform"] != "ios":
            assert all("replies" not in acl for acl in plan["acls"])  # the ASA tracks connections itself
            continue
        checked += _check_replies(plan)
    assert checked > 20


def test_a_gateways_own_acls_answer_what_the_gateway_starts():
    from ansible_collections.collab.firewall.plugins.plugin_utils.output.tree import gateway_plan
    hostvars, _groups = load_inventory(EXAMPLE)
    result = deployment(EXAMPLE)
    plan = gateway_plan(result, "gw-hq-1", hostvars["gw-hq-1"]["ios_acl_interfaces"])
    assert _check_replies(plan) > 10
    # the gateway fetches VXML over HTTP from the CVP servers: the answers come back through Gi0/0/0
    acl = [a for a in plan["acls"] if a["interface"] == "GigabitEthernet0/0/0"][0]
    v4 = read(plan)[acl["name"]][0]
    cvp = [a for n, node in result["nodes"].items() if n.startswith("cvp-call") for a in node["addresses"]][0]
    vxml = [f for f in acl["replies"]["flows"] if "cvp_vxml_server" in f["description"] and f["transport"] == "tcp"]
    assert vxml, "no gateway-to-CVP flow crosses the data-centre interface"
    port = _first_port(vxml[0])
    gw = hostvars["gw-hq-1"]["ansible_host"]
    assert evaluate(v4, cvp.split("/")[0], gw, "tcp", 50123, port, True)[0] == "permit"
    assert evaluate(v4, cvp.split("/")[0], gw, "tcp", 50123, port)[0] == "deny"


@pytest.mark.parametrize("gateway", ["gw-hq-1", "gw-branch-1"])
def test_a_gateways_own_acls_have_no_duplicate_or_shadowed_ace(gateway):
    from ansible_collections.collab.firewall.plugins.plugin_utils.output.tree import gateway_plan
    hostvars, _groups = load_inventory(EXAMPLE)
    hv = hostvars[gateway]
    # the management sources reach the gateway itself: its SSH is both device management and UC management
    plan = gateway_plan(deployment(EXAMPLE), gateway, hv["ios_acl_interfaces"],
                        device_addresses=[hv["ansible_host"]], admin_sources=["10.99.0.0/24"])
    for name, (v4, v6) in read(plan).items():
        assert not shadowed_aces(v4) and not shadowed_aces(v6), (gateway, name, shadowed_aces(v4))


@pytest.mark.parametrize("gateway", ["gw-hq-1", "gw-branch-1"])
def test_a_gateways_object_groups_are_named_by_product_and_cluster(gateway):
    from ansible_collections.collab.firewall.plugins.plugin_utils.output.tree import gateway_plan
    hostvars, _groups = load_inventory(EXAMPLE)
    plan = gateway_plan(deployment(EXAMPLE), gateway, hostvars[gateway]["ios_acl_interfaces"])
    names = [g["name"] for g in plan["device"]["object_groups"]]
    assert "UC-CVP" in names and "UC-CUCM-BRANCH.CUCM-HQ-CALLMANAGER" in names, names
    # no node-by-node names cut short with a hash (the view holds the gateway alone)
    assert not [n for n in names if "CUCM-SUB-" in n or len(n) > 40], names
