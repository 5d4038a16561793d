# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""report.diff's small parts: port and address arithmetic, host policies, configuration lines; and the
anomaly classes of report.pages."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.collab.firewall.plugins.plugin_utils.report.diff import (
    DiffError,
    _ranges_sub,
    diff_lines,
    diff_pairs,
    diff_policy,
    snapshot,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.report.pages import classify_anomaly


@pytest.mark.parametrize("first, second, rest", [
    ([(5060, 5061)], [(5061, 5061)], [(5060, 5060)]),
    ([(1, 10)], [(3, 4), (6, 7)], [(1, 2), (5, 5), (8, 10)]),
    ([(80, 80)], [(1, 65535)], []),
    ([(80, 80)], [], [(80, 80)]),
])
def test_port_range_difference(first, second, rest):
    assert _ranges_sub(first, second) == rest


def rule(transport, ports, sources, ids):
    return {"transport": transport, "ports": ports, "sources": sources, "catalog_ids": ids}


def test_policy_difference_is_exact_per_port_and_address():
    old = {"rules": [rule("tcp", [443, "8080-8081"], ["10.0.0.0/24"], ["a"])],
           "management": {"transport": "tcp", "ports": [22], "sources": ["10.9.0.0/24"]}}
    new = {"rules": [rule("tcp", [443, 8080], ["10.0.0.0/24", "10.5.0.0/24"], ["a", "b"]),
                     rule("icmp", [], ["10.0.0.0/24"], ["c"])],
           "management": {"transport": "tcp", "ports": [22], "sources": ["10.9.0.0/24"]}}
    added, removed = diff_policy(old, new)
    assert added == [rule("icmp", ["-"], ["10.0.0.0/24"], ["c"]), rule("tcp", [443, 8080], ["10.5.0.0/24"], ["a", "b"])]
    assert removed == [rule("tcp", [8081], ["10.0.0.0/24"], ["a"])]
    assert diff_policy(new, new) == [[], []]
    # merged CIDRs do not hide which address left: 10.0.0.0/31 -> 10.0.0.0/32 removes exactly 10.0.0.1
    added, removed = diff_policy({"rules": [rule("udp", [69], ["10.0.0.0/31"], ["t"])]},
                                 {"rules": [rule("udp", [69], ["10.0.0.0/32"], ["t"])]})
    assert added == [] and removed == [rule("udp", [69], ["10.0.0.1/32"], ["t"])]


def test_site_entries_in_a_policy_difference():
    """A site deny takes away from the permits (it comes first on every backend); changes cite the entry."""
    uc = rule("tcp", [2000, 2443], ["10.20.0.0/16"], ["cucm-6-01-tcp"])
    deny = dict(rule("tcp", [2000], ["10.20.99.0/24"], []), action="deny", site="host_firewall_site_entries[0]")
    ping = dict(rule("icmp", [], ["10.99.1.10/32"], []), action="permit", site="host_firewall_group_site_entries[0]")
    added, removed = diff_policy({"rules": [uc]}, {"rules": [deny, uc, ping]})
    assert added == [rule("icmp", ["-"], ["10.99.1.10/32"], ["host_firewall_group_site_entries[0]"])]
    assert removed == [rule("tcp", [2000], ["10.20.99.0/24"], ["cucm-6-01-tcp", "host_firewall_site_entries[0]"])]
    added, removed = diff_policy({"rules": [deny, uc]}, {"rules": [uc]})
    assert added == [rule("tcp", [2000], ["10.20.99.0/24"], ["cucm-6-01-tcp", "host_firewall_site_entries[0]"])]
    assert removed == []


def test_configuration_lines_ignore_sequence_numbers_and_remarks():
    old = "ip access-list extended A\n 10 remark x: a-1\n 10 permit tcp any host 10.0.0.1 eq 443\n 20 deny ip any any\n"
    new = "ip access-list extended A\n 10 remark y: a-1 b-2\n 10 permit tcp any host 10.0.0.1 eq 443\n" \
          " 20 permit udp any host 10.0.0.1 eq 69\n 30 deny ip any any\n"
    assert diff_lines(old, new) == ([" permit udp any host 10.0.0.1 eq 69"], [])
    assert diff_lines(new, new) == ([], [])


def side(addresses, nodes=()):
    return {"addresses": addresses, "nodes": dict((n, {"product": "cucm", "cluster": "hq"}) for n in nodes)}


def test_pairs_report_address_changes_of_both_ends():
    pairs = {("phone", "pub", "tcp"): {"ports": [(2000, 2000)], "ids": set(["x"])}}
    old = side({"phone": ["10.20.0.0/16"], "pub": ["10.1.0.10/32"]}, ["pub"])
    new = side({"phone": ["10.20.0.0/16", "10.21.0.0/16"], "pub": ["10.1.0.10/32"]}, ["pub"])
    added, removed, changed = diff_pairs(pairs, pairs, old, new)
    assert added == removed == [] and len(changed) == 1
    assert changed[0]["sources_added"] == ["10.21.0.0/16"] and changed[0]["ports_added"] == []
    assert diff_pairs(pairs, pairs, old, old) == ([], [], [])
    added, removed, changed = diff_pairs({}, pairs, old, new)
    assert [a["to_kind"] for a in added] == ["node"] and added[0]["ports"] == [2000]


def test_snapshot_refuses_a_tree_without_the_deployment_part():
    with pytest.raises(DiffError, match="report/flows.json is missing"):
        snapshot({"hosts/a/policy.json": "{}"})
    with pytest.raises(DiffError, match="rendered by an older collab.firewall"):
        snapshot({"report/flows.json": '{"flows": []}'})
    with pytest.raises(DiffError, match="not JSON"):
        snapshot({"report/flows.json": "{"})


@pytest.mark.parametrize("kind, note, cls", [
    ("mangled_cell", "The purpose text is cut off.", "transcription"),
    ("numbering", "Row 7 is missing from the printed numbering.", "transcription"),
    ("contradiction", "The 8.0 document gives 5070, not 5080.", "security"),
    ("missing_value", "No fixed port is given.", "security"),
    ("contradiction", "Printed as A (From) to B (To), recorded reversed.", "direction"),
    ("missing_value", "Remote device, remote port and direction are blank.", "direction"),
])
def test_anomaly_classes(kind, note, cls):
    assert classify_anomaly({"kind": kind, "note": note}) == cls
