# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render flows (docs/policy-model.md) as Cisco IOS / IOS-XE named extended ACLs.

Output is shaped for ``cisco.ios.ios_acls`` (``acls``: its ``config`` list, in the shape its ``parsed``
state returns) and for ``cisco.ios.ios_config`` (``object_group_lines``); ``lines`` is the whole CLI text.

Sequence numbers: IPv4 ACEs are numbered 10, 20, ...; a block's remarks carry the sequence of the ACE they
describe (``10 remark ...`` / ``10 permit ...``), which is how ios_acls ties remarks to an ACE. In an
IPv6 ACL a remark is an entry of its own (``sequence 10 remark ...``), so every IPv6 remark line and ACE
gets its own sequence number (10, 20, ...), remarks before the ACE they describe.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import itertools

from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import netaddr
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import check_name
from ansible_collections.collab.firewall.plugins.plugin_utils.render.cisco_common import (
    IOS_ND_ENTRIES,
    PolicyError,
    acl_blocks,
    net_cidrs,
    normalize_flows_input,
    family_pairs,
    is_any,
    net_mask,
    network_group_name,
    port_operator,
    remark_text,
    split_remark,
    wildcard_mask,
)

__all__ = ["render_ios", "render_device", "acl_names", "module_view", "PolicyError"]

# transport -> (ipv4 keyword, ipv6 keyword or protocol number)
_IOS_PROTOCOLS = {
    "tcp": ("tcp", "tcp"),
    "udp": ("udp", "udp"),
    "icmp": ("icmp", "icmp"),  # in an ipv6 access-list, "icmp" is ICMPv6
    "gre": ("gre", 47),  # no "gre" keyword in IPv6 ACLs: protocol number
    "esp": ("esp", "esp"),
    "ah": ("ahp", "ahp"),
    "ip": ("ip", "ipv6"),
    "ospf": ("ospf", 89),
    "eigrp": ("eigrp", 88),
    "pim": ("pim", 103),
    "igmp": ("igmp", 2),
    "vrrp": (112, 112),
}
_AFI = {4: "ipv4", 6: "ipv6"}
# cisco.ios.ios_acls keys parsed/gathered ACLs by name only: an IPv4 and an IPv6 ACL of the same name
# merge into one entry. The IPv6 ACL is therefore named NAME + "-V6".
IPV6_SUFFIX = "-V6"
# ICMPv6 types IOS knows but cisco.ios.ios_acls (9.x to 11.x) does not: its argument spec refuses them and its
# parser reads "permit icmp any any nd-ns" back as "permit icmp any any" (docs/network-roles.md).
MODULE_LACKS = ("nd_ns", "nd_na")


def _address(net):
    """(structure, CLI text) for one network, the way ios_acls parses it."""
    if is_any(net):
        return {"any": True}, "any"
    if net.size == 1:
        return {"host": str(net.ip)}, "host %s" % net.ip
    if net.version == 4:
        return (
            {"address": str(net.network), "wildcard_bits": wildcard_mask(net)},
            "%s %s" % (net.network, wildcard_mask(net)),
        )
    return {"address": str(net.cidr)}, str(net.cidr)


class _Groups(dict):
    """The object-groups of a device by name; ``namer`` (cisco_common.GroupNamer) names them, else hashes."""

    def __init__(self, namer=None):
        super(_Groups, self).__init__()
        self.namer = namer


def _object_group(nets, version, namer=None):
    """One network object-group as data: name, type, afi, members (CIDRs)."""
    if namer is not None:
        name = namer.network(nets, IPV6_SUFFIX if version == 6 else "")
    else:
        name = network_group_name(nets)
    return {
        "name": name,
        "type": "network",
        "afi": _AFI[version],
        "members": list(net_cidrs(nets)),
    }


_MEMBERS = {}


