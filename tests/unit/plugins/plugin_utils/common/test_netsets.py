# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import netaddr
import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.collab.firewall.plugins.plugin_utils.common import netsets
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import (
    AddressError,
    PortError,
    address_cidrs,
    address_spans,
    intersect_intervals,
    interval_cidrs,
    interval_inside,
    ipv4_interval,
    merge_networks,
    merge_ports,
    parse_network,
    parse_port_item,
    port_ranges,
    ports_contain,
    spans_cidrs,
    spans_overlap,
    subtract_intervals,
)


@pytest.mark.parametrize(
    "items, expected",
    [
        ([5060], [5060]),
        (["5060-5061", "5061-5062"], ["5060-5062"]),  # overlapping ranges merge
        (["5060-5061", 5062], ["5060-5062"]),  # touching ranges merge
        ([2000, "16384-32767", 2000, 1000], [1000, 2000, "16384-32767"]),
        (["8000-8000"], [8000]),
        ([], []),
    ],
)
def test_merge_ports(items, expected):
    assert merge_ports(items) == expected


@pytest.mark.parametrize(
    "item, message",
    [(65536, "outside 0-65535"), ("10-5", "starts after it ends"), ("sip", "neither a number"),
     (True, "not a number"), (None, "neither a number"), (-1, "outside")],
)
def test_bad_ports(item, message):
    with pytest.raises(PortError, match=message):
        parse_port_item(item)


def test_ports_contain():
    assert ports_contain([2000, "5060-5061"], 5061)
    assert not ports_contain([2000, "5060-5061"], 5062)


@pytest.mark.parametrize(
    "items, expected",
    [
        (["10.0.0.0/25", "10.0.0.128/25"], ["10.0.0.0/24"]),
        (["2001:db8::/64", "10.1.1.1"], ["10.1.1.1/32", "2001:db8::/64"]),
        (["10.0.0.0/8", "10.1.0.0/16"], ["10.0.0.0/8"]),
    ],
)
def test_merge_networks(items, expected):
    assert merge_networks(items) == expected


@pytest.mark.parametrize(
    "text, message",
    [("10.0.0.1/24", "host bits set"), ("10.0.0.300", "not a valid"), ("phones", "not a valid"), (42, "not a string")],
)
def test_bad_networks(text, message):
    with pytest.raises(AddressError, match=re.escape(message)):
        parse_network(text)


@pytest.mark.parametrize("text, message", [
    ("10.0.0.1/24", "host bits set (did you mean 10.0.0.0/24?)"), ("10.0.0.300", "not a valid"),
    ("010.1.1.1", "not a valid"), ("10.1", "not a valid"), ("2001:db8::1/32", "host bits set"), (42, "not a string"),
])
def test_merge_networks_refuses_what_parse_network_refuses(text, message):
    """The integer fast path takes only canonical IPv4 text; anything else gets parse_network's error."""
    with pytest.raises(AddressError, match=re.escape(message)):
        merge_networks(["10.0.0.0/24", text])


@pytest.mark.parametrize("text, expected", [
    ("10.0.0.0/24", (167772160, 167772415)), ("10.0.0.7", (167772167, 167772167)), ("0.0.0.0/0", (0, 2 ** 32 - 1)),
    ("10.0.0.1/24", None), ("010.0.0.0/24", None), ("10.0.0.0/08", None), (" 10.0.0.0/8", None), ("::1", None),
    (7, None),
])
def test_ipv4_interval_takes_only_canonical_ipv4(text, expected):
    assert ipv4_interval(text) == expected


def test_interval_cidrs_spells_ipv6_like_netaddr():
    assert interval_cidrs(0, 2 ** 128 - 1, 6) == ["::/0"]
    assert interval_cidrs(int(netaddr.IPAddress("2001:db8::")), int(netaddr.IPAddress("2001:db8::2")), 6) == [
        "2001:db8::/127", "2001:db8::2/128"]


def _network(draw_bits, version, prefix):
    bits = 32 if version == 4 else 128
    value = draw_bits & ~((1 << (bits - prefix)) - 1) & ((1 << bits) - 1)
    text = str(netaddr.IPAddress(value, version))
    return text if prefix == bits else "%s/%d" % (text, prefix)


_networks = st.lists(st.one_of(
    st.builds(_network, st.integers(0, 2 ** 32 - 1), st.just(4), st.integers(0, 32)),
    # a small corner of the address space, so that neighbours and overlaps are frequent
    st.builds(_network, st.integers(0x0A000000, 0x0A0003FF), st.just(4), st.integers(20, 32)),
    st.builds(_network, st.integers(0, 2 ** 128 - 1), st.just(6), st.integers(0, 128)),
    st.builds(_network, st.integers(0x20010DB8 << 96, (0x20010DB8 << 96) + 4095), st.just(6), st.integers(116, 128)),
), max_size=16)


