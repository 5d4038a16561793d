# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one packet matcher of the collection: ACEs, first match, and exact permitted-set arithmetic.

An ``Ace`` is an action and a *box*: a set of protocol numbers, source and destination address intervals,
source and destination port intervals (for ICMP the destination "port" is the ICMP type) and the connection
states it matches (``STATE_NEW`` for the first segment of a TCP connection, ``STATE_ESTABLISHED`` for the
rest, every packet of another protocol counting as new): an IOS ``established`` ACE matches only the
established state. Addresses are
integers in one space: IPv4 as they are, IPv6 shifted by ``V6_BASE``, so one interval list holds both
families and "any" is ``ANY4 + ANY6``.

- ``evaluate``/``permits``: first match, implicit deny, for one packet (the tests, the audit's examples);
- ``analyse``: one pass over an ACL giving, per ACE, the part of its box no earlier ACE covers (its
  *effective* region) and the earlier ACEs it overlaps; from it ``shadowed_aces`` (ACEs with an empty
  effective region) and ``permitted`` (the exact permitted set, as disjoint boxes tagged with their ACE);
- ``subtract``: boxes of one set that another does not cover (exact comparison of two permitted sets).

Readers (``acl/readers.py``) turn IOS and ASA configurations into ``Ace`` lists; the audit
(``acl/audit.py``) compares the permitted sets of the rendered and the device ACLs.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import bisect
import itertools

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import (
    intersect_intervals,
    merge_ranges,
    netaddr,
    network_interval,
    parse_port_item,
    require_netaddr,
    subtract_intervals,
)


class AclEvalError(CollabFirewallError):
    """An ACE, object-group, port name or packet that the matcher does not understand."""


# Port keywords of IOS and ASA ACLs / object-groups (both platforms; the numbers are the IANA ports).
TCP_PORT_NAMES = {
    "aol": 5190, "bgp": 179, "chargen": 19, "cifs": 3020, "citrix-ica": 1494, "cmd": 514,
    "ctiqbe": 2748, "daytime": 13, "discard": 9, "domain": 53, "drip": 3949, "echo": 7, "exec": 512,
    "finger": 79, "ftp": 21, "ftp-data": 20, "gopher": 70, "h323": 1720, "hostname": 101,
    "http": 80, "https": 443, "ident": 113, "imap4": 143, "irc": 194, "kerberos": 88, "klogin": 543,
    "kshell": 544, "ldap": 389, "ldaps": 636, "login": 513, "lotusnotes": 1352, "lpd": 515,
    "msrpc": 135, "netbios-ssn": 139, "nfs": 2049, "nntp": 119, "pcanywhere-data": 5631,
    "pim-auto-rp": 496, "pop2": 109, "pop3": 110, "pptp": 1723, "rsh": 514, "rtsp": 554, "sip": 5060,
    "smtp": 25, "sqlnet": 1521, "ssh": 22, "sunrpc": 111, "tacacs": 49, "talk": 517, "telnet": 23,
    "time": 37, "uucp": 540, "whois": 43, "www": 80,
}
UDP_PORT_NAMES = {
    "biff": 512, "bootpc": 68, "bootps": 67, "cifs": 3020, "discard": 9, "dnsix": 195, "domain": 53,
    "echo": 7, "http": 80, "isakmp": 500, "kerberos": 88, "mobile-ip": 434, "nameserver": 42,
    "netbios-dgm": 138, "netbios-ns": 137, "netbios-ss": 139, "nfs": 2049, "non500-isakmp": 4500,
    "ntp": 123, "pcanywhere-status": 5632, "pim-auto-rp": 496, "radius": 1645, "radius-acct": 1646,
    "rip": 520, "ripv6": 521, "secureid-udp": 5510, "sip": 5060, "snmp": 161, "snmptrap": 162,
    "sunrpc": 111, "syslog": 514, "tacacs": 49, "talk": 517, "tftp": 69, "time": 37, "vxlan": 4789,
    "who": 513, "www": 80, "xdmcp": 177,
}
# ICMPv6 message types by the keywords IOS (nd-na ...) and ASA (neighbor-advertisement ...) use.
ICMP6_TYPE_NAMES = {
    "nd-ns": 135, "nd-na": 136, "router-solicitation": 133, "router-advertisement": 134,
    "neighbor-solicitation": 135, "neighbor-advertisement": 136, "neighbor-redirect": 137,
    "echo-request": 128, "echo-reply": 129, "echo": 128, "packet-too-big": 2, "time-exceeded": 3,
    "unreachable": 1, "parameter-problem": 4, "mld-query": 130, "mld-report": 131, "mld-reduction": 132,
}
ICMP_TYPE_NAMES = {
    "echo-reply": 0, "unreachable": 3, "source-quench": 4, "redirect": 5, "echo": 8,
    "router-advertisement": 9, "router-solicitation": 10, "time-exceeded": 11, "parameter-problem": 12,
    "timestamp-request": 13, "timestamp-reply": 14, "mask-request": 17, "mask-reply": 18,
}

PROTOCOL_NUMBERS = {
    "icmp": 1, "igmp": 2, "ipinip": 4, "tcp": 6, "udp": 17, "gre": 47, "esp": 50, "ah": 51, "ahp": 51,
    "icmp6": 58, "eigrp": 88, "ospf": 89, "nos": 94, "pim": 103, "pcp": 108, "vrrp": 112, "sctp": 132,
}
ALL_PROTOCOLS = frozenset(range(256))
ALL_PORTS = ((0, 65535),)
STATE_NEW, STATE_ESTABLISHED = 0, 1
ALL_STATES = ((STATE_NEW, STATE_ESTABLISHED),)
ESTABLISHED_ONLY = ((STATE_ESTABLISHED, STATE_ESTABLISHED),)
V6_BASE = 1 << 32
ANY4 = ((0, (1 << 32) - 1),)
ANY6 = ((V6_BASE, V6_BASE + (1 << 128) - 1),)
ANY = ANY4 + ANY6


def port_number(value, transport=None):
    """A port number or IOS/ASA keyword -> int. ``transport`` tcp/udp/tcp-udp/None selects the table."""
    if isinstance(value, bool):
        raise AclEvalError("port %r is not a number or port name" % (value,))
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    elif isinstance(value, str):
        key = value.strip().lower()
        tables = {"tcp": [TCP_PORT_NAMES], "udp": [UDP_PORT_NAMES]}.get(
            transport, [TCP_PORT_NAMES, UDP_PORT_NAMES]
        )
        found = set(t[key] for t in tables if key in t)
        if len(found) != 1:
            raise AclEvalError("unknown port name %r for transport %r" % (value, transport))
        number = found.pop()
    else:
        raise AclEvalError("port %r is not a number or port name" % (value,))
    if not 0 <= number <= 65535:
        raise AclEvalError("port %r is outside 0-65535" % (value,))
    return number


def protocol_number(value):
    """``tcp``/``ahp``/``icmp6``/``47`` -> int; ``ip``/``ipv6`` -> None (every protocol)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    key = str(value).strip().lower()
    if key in ("ip", "ipv6"):
        return None
    if key.isdigit():
        return int(key)
    if key in PROTOCOL_NUMBERS:
        return PROTOCOL_NUMBERS[key]
    raise AclEvalError("unknown protocol %r" % (value,))


def icmp_type(value, version):
    """An ICMP (version 4) or ICMPv6 (6) type keyword or number -> int."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    key = str(value).strip().lower().replace("_", "-")
    if key.isdigit():
        return int(key)
    table = ICMP6_TYPE_NAMES if version == 6 else ICMP_TYPE_NAMES
    if key not in table:
        raise AclEvalError("unknown ICMP%s type %r" % ("v6" if version == 6 else "", value))
    return table[key]


# --- interval arithmetic (ports and addresses alike) ---------------------------------------------

def norm(ranges):
    """Sorted, merged tuple of inclusive (start, end) intervals."""
    return tuple(merge_ranges(ranges))


# intersection and difference of normalised interval tuples: the collection's one implementation (common.netsets)
r_and = intersect_intervals
r_sub = subtract_intervals


def r_has(ranges, value):
    pos = bisect.bisect_right(ranges, (value, float("inf"))) - 1
    return pos >= 0 and ranges[pos][0] <= value <= ranges[pos][1]


def r_size(ranges):
    return sum(e - s + 1 for s, e in ranges)


# --- addresses -----------------------------------------------------------------------------------

def address_key(address):
    """``netaddr.IPAddress`` or text -> integer in the matcher's address space."""
    require_netaddr()
    if not isinstance(address, netaddr.IPAddress):
        try:
            address = netaddr.IPAddress(str(address).strip())
        except (netaddr.AddrFormatError, ValueError, TypeError):
            raise AclEvalError("%r is not an IP address" % (address,))
    return int(address) + (V6_BASE if address.version == 6 else 0)


def address_ranges(value):
    """An ``IPSet``, a CIDR/address or a list of them -> interval tuple in the matcher's address space."""
    require_netaddr()
    if isinstance(value, tuple) and all(isinstance(r, tuple) for r in value):
        return norm(value)
    if isinstance(value, (str, netaddr.IPNetwork, netaddr.IPAddress)):
        value = [value]
    if not isinstance(value, netaddr.IPSet):
        # integers straight from the text (an ACL holds the same long address lists many times); netaddr's
        # set for what that refuses (a CIDR with host bits set)
        try:
            intervals = [network_interval(str(item)) for item in value]
            return norm((first + (V6_BASE if version == 6 else 0), last + (V6_BASE if version == 6 else 0))
                        for version, first, last in intervals)
        except CollabFirewallError:
            value = netaddr.IPSet([str(v) for v in value])
    out = []
    for rng in value.iter_ipranges():
        base = V6_BASE if rng.version == 6 else 0
        out.append((rng.first + base, rng.last + base))
    return norm(out)


def ranges_cidrs(ranges, limit=None):
    """Interval tuple -> CIDR strings (IPv4 first); ``limit`` caps the list."""
    out = []
    for start, end in ranges:
        for lo, hi, version, base in ((start, min(end, V6_BASE - 1), 4, 0),
                                      (max(start, V6_BASE), end, 6, V6_BASE)):
            if lo > hi:
                continue
            first, last = netaddr.IPAddress(lo - base, version), netaddr.IPAddress(hi - base, version)
            out.extend(str(c) for c in netaddr.iprange_to_cidrs(first, last))
            if limit and len(out) >= limit:
                return out[:limit]
    return out


def family_of(ranges):
    """Versions (4, 6) an interval tuple touches."""
    versions = []
    if ranges and ranges[0][0] < V6_BASE:
        versions.append(4)
    if ranges and ranges[-1][1] >= V6_BASE:
        versions.append(6)
    return versions


# --- ACEs ----------------------------------------------------------------------------------------

class Ace(object):
    """One ACE: action, protocol numbers, address and port intervals (see the module docstring).

    ``src``/``dst`` may be given as ``netaddr.IPSet``s, CIDR lists or interval tuples.
    """

    __slots__ = ("action", "protocols", "src", "dst", "sports", "dports", "states", "text", "active", "remark")

    def __init__(self, action, protocols, src, dst, sports=ALL_PORTS, dports=ALL_PORTS, text="",
                 active=True, established=False):
        if action not in ("permit", "deny"):
            raise AclEvalError("ACE action %r is neither permit nor deny" % (action,))
        self.action = action
        self.protocols = frozenset(protocols)
        self.src = address_ranges(src)
        self.dst = address_ranges(dst)
        self.sports = norm(sports)
        self.dports = norm(dports)
        self.states = ESTABLISHED_ONLY if established else ALL_STATES
        self.text = text
        self.active = active
        self.remark = ""

    def __repr__(self):
        return "Ace(%r)" % (self.text or self.action,)

    def box(self):
        """The ACE's box ``(protocols, src, dst, sports, dports, states)``, or None (inactive or empty)."""
        if not self.active:
            return None
        box = (self.protocols, self.src, self.dst, self.sports, self.dports, self.states)
        return box if all(box) else None

    def matches(self, src, dst, proto, dport=None, sport=None, state=STATE_NEW):
        """``src``/``dst``: address keys (``address_key``) or ``netaddr.IPAddress``."""
        if not self.active or proto not in self.protocols or not r_has(self.states, state):
            return False
        if not isinstance(src, int):
            src, dst = address_key(src), address_key(dst)
        if not r_has(self.src, src) or not r_has(self.dst, dst):
            return False
        if self.sports != ALL_PORTS and (sport is None or not r_has(self.sports, sport)):
            return False
        if self.dports != ALL_PORTS and (dport is None or not r_has(self.dports, dport)):
            return False
        return True


def packet(src, dst, transport, port=None):
    """A packet ``(src key, dst key, protocol number, port or ICMP type, version)``; errors name the packet."""
    require_netaddr()
    try:
        s_ip, d_ip = netaddr.IPAddress(str(src).strip()), netaddr.IPAddress(str(dst).strip())
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise AclEvalError("packet addresses %r -> %r are not IP addresses" % (src, dst))
    if s_ip.version != d_ip.version:
        raise AclEvalError("packet %s -> %s mixes IPv4 and IPv6" % (src, dst))
    proto = protocol_number(transport)
    if proto is None:
        raise AclEvalError("packet transport %r must be one protocol" % (transport,))
    if s_ip.version == 6 and proto == 1:
        proto = 58  # "icmp" of an IPv6 packet is ICMPv6
    if port is None:
        number = None
    elif proto in (1, 58):
        number = icmp_type(port, s_ip.version)
    else:
        number = port_number(port, transport if isinstance(transport, str) else None)
    return address_key(s_ip), address_key(d_ip), proto, number, s_ip.version


def evaluate(aces, src, dst, transport, port=None, sport=None, established=False):
    """First match over ``aces``: ``("permit"|"deny", index or None)``; None = implicit deny.

    ``port`` is the destination port (TCP/UDP) or the ICMP type (name or number) for ICMP packets;
    ``established``: a TCP segment of an open connection (ACK or RST set), not the first SYN.
    """
    s_key, d_key, proto, number, _version = packet(src, dst, transport, port)
    if established and proto != 6:
        raise AclEvalError("only a tcp packet can belong to an established connection, not %r" % (transport,))
    state = STATE_ESTABLISHED if established else STATE_NEW
    for index, ace in enumerate(aces):
        if ace.matches(s_key, d_key, proto, number, sport, state):
            return ace.action, index
    return "deny", None


def permits(aces, src, dst, transport, port=None, sport=None, established=False):
    return evaluate(aces, src, dst, transport, port, sport, established)[0] == "permit"


# --- boxes ---------------------------------------------------------------------------------------

BOX_DIMENSIONS = 6  # protocols, src, dst, sports, dports, states
# box_sub cuts the source ports last: the pieces it leaves keep whole source-port ranges where possible,
# the form an ACE (and a reader of the audit) has.
CUT_ORDER = (0, 1, 2, 4, 5, 3)


def _dim_and(dim, a, b):
    return a & b if dim == 0 else r_and(a, b)


def _dim_sub(dim, a, b):
    return a - b if dim == 0 else r_sub(a, b)


def _bounds_apart(a, b):
    """Cheap test: the boxes cannot overlap (disjoint protocol sets or address/port hulls)."""
    if a[0].isdisjoint(b[0]):
        return True
    for dim in (1, 2, 4, 3, 5):
        x, y = a[dim], b[dim]
        if x[-1][1] < y[0][0] or y[-1][1] < x[0][0]:
            return True
    return False


def box_and(a, b):
    """Intersection of two boxes, or None."""
    if _bounds_apart(a, b):
        return None
    parts = tuple(_dim_and(dim, a[dim], b[dim]) for dim in range(BOX_DIMENSIONS))
    return parts if all(parts) else None


def box_sub(a, b):
    """``a`` minus ``b`` as a list of disjoint boxes."""
    if box_and(a, b) is None:
        return [a]
    out = []
    cur = list(a)
    for dim in CUT_ORDER:
        outside = _dim_sub(dim, cur[dim], b[dim])
        if outside:
            piece = list(cur)
            piece[dim] = outside
            out.append(tuple(piece))
        cur[dim] = _dim_and(dim, cur[dim], b[dim])
    return out


def subtract(first, second):
    """The parts of the boxes ``first`` that no box of ``second`` covers (``[]``: first is a subset)."""
    left = []
    for box in first:
        pieces = [box]
        for other in second:
            if not pieces:
                break
            nxt = []
            for piece in pieces:
                nxt.extend(box_sub(piece, other))
            pieces = nxt
        left.extend(pieces)
    return left


def _merge(boxes, dim):
    """Join boxes equal in every dimension but ``dim``: the same set in fewer boxes."""
    groups = {}
    for box in boxes:
        key = tuple(v for index, v in enumerate(box) if index != dim)
        groups.setdefault(key, []).append(box)
    out = []
    for members in groups.values():
        first = list(members[0])
        if dim == 0:
            first[0] = frozenset(p for box in members for p in box[0])
        else:
            first[dim] = norm([r for box in members for r in box[dim]])
        out.append(tuple(first))
    return out


def canonical(boxes):
    """Fewer, larger boxes covering exactly the same set (merge along each dimension in turn)."""
    for dim in (1, 4, 2, 0, 1):
        boxes = _merge(boxes, dim)
    return boxes


def analyse(aces):
    """One pass over a first-match ACL: per ACE ``{"index", "effective": [boxes], "overlaps": [j...]}``.

    ``effective`` is the part of the ACE's box that no earlier ACE covers (what the ACE decides);
    ``overlaps`` the earlier ACEs whose boxes meet it. Inactive ACEs have no effective region.
    """
    seen, out = [], []
    for index, ace in enumerate(aces):
        box = ace.box()
        pieces = [box] if box is not None else []
        overlaps = []
        for j, other in seen:
            if not pieces:
                break
            if not any(box_and(p, other) for p in pieces):
                continue
            overlaps.append(j)
            nxt = []
            for piece in pieces:
                nxt.extend(box_sub(piece, other))
            pieces = nxt
        out.append({"index": index, "effective": pieces, "overlaps": overlaps, "live": box is not None})
        if box is not None:
            seen.append((index, box))
    return out


def shadowed_aces(aces, analysis=None):
    """ACEs that never match because earlier ACEs cover them entirely (the union of earlier ACEs).

    Returns ``[{"index": i, "ace": text, "shadowed_by": [j, ...], "conflict": bool}]``; ``shadowed_by``
    lists the earlier ACEs overlapping ACE i, ``conflict`` is True when one of them has the other action
    (the later ACE's intent is overridden, not merely redundant). Inactive ACEs are skipped.
    """
    result = []
    for item in analysis if analysis is not None else analyse(aces):
        if item["live"] and not item["effective"]:
            ace = aces[item["index"]]
            result.append({
                "index": item["index"],
                "ace": ace.text,
                "shadowed_by": item["overlaps"],
                "conflict": any(aces[j].action != ace.action for j in item["overlaps"]),
            })
    return result


def permitted(aces, analysis=None):
    """The exact permitted set of a first-match ACL: ``[(box, ace index)]`` with disjoint boxes."""
    out = []
    for item in analysis if analysis is not None else analyse(aces):
        if aces[item["index"]].action == "permit":
            out.extend((piece, item["index"]) for piece in item["effective"])
    return out


def describe_box(box, limit=3):
    """A short readable form of a box: protocols, source, destination, ports."""
    protos = sorted(box[0])
    if box[0] == ALL_PROTOCOLS:
        proto_text = "any protocol"
    else:
        names = dict((v, k) for k, v in PROTOCOL_NUMBERS.items() if k not in ("ahp",))
        proto_text = ",".join(names.get(p, str(p)) for p in protos[:6]) + ("..." if len(protos) > 6 else "")
    src = ranges_cidrs(box[1], limit)
    dst = ranges_cidrs(box[2], limit)
    text = "%s %s%s -> %s%s" % (proto_text, " ".join(src), "..." if len(src) == limit else "",
                                " ".join(dst), "..." if len(dst) == limit else "")
    if box[4] != ALL_PORTS:
        text += " port " + ",".join("%d" % s if s == e else "%d-%d" % (s, e) for s, e in box[4][:4])
        if len(box[4]) > 4:
            text += ",..."
    if box[3] != ALL_PORTS:
        text += " from port " + ",".join("%d" % s if s == e else "%d-%d" % (s, e) for s, e in box[3][:4])
        if len(box[3]) > 4:
            text += ",..."
    if len(box) > 5 and box[5] == ESTABLISHED_ONLY:
        text += " established"
    return text


# --- packets inside flows ------------------------------------------------------------------------

def _host(net):
    """A representative address of a network: the address itself, else its first host."""
    net = netaddr.IPNetwork(net)
    if net.size <= 2:
        return net.network
    return netaddr.IPAddress(net.first + 1, net.version)


def flow_probes(flow, limit=64):
    """Packets inside a flow ``(src, dst, transport, port)``: a host of each network pair, both ends of
    each port range; at most ``limit``, spread over the list."""
    require_netaddr()
    ports = []
    for item in flow.get("ports") or []:
        start, end = parse_port_item(item)
        ports.extend([start] if start == end else [start, end])
    ports = ports or [None]
    probes = []
    for version in (4, 6):
        srcs = [_host(c) for c in flow["sources"] if netaddr.IPNetwork(c).version == version]
        dsts = [_host(c) for c in flow["destinations"] if netaddr.IPNetwork(c).version == version]
        for (src, dst), port in itertools.product(itertools.product(srcs, dsts), ports):
            probes.append((src, dst, flow["transport"], port))
    if len(probes) > limit:
        step = float(len(probes)) / limit
        probes = [probes[int(i * step)] for i in range(limit)]
    return probes
