# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which flows of a deployment cross one interface of a router or firewall, in one direction.

A device lists its interfaces and the zones behind each (``acl_interfaces``, see docs/network-roles.md).
A zone name is an inventory group of UC nodes (``publisher``, ``subscriber``, ``imp``, ``unity``, ``cvp``,
``gateways``), an inventory host name of a UC node, or a ``uc_zones`` key (``phone``, ...).

- direction ``in`` (traffic arriving from the zones behind the interface): flows whose sources overlap the
  networks behind it and whose destinations are not all behind it; sources are cut down to the
  behind-networks, destination networks that lie entirely behind the interface are dropped (that traffic
  never crosses it).
- direction ``out``: the mirror (destinations behind, cut down; sources not all behind).
- direction ``both``: one ACL for each.

This module decides which traffic crosses an interface; how a platform writes it is the renderers' job
(``render/platforms.py``: ``device_plan`` calls ``interface_acls`` and then the platform's renderer).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import netaddr, require_netaddr

from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.inventory import NODE_GROUPS
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import check_name
from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import to_bool

DIRECTIONS = ("in", "out", "both")
INTERFACE_KEYS = ("name", "zones", "direction", "nameif", "acl_name", "description", "allow_empty")


class AclFlowError(CollabFirewallError):
    """Bad acl_interfaces input; the message names the host and the variable."""


# ---------------------------------------------------------------- names and networks


def zone_index(result):
    """Every name usable in ``zones``: group, node or uc_zones key -> list of CIDRs."""
    if not isinstance(result, dict) or "flows" not in result or "nodes" not in result:
        raise AclFlowError("the input must be the result of collab.firewall.uc_flows, got %r" % (type(result).__name__,))
    index = {}
    for name, node in result["nodes"].items():
        index[name] = list(node["addresses"])
        for group in node["groups"]:
            index.setdefault(group, []).extend(node["addresses"])
    for group in NODE_GROUPS:
        index.setdefault(group, [])
    for key, cidrs in (result.get("zones") or {}).items():
        index[key] = list(cidrs)
    return index


def zone_labels(result):
    """Names for reports: each UC node group and each uc_zones key -> its CIDRs (empty ones left out)."""
    index = zone_index(result)
    names = list(NODE_GROUPS) + sorted(result.get("zones") or {})
    return dict((name, sorted(set(index[name]))) for name in names if index.get(name))


def behind_networks(result, zones, where="device", variable="acl_interfaces"):
    """The merged networks behind an interface (``netaddr.IPSet``); unknown names are an error."""
    index = zone_index(result)
    if isinstance(zones, str) or not isinstance(zones, (list, tuple)) or not zones:
        raise AclFlowError.at(where, variable, "zones must be a non-empty list of names, got %r" % (zones,))
    behind = netaddr.IPSet()
    for name in zones:
        if not isinstance(name, str) or name not in index:
            raise AclFlowError.at(where, variable, "unknown zone %r; valid names (inventory groups, UC hosts and uc_zones keys): %s"
                                  % (name, ", ".join(sorted(index))))
        behind |= netaddr.IPSet(index[name])
    return behind


def _cidrs(ipset):
    nets = list(ipset.iter_cidrs())
    return [str(n) for n in sorted(nets, key=lambda n: (n.version, n))]


def _all_behind(cidr, behind):
    return netaddr.IPSet([cidr]).issubset(behind)


def _cut(flow, behind, direction, seen=None):
    """The part of ``flow`` that crosses the interface in ``direction``, or None.

    ``seen`` (a dict kept for one interface) remembers the cut of each address list: a deployment has many
    flows from the same thousands of phone subnets, and intersecting them with ``behind`` is the costly part.
    """
    seen = {} if seen is None else seen
    inside_side, other_side = ("sources", "destinations") if direction == "in" else ("destinations", "sources")
    key = ("inside", tuple(flow[inside_side]))
    if key not in seen:
        inside = netaddr.IPSet(flow[inside_side]) & behind
        seen[key] = _cidrs(inside) if inside else None
    if seen[key] is None:
        return None
    other = []
    for cidr in flow[other_side]:
        if ("behind", cidr) not in seen:
            seen[("behind", cidr)] = _all_behind(cidr, behind)
        if not seen[("behind", cidr)]:
            other.append(cidr)
    if not other:
        return None
    out = dict(flow)
    out[inside_side] = list(seen[key])
    out[other_side] = other
    return out


def crossing_flows(result, behind, direction):
    """The flows of ``result`` that cross an interface with ``behind`` behind it, in ``direction`` (in|out)."""
    if direction not in ("in", "out"):
        raise AclFlowError("direction %r is neither 'in' nor 'out'" % (direction,))
    flows, seen = [], {}
    for flow in result["flows"]:
        cut = _cut(flow, behind, direction, seen)
        if cut is not None:
            flows.append(cut)
    return flows


def crossing_management(result, behind, direction):
    """SSH from the management sources to the UC nodes, cut like a flow; None when it does not cross."""
    sources = (result.get("management") or {}).get("sources") or []
    targets = [a for node in result["nodes"].values() for a in node["addresses"]]
    if not sources or not targets:
        return None
    block = {"sources": list(sources), "destinations": _cidrs(netaddr.IPSet(targets)), "transport": "tcp",
             "ports": list(result["management"].get("ports") or [22])}
    cut = _cut(block, behind, direction)
    if cut is None:
        return None
    cut["description"] = "management ssh"
    cut["catalog_ids"] = []
    return cut


def acl_name(interface, direction, prefix="UC", abbreviate=True):
    """Deterministic ACL name: ``GigabitEthernet0/1`` in -> ``UC-GI0-1-IN``; ASA nameif ``inside`` -> ``UC-INSIDE-IN``."""
    if not isinstance(interface, str) or not interface.strip():
        raise AclFlowError("interface name %r must be a non-empty string" % (interface,))
    text = interface.strip()
    if abbreviate:
        match = re.match(r"^([A-Za-z][A-Za-z\-]*?)-?(\d.*)?$", text)
        if match:
            text = match.group(1)[:2] + (match.group(2) or "")
    body = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").upper()
    parts = [p for p in (prefix, body, direction.upper()) if p]
    return check_name("-".join(parts))


# ---------------------------------------------------------------- interfaces


def _read_interface(item, position, where, variable, binds_by):
    label = "%s[%d]" % (variable, position)
    if not isinstance(item, dict):
        raise AclFlowError.at(where, label, "must be a mapping with name, zones and direction, got %r" % (item,))
    unknown = sorted(set(item) - set(INTERFACE_KEYS))
    if unknown:
        raise AclFlowError.at(where, label, "unknown key(s) %s; valid: %s" % (", ".join(unknown), ", ".join(INTERFACE_KEYS)))
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise AclFlowError.at(where, label + ".name", "must be the interface name, got %r" % (name,))
    direction = item.get("direction", "in")
    if direction not in DIRECTIONS:
        raise AclFlowError.at(where, label + ".direction", "%r is not one of %s" % (direction, ", ".join(DIRECTIONS)))
    nameif = item.get("nameif")
    if binds_by == "nameif":
        if not isinstance(nameif, str):
            raise AclFlowError.at(where, label + ".nameif", "an ASA interface needs its nameif (the name access-group binds to), got %r"
                                  % (nameif,))
        try:
            check_name(nameif, "nameif")
        except PolicyError as exc:
            raise AclFlowError.at(where, label + ".nameif", str(exc))
    custom = item.get("acl_name")
    if custom is not None:
        try:
            check_name(custom)
        except PolicyError as exc:
            raise AclFlowError.at(where, label + ".acl_name", str(exc))
    try:
        allow_empty = to_bool(item.get("allow_empty", False), where, label + ".allow_empty")
    except CollabFirewallError as exc:
        raise AclFlowError(str(exc))
    return {"name": name.strip(), "zones": item.get("zones"), "direction": direction, "nameif": nameif,
            "acl_name": custom, "description": item.get("description") or "", "label": label,
            "allow_empty": allow_empty}


def interface_acls(result, interfaces, host="device", variable="acl_interfaces", binds_by=None, prefix="UC",
                   management=True):
    """One ACL plan per interface and direction: name, the flows that cross, the management block.

    ``binds_by``: the interface field an ACL binds to on the platform, ``name`` (IOS, the default) or
    ``nameif`` (ASA: then each interface needs its nameif, and ACL names derive from it).
    """
    require_netaddr()
    if isinstance(interfaces, dict):
        interfaces = [interfaces]
    if not isinstance(interfaces, (list, tuple)):
        raise AclFlowError.at(host, variable, "must be a list of interfaces, got %r" % (interfaces,))
    if not isinstance(prefix, str):
        raise AclFlowError.at(host, "prefix", "must be a string, got %r" % (prefix,))
    plans, names, seen = [], {}, set()
    for position, item in enumerate(interfaces):
        iface = _read_interface(item, position, host, variable, binds_by)
        behind = behind_networks(result, iface["zones"], host, iface["label"] + ".zones")
        if not behind and not iface["allow_empty"]:
            # an ACL for an interface with nothing behind it permits no UC flow, yet would still be bound
            raise AclFlowError.at(host, iface["label"] + ".zones", "%s resolve to no address in this deployment, so the "
                                  "ACL of %s would permit no UC flow and still be bound; give the zones addresses "
                                  "(uc_zones, UC hosts) or confirm with allow_empty: true on this interface"
                                  % (", ".join(str(z) for z in iface["zones"]), iface["name"]))
        directions = ("in", "out") if iface["direction"] == "both" else (iface["direction"],)
        for direction in directions:
            key = (iface["name"], direction)
            if key in seen:
                raise AclFlowError.at(host, iface["label"], "interface %s has two %s ACLs" % (iface["name"], direction))
            seen.add(key)
            if iface["acl_name"]:
                name = iface["acl_name"] + ("-" + direction.upper() if len(directions) == 2 else "")
            else:
                by_nameif = binds_by == "nameif"
                ident = iface["nameif"] if by_nameif else iface["name"]
                try:
                    name = acl_name(ident, direction, prefix, abbreviate=not by_nameif)
                except PolicyError as exc:
                    raise AclFlowError.at(host, iface["label"], str(exc))
            if name in names:
                raise AclFlowError.at(host, iface["label"], "ACL name %s is also the name for %s; set acl_name on one of them"
                                      % (name, names[name]))
            names[name] = iface["name"]
            flows = crossing_flows(result, behind, direction)
            plan = {
                "interface": iface["name"],
                "nameif": iface["nameif"],
                "direction": direction,
                "name": name,
                "zones": list(iface["zones"]),
                "behind": _cidrs(behind),
                "flows": flows,
                "management": crossing_management(result, behind, direction) if management else None,
                "catalog_ids": sorted(set(i for f in flows for i in f["catalog_ids"])),
            }
            plans.append(plan)
    return plans
