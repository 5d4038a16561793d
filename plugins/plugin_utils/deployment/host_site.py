# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Site entries of a host firewall: the operator's own inbound rules next to the UC rules of one node.

The entries are written like the site entries of an interface ACL (``interfaces.read_site_entries``, which
validates them) without ``destination`` (the node itself) and ``log``. They become ordinary rules of the node's
host policy (``host_policy.host_policy``), so every host backend renders them with its normal code:

- ``deny`` entries come right after management, established/related, loopback and neighbour discovery, before
  every UC permit: a deny really closes what it names, UC flows included (the operator's explicit choice).
  A deny that would cut the management (SSH) sources is refused.
- ``permit`` entries come after the UC rules (every rule there accepts, so their order does not matter).
  A permit that would open a port the catalog marks localhost-only on this node is refused unless the entry
  sets ``confirm_localhost_ports: true``.

Errors name the host, the variable and the entry's index.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import (
    PORT_TRANSPORTS,
    TRANSPORTS,
    format_ranges,
    merge_ranges,
    netaddr,
    parse_port_item,
    port_ranges,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import to_bool
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import _node_matches
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.inventory import FlowError
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.interfaces import (
    AclFlowError,
    read_site_entries,
    zone_index,
)

# group entries first, then the node's own; each variable follows Ansible's precedence on its own
VARIABLES = ("host_firewall_group_site_entries", "host_firewall_site_entries")
HOST_ENTRY_KEYS = ("action", "protocol", "source", "ports", "remark", "confirm_localhost_ports")
ACL_KEYS = ("action", "protocol", "source", "ports", "remark")
REFUSED_KEYS = {
    "destination": "a host firewall entry is inbound to the node itself; leave destination out",
    "log": "the host rulesets do not log; leave log out",
}


def _check_entry(entry, host, here):
    """What the interface-ACL validation does not know about a host: keys, transports, ports required.

    Returns the entry's ``confirm_localhost_ports``."""
    if not isinstance(entry, dict):
        raise FlowError.at(host, here, "must be a mapping with action, protocol, source and ports, got %r" % (entry,))
    for key, why in sorted(REFUSED_KEYS.items()):
        if key in entry:
            raise FlowError.at(host, here + "." + key, why)
    unknown = sorted(set(entry) - set(HOST_ENTRY_KEYS))
    if unknown:
        raise FlowError.at(host, here, "unknown key(s) %s; valid: %s" % (", ".join(unknown), ", ".join(HOST_ENTRY_KEYS)))
    protocol = entry.get("protocol")
    if protocol not in TRANSPORTS:
        raise FlowError.at(host, here + ".protocol", "%r is not one of %s (a host firewall rule needs its protocol)"
                           % (protocol, ", ".join(TRANSPORTS)))
    if protocol in PORT_TRANSPORTS and not entry.get("ports"):
        raise FlowError.at(host, here + ".ports", "a %s entry needs its ports (an empty list never means every port; "
                           "write '1-65535' for all of them)" % protocol)
    try:
        return to_bool(entry.get("confirm_localhost_ports", False), host, here + ".confirm_localhost_ports")
    except CollabFirewallError as exc:
        raise FlowError(str(exc))


def _localhost_ports(result, host, rules):
    """{transport: [(start, end, catalog id), ...]}: the ports the catalog keeps on this node's loopback that its
    UC rules do not open anyway (where documents disagree, the UC flow decides)."""
    catalog = load_catalog()
    node = result["nodes"][host]
    releases = result.get("releases") or {}
    opened = {}
    for rule in rules:
        opened.setdefault(rule["transport"], []).extend(port_ranges(rule["ports"]))
    out = {}
    for entry in catalog.entries:
        if entry["scope"] != "localhost" or releases.get(entry["product"]) != entry["release"] or not entry["ports"]:
            continue
        if not _node_matches(node, catalog.endpoints[entry["to"]]):
            continue
        for start, end in port_ranges(entry["ports"]):
            if not any(lo <= start and end <= hi for lo, hi in merge_ranges(opened.get(entry["transport"], []))):
                out.setdefault(entry["transport"], []).append((start, end, entry["id"]))
    return out


def _overlap(ranges, start, end):
    return any(lo <= end and start <= hi for lo, hi in ranges)


def site_rules(result, host, management, uc_rules, lists):
    """(deny rules, permit rules) of a node's site entries, validated; ``lists``: [(variable, entries), ...].

    ``management``: the node's management sources (tcp 22 from them must stay open); ``uc_rules``: its UC rules.
    """
    index = keep = None  # read when a node has entries at all (most have none)
    denies, permits = [], []
    local = None
    for variable, entries in lists:
        if entries is None:
            continue
        if not isinstance(entries, (list, tuple)):
            raise FlowError.at(host, variable, "must be a list of entries, got %r" % (entries,))
        if not entries:
            continue
        if index is None:
            index, keep = zone_index(result), netaddr.IPSet(management)
        confirmed = [_check_entry(entry, host, "%s[%d]" % (variable, position)) for position, entry in enumerate(entries)]
        try:
            # the interface-ACL validation (action, ports, remark, source: 'any', zone names or CIDRs); the
            # destination is the node itself
            acl_entries = [dict([(k, v) for k, v in entry.items() if k in ACL_KEYS], destination="any") for entry in entries]
            read = read_site_entries(acl_entries, index, host, variable)
        except AclFlowError as exc:
            raise FlowError(str(exc))
        for position, (entry, item, confirm) in enumerate(zip(entries, read, confirmed)):
            label = "%s[%d]" % (variable, position)
            ranges = merge_ranges(parse_port_item(p, lowest=1) for p in item["ports"])
            rule = {
                "sources": item["sources"],
                "transport": item["transport"],
                "ports": format_ranges(ranges),
                "catalog_ids": [],
                "action": item["grant"],
                "site": label,
                "comment": "site %s: %s" % (item["grant"], entry.get("remark") or "no remark"),
            }
            if item["grant"] == "deny":
                cut = keep & netaddr.IPSet(item["sources"])
                if cut and item["transport"] == "tcp" and _overlap(ranges, 22, 22):
                    raise FlowError.at(host, label, "denies tcp 22 from %s, which the management sources hold: SSH to "
                                       "the node would be cut; narrow the entry's source or ports"
                                       % ", ".join(str(c) for c in cut.iter_cidrs()))
                denies.append(rule)
                continue
            if not confirm:
                if local is None:
                    local = _localhost_ports(result, host, uc_rules)
                hits = sorted(set((lo, hi, cid) for lo, hi, cid in local.get(item["transport"], [])
                                  if _overlap(ranges, lo, hi)))
                if hits:
                    raise FlowError.at(host, label, "would open %s port(s) %s, which the catalog keeps on the node's "
                                       "loopback (%s); narrow the ports, or set confirm_localhost_ports: true on the "
                                       "entry if the network really must reach them"
                                       % (item["transport"], ", ".join(str(p) for p in format_ranges(
                                           merge_ranges((lo, hi) for lo, hi, _cid in hits))),
                                          ", ".join(sorted(set(cid for _lo, _hi, cid in hits)))))
            permits.append(rule)
    return denies, permits
