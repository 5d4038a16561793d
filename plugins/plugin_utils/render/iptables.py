# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render a host policy as iptables-restore / ip6tables-restore input.

Each text is one ``*filter`` table: loading it without ``--noflush`` replaces every rule of the filter
table (policies of FORWARD/OUTPUT are left as they are). INPUT order: management, established/related,
loopback, (IPv6 only) neighbour discovery, the UC rules, an explicit commented DROP; INPUT policy DROP.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.collab.firewall.plugins.plugin_utils.render.host_common import (
    fmt_range,
    normalize_policy,
    rule_comment,
    sanitize,
    set_id,
    source_groups,
)

MULTIPORT_SLOTS = 15  # xt_multiport holds 15 ports; a range takes two of them
COMMENT_BYTES = 255  # xt_comment stores 256 bytes including the final NUL


def multiport_chunks(ports, slots=MULTIPORT_SLOTS):
    """Split (lo, hi) ranges into lists that each fit one multiport match."""
    chunks, used = [[]], 0
    for lo, hi in ports:
        cost = 1 if lo == hi else 2
        if used + cost > slots:
            chunks.append([])
            used = 0
        chunks[-1].append((lo, hi))
        used += cost
    return chunks


def _match_args(rule, family):
    """One match string per needed rule: several only when the ports overflow multiport."""
    proto = rule["transport"]
    if proto == "icmp":
        return ["-p icmp" if family == "v4" else "-p ipv6-icmp"]
    if proto == "ah" and family == "v6":
        # AH is an IPv6 extension header: "-p ah" never matches in ip6tables, the ah match does.
        return ["-m ah"]
    if not rule["ports"]:
        return ["-p %s" % proto]
    if len(rule["ports"]) == 1:
        return ["-p %s -m %s --dport %s" % (proto, proto, fmt_range(*rule["ports"][0], sep=":"))]
    return ["-p %s -m multiport --dports %s" % (proto, ",".join(fmt_range(lo, hi, ":") for lo, hi in chunk))
            for chunk in multiport_chunks(rule["ports"])]


def _comment(text):
    return '-m comment --comment "%s"' % sanitize(text).encode("utf-8")[:COMMENT_BYTES].decode("utf-8", "ignore")


def _emit(groups, family, prefix):
    """Chain declarations and rules for [(cidrs, rules)] of one family."""
    chains, body = [], []
    for cidrs, members in groups:
        lines = [(match, rule) for rule in members for match in _match_args(rule, family)]
        # A chain costs one jump per source plus the port rules once; direct rules cost sources x port rules.
        if len(cidrs) * len(lines) > len(cidrs) + len(lines):
            chain = "%s%s-%s" % (prefix, family[1], set_id(list(cidrs)))
            ids = rule_comment({"ids": [i for r in members for i in r["ids"]] or ["management"],
                                "comment": "jump to %s" % chain})
            chains.append(":%s - [0:0]" % chain)
            body += ["-A INPUT -s %s %s -j %s" % (c, _comment(ids), chain) for c in cidrs]
            body += ["-A %s %s %s -j ACCEPT" % (chain, m, _comment(rule_comment(r))) for m, r in lines]
        else:
            body += ["-A INPUT -s %s %s %s -j ACCEPT" % (c, m, _comment(rule_comment(r)))
                     for c in cidrs for m, r in lines]
    return chains, body


def _render(rules, family, host):
    mgmt_chains, mgmt = _emit(source_groups(rules[:1], family), family, "MGMT")
    uc_chains, uc = _emit(source_groups(rules[1:], family), family, "UC")
    return "\n".join(
        ["# collab.firewall host policy for %s (%s); generated, do not edit" % (sanitize(host), family),
         "*filter", ":INPUT DROP [0:0]"] + mgmt_chains + uc_chains + mgmt + _base_rules(family) + uc +
        ["-A INPUT %s -j DROP" % _comment("default deny (collab.firewall)"), "COMMIT", ""])


def _base_rules(family):
    rules = ['-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED %s -j ACCEPT' % _comment("established,related"),
             '-A INPUT -i lo %s -j ACCEPT' % _comment("loopback")]
    if family == "v6":
        # Neighbour discovery is not tracked by conntrack: without it IPv6 (and so SSH over IPv6) stops.
        rules += ["-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type %s -m hl --hl-eq 255 %s -j ACCEPT"
                  % (t, _comment("icmpv6 neighbour discovery (RFC 4890)"))
                  for t in ("neighbour-solicitation", "neighbour-advertisement", "router-advertisement")]
    return rules


def render_iptables(policy):
    """Return {"ipv4": iptables-restore text, "ipv6": ip6tables-restore text} for a host policy.

    Raises PolicyError (a ValueError) on invalid input. Output is deterministic: chain names derive
    from a hash of the source list, never from time or order of dict iteration.
    """
    pol = normalize_policy(policy)
    return {"ipv4": _render(pol["rules"], "v4", pol["host"]),
            "ipv6": _render(pol["rules"], "v6", pol["host"])}
