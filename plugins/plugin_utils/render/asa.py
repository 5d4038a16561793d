# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render flows (docs/policy-model.md) as one Cisco ASA (9.x) extended access-list, IPv4 and IPv6 together.

``lines`` is ASA CLI; ``ogs`` and ``acls`` are ``config`` values for ``cisco.asa.asa_ogs`` and
``cisco.asa.asa_acls`` (in the shape their ``parsed`` state returns, plus ``line`` numbers on ACEs).

Network object-groups hold IPv4 and IPv6 members together (ASA 9.x); a side with one IPv4 network is
written inline (``host``/``address mask``), anything else (several networks or IPv6) as an object-group:
asa_acls mis-parses inline IPv6 hosts. Several port ranges become an ``object-group service NAME tcp|udp``
of ``port-object``s; one port range stays inline. ICMP is split into ``icmp`` (IPv4) and ``icmp6``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import itertools

from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import check_name
from ansible_collections.collab.firewall.plugins.plugin_utils.render.cisco_common import (
    ND_ENTRIES,
    NetList,
    PolicyError,
    acl_blocks,
    net_cidrs,
    normalize_flows_input,
    family_pairs,
    is_any,
    net_mask,
    network_group_name,
    port_clause,
    port_operator,
    remark_text,
    service_group_name,
    split_remark,
)

__all__ = ["render_asa", "render_device", "acl_names", "access_group_line", "PolicyError"]

DENY_LOG_LEVEL = "informational"
# protocols written as numbers (no ASA keyword)
_NUMBERED = {"vrrp": 112}


def _member(net):
    """(asa_ogs network_object key, value, CLI member text)."""
    if net.size == 1:
        return "host", str(net.ip), "network-object host %s" % net.ip
    if net.version == 4:
        value = "%s %s" % (net.network, net_mask(net))
        return "address", value, "network-object %s" % value
    return "ipv6_address", str(net.cidr), "network-object %s" % net.cidr


_MEMBERS = {}


def _members(nets):
    """``_member`` of each network, each CIDR worked out once (large groups repeat the same phone subnets)."""
    out = []
    for cidr, net in zip(net_cidrs(nets), nets):
        found = _MEMBERS.get(cidr)
        if found is None:
            if len(_MEMBERS) >= 65536:  # bounded
                _MEMBERS.clear()
            found = _MEMBERS[cidr] = _member(net)
        out.append(found)
    return out


class _Groups(object):
    """The named object-groups of a device as data, in order of first use; ``lines()`` prints them."""

    def __init__(self, namer=None):
        self.network = {}
        self.service = {}
        self.order = []
        self.namer = namer

    def network_group(self, nets):
        name = self.namer.network(nets, family_tag=True) if self.namer else network_group_name(nets)
        if name not in self.network:
            obj = {}
            members = _members(nets)
            for key, value, _text in members:
                obj.setdefault(key, []).append(value)
            self.network[name] = {"name": name, "network_object": obj}
            self.order.append(("network", name, [text for _key, _value, text in members]))
        return name

    def service_group(self, protocol, ranges):
        name = self.namer.service(protocol, ranges) if self.namer else service_group_name(protocol, ranges)
        if name not in self.service:
            objs, texts = [], []
            for rng in ranges:
                op = port_operator(*rng)
                if op[0] == "eq":
                    objs.append({"eq": str(op[1])})
                else:
                    objs.append({"range": {"start": str(op[1]), "end": str(op[2])}})
                texts.append("port-object " + " ".join(str(x) for x in op))
            self.service[name] = {"name": name, "protocol": protocol, "port_object": objs}
            self.order.append(("service %s" % protocol, name, texts))
        return name

    def lines(self):
        out = []
        for kind, name, members in self.order:
            header = "object-group %s %s" % (kind.split()[0], name)
            if kind.startswith("service"):
                header += " " + kind.split()[1]
            out.append(header)
            out.extend(" " + text for text in members)
        return out

    def ogs(self):
        out = []
        if self.network:
            out.append({"object_type": "network", "object_groups": list(self.network.values())})
        if self.service:
            out.append({"object_type": "service", "object_groups": list(self.service.values())})
        return out