def _member_line(afi, member):
    """`` host 10.1.1.1``, `` 10.64.0.0 255.255.255.0`` or `` 2001:db8::/64``: one member line, once per member
    (the groups of a large deployment hold the same thousands of phone subnets)."""
    key = (afi, member)
    line = _MEMBERS.get(key)
    if line is None:
        n = netaddr.IPNetwork(member)
        if afi == "ipv4":
            line = " host %s" % n.ip if n.size == 1 else " %s %s" % (n.network, net_mask(n))
        else:
            line = " host %s" % n.ip if n.size == 1 else " " + str(n.cidr)
        if len(_MEMBERS) >= 65536:  # bounded
            _MEMBERS.clear()
        _MEMBERS[key] = line
    return line


def object_group_lines(group):
    """CLI lines of one object-group (data of ``_object_group``)."""
    if group["afi"] == "ipv4":
        header = "object-group network %s" % group["name"]
    else:
        header = "object-group v6-network %s" % group["name"]
    return [header] + [_member_line(group["afi"], m) for m in group["members"]]


def _endpoint_specs(nets, version, use_object_groups, groups):
    """List of (structure, text) for one side of an ACE block; new object-groups are added to ``groups``."""
    if any(is_any(n) for n in nets):
        return [({"any": True}, "any")]
    if len(nets) > 1 and use_object_groups:
        group = _object_group(nets, version, getattr(groups, "namer", None))
        groups.setdefault(group["name"], group)
        return [({"object_group": group["name"]}, "object-group %s" % group["name"])]
    return [_address(n) for n in nets]


def _ace_text(ace, protocol_text, src_text, dst_text, port_text, version, sport_text=""):
    parts = [ace["grant"], protocol_text, src_text]
    if sport_text:
        parts.append(sport_text)
    parts.append(dst_text)
    if port_text:
        parts.append(port_text)
    options = ace.get("protocol_options") or {}
    icmp = options.get("icmp")
    if isinstance(icmp, dict):
        parts.extend(k.replace("_", "-") for k in icmp)
    if (options.get("tcp") or {}).get("established"):
        parts.append("established")
    if ace.get("log"):
        parts.append("log")
    body = " ".join(parts)
    if version == 4:
        return " %d %s" % (ace["sequence"], body)
    return " sequence %d %s" % (ace["sequence"], body)


def _port_match(side, rng):
    """Set ``port_protocol`` of one ACE side for a port range (None: any port); return its CLI text."""
    if rng is None:
        return ""
    op = port_operator(*rng)
    if op[0] == "eq":
        side["port_protocol"] = {"eq": str(op[1])}
    else:
        side["port_protocol"] = {"range": {"start": op[1], "end": op[2]}}
    return " ".join(str(x) for x in op)


def _block_aces(block, version, use_object_groups, groups):
    """(remark lines, [(ace structure without sequence, texts)]) for one block and family."""
    transport = block["transport"]
    proto = transport if isinstance(transport, int) else _IOS_PROTOCOLS[transport][0 if version == 4 else 1]
    srcs = _endpoint_specs(block["src"][version], version, use_object_groups, groups)
    dsts = _endpoint_specs(block["dst"][version], version, use_object_groups, groups)
    ports = block["ports"] or [None]
    sports = block.get("sports") or [None]
    aces = []
    for (s_struct, s_text), srng, (d_struct, d_text), rng in itertools.product(srcs, sports, dsts, ports):
        ace = {"grant": block.get("grant", "permit")}
        if isinstance(proto, int):
            ace["protocol_options"] = {"protocol_number": proto}
        else:
            ace["protocol"] = proto
        if block.get("icmp_type"):
            ace["protocol_options"] = {"icmp": {block["icmp_type"].replace("-", "_"): True}}
        if block.get("established"):
            ace["protocol_options"] = {"tcp": {"established": True}}
        ace["source"] = dict(s_struct)
        ace["destination"] = dict(d_struct)
        if block.get("log"):
            ace["log"] = {"set": True}
        port_text = _port_match(ace["destination"], rng)
        sport_text = _port_match(ace["source"], srng)
        aces.append((ace, (str(proto), s_text, d_text, port_text, version, sport_text)))
    return split_remark(remark_text(block)), aces


