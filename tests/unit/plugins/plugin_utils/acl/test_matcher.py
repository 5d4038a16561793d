# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import netaddr
import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.collab.firewall.plugins.plugin_utils.acl import readers
from ansible_collections.collab.firewall.plugins.plugin_utils.acl.matcher import (
    AclEvalError,
    address_ranges,
    evaluate,
    port_number,
    shadowed_aces,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.acl.readers import (
    asa_aces, ios_aces, ios_device_acls, parse_ios_object_groups)


@pytest.mark.parametrize(
    "name, transport, number",
    [
        ("sip", "tcp", 5060), ("sip", "udp", 5060), ("www", "tcp", 80), ("tftp", "udp", 69),
        ("https", "tcp", 443), ("ftp", "tcp", 21), ("ssh", "tcp", 22), ("ldap", "tcp", 389),
        ("ldaps", "tcp", 636), ("snmp", "udp", 161), ("snmptrap", "udp", 162), ("ntp", "udp", 123),
        ("domain", "udp", 53), ("domain", None, 53), ("h323", "tcp", 1720), ("syslog", "udp", 514),
        ("smtp", "tcp", 25), ("imap4", "tcp", 143), ("cmd", "tcp", 514), ("isakmp", "udp", 500),
        ("5061", "tcp", 5061), (8080, "udp", 8080),
    ],
)
def test_port_names(name, transport, number):
    assert port_number(name, transport) == number


@pytest.mark.parametrize(
    "value, transport, message",
    [("tftp", "tcp", "unknown port name 'tftp'"), ("nope", None, "unknown port name 'nope'"),
     ("70000", "tcp", "'70000' is outside"), (True, "tcp", "True is not a number")],
)
def test_port_name_errors(value, transport, message):
    with pytest.raises(AclEvalError) as err:
        port_number(value, transport)
    assert message in str(err.value)


ASA = """object-group network SRC
 network-object 10.0.0.0 255.0.0.0
 network-object 2001:db8::/32
object-group network DST
 network-object host 192.0.2.1
 group-object SRC2
object-group network SRC2
 network-object host 2001:db8:ffff::1
object-group service SVC tcp
 port-object eq sip
 port-object range 16384 16390
object-group service MIX
 service-object udp destination eq tftp
 service-object esp
access-list A remark first
access-list A line 2 extended permit tcp object-group SRC object-group DST object-group SVC
access-list A extended deny tcp any any eq www
access-list A extended permit tcp any4 any4 gt 1023
access-list A extended permit object-group MIX any any
access-list A extended permit udp host 10.9.9.9 eq 53 any inactive
access-list A extended deny ip any any
""".splitlines()


@pytest.mark.parametrize(
    "packet, expected",
    [
        (("10.1.2.3", "192.0.2.1", "tcp", 5060), ("permit", 0)),
        (("2001:db8::1", "2001:db8:ffff::1", "tcp", 16390), ("permit", 0)),
        (("10.1.2.3", "192.0.2.1", "tcp", 16391), ("permit", 2)),  # gt 1023, not the group
        (("10.1.2.3", "192.0.2.1", "tcp", 80), ("deny", 1)),  # first match wins
        (("2001:db8::1", "2001:db8::2", "tcp", 5000), ("deny", 6)),  # any4 does not match IPv6; MIX expanded to 2 Aces
        (("10.1.2.3", "192.0.2.9", "udp", 69), ("permit", 3)),
        (("2001:db8::1", "2001:db8::2", "esp", None), ("permit", 4)),
        (("10.9.9.9", "10.1.1.1", "udp", 53), ("deny", 6)),  # inactive ACE skipped
    ],
)
def test_asa_first_match(packet, expected):
    assert evaluate(asa_aces(ASA, name="A"), *packet) == expected


IOS_CONFIG = [
    {"afi": "ipv4", "acls": [{"name": "I", "acl_type": "extended", "aces": [
        {"sequence": 10, "remarks": ["x"], "grant": "permit", "protocol": "tcp",
         "source": {"object_group": "G"}, "destination": {"any": True, "port_protocol": {"eq": "www"}}},
        {"sequence": 20, "grant": "deny", "protocol": "tcp", "source": {"address": "10.1.0.0", "wildcard_bits": "0.0.255.255"},
         "destination": {"any": True}},
        {"sequence": 30, "grant": "permit", "protocol": "tcp", "source": {"host": "10.1.1.1"},
         "destination": {"any": True, "port_protocol": {"eq": "80"}}},
        {"sequence": 40, "grant": "permit", "protocol": "udp", "source": {"any": True},
         "destination": {"any": True, "port_protocol": {"range": {"start": 100, "end": 200}}}},
        {"sequence": 50, "grant": "permit", "protocol": "udp", "source": {"address": "10.0.0.0", "wildcard_bits": "0.255.255.255"},
         "destination": {"any": True, "port_protocol": {"eq": "150"}}},
    ]}]},
    {"afi": "ipv6", "acls": [{"name": "I", "aces": [
        {"sequence": 10, "remarks": ["r"]},
        {"sequence": 20, "grant": "permit", "protocol": "icmp", "source": {"any": True}, "destination": {"any": True}},
    ]}]},
]
IOS_GROUPS = ["object-group network G", " description test", " host 10.1.1.1", " 10.2.0.0 255.255.0.0",
              "object-group v6-network G6", " 2001:db8::/32"]


def test_ios_eval_and_shadowing():
    aces = ios_aces(IOS_CONFIG, IOS_GROUPS, name="I", afi="ipv4")
    assert evaluate(aces, "10.2.3.4", "1.1.1.1", "tcp", 80) == ("permit", 0)
    assert evaluate(aces, "10.1.9.9", "1.1.1.1", "tcp", 80) == ("deny", 1)
    assert evaluate(aces, "10.3.0.1", "1.1.1.1", "tcp", 80) == ("deny", None)
    shadow = shadowed_aces(aces)
    assert [s["index"] for s in shadow] == [2, 4]
    assert shadow[0]["shadowed_by"] == [0] and shadow[0]["conflict"] is False
    assert shadow[1]["shadowed_by"] == [3]
    six = ios_aces(IOS_CONFIG, IOS_GROUPS, name="I", afi="ipv6")
    assert evaluate(six, "2001:db8::1", "2001:db8::2", "icmp") == ("permit", 0)


def test_shadowing_by_union_and_conflict():
    lines = [
        "access-list B extended permit tcp 10.0.0.0 255.255.255.128 any eq 22",
        "access-list B extended deny tcp 10.0.0.128 255.255.255.128 any range 1 100",
        "access-list B extended permit tcp 10.0.0.0 255.255.255.0 any eq 22",
        "access-list B extended permit tcp 10.0.0.0 255.255.255.0 any eq 23",
    ]
    shadow = shadowed_aces(asa_aces(lines, name="B"))
    assert shadow == [{"index": 2, "ace": lines[2], "shadowed_by": [0, 1], "conflict": True}]


def test_ios_object_group_parse():
    groups = parse_ios_object_groups(IOS_GROUPS)
    assert "10.2.255.255" in groups["G"] and "2001:db8::9" in groups["G6"]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: ios_aces(IOS_CONFIG, [], name="I", afi="ipv4"), "object-group 'G' is not defined"),
        (lambda: ios_aces(IOS_CONFIG, IOS_GROUPS, name="X", afi="ipv4"), "ACL 'X' (ipv4) not found"),
        (lambda: asa_aces(["access-list Z standard permit host 10.0.0.1"]), "only extended"),
        (lambda: asa_aces(["access-list Z extended permit tcp object-group NOPE any"]), "'NOPE' is not defined"),
        (lambda: evaluate([], "10.0.0.1", "2001:db8::1", "tcp", 1), "mixes IPv4 and IPv6"),
        (lambda: evaluate([], "10.0.0.1", "10.0.0.2", "ip", None), "must be one protocol"),
        (lambda: ios_aces([{"afi": "ipv4", "acls": [{"name": "W", "aces": [
            {"grant": "permit", "protocol": "ip", "source": {"address": "10.0.0.0", "wildcard_bits": "0.255.0.255"},
             "destination": {"any": True}}]}]}]), "non-contiguous wildcard '0.255.0.255'"),
    ],
)
def test_errors(call, message):
    with pytest.raises(AclEvalError) as err:
        call()
    assert message in str(err.value)