def _side(by_family, versions, groups):
    """(asa_acls structure, CLI text) for one side restricted to ``versions``."""
    nets = NetList.join([by_family[v] for v in versions])
    if all(len(by_family[v]) == 1 and is_any(by_family[v][0]) for v in versions):
        keyword = "any" if len(versions) == 2 else "any%d" % versions[0]
        return {keyword: True}, keyword
    if len(nets) == 1 and nets[0].version == 4:
        net = nets[0]
        if net.size == 1:
            return {"host": str(net.ip)}, "host %s" % net.ip
        return (
            {"address": str(net.network), "netmask": net_mask(net)},
            "%s %s" % (net.network, net_mask(net)),
        )
    name = groups.network_group(nets)
    return {"object_group": name}, "object-group %s" % name


def _port_protocol(port_range):
    """One port range as cisco.asa.asa_acls writes it: ``{eq: "5060"}`` or ``{range: {start, end}}``."""
    op = port_operator(*port_range)
    if op[0] == "eq":
        return {"eq": str(op[1])}
    return {"range": {"start": op[1], "end": op[2]}}


def _block_aces(block, groups):
    """[(ace structure, CLI text after 'extended ')] for one block."""
    versions = family_pairs(block)
    if not versions:
        return []
    s_struct, s_text = _side(block["src"], versions, groups)
    d_struct, d_text = _side(block["dst"], versions, groups)
    transport = block["transport"]
    if transport == "icmp":
        protocols = [{4: "icmp", 6: "icmp6"}[v] for v in versions]
    else:
        protocols = [_NUMBERED.get(transport, transport)]
    grant = block.get("grant", "permit")
    aces = []
    # a site entry's source ports: one ACE per range (the port follows the source address)
    for proto, sport in itertools.product(protocols, block.get("sports") or [None]):
        ace = {
            "grant": grant,
            "protocol": str(proto),
            "source": dict(s_struct),
            "destination": dict(d_struct),
        }
        source_text = s_text
        if sport is not None:
            ace["source"]["port_protocol"] = _port_protocol(sport)
            source_text += " " + port_clause(*sport)
        # cisco.asa.asa_acls wants ICMP options as a dict of ICMP types and crashes on {icmp: true}
        if isinstance(proto, int):
            ace["protocol_options"] = {"protocol_number": proto}
        elif proto not in ("icmp", "icmp6"):
            ace["protocol_options"] = {proto: True}
        elif block.get("icmp_type"):
            ace["protocol_options"] = {proto: {block["icmp_type"].replace("-", "_"): True}}
        text = "%s %s %s %s" % (grant, proto, source_text, d_text)
        ports = block["ports"]
        if len(ports) == 1:
            ace["destination"]["port_protocol"] = _port_protocol(ports[0])
            text += " " + port_clause(*ports[0])
        elif ports:
            svc = groups.service_group(proto, ports)
            ace["destination"]["service_object_group"] = svc
            text += " object-group %s" % svc
        if block.get("icmp_type"):
            text += " " + block["icmp_type"]
        if block.get("log"):
            ace["log"] = DENY_LOG_LEVEL
            text += " log %s" % DENY_LOG_LEVEL
        aces.append((ace, text))
    return aces


def _check_options(log_deny):
    if not isinstance(log_deny, bool):
        raise PolicyError("log_deny %r must be a boolean" % (log_deny,))


