# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Packet-level evaluation of Cisco IOS and ASA access-lists (first match, implicit deny).

Inputs:
- IOS: the ``config`` list of ``cisco.ios.ios_acls`` (rendered or parsed shape) plus object-group
  definitions, either IOS CLI lines (``object-group network``/``v6-network``) or the ``object_groups``
  list returned by ``render_ios``; see ``ios_aces``.
- ASA: ``access-list`` lines and ``object-group`` definitions (running-config text); see ``asa_aces``.

Each ACE becomes an ``Ace``: action, protocol set, source/destination ``netaddr.IPSet``s and source /
destination port interval lists. ``evaluate`` answers permit/deny for (src ip, dst ip, transport, dst
port); ``shadowed_aces`` finds ACEs that earlier ACEs cover entirely (they can never match).

Packets carry no source port unless given: an ACE that restricts source ports matches only packets whose
source port is given and inside. ``inactive`` ASA ACEs never match; ``time-range`` is ignored (always
active). Non-contiguous IOS wildcard masks are refused (ValueError).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import netaddr, require_netaddr


class AclEvalError(CollabFirewallError):
    """An ACE, object-group, port name or packet that the evaluator does not understand."""


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

PROTOCOL_NUMBERS = {
    "icmp": 1, "igmp": 2, "ipinip": 4, "tcp": 6, "udp": 17, "gre": 47, "esp": 50, "ah": 51, "ahp": 51,
    "icmp6": 58, "eigrp": 88, "ospf": 89, "nos": 94, "pim": 103, "pcp": 108, "sctp": 132,
}
ALL_PROTOCOLS = frozenset(range(256))
ALL_PORTS = ((0, 65535),)
_V4 = None
_V6 = None


def _family_sets():
    global _V4, _V6
    if _V4 is None:
        _V4 = netaddr.IPSet(["0.0.0.0/0"])
        _V6 = netaddr.IPSet(["::/0"])
    return _V4, _V6


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


# --- port interval arithmetic -------------------------------------------------------------------

def _norm(ranges):
    merged = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _p_and(a, b):
    out = []
    for s1, e1 in a:
        for s2, e2 in b:
            lo, hi = max(s1, s2), min(e1, e2)
            if lo <= hi:
                out.append((lo, hi))
    return _norm(out)


def _p_sub(a, b):
    out = list(a)
    for s2, e2 in b:
        nxt = []
        for s1, e1 in out:
            if e2 < s1 or s2 > e1:
                nxt.append((s1, e1))
                continue
            if s1 < s2:
                nxt.append((s1, s2 - 1))
            if e2 < e1:
                nxt.append((e2 + 1, e1))
        out = nxt
    return _norm(out)


def _p_has(ranges, port):
    return any(s <= port <= e for s, e in ranges)


def _op_ranges(op, args, transport):
    """eq/neq/lt/gt/range operator -> interval tuple."""
    nums = [port_number(a, transport) for a in args]
    if op == "eq":
        return ((nums[0], nums[0]),)
    if op == "neq":
        return _p_sub(ALL_PORTS, ((nums[0], nums[0]),))
    if op == "lt":
        return ((0, nums[0] - 1),) if nums[0] > 0 else ()
    if op == "gt":
        return ((nums[0] + 1, 65535),) if nums[0] < 65535 else ()
    if op == "range":
        return ((nums[0], nums[1]),)
    raise AclEvalError("unknown port operator %r" % (op,))


# --- ACE model ----------------------------------------------------------------------------------

class Ace(object):
    """One ACE: ``protocols`` frozenset of protocol numbers, ``src``/``dst`` IPSets, port intervals."""

    __slots__ = ("action", "protocols", "src", "dst", "sports", "dports", "text", "active")

    def __init__(self, action, protocols, src, dst, sports=ALL_PORTS, dports=ALL_PORTS, text="",
                 active=True):
        if action not in ("permit", "deny"):
            raise AclEvalError("ACE action %r is neither permit nor deny" % (action,))
        self.action = action
        self.protocols = frozenset(protocols)
        self.src = src
        self.dst = dst
        self.sports = tuple(sports)
        self.dports = tuple(dports)
        self.text = text
        self.active = active

    def __repr__(self):
        return "Ace(%r)" % (self.text or self.action,)

    def boxes(self):
        """Disjoint per-family boxes (protocols, src, dst, sports, dports); empty for inactive ACEs."""
        if not self.active:
            return []
        out = []
        for fam in _family_sets():
            src, dst = self.src & fam, self.dst & fam
            if src and dst and self.protocols and self.sports and self.dports:
                out.append((self.protocols, src, dst, self.sports, self.dports))
        return out

    def matches(self, src, dst, proto, dport=None, sport=None):
        if not self.active or proto not in self.protocols:
            return False
        if src not in self.src or dst not in self.dst:
            return False
        if self.sports != ALL_PORTS and (sport is None or not _p_has(self.sports, sport)):
            return False
        if self.dports != ALL_PORTS and (dport is None or not _p_has(self.dports, dport)):
            return False
        return True