def test_established_ace_matches_open_connections_only_and_reads_back_from_ios_acls():
    config = [{"afi": "ipv4", "acls": [{"name": "R", "aces": [
        {"sequence": 10, "grant": "permit", "protocol": "tcp", "protocol_options": {"tcp": {"established": True}},
         "source": {"host": "10.10.1.10", "port_protocol": {"eq": "5060"}}, "destination": {"any": True}},
    ]}]}]
    aces = ios_aces(config, name="R", afi="ipv4")
    assert evaluate(aces, "10.10.1.10", "10.10.9.1", "tcp", 40000, sport=5060, established=True)[0] == "permit"
    assert evaluate(aces, "10.10.1.10", "10.10.9.1", "tcp", 40000, sport=5060)[0] == "deny"  # a SYN
    assert evaluate(aces, "10.10.1.10", "10.10.9.1", "tcp", 40000, sport=5061, established=True)[0] == "deny"
    with pytest.raises(AclEvalError, match="only a tcp packet"):
        evaluate(aces, "10.10.1.10", "10.10.9.1", "udp", 40000, established=True)


def test_an_established_ace_does_not_shadow_a_later_plain_one():
    config = [{"afi": "ipv4", "acls": [{"name": "R", "aces": [
        {"sequence": 10, "grant": "permit", "protocol": "tcp", "protocol_options": {"tcp": {"established": True}},
         "source": {"any": True}, "destination": {"any": True}},
        {"sequence": 20, "grant": "permit", "protocol": "tcp", "source": {"any": True}, "destination": {"any": True}},
        {"sequence": 30, "grant": "permit", "protocol": "tcp", "protocol_options": {"tcp": {"established": True}},
         "source": {"host": "10.0.0.1"}, "destination": {"any": True}},
    ]}]}]
    aces = ios_aces(config, name="R", afi="ipv4")
    assert [s["index"] for s in shadowed_aces(aces)] == [2]


