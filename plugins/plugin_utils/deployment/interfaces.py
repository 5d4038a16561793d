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

``device_config`` renders every ACL of a device with the existing renderers and assembles the structures
for cisco.ios.ios_acls / ios_acl_interfaces, cisco.asa.asa_ogs / asa_acls and the whole CLI text.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import netaddr, require_netaddr

from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import NODE_GROUPS
from ansible_collections.collab.firewall.plugins.plugin_utils.render.asa import render_asa
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.plugins.plugin_utils.render.cisco_common import check_name
from ansible_collections.collab.firewall.plugins.plugin_utils.render.ios import IPV6_SUFFIX, render_ios

PLATFORMS = ("ios", "asa")
DIRECTIONS = ("in", "out", "both")
INTERFACE_KEYS = ("name", "zones", "direction", "nameif", "acl_name", "description")


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


def _cut(flow, behind, direction):
    """The part of ``flow`` that crosses the interface in ``direction``, or None."""
    inside_side, other_side = ("sources", "destinations") if direction == "in" else ("destinations", "sources")
    inside = netaddr.IPSet(flow[inside_side]) & behind
    if not inside:
        return None
    other = [c for c in flow[other_side] if not _all_behind(c, behind)]
    if not other:
        return None
    out = dict(flow)
    out[inside_side] = _cidrs(inside)
    out[other_side] = other
    return out


def crossing_flows(result, behind, direction):
    """The flows of ``result`` that cross an interface with ``behind`` behind it, in ``direction`` (in|out)."""
    if direction not in ("in", "out"):
        raise AclFlowError("direction %r is neither 'in' nor 'out'" % (direction,))
    flows = []
    for flow in result["flows"]:
        cut = _cut(flow, behind, direction)
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


def _read_interface(item, position, where, variable, platform):
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
    if platform == "asa":
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
    return {"name": name.strip(), "zones": item.get("zones"), "direction": direction, "nameif": nameif,
            "acl_name": custom, "description": item.get("description") or "", "label": label}


def interface_acls(result, interfaces, host="device", variable="acl_interfaces", platform=None, prefix="UC",
                   management=True):
    """One ACL plan per interface and direction: name, the flows that cross, the management block."""
    require_netaddr()
    if platform is not None and platform not in PLATFORMS:
        raise AclFlowError.at(host, "platform", "%r is not one of %s" % (platform, ", ".join(PLATFORMS)))
    if isinstance(interfaces, dict):
        interfaces = [interfaces]
    if not isinstance(interfaces, (list, tuple)):
        raise AclFlowError.at(host, variable, "must be a list of interfaces, got %r" % (interfaces,))
    if not isinstance(prefix, str):
        raise AclFlowError.at(host, "prefix", "must be a string, got %r" % (prefix,))
    plans, names, seen = [], {}, set()
    for position, item in enumerate(interfaces):
        iface = _read_interface(item, position, host, variable, platform)
        behind = behind_networks(result, iface["zones"], host, iface["label"] + ".zones")
        directions = ("in", "out") if iface["direction"] == "both" else (iface["direction"],)
        for direction in directions:
            key = (iface["name"], direction)
            if key in seen:
                raise AclFlowError.at(host, iface["label"], "interface %s has two %s ACLs" % (iface["name"], direction))
            seen.add(key)
            if iface["acl_name"]:
                name = iface["acl_name"] + ("-" + direction.upper() if len(directions) == 2 else "")
            else:
                ident = iface["nameif"] if platform == "asa" else iface["name"]
                try:
                    name = acl_name(ident, direction, prefix, abbreviate=platform != "asa")
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
            if platform == "ios":
                plan["name6"] = name + IPV6_SUFFIX
            plans.append(plan)
    return plans


# ---------------------------------------------------------------- device configuration


def split_blocks(lines):
    """CLI lines -> list of blocks (a top-level line and its indented children)."""
    blocks = []
    for line in lines:
        if line[:1].isspace() and blocks:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return blocks


def _unique_blocks(blocks):
    out, seen = [], set()
    for block in blocks:
        if block[0] not in seen:
            seen.add(block[0])
            out.append(block)
    return out


