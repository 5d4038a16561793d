# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.collab.firewall.plugins.plugin_utils.acl import matcher, readers
from ansible_collections.collab.firewall.plugins.plugin_utils.render.asa import render_asa
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.tests.unit.plugins.plugin_utils.render.test_ios import (
    FLOWS,
    MGMT,
    PACKET_PORTS,
    PACKET_V4,
    PACKET_V6,
    TRANSPORTS,
    _expected,
    flow_strategy,
    sample_packets,
)


def test_full_text():
    out = render_asa(FLOWS, "UC-IN", interface="inside", management=MGMT, log_deny=True)
    lines = out["lines"]
    groups = [line.split()[2] for line in lines if line.startswith("object-group")]
    src, dst, svc = groups[0], groups[1], groups[2]
    assert lines[:9] == [
        "object-group network %s" % src,
        " network-object 10.20.0.0 255.255.0.0",
        " network-object 10.30.0.0 255.255.0.0",
        " network-object 2001:db8:20::/48",
        "object-group network %s" % dst,
        " network-object host 10.1.1.10",
        " network-object host 10.1.1.12",
        " network-object host 2001:db8::10",
        "object-group service %s tcp" % svc,
    ]
    assert src.startswith("UC-NET-") and svc.startswith("UC-SVC-")
    assert "access-list UC-IN remark management" in lines
    assert "access-list UC-IN extended permit tcp 192.0.2.0 255.255.255.0 any4 eq 22" in lines
    assert "access-list UC-IN extended permit tcp object-group %s object-group %s object-group %s" % (
        src, dst, svc) in lines
    assert "access-list UC-IN extended permit udp 10.20.0.0 255.255.0.0 host 10.1.1.10 range 16384 32767" in lines
    assert lines[-2:] == [
        "access-list UC-IN extended deny ip any any log informational",
        "access-group UC-IN in interface inside",
    ]
    acl = out["acls"]["acls"][0]
    assert [a["line"] for a in acl["aces"]] == list(range(1, len(acl["aces"]) + 1))
    assert acl["aces"][0] == {"line": 1, "remark": "management"}
    assert [o["object_type"] for o in out["ogs"]] == ["network", "service"]
    svc_og = out["ogs"][1]["object_groups"][0]
    assert svc_og == {"name": svc, "protocol": "tcp",
                      "port_object": [{"eq": "2000"}, {"range": {"start": "5060", "end": "5061"}}]}


def test_icmp_split_per_family_and_ipv6_covered():
    flow = {"sources": ["10.0.0.0/8", "2001:db8::/32"], "destinations": ["0.0.0.0/0", "::/0"],
            "transport": "icmp", "ports": [], "catalog_ids": ["ping"]}
    lines = render_asa([flow], "UC")["lines"]
    body = [line for line in lines if " extended permit" in line]
    assert len(body) == 2
    assert body[0].split()[4] == "icmp" and body[1].split()[4] == "icmp6"
    assert body[0].endswith(" any")


@pytest.mark.parametrize("dst, keyword", [(["0.0.0.0/0"], "any4"), (["::/0"], "any6"),
                                          (["0.0.0.0/0", "::/0"], "any")])
def test_any_keywords(dst, keyword):
    flow = {"sources": ["10.0.0.0/8", "2001:db8::/32"], "destinations": dst, "transport": "esp"}
    body = [line for line in render_asa([flow], "UC")["lines"] if "permit" in line][0]
    assert body.endswith(" " + keyword)


def test_deterministic_and_no_port_names():
    a = render_asa(FLOWS, "UC", management=MGMT)
    assert a == render_asa([dict(f) for f in FLOWS], "UC", management=dict(MGMT))
    text = "\n".join(a["lines"])
    assert not re.search(r"(eq|range) [a-z]", text)