def _render_acl(blocks, name, groups):
    """One access-list: ``(asa_acls entry, access-list lines)``; object-groups are added to ``groups``."""
    check_name(name)
    aces, acl_lines = [], []
    line_no = [0]

    def add(entry, text):
        line_no[0] += 1
        aces.append(dict(entry, line=line_no[0]))
        acl_lines.append("access-list %s %s" % (name, text))

    for block in blocks:
        block_aces = _block_aces(block, groups)
        if not block_aces:
            continue
        for remark in split_remark(remark_text(block)):
            add({"remark": remark}, "remark %s" % remark)
        for ace, text in block_aces:
            add(ace, "extended %s" % text)
    return {"name": name, "acl_type": "extended", "aces": aces}, acl_lines


def render_asa(flows, name, interface=None, management=None, log_deny=False, direction="in"):
    """Render flows as one ASA extended access-list ``name`` (plus ``access-group`` when ``interface``).

    ``direction`` (``in`` or ``out``) is the direction of the ``access-group`` binding.

    Returns ``{"lines": [...], "ogs": <asa_ogs config>, "acls": <asa_acls config>}``.
    """
    check_name(name)
    if interface is not None:
        check_name(interface, "interface name")
    if direction not in ("in", "out"):
        raise PolicyError("direction %r is not in or out" % (direction,))
    _check_options(log_deny)
    groups = _Groups()
    # one ACL of flows, as before scopes existed: interface ACLs (scope, neighbour discovery, site entries)
    # come from render_device
    blocks = acl_blocks({"flows": normalize_flows_input(flows), "management": management, "scope": "strict"},
                        (), log_deny)
    acl, acl_lines = _render_acl(blocks, name, groups)
    lines = groups.lines() + acl_lines
    if interface is not None:
        lines.append(access_group_line(name, direction, interface))
    return {
        "lines": lines,
        "ogs": groups.ogs(),
        "acls": {"acls": [acl]},
    }


def access_group_line(name, direction, nameif):
    """``access-group NAME in|out interface NAMEIF``."""
    return "access-group %s %s interface %s" % (name, direction, nameif)


def acl_names(plan):
    """ASA needs no name besides ``name``: one access-list holds IPv4 and IPv6."""
    return {}


def render_device(plans, log_deny=False, use_object_groups=True, names=None):
    """Every access-list of a firewall, its object-groups and access-group bindings, as data and CLI text.

    ``plans``: interface ACL plans (``deployment.interfaces.interface_acls``). An object-group several
    access-lists use is one named object, defined once. ``use_object_groups`` is ignored (ASA always uses
    them where a side holds several networks). Returns ``ogs`` (asa_ogs config), ``acls`` (asa_acls config),
    ``object_group_lines``, ``access_group_lines`` and ``lines``.
    """
    _check_options(log_deny)
    groups, acls, acl_lines, group_lines = _Groups(names), [], [], []
    for plan in plans:
        acl, lines = _render_acl(acl_blocks(plan, ND_ENTRIES, log_deny), plan["name"], groups)
        acls.append(acl)
        acl_lines.extend(lines)
        group_lines.append(access_group_line(plan["name"], plan["direction"], plan["nameif"]))
    og_lines = groups.lines()
    return {
        "ogs": groups.ogs(),
        "acls": {"acls": acls},
        "object_group_lines": og_lines,
        "access_group_lines": group_lines,
        "lines": og_lines + acl_lines + group_lines,
        "staged": _staged(plans, acls),
    }


STAGE_SUFFIX = "-NEW"


def _staged(plans, acls):
    """The same access-lists under ``NAME-NEW`` for a reversible push: stage, swap the access-group, confirm."""
    staged = []
    for acl in acls:
        name = check_name(acl["name"] + STAGE_SUFFIX)
        staged.append(dict(acl, name=name))
    return {
        "suffix": STAGE_SUFFIX,
        "acls": {"acls": staged},
        "access_group_lines": [access_group_line(p["name"] + STAGE_SUFFIX, p["direction"], p["nameif"]) for p in plans],
        "cleanup_lines": ["clear configure access-list %s%s" % (acl["name"], STAGE_SUFFIX) for acl in acls],
    }