@settings(max_examples=300, deadline=None)
@given(_networks)
def test_merge_networks_equals_netaddr_cidr_merge(items):
    """Interval arithmetic on integers gives exactly netaddr's merge (same CIDRs, same order, same text)."""
    expected = [str(net) for net in sorted(netaddr.cidr_merge([netaddr.IPNetwork(i) for i in items]),
                                           key=lambda net: (net.version, net.value, net.prefixlen))]
    netsets._MERGED.clear()
    assert merge_networks(items) == expected
    assert merge_networks(iter(items)) == expected  # the cached answer, from any iterable


_ranges = st.lists(st.tuples(st.integers(0, 300), st.integers(0, 40)).map(lambda t: (t[0], min(t[0] + t[1], 300))),
                   max_size=12)


@given(_ranges)
def test_port_merging_keeps_the_same_set_of_ports(ranges):
    items = ["%d-%d" % r for r in ranges]
    before = set(p for s, e in ranges for p in range(s, e + 1))
    merged = port_ranges(merge_ports(items))
    after = set(p for s, e in merged for p in range(s, e + 1))
    assert before == after
    # fewest ranges: no two merged ranges overlap or touch
    assert all(merged[i][1] + 1 < merged[i + 1][0] for i in range(len(merged) - 1))


def _ipset_cidrs(ipset):
    return [str(net) for net in sorted(ipset.iter_cidrs(), key=lambda net: (net.version, net))]


def _spans_of(ipset):
    return dict((version, tuple((r.first, r.last) for r in ipset.iter_ipranges() if r.version == version))
                for version in (4, 6))


@settings(max_examples=300, deadline=None)
@given(_networks, _networks)
def test_address_spans_do_what_netaddr_ipsets_do(left, right):
    """Intervals per family give exactly the IPSet answers: the set itself, &, -, overlap, subset, CIDR text."""
    netsets._SPANS.clear()
    a, b = netaddr.IPSet(left), netaddr.IPSet(right)
    spans_a, spans_b = address_spans(left), address_spans(right)
    assert spans_a == _spans_of(a)
    assert address_cidrs(left) == spans_cidrs(spans_a) == _ipset_cidrs(a)
    both = dict((v, intersect_intervals(spans_a[v], spans_b[v])) for v in (4, 6))
    less = dict((v, subtract_intervals(spans_a[v], spans_b[v])) for v in (4, 6))
    assert spans_cidrs(both) == _ipset_cidrs(a & b)
    assert spans_cidrs(less) == _ipset_cidrs(a - b)
    assert spans_overlap(spans_a, spans_b) == bool(a & b)
    for text in right:
        net = netaddr.IPNetwork(text)
        assert interval_inside(spans_a[net.version], net.first, net.last) == (netaddr.IPSet([text]).issubset(a))


@given(st.lists(st.integers(0, 4000), min_size=1, max_size=40), st.integers(0, 4000), st.integers(0, 60))
def test_few_intervals_against_many(starts, first, width):
    """The bisecting short cut (a few intervals against many) gives the linear merge's answer."""
    many = tuple((s * 3, s * 3 + 1) for s in sorted(set(starts)))
    few = ((first, first + width),)
    points = set(p for s, e in many for p in range(s, e + 1))
    mine = set(range(first, first + width + 1))
    assert set(p for s, e in intersect_intervals(many, few) for p in range(s, e + 1)) == points & mine
    assert set(p for s, e in intersect_intervals(few, many) for p in range(s, e + 1)) == points & mine
    assert set(p for s, e in subtract_intervals(many, few) for p in range(s, e + 1)) == points - mine


def test_address_spans_are_read_once_per_list_and_take_what_ipsets_take():
    cidrs = ["10.64.0.0/24", "10.64.2.0/24", "10.5.2.10/32", "2001:db8::/64"]
    first = address_spans(cidrs)
    assert address_spans(list(cidrs)) is first  # shared: the same list is read once
    assert address_cidrs(cidrs) is not address_cidrs(cidrs)  # callers get their own list
    # host bits set: the network, as netaddr.IPSet reads it; unreadable text is an AddressError
    assert address_spans(["10.0.0.1/24"])[4] == ((0x0A000000, 0x0A0000FF),)
    with pytest.raises(AddressError, match="not a valid"):
        address_spans(["10.0.0.0/24", "nonsense"])