def _packet_protocol(transport, src):
    proto = protocol_number(transport)
    if proto is None:
        raise AclEvalError("packet transport %r must be one protocol" % (transport,))
    if src.version == 6 and proto == 1:
        proto = 58  # "icmp" of an IPv6 packet is ICMPv6
    return proto


def evaluate(aces, src, dst, transport, port=None, sport=None):
    """First match over ``aces``: ``("permit"|"deny", index or None)``; None = implicit deny."""
    require_netaddr()
    try:
        s_ip, d_ip = netaddr.IPAddress(src), netaddr.IPAddress(dst)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise AclEvalError("packet addresses %r -> %r are not IP addresses" % (src, dst))
    if s_ip.version != d_ip.version:
        raise AclEvalError("packet %s -> %s mixes IPv4 and IPv6" % (src, dst))
    proto = _packet_protocol(transport, s_ip)
    dport = None if port is None else port_number(port, transport)
    for index, ace in enumerate(aces):
        if ace.matches(s_ip, d_ip, proto, dport, sport):
            return ace.action, index
    return "deny", None


def permits(aces, src, dst, transport, port=None):
    return evaluate(aces, src, dst, transport, port)[0] == "permit"


# --- shadowing ----------------------------------------------------------------------------------

def _box_and(a, b):
    parts = (a[0] & b[0], a[1] & b[1], a[2] & b[2], _p_and(a[3], b[3]), _p_and(a[4], b[4]))
    return parts if all(parts) else None


def _box_sub(a, b):
    """a minus b as a list of disjoint boxes."""
    if _box_and(a, b) is None:
        return [a]
    out = []
    cur = list(a)
    subs = (
        lambda x, y: x - y,
        lambda x, y: x - y,
        lambda x, y: x - y,
        _p_sub,
        _p_sub,
    )
    ands = (
        lambda x, y: x & y,
        lambda x, y: x & y,
        lambda x, y: x & y,
        _p_and,
        _p_and,
    )
    for dim in range(5):
        outside = subs[dim](cur[dim], b[dim])
        if outside:
            piece = list(cur)
            piece[dim] = outside
            out.append(tuple(piece))
        cur[dim] = ands[dim](cur[dim], b[dim])
    return out


def shadowed_aces(aces):
    """ACEs that never match because earlier ACEs cover them entirely (union of earlier ACEs).

    Returns ``[{"index": i, "ace": text, "shadowed_by": [j, ...], "conflict": bool}]``; ``shadowed_by``
    lists the earlier ACEs overlapping ACE i, ``conflict`` is True when one of them has the other action
    (the later ACE's intent is overridden, not merely redundant). Inactive ACEs are skipped.
    """
    result = []
    for i, ace in enumerate(aces):
        pieces = ace.boxes()
        if not pieces:
            continue
        overlapping = []
        for j in range(i):
            other = aces[j]
            obox = other.boxes()
            if not obox:
                continue
            hit = any(_box_and(p, b) is not None for p in pieces for b in obox)
            if not hit:
                continue
            overlapping.append(j)
            for b in obox:
                pieces = [q for p in pieces for q in _box_sub(p, b)]
            if not pieces:
                break
        if not pieces:
            result.append({
                "index": i,
                "ace": ace.text,
                "shadowed_by": overlapping,
                "conflict": any(aces[j].action != ace.action for j in overlapping),
            })
    return result


# --- IOS ----------------------------------------------------------------------------------------

def _wildcard_net(address, wildcard):
    try:
        mask = int(netaddr.IPAddress(wildcard))
    except (netaddr.AddrFormatError, ValueError):
        raise AclEvalError("wildcard %r is not a dotted mask" % (wildcard,))
    hostbits = mask.bit_length()
    if mask != (1 << hostbits) - 1:
        raise AclEvalError("non-contiguous wildcard %r is not supported" % (wildcard,))
    net = netaddr.IPNetwork("%s/%d" % (address, 32 - hostbits))
    return net.cidr