def _render_family(blocks, version, name, use_object_groups, groups):
    aces_out, lines = [], []
    seq = 0
    entries = []
    for block in blocks:
        if version not in family_pairs(block):
            continue
        entries.append(_block_aces(block, version, use_object_groups, groups))

    for remarks, aces in entries:
        for i, (ace, texts) in enumerate(aces):
            if version == 4:
                seq += 10
                ace = dict(ace, sequence=seq)
                if i == 0 and remarks:
                    ace["remarks"] = list(remarks)
                    lines.extend(" %d remark %s" % (seq, r) for r in remarks)
            else:
                if i == 0:
                    for r in remarks:
                        seq += 10
                        aces_out.append({"sequence": seq, "remarks": [r]})
                        lines.append(" sequence %d remark %s" % (seq, r))
                seq += 10
                ace = dict(ace, sequence=seq)
            aces_out.append(ace)
            lines.append(_ace_text(ace, *texts))
    if version == 4:
        acl = {"name": name, "acl_type": "extended", "aces": aces_out}
        header = "ip access-list extended %s" % name
    else:
        acl = {"name": name + IPV6_SUFFIX, "aces": aces_out}
        header = "ipv6 access-list %s%s" % (name, IPV6_SUFFIX)
    return acl, [header] + lines


def _check_options(log_deny, use_object_groups):
    if not isinstance(log_deny, bool):
        raise PolicyError("log_deny %r must be a boolean" % (log_deny,))
    if not isinstance(use_object_groups, bool):
        raise PolicyError("use_object_groups %r must be a boolean" % (use_object_groups,))


def _render_acls(blocks, name, use_object_groups, groups):
    """The IPv4 and IPv6 ACL of one name: ``([ios_acls config entries], CLI lines)``; groups go to ``groups``."""
    check_name(name)
    config, acl_lines = [], []
    for version in (4, 6):
        acl, lines = _render_family(blocks, version, name, use_object_groups, groups)
        config.append({"afi": _AFI[version], "acls": [acl]})
        acl_lines.extend(lines)
    return config, acl_lines


def render_ios(flows, name, management=None, log_deny=False, use_object_groups=True):
    """Render flows as IPv4 extended ACL ``name`` and IPv6 ACL ``name + "-V6"``.

    Returns ``{"acls", "object_groups", "object_group_lines", "lines"}`` (see the module docstring).
    Management (SSH from the management sources) comes first, then one block per flow in input order (what an earlier block already permits dropped), then an
    explicit ``deny ip any any`` / ``deny ipv6 any any`` (with ``log`` when ``log_deny``).
    """
    check_name(name)
    _check_options(log_deny, use_object_groups)
    groups = {}
    # one ACL of flows, as before scopes existed: interface ACLs (scope, neighbour discovery, site entries)
    # come from render_device
    blocks = acl_blocks({"flows": normalize_flows_input(flows), "management": management, "scope": "strict"},
                        (), log_deny)
    config, acl_lines = _render_acls(blocks, name, use_object_groups, groups)
    og_lines = [line for group in groups.values() for line in object_group_lines(group)]
    return {
        "acls": config,
        "object_groups": list(groups.values()),
        "object_group_lines": og_lines,
        "lines": og_lines + acl_lines,
    }


def acl_names(plan):
    """The names one interface ACL plan gets on IOS: ``name`` (IPv4) and ``name6`` (IPv6)."""
    return {"name6": plan["name"] + IPV6_SUFFIX}