def _ios_device(plans, log_deny, use_object_groups):
    v4, v6, og_blocks, og_data, acl_lines, bindings = [], [], [], {}, [], {}
    for plan in plans:
        out = render_ios({"flows": plan["flows"]}, plan["name"], management=plan["management"], log_deny=log_deny,
                         use_object_groups=use_object_groups)
        v4.extend(out["acls"][0]["acls"])
        v6.extend(out["acls"][1]["acls"])
        og_blocks.extend(split_blocks(out["object_group_lines"]))
        for group in out["object_groups"]:
            og_data.setdefault(group["name"], group)
        acl_lines.extend(out["lines"][len(out["object_group_lines"]):])
        groups = bindings.setdefault(plan["interface"], {"ipv4": [], "ipv6": []})
        groups["ipv4"].append({"name": plan["name"], "direction": plan["direction"]})
        groups["ipv6"].append({"name": plan["name6"], "direction": plan["direction"]})
    unique = _unique_blocks(og_blocks)
    og_lines = [line for block in unique for line in block]
    acl_interfaces, bind_lines = [], []
    for interface, groups in bindings.items():
        acl_interfaces.append({"name": interface, "access_groups": [
            {"afi": afi, "acls": groups[afi]} for afi in ("ipv4", "ipv6")]})
        bind_lines.append("interface %s" % interface)
        bind_lines.extend(" ip access-group %s %s" % (a["name"], a["direction"]) for a in groups["ipv4"])
        bind_lines.extend(" ipv6 traffic-filter %s %s" % (a["name"], a["direction"]) for a in groups["ipv6"])
    return {
        "acls": [{"afi": "ipv4", "acls": v4}, {"afi": "ipv6", "acls": v6}],
        "acl_interfaces": acl_interfaces,
        "object_groups": list(og_data.values()),
        "object_group_lines": og_lines,
        # cisco.ios.ios_config arguments, one per object-group (parents + member lines)
        "object_group_blocks": [{"parents": [block[0]], "lines": [line.strip() for line in block[1:]]}
                                for block in unique],
        "binding_lines": bind_lines,
        "lines": og_lines + acl_lines + bind_lines,
    }


def _asa_device(plans, log_deny):
    acls, og_blocks, ogs, acl_lines, group_lines = [], [], {}, [], []
    for plan in plans:
        out = render_asa({"flows": plan["flows"]}, plan["name"], management=plan["management"], log_deny=log_deny)
        acls.extend(out["acls"]["acls"])
        mine = [line for line in out["lines"] if not line.startswith("access-list ")]
        og_blocks.extend(split_blocks(mine))
        acl_lines.extend(line for line in out["lines"] if line.startswith("access-list "))
        for entry in out["ogs"]:
            bucket = ogs.setdefault(entry["object_type"], {})
            for group in entry["object_groups"]:
                bucket.setdefault(group["name"], group)
        # render_asa binds "in" only; the direction of the plan decides here
        group_lines.append("access-group %s %s interface %s" % (plan["name"], plan["direction"], plan["nameif"]))
    og_lines = [line for block in _unique_blocks(og_blocks) for line in block]
    return {
        "ogs": [{"object_type": kind, "object_groups": list(ogs[kind].values())}
                for kind in ("network", "service") if kind in ogs],
        "acls": {"acls": acls},
        "object_group_lines": og_lines,
        "access_group_lines": group_lines,
        "lines": og_lines + acl_lines + group_lines,
    }


def device_config(plans, platform, log_deny=False, use_object_groups=True):
    """Render every ACL of a device and assemble the module structures and the CLI text."""
    if platform == "ios":
        return _ios_device(plans, log_deny, use_object_groups)
    if platform == "asa":
        return _asa_device(plans, log_deny)
    raise AclFlowError("platform %r is not one of %s" % (platform, ", ".join(PLATFORMS)))


def acl_plan(result, interfaces, host="device", variable="acl_interfaces", platform=None, prefix="UC",
             management=True, log_deny=False, use_object_groups=True):
    """The plans of ``interface_acls`` and, with ``platform``, the rendered device configuration."""
    require_netaddr()
    plans = interface_acls(result, interfaces, host, variable, platform, prefix, management)
    answer = {"host": host, "platform": platform, "acls": plans, "device": None}
    if platform is not None:
        try:
            answer["device"] = device_config(plans, platform, log_deny, use_object_groups)
        except PolicyError as exc:
            raise AclFlowError.at(host, variable, str(exc))
    return answer