def parse_ios_object_groups(lines):
    """IOS ``object-group network``/``v6-network`` CLI lines -> ``{name: IPSet}`` (others ignored)."""
    raw, order, current = {}, [], None
    for line in lines:
        if not line.strip() or line.strip() == "!":
            continue
        if not line[0].isspace():
            match = re.match(r"^object-group\s+(network|v6-network)\s+(\S+)\s*$", line)
            current = match.group(2) if match else None
            if current is not None:
                raw[current] = []
                order.append(current)
            continue
        if current is None:
            continue
        words = line.split()
        if words[0] == "description":
            continue
        raw[current].append(words)
    return _resolve_groups(raw, _ios_member)


def _ios_member(words):
    if words[0] == "host":
        return netaddr.IPSet([words[1]])
    if words[0] == "any":
        return netaddr.IPSet(["0.0.0.0/0"])
    if words[0] == "range":
        return netaddr.IPSet(netaddr.IPRange(words[1], words[2]))
    if len(words) == 1 and "/" in words[0]:
        return netaddr.IPSet([words[0]])
    if len(words) == 2:
        return netaddr.IPSet(["%s/%s" % (words[0], words[1])])
    raise AclEvalError("object-group member %r is not understood" % (" ".join(words),))


def _resolve_groups(raw, member_fn, stack=()):
    resolved = {}

    def resolve(name, seen):
        if name in resolved:
            return resolved[name]
        if name not in raw:
            raise AclEvalError("object-group %r is not defined" % (name,))
        if name in seen:
            raise AclEvalError("object-group %r includes itself" % (name,))
        out = netaddr.IPSet()
        for words in raw[name]:
            if words[0] == "group-object":
                out |= resolve(words[1], seen + (name,))
            else:
                out |= member_fn(words)
        resolved[name] = out
        return out

    for name in raw:
        resolve(name, stack)
    return resolved


def _ios_groups(object_groups):
    if object_groups is None:
        return {}
    if isinstance(object_groups, dict):
        return dict((k, v if isinstance(v, netaddr.IPSet) else netaddr.IPSet(v))
                    for k, v in object_groups.items())
    if object_groups and all(isinstance(x, str) for x in object_groups):
        return parse_ios_object_groups(object_groups)
    out = {}
    for group in object_groups:
        if group.get("type", "network") != "network":
            continue
        out[group["name"]] = netaddr.IPSet(group.get("members") or [])
    return out


def _ios_endpoint(spec, afi, groups):
    any_set = netaddr.IPSet(["0.0.0.0/0"] if afi == "ipv4" else ["::/0"])
    if not spec or spec.get("any"):
        return any_set
    if spec.get("host"):
        return netaddr.IPSet([spec["host"]])
    if spec.get("object_group"):
        name = spec["object_group"]
        if name not in groups:
            raise AclEvalError("object-group %r is not defined" % (name,))
        return groups[name]
    address = spec.get("address") or spec.get("ipv6_address")
    if address:
        if spec.get("wildcard_bits"):
            return netaddr.IPSet([_wildcard_net(address, spec["wildcard_bits"])])
        return netaddr.IPSet([address])
    raise AclEvalError("ACE endpoint %r is not understood" % (spec,))


def _ios_ports(spec, transport):
    pp = (spec or {}).get("port_protocol")
    if not pp:
        return ALL_PORTS
    if pp.get("range"):
        return _op_ranges("range", [pp["range"]["start"], pp["range"]["end"]], transport)
    for op in ("eq", "neq", "lt", "gt"):
        if pp.get(op) not in (None, ""):
            return _op_ranges(op, [pp[op]], transport)
    return ALL_PORTS


def ios_ace(ace, afi="ipv4", groups=None):
    """One ios_acls ACE dict -> ``Ace``; remark-only entries -> None."""
    groups = groups or {}
    if not ace.get("grant"):
        return None
    opts = ace.get("protocol_options") or {}
    if "protocol_number" in opts:
        proto = protocol_number(opts["protocol_number"])
    elif opts:
        proto = protocol_number(list(opts)[0])
    else:
        proto = protocol_number(ace.get("protocol") or ("ip" if afi == "ipv4" else "ipv6"))
    if proto == 1 and afi == "ipv6":
        proto = 58
    transport = {6: "tcp", 17: "udp"}.get(proto)
    protocols = ALL_PROTOCOLS if proto is None else (proto,)
    text = "%s %s" % (ace["grant"], ace.get("sequence", ""))
    return Ace(
        ace["grant"],
        protocols,
        _ios_endpoint(ace.get("source"), afi, groups),
        _ios_endpoint(ace.get("destination"), afi, groups),
        _ios_ports(ace.get("source"), transport),
        _ios_ports(ace.get("destination"), transport),
        text=text.strip(),
    )


