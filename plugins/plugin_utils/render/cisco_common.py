# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers shared by the Cisco IOS and ASA ACL renderers.

Pure functions: flow validation (see docs/policy-model.md), port ranges to ``eq``/``range`` operators,
wildcard and net masks, deterministic object-group names and remark splitting.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib


from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import (
    PORT_TRANSPORTS,
    TRANSPORTS,
    PortError,
    merge_ranges,
    netaddr,
    parse_port_item,
    require_netaddr,
)


REMARK_MAX = 100  # IOS and ASA both limit a remark to 100 characters


def parse_port(item):
    """``5060`` / ``"5060"`` / ``"16384-32767"`` -> ``(start, end)``; ACLs cannot name port 0."""
    try:
        return parse_port_item(item, lowest=1)
    except PortError as exc:
        raise PolicyError(str(exc))


def parse_ports(ports):
    """A flow's ``ports`` list -> merged, sorted ``(start, end)`` tuples (``[]`` = whole protocol)."""
    if ports is None:
        return []
    if not isinstance(ports, (list, tuple)):
        raise PolicyError("ports %r must be a list" % (ports,))
    return merge_ranges(parse_port(p) for p in ports)


def port_operator(start, end):
    """``(5060, 5060)`` -> ``("eq", 5060)``; ``(16384, 32767)`` -> ``("range", 16384, 32767)``."""
    if start == end:
        return ("eq", start)
    return ("range", start, end)


def port_clause(start, end):
    """CLI text for one port range: ``eq 5060`` or ``range 16384 32767`` (always numbers)."""
    return " ".join(str(x) for x in port_operator(start, end))


def parse_network(value):
    """A CIDR or address string -> ``netaddr.IPNetwork`` with no host bits set."""
    require_netaddr()
    if not isinstance(value, str):
        raise PolicyError("address %r is not a string" % (value,))
    try:
        net = netaddr.IPNetwork(value.strip())
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise PolicyError("address %r is not an IPv4/IPv6 address or CIDR" % (value,))
    if net.ip != net.network:
        raise PolicyError("address %r has host bits set (network is %s)" % (value, net.cidr))
    return net


_SPLIT = {}


def split_families(values, what="sources"):
    """Addresses -> ``{4: [IPNetwork...], 6: [...]}``, each merged (netaddr.cidr_merge) and sorted.

    A deployment's flows repeat the same long address lists (thousands of phone subnets), so each distinct
    list is parsed and merged once; callers get fresh lists.
    """
    if not isinstance(values, (list, tuple)):
        raise PolicyError("%s %r must be a list of CIDRs" % (what, values))
    for value in values:
        if not isinstance(value, str):
            parse_network(value)  # raises the error naming the bad value
    key = tuple(values)
    if key not in _SPLIT:
        nets = [parse_network(v) for v in values]  # only strings get here: parse_network refuses the rest
        if len(_SPLIT) > 4096:
            _SPLIT.clear()
        _SPLIT[key] = dict((version, sorted(netaddr.cidr_merge([n for n in nets if n.version == version])))
                           for version in (4, 6))
    return dict((version, list(nets)) for version, nets in _SPLIT[key].items())


def is_any(net):
    return net.prefixlen == 0


def wildcard_mask(net):
    """IOS wildcard (inverse) mask: 10.20.0.0/16 -> 0.0.255.255."""
    return str(net.hostmask)


def net_mask(net):
    """Dotted net mask: 10.20.0.0/16 -> 255.255.0.0."""
    return str(net.netmask)


def object_group_name(prefix, parts):
    """Deterministic object-group name from its content: ``UC-NET-`` + 10 hex chars of a SHA-256."""
    digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:10].upper()
    return "%s%s" % (prefix, digest)


def network_group_name(nets):
    return object_group_name("UC-NET-", ["net"] + [str(n.cidr) for n in nets])


def service_group_name(protocol, ranges):
    return object_group_name("UC-SVC-", ["svc", protocol] + ["%d-%d" % r for r in ranges])


def split_remark(text, width=REMARK_MAX):
    """Split remark text into lines of at most ``width`` characters, at spaces when possible."""
    words = " ".join(str(text).split()).split(" ")
    lines, cur = [], ""
    for word in words:
        while len(word) > width:
            if cur:
                lines.append(cur)
                cur = ""
            lines.append(word[:width])
            word = word[width:]
        if not word:
            continue
        if not cur:
            cur = word
        elif len(cur) + 1 + len(word) <= width:
            cur = cur + " " + word
        else:
            lines.append(cur)
            cur = word
    if cur:
        lines.append(cur)
    return lines


def remark_text(block):
    """One remark text per ACE block: description and the cited catalog ids."""
    ids = " ".join(block.get("catalog_ids") or [])
    desc = block.get("description") or ""
    if desc and ids:
        return "%s: %s" % (desc, ids)
    return desc or ids or "flow"


def _as_list_of_str(value, what):
    if value is None:
        return []
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise PolicyError("%s %r must be a list of strings" % (what, value))
    return list(value)


def normalize_block(flow, what="flow", default_destinations=None):
    """Validate one flow (or management block) -> internal dict used by both renderers."""
    if not isinstance(flow, dict):
        raise PolicyError("%s %r is not a dict" % (what, flow))
    transport = flow.get("transport")
    if transport not in TRANSPORTS:
        raise PolicyError(
            "%s transport %r is not one of %s" % (what, transport, ", ".join(TRANSPORTS))
        )
    ports = parse_ports(flow.get("ports"))
    if ports and transport not in PORT_TRANSPORTS:
        raise PolicyError("%s transport %r cannot carry ports %r" % (what, transport, flow.get("ports")))
    sources = flow.get("sources")
    if not sources:
        raise PolicyError("%s %r has no sources" % (what, flow))
    destinations = flow.get("destinations", default_destinations)
    if not destinations:
        raise PolicyError("%s %r has no destinations" % (what, flow))
    src = split_families(sources, "sources")
    dst = split_families(destinations, "destinations")
    ids = sorted(_as_list_of_str(flow.get("catalog_ids"), "catalog_ids"))
    desc = flow.get("description")
    if desc is not None and not isinstance(desc, str):
        raise PolicyError("%s description %r is not a string" % (what, desc))
    return {
        "src": src,
        "dst": dst,
        "transport": transport,
        "ports": ports,
        "catalog_ids": ids,
        "description": desc or "",
    }


def normalize_flows(flows):
    """``flows`` list (or the ``uc_flows`` result dict) -> validated internal blocks."""
    if isinstance(flows, dict) and "flows" in flows:
        flows = flows["flows"]
    if not isinstance(flows, (list, tuple)):
        raise PolicyError("flows %r must be a list of flow dicts" % (flows,))
    return [normalize_block(f, "flow") for f in flows]


def normalize_management(management):
    """Management block: ``{sources, transport: tcp, ports: [22], destinations: any}``."""
    if management is None:
        return None
    if not isinstance(management, dict):
        raise PolicyError("management %r is not a dict" % (management,))
    mgmt = dict(management)
    mgmt.setdefault("transport", "tcp")
    mgmt.setdefault("ports", [22])
    mgmt.setdefault("description", "management")
    block = normalize_block(mgmt, "management", default_destinations=["0.0.0.0/0", "::/0"])
    return block


def family_pairs(block):
    """Families present on both sides of a block (IPv4 first)."""
    return [v for v in (4, 6) if block["src"][v] and block["dst"][v]]
