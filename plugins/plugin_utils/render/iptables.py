# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render a host policy as iptables-restore / ip6tables-restore input, plain or with ipsets.

Each ruleset text is one ``*filter`` table: loading it without ``--noflush`` replaces every rule of the
filter table (policies of FORWARD/OUTPUT are left as they are). INPUT order: management,
established/related, loopback, (IPv6 only) neighbour discovery, the site deny entries, the UC rules (and site
permit entries), an explicit commented DROP;
INPUT policy DROP.

``render_iptables`` (plain): iptables has no sets, so a source list of n networks costs n jumps into a
chain holding the port rules once.

``render_iptables_ipset``: every source list of more than one network is a ``hash:net`` ipset (one per
family), matched by one ``-m set --match-set NAME src`` rule per port rule, so the rule count does not grow
with the number of source networks. Returns {"ipsets", "ipv4", "ipv6", "sets"}:

- ``ipsets``: ``ipset restore`` input. Set names are derived from their content (``cfw4-<hash>``), so a
  changed list is a new set and the rules still loaded keep matching the old one until the new ruleset
  replaces them. Each set is built under a temporary name and swapped in (``swap``), so even a set that
  exists already changes in one step, and never flushed while live.
- ``ipv4`` / ``ipv6``: the rulesets, loaded after the ipsets (a rule cannot name a set that does not exist).
- ``sets``: the names of the sets the rulesets use; sets with the prefix that are not in this list are
  stale once the rulesets are loaded and can be destroyed (``ipset destroy`` refuses one still in use).

Activation, all or nothing per step: ``ipset restore < ipsets``, then ``iptables-restore < ipv4`` and
``ip6tables-restore < ipv6``, then destroy the stale sets. Validation without touching the host: run the same
three loads in a fresh network namespace (``unshare -n``; ipsets are per network namespace) with
``iptables-restore --test``.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.plugins.plugin_utils.render.host_common import (
    fmt_range,
    memo,
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
            chain = "%s%s-%s" % (prefix, family[1], set_id(cidrs))
            ids = rule_comment({"ids": [i for r in members for i in r["ids"]] or ["management"],
                                "comment": "jump to %s" % chain})
            chains.append(":%s - [0:0]" % chain)
            body += ["-A INPUT -s %s %s -j %s" % (c, _comment(ids), chain) for c in cidrs]
            body += ["-A %s %s %s -j %s" % (chain, m, _comment(rule_comment(r)), r["verdict"].upper()) for m, r in lines]
        else:
            body += ["-A INPUT -s %s %s %s -j %s" % (c, m, _comment(rule_comment(r)), r["verdict"].upper())
                     for c in cidrs for m, r in lines]
    return chains, body


def _denies(rules):
    """(site deny rules, the other rules after management): the denies go first, in a pass of their own, so that
    grouping by source list never moves a permit before a deny."""
    return [r for r in rules[1:] if r["verdict"] == "drop"], [r for r in rules[1:] if r["verdict"] != "drop"]


def _render(rules, family, host):
    mgmt_chains, mgmt = _emit(source_groups(rules[:1], family), family, "MGMT")
    denies, permits = _denies(rules)
    deny_chains, deny = _emit(source_groups(denies, family), family, "DENY")
    uc_chains, uc = _emit(source_groups(permits, family), family, "UC")
    return "\n".join(
        ["# collab.firewall host policy for %s (%s); generated, do not edit" % (sanitize(host), family),
         "*filter", ":INPUT DROP [0:0]"] + mgmt_chains + deny_chains + uc_chains + mgmt + _base_rules(family) + deny + uc +
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


IPSET_PREFIX = "cfw"
IPSET_MAXELEM = 65536  # ipset's default; raised for longer lists


def ipset_name(cidrs, family, prefix=IPSET_PREFIX):
    """cfw4-1a2b3c4d: at most 31 characters with the "-n" of the temporary twin for a prefix of up to 15."""
    return "%s%s-%s" % (prefix, family[1], set_id(cidrs))


_SET_LINES = {}


def _set_lines(name, cidrs, family):
    inet = "inet" if family == "v4" else "inet6"
    maxelem = max(IPSET_MAXELEM, len(cidrs))
    temp = name + "-n"
    return (["create %s hash:net family %s maxelem %d" % (temp, inet, maxelem),
             memo(_SET_LINES, (temp, cidrs), lambda: "\n".join("add %s %s" % (temp, cidr) for cidr in cidrs)),
             # -exist: create the live set only when it is missing, so that swap has a partner
             "create %s hash:net family %s maxelem %d -exist" % (name, inet, maxelem),
             "swap %s %s" % (temp, name), "destroy %s" % temp])


def _emit_sets(groups, family, sets, prefix):
    """Rules for [(cidrs, rules)] of one family, matching a set for lists of more than one network."""
    body = []
    for cidrs, members in groups:
        if len(cidrs) == 1:
            source = "-s %s" % cidrs[0]
        else:
            name = ipset_name(cidrs, family, prefix)
            sets.setdefault(name, (cidrs, family))
            source = "-m set --match-set %s src" % name
        body += ["-A INPUT %s %s %s -j %s" % (source, match, _comment(rule_comment(rule)), rule["verdict"].upper())
                 for rule in members for match in _match_args(rule, family)]
    return body


def _render_sets(rules, family, host, sets, prefix):
    mgmt = _emit_sets(source_groups(rules[:1], family), family, sets, prefix)
    denies, permits = _denies(rules)
    deny = _emit_sets(source_groups(denies, family), family, sets, prefix)
    uc = _emit_sets(source_groups(permits, family), family, sets, prefix)
    return "\n".join(
        ["# collab.firewall host policy for %s (%s, with ipsets); generated, do not edit" % (sanitize(host), family),
         "# load the ipsets first: ipset restore < ipsets.restore", "*filter", ":INPUT DROP [0:0]"] +
        mgmt + _base_rules(family) + deny + uc +
        ["-A INPUT %s -j DROP" % _comment("default deny (collab.firewall)"), "COMMIT", ""])


def render_iptables_ipset(policy, prefix=IPSET_PREFIX):
    """Return {"ipsets", "ipv4", "ipv6", "sets"} for a host policy (see the module documentation).

    Raises PolicyError (a ValueError) on invalid input or a prefix that would not fit ipset's names.
    """
    if not isinstance(prefix, str) or not re.match(r"^[A-Za-z][A-Za-z0-9_]{0,14}$", prefix):
        raise PolicyError("ipset prefix %r must be a letter and up to 14 letters, digits or underscores" % (prefix,))
    pol = normalize_policy(policy)
    sets = {}
    ipv4 = _render_sets(pol["rules"], "v4", pol["host"], sets, prefix)
    ipv6 = _render_sets(pol["rules"], "v6", pol["host"], sets, prefix)
    lines = ["# collab.firewall ipsets for %s; load with: ipset restore < this file" % sanitize(pol["host"])]
    for name in sorted(sets):
        lines += _set_lines(name, *sets[name])
    return {"ipsets": "\n".join(lines) + "\n", "ipv4": ipv4, "ipv6": ipv6, "sets": sorted(sets)}


def render_iptables(policy):
    """Return {"ipv4": iptables-restore text, "ipv6": ip6tables-restore text} for a host policy.

    Raises PolicyError (a ValueError) on invalid input. Output is deterministic: chain names derive
    from a hash of the source list, never from time or order of dict iteration.
    """
    pol = normalize_policy(policy)
    return {"ipv4": _render(pol["rules"], "v4", pol["host"]),
            "ipv6": _render(pol["rules"], "v6", pol["host"])}
