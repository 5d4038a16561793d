# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import sys

import netaddr
import pytest
from hypothesis import given, settings

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.plugins.plugin_utils.render.nftables import render_nftables

from ansible_collections.collab.firewall.tests.unit.plugins.plugin_utils.fixtures.render_samples import (
    POLICY,
    assert_same_permits,
    big_policy,
    expected_permits,
    policies,
    policy,
    run_isolated,
)


def rule_lines(text):
    return [line.strip() for line in text.splitlines() if line.strip().split(" ")[0] in ("ip", "ip6", "ct", "iif", "icmpv6")]


def parse(text):
    """Back from the nft script to expected_permits-like entries (base rules left out)."""
    sets = {name: [e.strip() for e in elements.split(",")]
            for name, elements in re.findall(r"set (\w+) \{[^}]*?elements = \{ ([^}]*) \}", text)}
    out = []
    for line in rule_lines(text):
        m = re.match(r"(ip6?) saddr @(\w+) (?:meta l4proto (\S+)|(tcp|udp) dport (\{ [^}]* \}|\S+)) accept", line)
        if not m:
            continue
        kw, name, proto, ported, ports = m.groups()
        ranges = None
        if ported:
            ranges = [tuple(int(x) for x in (p.split("-") * 2)[:2]) for p in ports.strip("{} ").split(", ")]
        proto = {"ipv6-icmp": "icmp"}.get(proto, proto) or ported
        out.append((6 if kw == "ip6" else 4, netaddr.IPSet(sets[name]), proto, ranges))
    return out


@pytest.mark.parametrize("pol", [POLICY, big_policy()], ids=["sample", "big"])
def test_real_nft_accepts(pol):
    text = render_nftables(pol, table="collab_uc")
    result = run_isolated(["nft", "-c", "-f", "-"], text)
    assert result.returncode == 0, result.stderr
    # Loading twice in one go proves the "declare, delete, define" reload is idempotent.
    assert run_isolated(["nft", "-c", "-f", "-"], text + text).returncode == 0


def test_order_and_policy():
    text = render_nftables(POLICY)
    lines = rule_lines(text)
    assert "table inet collab_uc {" in text
    assert "type filter hook input priority 0; policy drop;" in text
    assert lines[0].startswith("ip saddr @") and "tcp dport 22 accept" in lines[0]
    assert lines[1].startswith("ip6 saddr @") and "tcp dport 22 accept" in lines[1]
    assert lines[2].startswith("ct state established,related accept") and lines[3].startswith('iif "lo" accept')
    assert all(' comment "' in line for line in lines)
    assert "other tables still apply" in sys.modules[render_nftables.__module__].__doc__.lower()


def test_sets_and_anonymous_port_sets():
    text = render_nftables(POLICY, table="t1")
    assert "table inet t1 {" in text and "delete table inet t1" in text
    assert re.search(r"ip saddr @src_v4_\w+ tcp dport \{ 2000, 5060-5061 \} accept "
                     r'comment "cucm-6-01-tcp cucm-6-04-tcp: phone: sccp, sip"', text)
    assert re.search(r"ip6 saddr @src_v6_\w+ meta l4proto ipv6-icmp accept", text)
    assert re.search(r"ip saddr @src_v4_\w+ meta l4proto icmp accept", text)
    assert re.search(r"ip6 saddr @src_v6_\w+ meta l4proto ah accept", text)
    # one set per distinct source list and family: mgmt, phones, monitoring, vpn host (v4 + v6)
    assert len(re.findall(r"set src_v4_", text)) == 4 and len(re.findall(r"set src_v6_", text)) == 4
    assert "elements = { 10.20.0.0/16, 10.30.0.0/16 }" in text
    assert render_nftables(POLICY) == render_nftables(POLICY)


def test_rule_count_does_not_grow_with_sources():
    small, big = render_nftables(big_policy(n_sources=1)), render_nftables(big_policy(n_sources=200))
    assert len(rule_lines(small)) == len(rule_lines(big))
    assert len(re.findall(r"^\s+set ", big, re.M)) == 4  # management v4 and v6, the big list v4 and v6


def test_long_comment_truncated_keeps_ids():
    ids = ["very-long-catalog-id-%03d" % i for i in range(20)]
    text = render_nftables(policy(catalog_ids=ids, comment='ü"' * 100))
    comments = re.findall(r'accept comment "(very-long[^"]*)"', text)
    assert comments and all(len(c.encode("utf-8")) <= 128 and c.startswith(ids[0]) for c in comments)
    assert run_isolated(["nft", "-c", "-f", "-"], text).returncode == 0


@settings(max_examples=60, deadline=None)
@given(policies())
def test_permits_exactly_the_policy(pol):
    assert_same_permits(expected_permits(pol), parse(render_nftables(pol)))


@pytest.mark.parametrize("table", ["", "1abc", "a-b", "a b", "x" * 65, None])
def test_invalid_table(table):
    with pytest.raises(PolicyError) as err:
        render_nftables(POLICY, table=table)
    assert "invalid nftables table name %r" % (table,) in str(err.value)


@pytest.mark.parametrize("rule,message", [
    (dict(sources=["2001:db8::1/64"]), "source '2001:db8::1/64' has host bits set in rule x-1-tcp"),
    (dict(transport="icmpv6"), "invalid transport 'icmpv6' in rule x-1-tcp"),
    (dict(ports=["1-70000"]), "invalid port '1-70000' in rule x-1-tcp"),
])
def test_invalid_rules(rule, message):
    with pytest.raises(PolicyError) as err:
        render_nftables(policy(**rule))
    assert message in str(err.value)