def _v6(value, prefix):
    return str(netaddr.IPNetwork("%s/%d" % (netaddr.IPAddress((0x20010DB8 << 96) + value, 6), prefix)).cidr)


_MEMBERS = st.lists(st.one_of(
    st.builds(lambda value: "host %s" % netaddr.IPAddress(value), st.integers(0x0A000000, 0x0A00FFFF)),
    # address and mask, host bits set at times (both readers take the network, as netaddr does)
    st.builds(lambda value, prefix: "%s %s" % (netaddr.IPAddress(value), netaddr.IPNetwork("0.0.0.0/%d" % prefix).netmask),
              st.integers(0x0A000000, 0x0A00FFFF), st.integers(8, 32)),
    st.builds(_v6, st.integers(0, 0xFFFF), st.integers(100, 128)),
), min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(_MEMBERS)
def test_object_groups_read_to_the_addresses_netaddr_reads(members):
    """Object-group members read straight to intervals hold exactly what a netaddr set of them holds."""
    expected = netaddr.IPSet()
    for member in members:
        words = member.split()
        expected |= netaddr.IPSet([words[1] if words[0] == "host" else "/".join(words)])
    lines = ["object-group network G"] + [" " + m for m in members if ":" not in m]
    lines += ["object-group v6-network G6"] + [" " + m for m in members if ":" in m]
    groups = parse_ios_object_groups(lines)
    assert groups["G"] | groups["G6"] == expected
    ranges = readers._ios_group_ranges(lines)
    assert tuple(sorted(ranges["G"] + ranges["G6"])) == address_ranges(expected)
    asa_lines = ["object-group network A"] + [" network-object " + m for m in members]
    assert readers.parse_asa_object_groups(asa_lines)[0]["A"] == expected


# cisco.ios.ios_acls parses "permit icmp any any nd-ns" as "permit icmp any any": this is what it returns
ND_TEXT = """ipv6 access-list E-V6
 sequence 10 remark neighbour discovery
 sequence 20 permit icmp any any nd-ns
 permit icmp any any nd-na sequence 30
 sequence 40 permit icmp any host 2001:db8::1 echo-request
 sequence 50 deny ipv6 any any log
"""
ND_PARSED = [{"afi": "ipv6", "acls": [{"name": "E-V6", "aces": [
    {"sequence": 10, "remarks": ["neighbour discovery"]},
    {"sequence": 20, "grant": "permit", "protocol": "icmp", "source": {"any": True}, "destination": {"any": True}},
    {"grant": "permit", "protocol": "icmp", "source": {"any": True}, "destination": {"any": True}},
    {"sequence": 40, "grant": "permit", "protocol": "icmp", "source": {"any": True},
     "destination": {"host": "2001:db8::1"}},
    {"sequence": 50, "grant": "deny", "protocol": "ipv6", "source": {"any": True}, "destination": {"any": True}},
]}]}]


def test_the_running_config_gives_back_the_icmpv6_types_the_module_drops():
    blind = ios_aces(ND_PARSED, name="E-V6", afi="ipv6")
    assert evaluate(blind, "2001:db8::5", "2001:db8::7", "icmp", "echo") == ("permit", 0)   # what the module says
    aces = ios_device_acls(ND_PARSED, ND_TEXT)[("ipv6", "E-V6")]
    assert evaluate(aces, "2001:db8::5", "2001:db8::7", "icmp", "nd-ns") == ("permit", 0)
    assert evaluate(aces, "2001:db8::5", "ff02::1", "icmp", 136) == ("permit", 1)
    assert evaluate(aces, "2001:db8::5", "2001:db8::7", "icmp", "echo") == ("deny", 3)
    assert evaluate(aces, "2001:db8::5", "2001:db8::1", "icmp", "echo") == ("permit", 2)
    assert [a.text.split(None, 2)[2] for a in aces][:2] == ["icmp any any nd-ns", "icmp any any nd-na"]
    # a parsed config that lost an entry cannot be tied to the text: an error, not a guess
    short = [{"afi": "ipv6", "acls": [dict(ND_PARSED[0]["acls"][0], aces=ND_PARSED[0]["acls"][0]["aces"][:3])]}]
    with pytest.raises(AclEvalError, match="cannot tell which ICMPv6 entries"):
        ios_device_acls(short, ND_TEXT)
