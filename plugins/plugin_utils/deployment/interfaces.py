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
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import (
    parse_network,
    address_cidrs,
    address_spans,
    intersect_intervals,
    interval_cidrs,
    interval_inside,
    netaddr,
    network_interval,
    parse_port_item,
    require_netaddr,
    spans_cidrs,
    subtract_intervals,
)

from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.inventory import NODE_GROUPS
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import check_name
from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import to_bool

DIRECTIONS = ("in", "out", "both")
SCOPES = ("protect", "strict")
INTERFACE_KEYS = ("name", "zones", "direction", "nameif", "acl_name", "description", "allow_empty", "scope",
                  "site_before", "site_after")
ENTRY_KEYS = ("action", "protocol", "source", "destination", "ports", "source_ports", "established", "remark",
              "log")
ENTRY_PROTOCOLS = ("ip", "tcp", "udp", "icmp", "gre", "esp", "ah", "ospf", "eigrp", "pim", "vrrp", "igmp")
ANY_BOTH = ["0.0.0.0/0", "::/0"]
# an interface name as IOS and ASA write it (GigabitEthernet0/0/1, Gi0/1.100, Port-channel1, "GigabitEthernet 0/1"):
# it goes into the configuration as "interface <name>", so no line break, '!' or other character a CLI would read
_INTERFACE = re.compile(r"^[A-Za-z][A-Za-z0-9/.:_-]*(?: [A-Za-z0-9/.:_-]+)*$")


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
    return netaddr.IPSet(spans_cidrs(_behind(result, zones, where, variable)))


def _behind(result, zones, where, variable, index=None):
    """The networks behind an interface as ``netsets.address_spans`` (integers per family)."""
    index = zone_index(result) if index is None else index
    if isinstance(zones, str) or not isinstance(zones, (list, tuple)) or not zones:
        raise AclFlowError.at(where, variable, "zones must be a non-empty list of names, got %r" % (zones,))
    cidrs = []
    for name in zones:
        if not isinstance(name, str) or name not in index:
            raise AclFlowError.at(where, variable, "unknown zone %r; valid names (inventory groups, UC hosts and uc_zones keys): %s"
                                  % (name, ", ".join(sorted(index))))
        cidrs.extend(index[name])
    return address_spans(cidrs)


def _cidrs(ipset):
    nets = list(ipset.iter_cidrs())
    return [str(n) for n in sorted(nets, key=lambda n: (n.version, n))]


def _and(left, right):
    return dict((v, intersect_intervals(left[v], right[v])) for v in (4, 6))


def _minus(left, right):
    return dict((v, subtract_intervals(left[v], right[v])) for v in (4, 6))


def _behind_spans(behind, seen):
    """The networks behind an interface as intervals per family (``behind``: an IPSet, or already intervals),
    once per interface (``seen``): the flows of a large deployment cut the same thousands of phone subnets
    many times, integers keep that cheap."""
    if isinstance(behind, dict):
        return behind
    if "__behind__" not in seen:
        seen["__behind__"] = address_spans(str(r) for r in behind.iter_cidrs())
    return seen["__behind__"]


def _all_behind(cidr, behind, seen=None):
    version, first, last = network_interval(cidr)
    return interval_inside(_behind_spans(behind, {} if seen is None else seen)[version], first, last)