def render_device(plans, log_deny=False, use_object_groups=True, names=None):
    """Every ACL of a router, its object-groups and interface bindings, as data and as CLI text.

    ``plans``: interface ACL plans (``deployment.interfaces.interface_acls`` plus ``acl_names``). An
    object-group several ACLs use is one named object, defined once (first use first); ``names`` (a
    ``cisco_common.GroupNamer``) gives them readable names, content hashes without it.
    Returns ``acls`` (ios_acls config), ``acl_interfaces`` (ios_acl_interfaces config), ``object_groups``,
    ``object_group_lines``, ``object_group_blocks`` (ios_config parents/lines), ``binding_lines``, ``lines``.
    """
    _check_options(log_deny, use_object_groups)
    groups, acls, acl_lines, bindings = _Groups(names), {"ipv4": [], "ipv6": []}, [], {}
    for plan in plans:
        blocks = acl_blocks(plan, IOS_ND_ENTRIES, log_deny)
        config, lines = _render_acls(blocks, plan["name"], use_object_groups, groups)
        for entry in config:
            acls[entry["afi"]].extend(entry["acls"])
        acl_lines.extend(lines)
        bound = bindings.setdefault(plan["interface"], {"ipv4": [], "ipv6": []})
        bound["ipv4"].append({"name": plan["name"], "direction": plan["direction"]})
        bound["ipv6"].append({"name": plan["name6"], "direction": plan["direction"]})
    blocks = [object_group_lines(group) for group in groups.values()]
    og_lines = [line for block in blocks for line in block]
    config = [{"afi": afi, "acls": acls[afi]} for afi in ("ipv4", "ipv6")]
    module_acls, nd_blocks = module_view(config)
    acl_interfaces, bind_lines = [], []
    for interface, bound in bindings.items():
        acl_interfaces.append({"name": interface, "access_groups": [
            {"afi": afi, "acls": bound[afi]} for afi in ("ipv4", "ipv6")]})
        bind_lines.append("interface %s" % interface)
        bind_lines.extend(" ip access-group %s %s" % (a["name"], a["direction"]) for a in bound["ipv4"])
        bind_lines.extend(" ipv6 traffic-filter %s %s" % (a["name"], a["direction"]) for a in bound["ipv6"])
    return {
        "acls": config,
        "acl_interfaces": acl_interfaces,
        "object_groups": list(groups.values()),
        "object_group_lines": og_lines,
        # cisco.ios.ios_config arguments, one per object-group (parents + member lines)
        "object_group_blocks": [{"parents": [block[0]], "lines": [line.strip() for line in block[1:]]}
                                for block in blocks],
        "binding_lines": bind_lines,
        "lines": og_lines + acl_lines + bind_lines,
        # what the role pushes: the neighbour-discovery entries ios_acls cannot write, with ios_config, then
        # the ACLs with ios_acls, those entries given as ios_acls reads them back from the device
        "nd_blocks": nd_blocks,
        "module_acls": module_acls,
    }


def module_view(config):
    """(``config`` (ios_acls config) as cisco.ios.ios_acls reads it back from the device, ios_config blocks of
    the IPv6 entries it cannot write). An ND entry of a type the module lacks (``MODULE_LACKS``) is written by
    ios_config at its sequence number first; ios_acls, given the same entry the way its parser returns it (the
    type dropped), then finds it equal and leaves it alone. Never push the module view without the blocks:
    alone it permits every ICMPv6 type at those sequence numbers."""
    out, blocks = [], []
    for entry in config:
        if entry["afi"] != "ipv6":
            out.append(entry)
            continue
        acls6, blocks6 = _module_view6(entry["acls"])
        out.append(dict(entry, acls=acls6))
        blocks.extend(blocks6)
    return out, blocks


def _module_view6(acls6):
    view, blocks = [], []
    for acl in acls6:
        aces, lines = [], []
        for ace in acl["aces"]:
            types = (ace.get("protocol_options") or {}).get("icmp") or {}
            lacking = [t for t in types if t in MODULE_LACKS]
            if not lacking:
                aces.append(ace)
                continue
            source, destination = ace["source"], ace["destination"]
            if not (source.get("any") and destination.get("any")) or ace.get("log"):
                raise PolicyError("ACE %r: only 'any any' neighbour-discovery entries can be pushed" % (ace,))
            aces.append(dict((k, v) for k, v in ace.items() if k != "protocol_options"))
            lines.append("sequence %d %s icmp any any %s" % (ace["sequence"], ace["grant"], lacking[0].replace("_", "-")))
        view.append(dict(acl, aces=aces))
        if lines:
            blocks.append({"parents": ["ipv6 access-list %s" % acl["name"]], "lines": lines})
    return view, blocks