def ios_aces(config, object_groups=None, name=None, afi=None):
    """ios_acls ``config`` -> ``{(afi, acl name): [Ace, ...]}``; with ``name`` and ``afi`` the one list.

    ``object_groups``: IOS CLI lines, ``render_ios()["object_groups"]`` or ``{name: [cidr, ...]}``.
    """
    require_netaddr()
    groups = _ios_groups(object_groups)
    out = {}
    for entry in config or []:
        fam = entry.get("afi", "ipv4")
        for acl in entry.get("acls") or []:
            aces = [ios_ace(a, fam, groups) for a in acl.get("aces") or []]
            out[(fam, str(acl["name"]))] = [a for a in aces if a is not None]
    if name is not None or afi is not None:
        key = (afi or "ipv4", name)
        if key not in out:
            raise AclEvalError("ACL %r (%s) not found" % (name, afi))
        return out[key]
    return out


# --- ASA ----------------------------------------------------------------------------------------

def parse_asa_object_groups(lines):
    """ASA ``object-group network|service`` CLI -> ``({name: IPSet}, {name: (protocols, ports)})``."""
    net_raw, svc_raw, current, kind, svc_proto = {}, {}, None, None, None
    for line in lines:
        if not line.strip() or line.strip() == "!":
            continue
        if not line[0].isspace():
            current = None
            match = re.match(r"^object-group\s+(network|service)\s+(\S+)(?:\s+(tcp|udp|tcp-udp))?\s*$", line)
            if match:
                kind, current, svc_proto = match.group(1), match.group(2), match.group(3)
                (net_raw if kind == "network" else svc_raw)[current] = (svc_proto, [])
            continue
        if current is None:
            continue
        words = line.split()
        if words[0] == "description":
            continue
        (net_raw if kind == "network" else svc_raw)[current][1].append(words)
    nets = _resolve_groups(dict((k, v[1]) for k, v in net_raw.items()), _asa_net_member)
    svcs = {}

    def svc(name, seen):
        if name in svcs:
            return svcs[name]
        if name not in svc_raw or name in seen:
            raise AclEvalError("service object-group %r is not defined or includes itself" % (name,))
        proto_kw, members = svc_raw[name]
        entries = []
        for words in members:
            if words[0] == "group-object":
                entries.extend(svc(words[1], seen + (name,)))
            elif words[0] == "port-object":
                protos = _asa_tcp_udp(proto_kw)
                for proto in protos:
                    transport = {6: "tcp", 17: "udp"}[proto]
                    entries.append(((proto,), ALL_PORTS, _op_ranges(words[1], words[2:], transport)))
            elif words[0] == "service-object":
                entries.append(_asa_service_object(words[1:]))
            else:
                raise AclEvalError("service member %r is not understood" % (" ".join(words),))
        svcs[name] = entries
        return entries

    for name in svc_raw:
        svc(name, ())
    return nets, dict((k, (svc_raw[k][0], v)) for k, v in svcs.items())


def _asa_tcp_udp(keyword):
    return {"tcp": (6,), "udp": (17,), "tcp-udp": (6, 17)}.get(keyword) or (6, 17)


def _asa_service_object(words):
    """``tcp destination eq 5060`` / ``udp`` / ``esp`` -> (protocols, sports, dports)."""
    kw = words[0]
    protos = _asa_tcp_udp(kw) if kw in ("tcp", "udp", "tcp-udp") else (protocol_number(kw),)
    protos = ALL_PROTOCOLS if protos == (None,) else protos
    transport = kw if kw in ("tcp", "udp") else None
    sports, dports = ALL_PORTS, ALL_PORTS
    rest = words[1:]
    while rest:
        which = rest.pop(0)
        op = rest.pop(0)
        count = 2 if op == "range" else 1
        args, rest = rest[:count], rest[count:]
        rng = _op_ranges(op, args, transport)
        if which == "source":
            sports = rng
        elif which == "destination":
            dports = rng
        else:
            raise AclEvalError("service-object %r is not understood" % (" ".join(words),))
    return (protos, sports, dports)


