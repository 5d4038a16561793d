# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import parse_port_item
from ansible_collections.collab.firewall.plugins.plugin_utils.acl import matcher, readers
from ansible_collections.collab.firewall.plugins.plugin_utils.render.cisco_common import (
    PolicyError,
    port_clause,
    split_remark,
    wildcard_mask,
    parse_network,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.render.ios import render_ios

FLOWS = [
    {
        "sources": ["10.20.0.0/16", "10.30.0.0/16", "2001:db8:20::/48"],
        "destinations": ["10.1.1.10/32", "10.1.1.12/32", "2001:db8::10/128"],
        "transport": "tcp",
        "ports": [2000, "5060-5061"],
        "catalog_ids": ["cucm-6-01-tcp", "cucm-6-04-tcp"],
        "description": "phone to cucm",
    },
    {
        "sources": ["10.20.0.0/16"],
        "destinations": ["10.1.1.10/32"],
        "transport": "udp",
        "ports": ["16384-32767"],
        "catalog_ids": ["rtp-1"],
        "description": "rtp",
    },
    {
        "sources": ["2001:db8:20::/48"],
        "destinations": ["2001:db8::10/128"],
        "transport": "gre",
        "ports": [],
        "catalog_ids": ["gre-1"],
    },
]
MGMT = {"sources": ["192.0.2.0/24"]}


def v4_acl(out):
    return out["acls"][0]["acls"][0]


def v6_acl(out):
    return out["acls"][1]["acls"][0]


def test_full_text():
    out = render_ios(FLOWS, "UC-IN", management=MGMT, log_deny=True)
    og = out["object_groups"][0]["name"]
    assert out["lines"] == [
        "object-group network %s" % og,
        " 10.20.0.0 255.255.0.0",
        " 10.30.0.0 255.255.0.0",
        "object-group network %s" % out["object_groups"][1]["name"],
        " host 10.1.1.10",
        " host 10.1.1.12",
        "ip access-list extended UC-IN",
        " 10 remark management",
        " 10 permit tcp 192.0.2.0 0.0.0.255 any eq 22",
        " 20 remark phone to cucm: cucm-6-01-tcp cucm-6-04-tcp",
        " 20 permit tcp object-group %s object-group %s eq 2000" % (og, out["object_groups"][1]["name"]),
        " 30 permit tcp object-group %s object-group %s range 5060 5061" % (og, out["object_groups"][1]["name"]),
        " 40 remark rtp: rtp-1",
        " 40 permit udp 10.20.0.0 0.0.255.255 host 10.1.1.10 range 16384 32767",
        " 50 remark default deny",
        " 50 deny ip any any log",
        "ipv6 access-list UC-IN-V6",
        " sequence 10 remark phone to cucm: cucm-6-01-tcp cucm-6-04-tcp",
        " sequence 20 permit tcp 2001:db8:20::/48 host 2001:db8::10 eq 2000",
        " sequence 30 permit tcp 2001:db8:20::/48 host 2001:db8::10 range 5060 5061",
        " sequence 40 remark gre-1",
        " sequence 50 permit 47 2001:db8:20::/48 host 2001:db8::10",
        " sequence 60 remark default deny",
        " sequence 70 deny ipv6 any any log",
    ]
    assert out["object_group_lines"] == out["lines"][:6]
    assert [g["afi"] for g in out["object_groups"]] == ["ipv4", "ipv4"]
    assert all(g["name"].startswith("UC-NET-") and g["type"] == "network" for g in out["object_groups"])


def test_structure_matches_ios_acls_shape():
    out = render_ios(FLOWS, "UC-IN", management=MGMT)
    acl = v4_acl(out)
    assert acl["acl_type"] == "extended" and acl["name"] == "UC-IN"
    first = acl["aces"][0]
    assert first == {
        "sequence": 10,
        "remarks": ["management"],
        "grant": "permit",
        "protocol": "tcp",
        "source": {"address": "192.0.2.0", "wildcard_bits": "0.0.0.255"},
        "destination": {"any": True, "port_protocol": {"eq": "22"}},
    }
    assert acl["aces"][-1] == {
        "sequence": 50, "remarks": ["default deny"], "grant": "deny", "protocol": "ip",
        "source": {"any": True}, "destination": {"any": True},
    }
    assert acl["aces"][3]["destination"]["port_protocol"] == {"range": {"start": 16384, "end": 32767}}
    six = v6_acl(out)
    assert "acl_type" not in six
    assert six["aces"][0] == {"sequence": 10, "remarks": ["phone to cucm: cucm-6-01-tcp cucm-6-04-tcp"]}
    assert six["aces"][4]["protocol_options"] == {"protocol_number": 47}


def test_sequences_strictly_increase_and_remarks_precede():
    out = render_ios(FLOWS, "UC-IN", management=MGMT)
    for fam in (v4_acl(out), v6_acl(out)):
        seqs = [a["sequence"] for a in fam["aces"]]
        assert seqs == sorted(set(seqs)) and seqs[0] == 10 and all(s % 10 == 0 for s in seqs)


def test_deterministic_and_names_from_content():
    a = render_ios(FLOWS, "UC-IN", management=MGMT)
    b = render_ios([dict(f) for f in FLOWS], "UC-IN", management=dict(MGMT))
    assert a == b
    reordered = dict(FLOWS[0], sources=list(reversed(FLOWS[0]["sources"])))
    c = render_ios([reordered] + FLOWS[1:], "UC-IN", management=MGMT)
    assert c == a  # member order does not change group names


@pytest.mark.parametrize("count", [2, 5, 40])
def test_rule_count_independent_of_source_count(count):
    sources = ["10.%d.%d.0/24" % (i // 100, (i % 100) * 2) for i in range(count)]
    flow = dict(FLOWS[0], sources=sources)
    out = render_ios([flow], "UC")
    assert len(v4_acl(out)["aces"]) == 3  # eq 2000, range 5060 5061, deny
    assert len(out["object_groups"][0]["members"]) == count


def test_without_object_groups_expands():
    out = render_ios(FLOWS[:1], "UC", use_object_groups=False)
    assert out["object_groups"] == [] and out["object_group_lines"] == []
    assert len(v4_acl(out)["aces"]) == 2 * 2 * 2 + 1
    assert not any("object-group" in line for line in out["lines"])


def test_any_source():
    flow = dict(FLOWS[1], sources=["0.0.0.0/0"])
    out = render_ios([flow], "UC")
    assert " 10 permit udp any host 10.1.1.10 range 16384 32767" in out["lines"]


def test_ports_always_numbers():
    flow = dict(FLOWS[1], transport="tcp", ports=[80, 443, 22, "8080-8081"])
    text = "\n".join(render_ios([flow], "UC")["lines"])
    assert "eq 80" in text and "eq 443" in text and "eq 22" in text and "range 8080 8081" in text
    assert not re.search(r"eq [a-z]", text)


def test_long_remark_split_deterministically():
    ids = ["catalog-id-%03d-tcp" % i for i in range(20)]
    flow = dict(FLOWS[1], catalog_ids=ids)
    out = render_ios([flow], "UC")
    remarks = v4_acl(out)["aces"][0]["remarks"]
    assert len(remarks) > 1 and all(len(r) <= 100 for r in remarks)
    assert " ".join(remarks) == "rtp: " + " ".join(sorted(ids))
    remark_lines = [line for line in out["lines"] if "remark" in line and "default" not in line]
    assert all(line.startswith(" 10 remark ") for line in remark_lines[: len(remarks)])


@pytest.mark.parametrize(
    "text, width, expected",
    [
        ("a b c", 3, ["a b", "c"]),
        ("x" * 7, 3, ["xxx", "xxx", "x"]),
        ("  spaced   out ", 100, ["spaced out"]),
    ],
)
def test_split_remark(text, width, expected):
    assert split_remark(text, width) == expected


@pytest.mark.parametrize("rng, text", [((22, 22), "eq 22"), ((5060, 5061), "range 5060 5061")])
def test_port_clause(rng, text):
    assert port_clause(*rng) == text


@pytest.mark.parametrize("cidr, mask", [("10.0.0.0/8", "0.255.255.255"), ("10.1.1.1/32", "0.0.0.0")])
def test_wildcard(cidr, mask):
    assert wildcard_mask(parse_network(cidr)) == mask


@pytest.mark.parametrize(
    "flows, kwargs, message",
    [
        (FLOWS, {"name": "1bad"}, "ACL name '1bad'"),
        (FLOWS, {"name": "has space"}, "ACL name 'has space'"),
        ([dict(FLOWS[0], transport="sctp")], {}, "transport 'sctp'"),
        ([dict(FLOWS[0], ports=["70000"])], {}, "port '70000' is outside"),
        ([dict(FLOWS[0], ports=["10-5"])], {}, "port range '10-5' starts after"),
        ([dict(FLOWS[0], ports=["sip"])], {}, "port 'sip' is neither"),
        ([dict(FLOWS[2], ports=[47])], {}, "transport 'gre' cannot carry ports"),
        ([dict(FLOWS[0], sources=["10.0.0.1/8"])], {}, "'10.0.0.1/8' has host bits"),
        ([dict(FLOWS[0], sources=["nonsense"])], {}, "'nonsense' is not an IPv4/IPv6"),
        ([dict(FLOWS[0], sources=[])], {}, "has no sources"),
        ("not a list", {}, "must be a list"),
        (FLOWS, {"management": ["192.0.2.0/24"]}, "management ['192.0.2.0/24'] is not a dict"),
        (FLOWS, {"log_deny": "yes"}, "log_deny 'yes'"),
    ],
)
def test_errors(flows, kwargs, message):
    kwargs = dict({"name": "UC"}, **kwargs)
    name = kwargs.pop("name")
    with pytest.raises(PolicyError) as err:
        render_ios(flows, name, **kwargs)
    assert message in str(err.value)


# --- evaluator proofs -------------------------------------------------------------------------

def _sample_hosts(cidr):
    net = ipaddress.ip_network(cidr)
    return [str(net.network_address), str(net.broadcast_address)]


def _ios_lists(out):
    return (
        readers.ios_aces(out["acls"], out["object_group_lines"], name="UC-IN", afi="ipv4"),
        readers.ios_aces(out["acls"], out["object_group_lines"], name="UC-IN-V6", afi="ipv6"),
    )


def _eval(lists, src, dst, transport, port):
    aces = lists[0] if ":" not in src else lists[1]
    return matcher.evaluate(aces, src, dst, transport, port)[0]


def sample_packets(flow):
    """(src, dst, transport, port) probes of a flow: first and last addresses, range edges, same family."""
    ports = [edge for item in flow["ports"] for edge in parse_port_item(item)]
    for src in [h for s in flow["sources"] for h in _sample_hosts(s)]:
        for dst in [h for d in flow["destinations"] for h in _sample_hosts(d)]:
            if (":" in src) == (":" in dst):
                for port in ports or [None]:
                    yield src, dst, flow["transport"], port


def test_every_flow_permitted_and_others_denied():
    out = render_ios(FLOWS, "UC-IN", management=MGMT)
    lists = _ios_lists(out)
    for flow in FLOWS + [dict(MGMT, transport="tcp", ports=[22], destinations=["10.9.9.9/32"])]:
        for packet in sample_packets(flow):
            assert _eval(lists, *packet) == "permit", packet
    denied = [
        ("10.20.0.1", "10.1.1.10", "tcp", 5062),
        ("10.20.0.1", "10.1.1.10", "tcp", 1999),
        ("10.20.0.1", "10.1.1.10", "udp", 16383),
        ("10.20.0.1", "10.1.1.10", "udp", 32768),
        ("10.40.0.1", "10.1.1.10", "tcp", 2000),
        ("10.20.0.1", "10.1.1.11", "tcp", 2000),
        ("10.20.0.1", "10.1.1.10", "gre", None),
        ("2001:db8:21::1", "2001:db8::10", "gre", None),
        ("192.0.2.1", "10.1.1.10", "tcp", 23),
        ("2001:db8:20::1", "2001:db8::10", "udp", 16384),
    ]
    for pkt in denied:
        assert _eval(lists, *pkt) == "deny", pkt


# --- property: rendering keeps the set of permitted tuples -----------------------------------

V4_POOL = ["10.0.0.0/8", "10.1.0.0/16", "10.1.1.0/24", "10.1.1.5/32", "172.16.0.0/12", "192.168.7.0/24"]
V6_POOL = ["2001:db8::/32", "2001:db8:1::/48", "2001:db8:1::5/128", "fd00::/8"]
PORT_POOL = [22, 53, 80, "5060-5061", "16384-32767", 5062, "1000-1002"]
TRANSPORTS = ["tcp", "udp", "icmp", "gre", "esp", "ah"]


@st.composite
def flow_strategy(draw):
    transport = draw(st.sampled_from(TRANSPORTS))
    ports = draw(st.lists(st.sampled_from(PORT_POOL), max_size=3)) if transport in ("tcp", "udp") else []
    srcs = draw(st.lists(st.sampled_from(V4_POOL + V6_POOL), min_size=1, max_size=4))
    dsts = draw(st.lists(st.sampled_from(V4_POOL + V6_POOL), min_size=1, max_size=3))
    return {"sources": srcs, "destinations": dsts, "transport": transport, "ports": ports,
            "catalog_ids": ["id-%d" % draw(st.integers(0, 9))]}


def _expected(flows, src, dst, transport, port):
    s, d = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    for f in flows:
        if f["transport"] != transport:
            continue
        if not any(s in ipaddress.ip_network(n) for n in f["sources"]):
            continue
        if not any(d in ipaddress.ip_network(n) for n in f["destinations"]):
            continue
        if not f["ports"]:
            return "permit"
        for p in f["ports"]:
            lo, hi = parse_port_item(p)
            if port is not None and int(lo) <= port <= int(hi or lo):
                return "permit"
    return "deny"


PACKET_V4 = ["10.1.1.5", "10.1.1.6", "10.1.2.1", "10.2.0.0", "172.31.255.255", "192.168.7.1", "8.8.8.8"]
PACKET_V6 = ["2001:db8:1::5", "2001:db8:1::6", "2001:db8:2::1", "fd12::1", "2002::1"]
PACKET_PORTS = [None, 22, 53, 80, 5059, 5060, 5061, 5062, 999, 1000, 1002, 1003, 16384, 32767, 32768]


@settings(max_examples=60, deadline=None)
@given(flows=st.lists(flow_strategy(), min_size=1, max_size=4), use_og=st.booleans())
def test_property_permitted_set_preserved(flows, use_og):
    out = render_ios(flows, "UC-IN", use_object_groups=use_og)
    lists = _ios_lists(out)
    for pool in (PACKET_V4, PACKET_V6):
        for src in pool:
            for dst in pool:
                for transport in TRANSPORTS:
                    for port in PACKET_PORTS if transport in ("tcp", "udp") else [None]:
                        got = _eval(lists, src, dst, transport, port)
                        assert got == _expected(flows, src, dst, transport, port), (src, dst, transport, port)


def test_source_ports_and_established_render_and_read_back():
    from ansible_collections.collab.firewall.plugins.plugin_utils.render.ios import render_device
    plan = {"name": "UC-GI0-3-OUT", "name6": "UC-GI0-3-OUT-V6", "interface": "GigabitEthernet0/3",
            "direction": "out", "scope": "strict", "flows": [],
            "replies": {"flows": [{"sources": ["10.10.9.1/32"], "destinations": ["10.10.1.10/32"], "transport": "tcp",
                                   "ports": ["5060-5061"], "description": "gateway to cucm"}]}}
    device = render_device([plan])
    assert " 10 permit tcp host 10.10.1.10 range 5060 5061 host 10.10.9.1 established" in device["lines"]
    ace = device["acls"][0]["acls"][0]["aces"][0]
    assert ace["protocol_options"] == {"tcp": {"established": True}}
    assert ace["source"]["port_protocol"] == {"range": {"start": 5060, "end": 5061}}
    aces = readers.ios_aces(device["acls"], name="UC-GI0-3-OUT", afi="ipv4")
    assert matcher.permits(aces, "10.10.1.10", "10.10.9.1", "tcp", 51000, sport=5061, established=True)
    assert not matcher.permits(aces, "10.10.1.10", "10.10.9.1", "tcp", 51000, sport=5061)


def test_neighbour_discovery_by_type_and_the_push_view():
    """IOS ND entries are 'permit icmp any any <type>' first in every IPv6 ACL; the push view hands ios_acls
    the two the module cannot write as it reads them back, and ios_config blocks write them."""
    from ansible_collections.collab.firewall.plugins.plugin_utils.render.ios import module_view, render_device
    plan = {"name": "UC-GI0-1-IN", "name6": "UC-GI0-1-IN-V6", "interface": "GigabitEthernet0/1", "direction": "in",
            "scope": "strict", "flows": [{"sources": ["2001:db8:20::/64"], "destinations": ["2001:db8:1::10/128"],
                                          "transport": "tcp", "ports": [2000], "description": "phone to cucm"}]}
    device = render_device([plan], log_deny=True)
    v6 = device["acls"][1]["acls"][0]["aces"]
    typed = [a["protocol_options"]["icmp"] for a in [a for a in v6 if a.get("grant")][:4]]
    assert typed == [{"nd_ns": True}, {"nd_na": True}, {"router_solicitation": True}, {"router_advertisement": True}]
    assert [a for a in v6 if a.get("grant")][-1]["grant"] == "deny"
    assert device["nd_blocks"] == [{"parents": ["ipv6 access-list UC-GI0-1-IN-V6"],
                                    "lines": ["sequence 20 permit icmp any any nd-ns",
                                              "sequence 40 permit icmp any any nd-na"]}]
    view = device["module_acls"][1]["acls"][0]["aces"]
    assert [a for a in view if a.get("sequence") in (20, 40)] == [
        {"grant": "permit", "protocol": "icmp", "source": {"any": True}, "destination": {"any": True}, "sequence": s}
        for s in (20, 40)]
    assert [a for a in view if a.get("sequence") not in (20, 40)] == [a for a in v6 if a.get("sequence") not in (20, 40)]
    assert device["module_acls"][0] == device["acls"][0]
    # only 'any any' ND entries can be written that way
    narrow = dict(v6[1], source={"host": "2001:db8::1"})
    with pytest.raises(PolicyError, match="only 'any any'"):
        module_view([{"afi": "ipv6", "acls": [{"name": "X-V6", "aces": [narrow]}]}])