@pytest.mark.parametrize("count", [2, 10, 50])
def test_rule_count_independent_of_source_count(count):
    sources = ["10.%d.%d.0/24" % (i // 100, (i % 100) * 2) for i in range(count)] + ["2001:db8:9::/48"]
    out = render_asa([dict(FLOWS[0], sources=sources)], "UC")
    assert len([line for line in out["lines"] if " extended " in line]) == 2


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"name": "bad name"}, "ACL name 'bad name'"),
        ({"interface": "in side"}, "interface name 'in side'"),
        ({"flows": [dict(FLOWS[0], transport="sctp")]}, "transport 'sctp'"),
        ({"flows": [dict(FLOWS[0], destinations=["10.0.0.0/33"])]}, "'10.0.0.0/33'"),
        ({"flows": {"unexpected": 1}}, "must be a list"),
    ],
)
def test_errors(kwargs, message):
    args = dict({"flows": FLOWS, "name": "UC"}, **kwargs)
    with pytest.raises(PolicyError) as err:
        render_asa(args.pop("flows"), args.pop("name"), **args)
    assert message in str(err.value)


def test_every_flow_permitted_and_others_denied():
    out = render_asa(FLOWS, "UC-IN", management=MGMT)
    aces = readers.asa_aces(out["lines"], name="UC-IN")
    for flow in FLOWS:
        for packet in sample_packets(flow):
            assert matcher.permits(aces, *packet), packet
    for pkt in [("10.20.0.1", "10.1.1.10", "tcp", 5062), ("10.20.0.1", "10.1.1.10", "udp", 32768),
                ("2001:db8:21::1", "2001:db8::10", "tcp", 2000), ("192.0.2.1", "10.1.1.10", "tcp", 23),
                ("192.0.2.1", "10.1.1.10", "udp", 22), ("10.20.0.1", "10.1.1.10", "gre", None)]:
        assert not matcher.permits(aces, *pkt), pkt


@settings(max_examples=60, deadline=None)
@given(flows=st.lists(flow_strategy(), min_size=1, max_size=4))
def test_property_permitted_set_preserved(flows):
    aces = readers.asa_aces(render_asa(flows, "UC-IN")["lines"], name="UC-IN")
    for pool in (PACKET_V4, PACKET_V6):
        for src in pool:
            for dst in pool:
                for transport in TRANSPORTS:
                    for port in PACKET_PORTS if transport in ("tcp", "udp") else [None]:
                        got = matcher.evaluate(aces, src, dst, transport, port)[0]
                        assert got == _expected(flows, src, dst, transport, port), (src, dst, transport, port)


@pytest.mark.parametrize("direction", ["in", "out"])
def test_access_group_direction(direction):
    out = render_asa(FLOWS, "UC-X", interface="inside", direction=direction)
    assert out["lines"][-1] == "access-group UC-X %s interface inside" % direction


def test_bad_direction():
    with pytest.raises(PolicyError, match="direction 'both' is not in or out"):
        render_asa(FLOWS, "UC-X", interface="inside", direction="both")


def test_source_ports_one_ace_per_range_read_back_by_the_matcher():
    flow = {"sources": ["10.1.3.10/32"], "destinations": ["10.1.7.123/32"], "transport": "udp", "ports": [123],
            "source_ports": [123, "5000-5001"], "catalog_ids": []}
    out = render_asa([flow], "UC")
    body = [line for line in out["lines"] if " extended permit" in line]
    assert body == ["access-list UC extended permit udp host 10.1.3.10 eq 123 host 10.1.7.123 eq 123",
                    "access-list UC extended permit udp host 10.1.3.10 range 5000 5001 host 10.1.7.123 eq 123"]
    aces = [ace for ace in out["acls"]["acls"][0]["aces"] if "grant" in ace]
    assert aces[1]["source"] == {"host": "10.1.3.10", "port_protocol": {"range": {"start": 5000, "end": 5001}}}
    read = readers.asa_aces(out["lines"], "UC")
    assert matcher.permits(read, "10.1.3.10", "10.1.7.123", "udp", 123, sport=5001)
    assert not matcher.permits(read, "10.1.3.10", "10.1.7.123", "udp", 123, sport=124)
