# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reply blocks of stateless (IOS) interface ACLs and the cover rule that keeps them free of duplicates."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import netaddr
import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.collab.firewall.plugins.plugin_utils.render import cisco_common
from ansible_collections.collab.firewall.plugins.plugin_utils.render.cisco_common import (
    CLIENT_PORTS,
    NetList,
    PolicyError,
    acl_blocks,
    drop_covered,
    normalize_block,
    reply_blocks,
    split_families,
)

CUCM, GW, PHONES = "10.10.1.10/32", "10.10.9.1/32", "10.20.0.0/16"


def _flow(src, dst, transport, ports=None, **extra):
    flow = {"sources": [src], "destinations": [dst], "transport": transport, "description": "test",
            "catalog_ids": ["t-1"]}
    if ports is not None:
        flow["ports"] = ports
    flow.update(extra)
    return normalize_block(flow)


def test_tcp_replies_come_from_the_service_ports_on_open_connections_only():
    (reply,) = reply_blocks([_flow(GW, CUCM, "tcp", [5060, 1720])])
    assert reply["established"] is True
    assert reply["sports"] == [(1720, 1720), (5060, 5060)]
    assert reply["ports"] == []  # to any client port
    assert [str(n) for n in reply["src"][4]] == [CUCM] and [str(n) for n in reply["dst"][4]] == [GW]
    assert reply["description"] == "replies to test"


def test_udp_replies_go_to_client_ports_and_a_privileged_service_port_to_itself():
    replies = reply_blocks([_flow(CUCM, "10.0.0.1/32", "udp", [123])])
    assert [(r["sports"], r["ports"]) for r in replies] == [([(123, 123)], [(123, 123)]),
                                                            ([(123, 123)], list(CLIENT_PORTS))]
    assert not any(r.get("established") for r in replies)


def test_udp_flow_already_answered_by_the_reverse_flow_gets_no_reply():
    forward = [_flow(GW, PHONES, "udp", ["16384-32767"])]
    assert reply_blocks([_flow(PHONES, GW, "udp", ["16384-32767"])], forward) == []
    # the reverse flow must cover the ports: a narrower one does not answer
    narrow = [_flow(GW, PHONES, "udp", ["16384-20000"])]
    assert len(reply_blocks([_flow(PHONES, GW, "udp", ["16384-32767"])], narrow)) == 1


def test_icmp_gets_the_echo_reply_and_tunnels_none():
    (reply,) = reply_blocks([_flow(CUCM, PHONES, "icmp")])
    assert reply["icmp_type"] == "echo-reply" and "sports" not in reply
    assert reply_blocks([_flow(CUCM, PHONES, "esp"), _flow(CUCM, PHONES, "gre")]) == []


def test_a_reply_covered_by_an_earlier_permit_is_dropped_and_a_wider_reply_is_not():
    any_tcp = _flow(CUCM, GW, "tcp")
    (reply,) = reply_blocks([_flow(GW, CUCM, "tcp", [5060])])
    assert drop_covered([any_tcp, reply]) == [any_tcp]
    # an earlier established-only permit does not cover a new connection
    established = _flow(CUCM, GW, "tcp", established=True, source_ports=[5060])
    plain = _flow(CUCM, GW, "tcp", [5060])
    assert drop_covered([established, plain]) == [established, plain]


def test_acl_blocks_put_the_replies_after_the_flows_and_before_the_scope_denies():
    plan = {"flows": [{"sources": [PHONES], "destinations": [CUCM], "transport": "tcp", "ports": [2000]}],
            "replies": {"flows": [{"sources": [CUCM], "destinations": [PHONES], "transport": "tcp", "ports": [80],
                                   "description": "cucm to phone"}], "management": None},
            "scope": "protect", "protect": {"to": [CUCM]}}
    blocks = acl_blocks(plan)
    kinds = [(b.get("grant", "permit"), b["description"]) for b in blocks]
    assert kinds == [("permit", ""), ("permit", "replies to cucm to phone"),
                     ("deny", "no other traffic to the UC nodes"), ("permit", "the rest of the network (scope protect)")]


