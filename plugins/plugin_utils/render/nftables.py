# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render a host policy as one ``nft -f`` text holding its own ``table inet <table>``.

Only this table is replaced on each load ("table; delete table; table {...}" in one transaction), so
reloading is idempotent and other tables are untouched. Note: rules in OTHER tables still apply: a
packet must be accepted by every base chain on the input hook, so a drop elsewhere still drops, and
this table cannot open what another table closes. Sources live in named interval sets (one per distinct
source list and family), so the rule count does not grow with the number of source networks.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.collab.firewall.plugins.plugin_utils.render.host_common import (
    PolicyError,
    fmt_range,
    normalize_policy,
    rule_comment,
    sanitize,
    set_id,
    source_groups,
)

COMMENT_BYTES = 128  # nft refuses longer comments ("128 characters maximum allowed")
FAMILIES = {"v4": ("ip", "ipv4_addr", "icmp"), "v6": ("ip6", "ipv6_addr", "ipv6-icmp")}


def _set_name(family, cidrs):
    return "src_%s_%s" % (family, set_id(cidrs))


def _match(rule, family):
    proto = rule["transport"]
    if proto == "icmp":
        return "meta l4proto %s" % FAMILIES[family][2]
    if not rule["ports"]:
        return "meta l4proto %s" % proto
    ports = [fmt_range(lo, hi) for lo, hi in rule["ports"]]
    return "%s dport %s" % (proto, ports[0] if len(ports) == 1 else "{ %s }" % ", ".join(ports))


def _comment(rule):
    return 'comment "%s"' % rule_comment(rule, COMMENT_BYTES)


def check_table_name(table):
    """An nftables table name, or PolicyError."""
    if not isinstance(table, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,63}", table):
        raise PolicyError("invalid nftables table name %r (want a letter, then letters, digits, _)" % (table,))
    return table


def render_nftables(policy, table="collab_uc"):
    """Return the nft script for a host policy; raises PolicyError on invalid input or table name."""
    check_table_name(table)
    pol = normalize_policy(policy)
    rules = pol["rules"]
    sets, lines = [], []
    for family, (kw, addr_type, _icmp) in sorted(FAMILIES.items()):
        for cidrs, members in source_groups(rules, family):
            uses = " ".join(i for r in members for i in (r["ids"] or ["management"]))
            sets += ["    set %s {" % _set_name(family, cidrs),
                     "        type %s; flags interval;" % addr_type,
                     '        comment "%s";' % sanitize(uses).encode("utf-8")[:COMMENT_BYTES].decode("utf-8", "ignore"),
                     "        elements = { %s }" % ", ".join(cidrs),
                     "    }"]
    for index, rule in enumerate(rules):
        for family, (kw, _type, _icmp) in sorted(FAMILIES.items()):
            if rule[family]:
                lines.append("        %s saddr @%s %s %s %s"
                             % (kw, _set_name(family, rule[family]), _match(rule, family), rule["verdict"],
                                _comment(rule)))
        if index == 0:  # right after management
            lines += ['        ct state established,related accept comment "established,related"',
                      '        iif "lo" accept comment "loopback"',
                      # Neighbour discovery is not tracked by conntrack: without it IPv6 stops working.
                      "        icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert }"
                      ' ip6 hoplimit 255 accept comment "icmpv6 neighbour discovery (RFC 4890)"']
    return "\n".join(
        ["# collab.firewall host policy for %s; generated, do not edit" % sanitize(pol["host"]),
         "# replace only our own table: declare it (so delete cannot fail), delete it, define it anew",
         "table inet %s" % table,
         "delete table inet %s" % table,
         "table inet %s {" % table] + sets +
        ["    chain input {",
         "        type filter hook input priority 0; policy drop;  # default deny"] + lines +
        ["    }", "}", ""])