def _asa_net_member(words):
    if words[0] == "network-object":
        words = words[1:]
    if words[0] == "host":
        return netaddr.IPSet([words[1]])
    if words[0] == "object":
        raise AclEvalError("network objects (%r) are not supported" % (words[1],))
    if len(words) == 1:
        return netaddr.IPSet([words[0]])
    return netaddr.IPSet(["%s/%s" % (words[0], words[1])])


def _asa_take_address(words, nets):
    kw = words.pop(0)
    v4, v6 = _family_sets()
    if kw == "any":
        return v4 | v6
    if kw == "any4":
        return v4
    if kw == "any6":
        return v6
    if kw == "host":
        return netaddr.IPSet([words.pop(0)])
    if kw == "object-group":
        name = words.pop(0)
        if name not in nets:
            raise AclEvalError("network object-group %r is not defined" % (name,))
        return nets[name]
    if kw in ("object", "interface"):
        raise AclEvalError("%s %r endpoints are not supported" % (kw, words[0] if words else ""))
    if "/" in kw:
        return netaddr.IPSet([kw])
    return netaddr.IPSet(["%s/%s" % (kw, words.pop(0))])


_PORT_OPS = ("eq", "neq", "lt", "gt", "range")


def _asa_take_ports(words, transport, svcs):
    if not words:
        return None
    if words[0] in _PORT_OPS:
        op = words.pop(0)
        count = 2 if op == "range" else 1
        args = [words.pop(0) for _index in range(count)]
        return _op_ranges(op, args, transport)
    if words[0] == "object-group" and len(words) > 1 and words[1] in svcs:
        words.pop(0)
        name = words.pop(0)
        ranges = []
        for protos, _sports, dports in svcs[name][1]:
            ranges.extend(dports)
        return _norm(ranges)
    return None


def asa_ace(line, nets=None, svcs=None):
    """One ``access-list NAME [line N] extended ...`` line -> ``(acl name, Ace or None)``."""
    nets, svcs = nets or {}, svcs or {}
    words = line.split()
    if len(words) < 3 or words[0] != "access-list":
        raise AclEvalError("%r is not an access-list line" % (line,))
    name = words[1]
    rest = words[2:]
    if rest[0] == "line":
        rest = rest[2:]
    if rest[0] == "remark":
        return name, None
    if rest[0] != "extended":
        raise AclEvalError("only extended access-lists are supported: %r" % (line,))
    rest = rest[1:]
    action = rest.pop(0)
    proto_kw = rest.pop(0)
    svc_entries = None
    if proto_kw in ("object-group",):
        group = rest.pop(0)
        if group not in svcs:
            raise AclEvalError("service object-group %r is not defined" % (group,))
        svc_entries = svcs[group][1]
        proto = None
    else:
        proto = protocol_number(proto_kw)
    transport = {6: "tcp", 17: "udp"}.get(proto)
    src = _asa_take_address(rest, nets)
    sports = ALL_PORTS
    if proto in (6, 17):
        sports = _asa_take_ports(rest, transport, svcs) or ALL_PORTS
    dst = _asa_take_address(rest, nets)
    dports = ALL_PORTS
    if proto in (6, 17):
        dports = _asa_take_ports(rest, transport, svcs) or ALL_PORTS
    active = "inactive" not in rest
    if svc_entries is not None:
        # a protocol-less service group in the protocol position: the union of its entries
        aces = [Ace(action, p, src, dst, s, d, text=line.strip(), active=active) for p, s, d in svc_entries]
        return name, aces
    protocols = ALL_PROTOCOLS if proto is None else (proto,)
    return name, Ace(action, protocols, src, dst, sports, dports, text=line.strip(), active=active)


def asa_aces(lines, name=None):
    """ASA running-config lines (object-groups + access-lists) -> ``{acl name: [Ace, ...]}`` or one list."""
    require_netaddr()
    if isinstance(lines, str):
        lines = lines.splitlines()
    nets, svcs = parse_asa_object_groups(lines)
    out = {}
    for line in lines:
        if not line.startswith("access-list "):
            continue
        acl, ace = asa_ace(line, nets, svcs)
        bucket = out.setdefault(acl, [])
        if isinstance(ace, list):
            bucket.extend(ace)
        elif ace is not None:
            bucket.append(ace)
    if name is not None:
        if name not in out:
            raise AclEvalError("access-list %r not found" % (name,))
        return out[name]
    return out
