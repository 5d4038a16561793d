# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validation and small helpers shared by the host firewall renderers.

The renderers receive the host policy described in docs/policy-model.md. They
call :func:`normalize_policy` once, which validates everything and returns a
normalized copy, so each renderer only deals with well-formed data:

    {"host": str,
     "rules": [Rule, ...]}    # rules[0] is always the management rule, then the drop rules (site denies)

    Rule = {"v4": [cidr, ...], "v6": [cidr, ...],     # merged, sorted, per family (shared lists: read only)
            "transport": "tcp", "ports": [(lo, hi), ...],  # merged, sorted
            "ids": [catalog id, ...] or [site entry], "comment": str, "management": bool,
            "verdict": "accept" | "drop"}
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import re

from collections.abc import Mapping

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import (
    PORT_TRANSPORTS,
    TRANSPORTS,
    CidrList,
    Cidrs,
    PortError,
    cidrs_key,
    ipv4_interval,
    merge_interval_lists,
    merge_ranges,
    netaddr,
    parse_port_item,
    require_netaddr,
)


MANAGEMENT_ID = "management"
VERDICTS = {"permit": "accept", "deny": "drop"}


def _where(ids):
    return "rule %s" % (", ".join(ids) if ids else "management")


def _cidr(value, ids):
    require_netaddr()
    # Strings only, and with a '.' or ':' so that netaddr never guesses an abbreviated form like "10".
    if not isinstance(value, str) or not ("." in value or ":" in value):
        raise PolicyError("invalid source %r in %s" % (value, _where(ids)))
    try:
        net = netaddr.IPNetwork(value)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise PolicyError("invalid source %r in %s" % (value, _where(ids)))
    # A typo such as 10.1.1.5/8 would silently open a /8: refuse host bits instead of masking them.
    if net.ip != net.network:
        raise PolicyError("source %r has host bits set in %s" % (value, _where(ids)))
    return net


def _port_range(value, ids):
    try:
        return parse_port_item(value)
    except PortError:
        raise PolicyError("invalid port %r in %s (want 0-65535 or 'a-b' with a<=b)" % (value, _where(ids)))


_SOURCES_CACHE = {}


def _merged_sources(sources, ids):
    """(v4, v6) merged CIDR strings of a source list, as ``CidrList``s shared by every rule with that list (the
    renderers only read them). A deployment renders the same large lists (thousands of phone subnets) for
    every node and every backend, so each distinct list is parsed and merged once."""
    if sources not in _SOURCES_CACHE:
        by_version = {}
        for source in sources:
            interval = ipv4_interval(source)
            if interval is None:
                net = _cidr(source, ids)
                by_version.setdefault(net.version, []).append((net.first, net.last))
            else:
                by_version.setdefault(4, []).append(interval)
        _SOURCES_CACHE[sources] = tuple(CidrList(Cidrs(cidrs)) for cidrs in merge_interval_lists(by_version))
        if len(_SOURCES_CACHE) > 4096:  # bounded: drop the oldest half
            for key in list(_SOURCES_CACHE)[:2048]:
                del _SOURCES_CACHE[key]
    return _SOURCES_CACHE[sources]


def _rule(raw, management):
    if not isinstance(raw, Mapping):
        raise PolicyError("rule %r is not a mapping" % (raw,))
    ids = [] if management else raw.get("catalog_ids")
    site = None if management else raw.get("site")
    if site is not None:
        # a site entry (deployment/host_site.py) cites its variable and index instead of catalog entries
        if not isinstance(site, str) or not site or ids:
            raise PolicyError("a site rule names its entry in site and has no catalog_ids, got %r" % (raw,))
        ids = [site]
    if not management and (not isinstance(ids, list) or not ids or
                           not all(isinstance(i, str) and i for i in ids)):
        raise PolicyError("rule needs non-empty catalog_ids, got %r in rule %r" % (ids, raw))
    action = raw.get("action", "permit")
    if action not in VERDICTS or (action == "deny" and site is None):
        raise PolicyError("invalid action %r in %s (want permit, or deny on a site rule)" % (action, _where(ids)))
    sources = raw.get("sources")
    if not isinstance(sources, list) or not sources:
        raise PolicyError("sources must be a non-empty list, got %r in %s" % (sources, _where(ids)))
    v4, v6 = _merged_sources(cidrs_key(sources), tuple(ids))
    transport = raw.get("transport")
    if transport not in TRANSPORTS:
        raise PolicyError("invalid transport %r in %s (want one of %s)"
                          % (transport, _where(ids), "/".join(TRANSPORTS)))
    ports = raw.get("ports", [])
    if not isinstance(ports, list):
        raise PolicyError("ports must be a list, got %r in %s" % (ports, _where(ids)))
    if not ports and transport in PORT_TRANSPORTS:
        # an empty port list must never become a rule without a port match, which opens every port
        raise PolicyError("ports is empty for transport %r in %s: an empty list never means every port; list "
                          "the ports" % (transport, _where(ids)))
    if ports and transport not in PORT_TRANSPORTS:
        raise PolicyError("ports %r given for transport %r in %s (must be [])" % (ports, transport, _where(ids)))
    comment = raw.get("comment") or raw.get("description") or ""
    if management:
        comment = "management: %s %s from management sources" % (transport, ",".join(str(p) for p in ports))
    return {
        "v4": v4,
        "v6": v6,
        "transport": transport,
        "ports": merge_ranges(_port_range(p, ids) for p in ports),
        "ids": list(ids),
        "comment": str(comment),
        "management": management,
        "verdict": VERDICTS[action],
    }