@pytest.mark.parametrize("extra, message", [
    ({"transport": "icmp", "source_ports": [5]}, "cannot carry source ports"),
    ({"transport": "udp", "established": True}, "true only for tcp"),
    ({"transport": "tcp", "established": "yes"}, "must be a boolean"),
])
def test_bad_source_ports_or_established_are_errors(extra, message):
    flow = dict({"sources": [CUCM], "destinations": [GW]}, **extra)
    with pytest.raises(PolicyError, match=message):
        normalize_block(flow)


_CIDRS = st.lists(st.builds(lambda base, prefix: str(netaddr.IPNetwork("10.0.%d.0/%d" % (base, prefix)).cidr),
                            st.integers(0, 15), st.integers(20, 26)), min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(_CIDRS, _CIDRS)
def test_cover_rule_is_network_inside_network(outer, inner):
    """The cover rule on integers: every merged network of one list inside one merged network of the other."""
    out, inn = split_families(outer)[4], split_families(inner)[4]
    expected = all(any(o.first <= i.first and i.last <= o.last for o in out) for i in inn)
    assert cisco_common._covers(out, inn) == expected
    assert cisco_common._covers(list(out), list(inn)) == expected  # plain lists of networks too


def test_split_families_carry_their_text_and_integers_and_stay_fresh():
    first = split_families(["10.64.2.0/24", "10.64.0.0/24", "10.64.1.0/24", "2001:db8::/64"])
    assert isinstance(first[4], NetList)
    assert first[4].cidrs == ("10.64.0.0/23", "10.64.2.0/24") == tuple(str(n) for n in first[4])
    assert first[4].spans == {4: ((0x0A400000, 0x0A4001FF), (0x0A400200, 0x0A4002FF)), 6: ()}
    assert first[6].cidrs == ("2001:db8::/64",)
    again = split_families(["10.64.2.0/24", "10.64.0.0/24", "10.64.1.0/24", "2001:db8::/64"])
    assert again[4] == first[4] and again[4] is not first[4]  # the cache's answer, in a list of its own


def _v6(value, prefix):
    return str(netaddr.IPNetwork("%s/%d" % (netaddr.IPAddress((0x20010DB8 << 96) + value, 6), prefix)).cidr)


_MIXED = st.lists(st.one_of(
    st.builds(lambda value, prefix: str(netaddr.IPNetwork("%s/%d" % (netaddr.IPAddress(value), prefix)).cidr),
              st.integers(0x0A000000, 0x0A0003FF), st.integers(20, 32)),
    st.builds(_v6, st.integers(0, 4095), st.integers(116, 128)),
    st.sampled_from(["0.0.0.0/0", "::/0", "10.0.0.1", "2001:db8::1"])), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(_MIXED)
def test_split_families_merge_as_netaddr_does(values):
    """Merged on integers: the same networks, text and order as netaddr.cidr_merge of the parsed list."""
    cisco_common._SPLIT.clear()
    nets = [netaddr.IPNetwork(v) for v in values]
    got = split_families(values)
    for version in (4, 6):
        expected = sorted(netaddr.cidr_merge([n for n in nets if n.version == version]))
        assert list(got[version]) == expected
        assert [(n.version, n.first, n.last, str(n)) for n in got[version]] == [
            (n.version, n.first, n.last, str(n)) for n in expected]
        assert got[version].cidrs == tuple(str(n.cidr) for n in expected)
        assert got[version].spans[version] == tuple((n.first, n.last) for n in expected)
        assert not got[version].spans[10 - version]


@pytest.mark.parametrize("value, message", [
    ("10.0.0.1/24", "has host bits set (network is 10.0.0.0/24)"), ("10.0.0.300", "is not an IPv4/IPv6"),
    ("nonsense", "is not an IPv4/IPv6")])
def test_split_families_words_bad_addresses(value, message):
    with pytest.raises(PolicyError, match=re.escape(message)):
        split_families(["10.1.0.0/16", value])