def _cut(flow, behind, direction, seen=None):
    """The part of ``flow`` that crosses the interface in ``direction``, or None.

    ``behind``: the networks behind the interface (``netaddr.IPSet`` or ``netsets.address_spans``). ``seen``
    (a dict kept for one interface) remembers the cut of each address list: a deployment has many flows from
    the same thousands of phone subnets, and intersecting them with ``behind`` is the costly part.
    """
    seen = {} if seen is None else seen
    inside_side, other_side = ("sources", "destinations") if direction == "in" else ("destinations", "sources")
    key = ("inside", tuple(flow[inside_side]))
    if key not in seen:
        spans = _behind_spans(behind, seen)
        mine = address_spans(key[1])
        cut = [cidr for version in (4, 6) for first, last in intersect_intervals(mine[version], spans[version])
               for cidr in interval_cidrs(first, last, version)]
        seen[key] = cut or None
    if seen[key] is None:
        return None
    key_other = ("other", tuple(flow[other_side]))
    if key_other not in seen:
        spans = _behind_spans(behind, seen)
        if not any(intersect_intervals(address_spans(key_other[1])[v], spans[v]) for v in (4, 6)):
            seen[key_other] = list(key_other[1])  # nothing of the list is behind: all of it crosses
        else:
            other = []
            for cidr in key_other[1]:
                if ("behind", cidr) not in seen:
                    seen[("behind", cidr)] = _all_behind(cidr, behind, seen)
                if not seen[("behind", cidr)]:
                    other.append(cidr)
            seen[key_other] = other
    other = list(seen[key_other])
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
    block = {"sources": list(sources), "destinations": address_cidrs(targets), "transport": "tcp",
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


def _read_interface(item, position, where, variable, binds_by, default_scope="protect"):
    label = "%s[%d]" % (variable, position)
    if not isinstance(item, dict):
        raise AclFlowError.at(where, label, "must be a mapping with name, zones and direction, got %r" % (item,))
    unknown = sorted(set(item) - set(INTERFACE_KEYS))
    if unknown:
        raise AclFlowError.at(where, label, "unknown key(s) %s; valid: %s" % (", ".join(unknown), ", ".join(INTERFACE_KEYS)))
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise AclFlowError.at(where, label + ".name", "must be the interface name, got %r" % (name,))
    if not _INTERFACE.match(name.strip()) or len(name.strip()) > 64:
        raise AclFlowError.at(where, label + ".name", "%r is not an interface name: a letter, then letters, digits and "
                              "/ . : _ - (single spaces between parts), at most 64 characters" % (name,))
    description = item.get("description")
    if description is not None and (not isinstance(description, str) or len(description) > 200
                                    or any(ord(c) < 32 for c in description)):
        raise AclFlowError.at(where, label + ".description", "must be one line of text of at most 200 characters, "
                              "got %r" % (description,))
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
    scope = item.get("scope", default_scope)
    if scope not in SCOPES:
        raise AclFlowError.at(where, label + ".scope", "%r is not one of %s" % (scope, ", ".join(SCOPES)))
    return {"name": name.strip(), "zones": item.get("zones"), "direction": direction, "nameif": nameif,
            "acl_name": custom, "description": item.get("description") or "", "label": label,
            "allow_empty": allow_empty, "scope": scope,
            "site_before": item.get("site_before") or [], "site_after": item.get("site_after") or []}


def _catalog_zones():
    """The zone names of the catalog (uc_zones keys), for messages about a zone the deployment leaves empty."""
    from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog

    endpoints = load_catalog().endpoints
    return set(name for name, role in endpoints.items() if role["kind"] == "zone" or role.get("zone"))


def _entry_side(value, index, where, label):
    """A site entry's source or destination: ``any``, a zone name, a CIDR or a list of them -> CIDRs."""
    values = value if isinstance(value, (list, tuple)) else [value]
    if not values:
        raise AclFlowError.at(where, label, "must name at least one zone, address or 'any'")
    out = []
    for item in values:
        if item == "any":
            out.extend(ANY_BOTH)
        elif isinstance(item, str) and item in index:
            if not index[item]:
                raise AclFlowError.at(where, label, "zone %r has no addresses" % (item,))
            out.extend(index[item])
        else:
            try:
                net = netaddr.IPNetwork(str(item).strip()) if isinstance(item, str) else None
            except (netaddr.AddrFormatError, ValueError, TypeError):
                net = None
            if net is None and isinstance(item, str) and item in _catalog_zones():
                raise AclFlowError.at(where, label, "zone %r has no addresses in this deployment (uc_zones.%s is unset "
                                      "or empty); give it addresses or name the networks here" % (item, item))
            if net is None:
                raise AclFlowError.at(where, label, "%r is not 'any', a zone name or an address/CIDR" % (item,))
            if net.ip != net.network:
                raise AclFlowError.at(where, label, "%r has host bits set (network is %s)" % (item, net.cidr))
            out.append(str(net.cidr))
    return _cidrs(netaddr.IPSet(out))


def read_site_entries(entries, index, where, label, stateless=False):
    """Validate a list of site entries (docs/network-roles.md) -> ACL entries for the renderers.

    Each entry: ``action`` (permit|deny), ``protocol`` (``ENTRY_PROTOCOLS`` or a number), ``source`` and
    ``destination`` (``any``, zone names, addresses/CIDRs), ``ports`` and ``source_ports`` (tcp/udp only),
    ``established`` (tcp only, and only on a ``stateless`` platform: a stateful firewall passes the packets of
    an open connection by itself), ``remark``, ``log``.
    """
    if not isinstance(entries, (list, tuple)):
        raise AclFlowError.at(where, label, "must be a list of entries, got %r" % (entries,))
    out = []
    for position, entry in enumerate(entries):
        here = "%s[%d]" % (label, position)
        if not isinstance(entry, dict):
            raise AclFlowError.at(where, here, "must be a mapping with action, protocol, source, destination, got %r"
                                  % (entry,))
        unknown = sorted(set(entry) - set(ENTRY_KEYS))
        if unknown:
            raise AclFlowError.at(where, here, "unknown key(s) %s; valid: %s" % (", ".join(unknown), ", ".join(ENTRY_KEYS)))
        action = entry.get("action")
        if action not in ("permit", "deny"):
            raise AclFlowError.at(where, here + ".action", "%r is not permit or deny" % (action,))
        protocol = entry.get("protocol", "ip")
        numbered = isinstance(protocol, int) and not isinstance(protocol, bool) and 0 <= protocol <= 255
        if protocol not in ENTRY_PROTOCOLS and not numbered:
            raise AclFlowError.at(where, here + ".protocol", "%r is not one of %s or a protocol number 0-255"
                                  % (protocol, ", ".join(ENTRY_PROTOCOLS)))
        ports = _entry_ports(entry, "ports", protocol, where, here)
        source_ports = _entry_ports(entry, "source_ports", protocol, where, here)
        established = entry.get("established", False)
        if not isinstance(established, bool):
            raise AclFlowError.at(where, here + ".established", "must be true or false, got %r" % (established,))
        if established and protocol != "tcp":
            raise AclFlowError.at(where, here + ".established", "only tcp entries match open connections, this one "
                                  "is %r" % (protocol,))
        if established and not stateless:
            raise AclFlowError.at(where, here + ".established", "this platform is stateful: the packets of a "
                                  "permitted connection pass without an entry; leave it out")
        remark = entry.get("remark", "")
        if not isinstance(remark, str) or len(remark) > 100:
            raise AclFlowError.at(where, here + ".remark", "must be text of at most 100 characters, got %r" % (remark,))
        try:
            # read like every other boolean of the collection ("yes", "false", 1 ...)
            log = to_bool(entry.get("log", False), where, here + ".log")
        except CollabFirewallError as exc:
            raise AclFlowError(str(exc))
        for side in ("source", "destination"):
            if side not in entry:
                raise AclFlowError.at(where, here + "." + side, "is required ('any', zone names or addresses)")
        out.append({
            "grant": action,
            "transport": protocol,
            "ports": ports,
            "sources": _entry_side(entry["source"], index, where, here + ".source"),
            "destinations": _entry_side(entry["destination"], index, where, here + ".destination"),
            "description": "site: " + (remark or "entry %d" % position),
            "log": log,
            "catalog_ids": [],
        })
        if source_ports:
            out[-1]["source_ports"] = source_ports
        if established:
            out[-1]["established"] = True
    return out


def _entry_ports(entry, key, protocol, where, here):
    """A site entry's ``ports`` or ``source_ports``: a list of ports or ranges, on tcp/udp entries only."""
    if key in entry and not entry[key]:
        raise AclFlowError.at(where, "%s.%s" % (here, key), "is empty (%r): an empty list never means every port; list "
                              "the ports, or leave %s out for a %s entry without %s" % (entry[key], key, protocol, key))
    ports = entry.get(key) or []
    if ports and protocol not in ("tcp", "udp"):
        raise AclFlowError.at(where, "%s.%s" % (here, key), "only tcp and udp entries carry ports, this one is %r"
                              % (protocol,))
    if not isinstance(ports, (list, tuple)):
        raise AclFlowError.at(where, "%s.%s" % (here, key), "must be a list of ports or 'start-end' ranges, got %r"
                              % (ports,))
    for port in ports:
        try:
            parse_port_item(port, lowest=1)
        except CollabFirewallError as exc:
            raise AclFlowError.at(where, "%s.%s" % (here, key), str(exc))
    return list(ports)


def _device_block(device, behind):
    """The device's own management arriving through an interface: admin sources behind it -> the device."""
    if not device or not device.get("addresses") or not device.get("sources"):
        return None
    sources = spans_cidrs(_and(address_spans(device["sources"]), behind))
    if not sources:
        return None
    return {"sources": sources, "destinations": list(device["addresses"]), "transport": "tcp",
            "ports": list(device.get("ports") or [22]), "description": "management of this device",
            "catalog_ids": []}


def device_variables(variable):
    """The names of the device's own management settings in messages: the role variables
    (``ios_acl_device_addresses``, ``ios_acl_admin_sources``, ``ios_acl_device_ports``, ``ios_acl_name_prefix``)
    when ``variable`` is a role's interface variable (``ios_acl_interfaces``), else ``device.<key>``."""
    match = re.match(r"^(\w+_acl)_interfaces$", variable or "")
    if match:
        role = match.group(1)
        return {"addresses": role + "_device_addresses", "sources": role + "_admin_sources",
                "ports": role + "_device_ports", "prefix": role + "_name_prefix", "scope": role + "_scope"}
    return {"addresses": "device.addresses", "sources": "device.sources", "ports": "device.ports", "prefix": "prefix",
            "scope": "scope"}


def read_device(device, where, variable="device", names=None, confirmed=()):
    """``{addresses, sources, ports}`` of the device's own management -> validated addresses, CIDRs and ports.

    ``names``: the variable names for messages (``device_variables``); ``confirmed``: the variables allowed to
    hold a /0 network (uc_confirm_any_network). Addresses are single addresses; sources are networks without host
    bits; ports a non-empty list (unset: 22).
    """
    if device is None:
        return None
    names = names or device_variables(None)
    if not isinstance(device, dict):
        raise AclFlowError.at(where, variable, "must be a mapping with addresses, sources and ports, got %r" % (device,))
    out = {}
    for key in ("addresses", "sources"):
        label = names[key]
        values = device.get(key)
        if values is None:
            values = []
        if isinstance(values, str) or not isinstance(values, (list, tuple)):
            raise AclFlowError.at(where, label, "must be a list of addresses or CIDRs, got %r" % (values,))
        cidrs = []
        for value in values:
            try:
                net = parse_network(value.strip() if isinstance(value, str) else value)
            except CollabFirewallError as exc:
                raise AclFlowError.at(where, label, str(exc))
            if key == "addresses" and net.size != 1:
                raise AclFlowError.at(where, label, "%r is a network; the device's own addresses are single addresses "
                                      "(its management IPs)" % (value,))
            if key == "sources" and net.prefixlen == 0 and label not in confirmed:
                raise AclFlowError.at(where, label, "%s is every address of the family: SSH to the device from "
                                      "anywhere; if that is really meant, confirm it with uc_confirm_any_network: [%s]"
                                      % (net, label))
            cidrs.append(str(net))
        out[key] = cidrs
    ports = device.get("ports")
    if ports is None:
        ports = [22]
    if isinstance(ports, (str, bytes)) or not isinstance(ports, (list, tuple)):
        raise AclFlowError.at(where, names["ports"], "must be a list of ports, got %r" % (ports,))
    if not ports:
        raise AclFlowError.at(where, names["ports"], "is empty; list the device's management ports (22 for SSH): an "
                              "empty list never means every port")
    for port in ports:
        try:
            parse_port_item(port, lowest=1)
        except CollabFirewallError as exc:
            raise AclFlowError.at(where, names["ports"], str(exc))
    out["ports"] = list(ports)
    return out


def interface_acls(result, interfaces, host="device", variable="acl_interfaces", binds_by=None, prefix="UC",
                   management=True, scope="protect", device=None, replies=False):
    """One ACL plan per interface and direction: name, the flows that cross, the management block.

    ``binds_by``: the interface field an ACL binds to on the platform, ``name`` (IOS, the default) or
    ``nameif`` (ASA: then each interface needs its nameif, and ACL names derive from it).
    ``scope``: the default scope of an interface (``protect`` or ``strict``); ``device``: the device's own
    management ``{addresses, sources, ports}`` (kept permitted on every interface the sources are behind).
    ``replies``: the platform's ACLs are stateless (IOS), so each plan also carries, under ``replies``, the
    flows and the management block that cross the interface the other way: their answers come this way
    (a gateway's view adds the flows the gateway itself starts, ``outgoing_flows``).
    """
    require_netaddr()
    names = device_variables(variable)
    if scope not in SCOPES:
        raise AclFlowError.at(host, names["scope"], "%r is not one of %s" % (scope, ", ".join(SCOPES)))
    device = read_device(device, host, names=names, confirmed=result.get("confirmed_any_network") or ()
                         if isinstance(result, dict) else ())
    index = zone_index(result)
    nodes = address_spans([a for node in result["nodes"].values() for a in node["addresses"]])
    if isinstance(interfaces, dict):
        interfaces = [interfaces]
    if not isinstance(interfaces, (list, tuple)):
        raise AclFlowError.at(host, variable, "must be a list of interfaces, got %r" % (interfaces,))
    if not isinstance(prefix, str) or (prefix and not re.match(r"^[A-Za-z][A-Za-z0-9_.-]{0,31}$", prefix)):
        raise AclFlowError.at(host, names["prefix"], "%r is not a name prefix: a letter, then letters, digits, '_', "
                              "'.', '-', at most 32 characters" % (prefix,))
    plans, names, seen = [], {}, set()
    for position, item in enumerate(interfaces):
        iface = _read_interface(item, position, host, variable, binds_by, scope)
        behind = _behind(result, iface["zones"], host, iface["label"] + ".zones", index)
        if not (behind[4] or behind[6]) and not iface["allow_empty"]:
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
            inside, outside = spans_cidrs(_and(nodes, behind)), spans_cidrs(_minus(nodes, behind))
            plan = {
                "interface": iface["name"],
                "nameif": iface["nameif"],
                "direction": direction,
                "name": name,
                "zones": list(iface["zones"]),
                "behind": spans_cidrs(behind),
                "flows": flows,
                "management": crossing_management(result, behind, direction) if management else None,
                "catalog_ids": sorted(set(i for f in flows for i in f["catalog_ids"])),
                "scope": iface["scope"],
                # UC node addresses the scope "protect" closes, towards and from them
                "protect": {"to": outside, "from": inside} if direction == "in" else {"to": inside, "from": outside},
                "site_before": read_site_entries(iface["site_before"], index, host, iface["label"] + ".site_before",
                                                 stateless=replies),
                "site_after": read_site_entries(iface["site_after"], index, host, iface["label"] + ".site_after",
                                                stateless=replies),
                "device_management": _device_block(device, behind) if direction == "in" else None,
            }
            if replies:
                other = "out" if direction == "in" else "in"
                answered = {"flows": list(result["flows"]) + list(result.get("outgoing_flows") or [])}
                plan["replies"] = {
                    "flows": crossing_flows(answered, behind, other),
                    "management": crossing_management(result, behind, other) if management else None,
                }
            plans.append(plan)
    return plans