_LAST = {}


def normalize_policy(policy):
    """Validate a host policy and return the normalized form (management rule first).

    The three host renderers of one node get the same policy object one after the other; the last result is
    kept for that object (policies are never changed once built), so a node is normalized once, not thrice.
    """
    if _LAST.get("policy") is policy:
        return _LAST["normalized"]
    normalized = _normalize(policy)
    _LAST.update(policy=policy, normalized=normalized)
    return normalized


def _normalize(policy):
    if not isinstance(policy, Mapping):
        raise PolicyError("policy must be a mapping, got %r" % (policy,))
    mgmt = policy.get("management")
    if not isinstance(mgmt, Mapping) or not mgmt.get("sources"):
        # Never render a default-deny ruleset without the controller's own access.
        raise PolicyError("policy needs management with non-empty sources, got %r" % (mgmt,))
    rules = policy.get("rules", [])
    if not isinstance(rules, list):
        raise PolicyError("rules must be a list, got %r" % (rules,))
    normalized = [_rule(r, False) for r in rules]
    # a deny must come before every permit to deny anything (default deny does the rest)
    normalized = [_rule(mgmt, True)] + [r for r in normalized if r["verdict"] == "drop"] + \
        [r for r in normalized if r["verdict"] != "drop"]
    _keep_management(normalized)
    return {"host": str(policy.get("host", "")), "rules": normalized}


def _keep_management(rules):
    """A drop rule never covers management: firewalld runs every drop rule before every accept rule of a zone."""
    mgmt = rules[0]
    for rule in rules[1:]:
        if rule["verdict"] != "drop" or rule["transport"] != mgmt["transport"]:
            continue
        if not any(lo <= hi2 and lo2 <= hi for lo, hi in rule["ports"] for lo2, hi2 in mgmt["ports"]):
            continue
        for family in ("v4", "v6"):
            cut = netaddr.IPSet(rule[family]) & netaddr.IPSet(mgmt[family]) if rule[family] and mgmt[family] else None
            if cut:
                raise PolicyError("%s drops %s, which the management sources hold: SSH would be cut"
                                  % (_where(rule["ids"]), ", ".join(str(c) for c in cut.iter_cidrs())))


def sanitize(text):
    """Comment text that is safe inside "..." (iptables, nft) and inside <!-- --> (XML)."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text).replace('"', "'").replace("\\", "/")
    while "--" in text:
        text = text.replace("--", "-")
    return text.strip().rstrip("-")


def rule_comment(rule, limit=None):
    """Catalog ids first, then the human text, cut to `limit` UTF-8 bytes without splitting a character."""
    ids = " ".join(rule["ids"])
    text = rule["comment"]
    if ids and text.endswith("(%s)" % ids):
        text = text[: -len(ids) - 2].rstrip()  # flows.py appends the ids; do not repeat them
    out = sanitize("%s: %s" % (ids, text) if ids and text else ids or text)
    if limit is not None:
        out = out.encode("utf-8")[:limit].decode("utf-8", "ignore").rstrip("-")
    return out


def memo(cache, key, make, limit=4096):
    """cache[key], made once: a deployment renders the same source lists for every node and backend."""
    try:
        return cache[key]
    except KeyError:
        if len(cache) >= limit:
            cache.clear()
        value = cache[key] = make()
        return value


_SET_IDS = {}


def set_id(cidrs):
    """Short stable id of a source list: the same list gives the same set name in every run."""
    key = cidrs_key(cidrs)
    return memo(_SET_IDS, key, lambda: hashlib.sha1("\n".join(key).encode("ascii")).hexdigest()[:8])


def fmt_range(lo, hi, sep="-"):
    return str(lo) if lo == hi else "%d%s%d" % (lo, sep, hi)


def source_groups(rules, family):
    """[(cidrs, [rule, ...]), ...] in order of first use: one entry per distinct source list."""
    groups = {}
    for rule in rules:
        cidrs = cidrs_key(rule[family])
        if cidrs:
            groups.setdefault(cidrs, []).append(rule)
    return list(groups.items())
