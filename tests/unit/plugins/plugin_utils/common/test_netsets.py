# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest
from hypothesis import given, strategies as st

from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import (
    AddressError,
    PortError,
    merge_networks,
    merge_ports,
    parse_network,
    parse_port_item,
    port_ranges,
    ports_contain,
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
