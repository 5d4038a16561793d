# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Readers: IOS and ASA access-lists and object-groups -> ``matcher.Ace`` lists.

- IOS: the ``config`` list of ``cisco.ios.ios_acls`` (rendered or parsed shape) plus object-group
  definitions, either IOS CLI lines (``object-group network``/``v6-network``) or the ``object_groups``
  list returned by the IOS renderer; see ``ios_aces`` and ``ios_device_acls``.
- ASA: ``access-list`` lines and ``object-group`` definitions (running-config text), or the parsed
  structures of ``cisco.asa.asa_acls`` / ``asa_ogs``; see ``asa_aces`` and ``asa_device_acls``.
- bindings: which ACL is applied to which interface in which direction, from running-config text.

Packets carry no source port unless given: an ACE that restricts source ports matches only packets whose
source port is given and inside. ``inactive`` ASA ACEs never match; ``time-range`` is ignored (always
active). Non-contiguous IOS wildcard masks are refused.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import netaddr, require_netaddr
from ansible_collections.collab.firewall.plugins.plugin_utils.acl.matcher import (
    ALL_PORTS,
    ALL_PROTOCOLS,
    ANY,
    ANY4,
    ANY6,
    ICMP6_TYPE_NAMES,
    AclEvalError,
    Ace,
    address_ranges,
    icmp_type,
    norm,
    port_number,
    protocol_number,
    r_sub,
    ranges_cidrs,
)


def _op_ranges(op, args, transport):
    """eq/neq/lt/gt/range operator -> interval tuple."""
    nums = [port_number(a, transport) for a in args]
    if op == "eq":
        return ((nums[0], nums[0]),)
    if op == "neq":
        return r_sub(ALL_PORTS, ((nums[0], nums[0]),))
    if op == "lt":
        return ((0, nums[0] - 1),) if nums[0] > 0 else ()
    if op == "gt":
        return ((nums[0] + 1, 65535),) if nums[0] < 65535 else ()
    if op == "range":
        return ((nums[0], nums[1]),)
    raise AclEvalError("unknown port operator %r" % (op,))


# Addresses are read into the matcher's interval tuples (``matcher.address_ranges``) straight from the text:
# an object-group of a large deployment holds thousands of phone subnets, too many for a netaddr set each.
_MASK_PREFIX = dict(("%d.%d.%d.%d" % tuple((((1 << 32) - (1 << (32 - p))) >> shift) & 255 for shift in (24, 16, 8, 0)), p)
                    for p in range(33))


def _ranges(text):
    """One address, CIDR or ``address mask`` text (host bits allowed) -> interval tuple."""
    return address_ranges([text])


def _mask_text(address, mask):
    """``10.1.0.0 255.255.0.0`` -> ``10.1.0.0/16`` (a contiguous mask as a prefix length, read without netaddr)."""
    prefix = _MASK_PREFIX.get(mask)
    return "%s/%s" % (address, mask if prefix is None else prefix)


def _address_mask(address, mask):
    """``10.1.0.0 255.255.0.0`` -> interval tuple."""
    return _ranges(_mask_text(address, mask))


def _ipsets(groups):
    """Group interval tuples -> ``{name: netaddr.IPSet}`` (the public parse functions' answer)."""
    return dict((name, netaddr.IPSet(ranges_cidrs(ranges))) for name, ranges in groups.items())


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
    return _ipsets(_ios_group_ranges(lines))


def _ios_group_ranges(lines):
    """IOS ``object-group network``/``v6-network`` CLI lines -> ``{name: interval tuple}`` (others ignored)."""
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
    """An object-group member: address text (read with the group's others at once) or an interval tuple."""
    if words[0] == "host":
        return words[1]
    if words[0] == "any":
        return ANY4
    if words[0] == "range":
        return address_ranges(netaddr.IPSet(netaddr.IPRange(words[1], words[2])))
    if len(words) == 1 and "/" in words[0]:
        return words[0]
    if len(words) == 2:
        return _mask_text(words[0], words[1])
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
        parts, texts = [], []  # merged once at the end: a union per member is quadratic on large groups
        for words in raw[name]:
            if words[0] == "group-object":
                parts.extend(resolve(words[1], seen + (name,)))
            else:
                member = member_fn(words)
                if isinstance(member, str):
                    texts.append(member)
                else:
                    parts.extend(member)
        out = norm(parts + list(address_ranges(texts))) if texts else norm(parts)
        resolved[name] = out
        return out

    for name in raw:
        resolve(name, stack)
    return resolved


def _ios_groups(object_groups):
    """Object-groups in any accepted form -> ``{name: interval tuple}``."""
    if object_groups is None:
        return {}
    if isinstance(object_groups, dict):
        return dict((k, address_ranges(v if isinstance(v, netaddr.IPSet) else list(v)))
                    for k, v in object_groups.items())
    if object_groups and all(isinstance(x, str) for x in object_groups):
        return _ios_group_ranges(object_groups)
    out = {}
    for group in object_groups:
        if group.get("type", "network") != "network":
            continue
        out[group["name"]] = address_ranges(list(group.get("members") or []))
    return out


def _ios_endpoint(spec, afi, groups):
    if not spec or spec.get("any"):
        return ANY4 if afi == "ipv4" else ANY6
    if spec.get("host"):
        return _ranges(spec["host"])
    if spec.get("object_group"):
        name = spec["object_group"]
        if name not in groups:
            raise AclEvalError("object-group %r is not defined" % (name,))
        return groups[name]
    address = spec.get("address") or spec.get("ipv6_address")
    if address:
        if spec.get("wildcard_bits"):
            return address_ranges(_wildcard_net(address, spec["wildcard_bits"]))
        return _ranges(address)
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
    dports = _ios_ports(ace.get("destination"), transport)
    if proto in (1, 58):
        types = [k for k, v in ((opts.get("icmp") or {}).items()) if v]
        if types:
            number = icmp_type(types[0], 6 if proto == 58 else 4)
            dports = ((number, number),)
    text = "%s %s" % (ace["grant"], ace.get("sequence", ""))
    tcp_options = opts.get("tcp") if isinstance(opts.get("tcp"), dict) else {}
    return Ace(
        ace["grant"],
        protocols,
        _ios_endpoint(ace.get("source"), afi, groups),
        _ios_endpoint(ace.get("destination"), afi, groups),
        _ios_ports(ace.get("source"), transport),
        dports,
        text=text.strip(),
        established=proto == 6 and bool(tcp_options.get("established")),
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
    nets, svcs = _asa_groups(lines)
    return _ipsets(nets), svcs


def _asa_groups(lines):
    """ASA ``object-group network|service`` CLI -> ``({name: interval tuple}, {name: (protocols, ports)})``."""
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
        return words[1]
    if words[0] == "object":
        raise AclEvalError("network objects (%r) are not supported" % (words[1],))
    if len(words) == 1:
        return words[0]
    return _mask_text(words[0], words[1])


def _asa_take_address(words, nets):
    kw = words.pop(0)
    if kw == "any":
        return ANY
    if kw == "any4":
        return ANY4
    if kw == "any6":
        return ANY6
    if kw == "host":
        return _ranges(words.pop(0))
    if kw == "object-group":
        name = words.pop(0)
        if name not in nets:
            raise AclEvalError("network object-group %r is not defined" % (name,))
        return nets[name]
    if kw in ("object", "interface"):
        raise AclEvalError("%s %r endpoints are not supported" % (kw, words[0] if words else ""))
    if "/" in kw:
        return _ranges(kw)
    return _address_mask(kw, words.pop(0))


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
        return norm(ranges)
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
    elif proto in (1, 58) and rest and rest[0] not in ("log", "inactive", "time-range"):
        number = icmp_type(rest.pop(0), 6 if proto == 58 else 4)
        dports = ((number, number),)
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
    nets, svcs = _asa_groups(lines)
    out, remarks = {}, {}
    for line in lines:
        if not line.startswith("access-list "):
            continue
        acl, ace = asa_ace(line, nets, svcs)
        bucket = out.setdefault(acl, [])
        if ace is None:
            words = line.split(None, 3)
            remarks[acl] = words[3] if len(words) > 3 and words[2] == "remark" else remarks.get(acl, "")
            continue
        for one in ace if isinstance(ace, list) else [ace]:
            one.remark = remarks.get(acl, "")
            bucket.append(one)
    if name is not None:
        if name not in out:
            raise AclEvalError("access-list %r not found" % (name,))
        return out[name]
    return out


# --- device configurations (parsed structures of the Cisco modules) -----------------------------


def _ios_side_text(spec):
    spec = spec or {}
    if not spec or spec.get("any"):
        text = "any"
    elif spec.get("host"):
        text = "host %s" % spec["host"]
    elif spec.get("object_group"):
        text = "object-group %s" % spec["object_group"]
    else:
        text = " ".join(str(spec[k]) for k in ("address", "ipv6_address", "wildcard_bits") if spec.get(k))
    text += _port_text(spec.get("port_protocol"))
    return text


def _port_text(port_protocol):
    pp = port_protocol or {}
    if pp.get("range"):
        return " range %s %s" % (pp["range"].get("start"), pp["range"].get("end"))
    for op in ("eq", "neq", "lt", "gt"):
        if pp.get(op) not in (None, ""):
            return " %s %s" % (op, pp[op])
    return ""


def _icmp_type_text(opts):
    """`` nd-na``-style suffix for ``protocol_options: {icmp|icmp6: {type: true}}``; else empty."""
    for key in ("icmp", "icmp6"):
        types = [k for k, v in ((opts.get(key) or {}) if isinstance(opts.get(key), dict) else {}).items() if v]
        if types:
            return " " + types[0].replace("_", "-")
    return ""


def ios_ace_text(ace):
    """A readable one-line form of an ios_acls ACE dict (sequence first)."""
    opts = ace.get("protocol_options") or {}
    proto = ace.get("protocol") or (opts.get("protocol_number") if "protocol_number" in opts else (list(opts) or ["ip"])[0])
    text = "%s %s %s %s %s" % (ace.get("sequence", "-"), ace["grant"], proto, _ios_side_text(ace.get("source")),
                               _ios_side_text(ace.get("destination")))
    text += _icmp_type_text(opts)
    if isinstance(opts.get("tcp"), dict) and opts["tcp"].get("established"):
        text += " established"
    if ace.get("log"):
        text += " log"
    return text


_IOS_V6_ENTRY = re.compile(r"^\s+(?:sequence\s+\d+\s+)?(permit|deny)\s+(\S+)\s+(.*?)(?:\s+sequence\s+\d+)?\s*$")


def _ios_v6_icmp_types(lines):
    """``{ipv6 ACL name: [ICMPv6 type keyword or None per permit/deny entry]}`` of IOS CLI text."""
    out, current = {}, None
    for line in lines:
        if line and not line[0].isspace():
            match = re.match(r"^ipv6 access-list\s+(\S+)\s*$", line)
            current = match.group(1) if match else None
            if current:
                out[current] = []
            continue
        match = _IOS_V6_ENTRY.match(line) if current else None
        if match:
            words = match.group(3).split()
            kind = None
            if match.group(2) == "icmp":
                kind = next((w for w in words if w in ICMP6_TYPE_NAMES or w.isdigit()), None)
            out[current].append(kind)
    return out


def _restore_icmp6_types(acl, text_types):
    """cisco.ios.ios_acls reads ``permit icmp any any nd-ns`` as ``permit icmp any any`` (every ICMPv6 type):
    give each such entry of an IPv6 ACL back the type the running-config shows for it."""
    aces = [a for a in acl.get("aces") or [] if a.get("grant")]
    untyped = [a for a in aces if a.get("protocol") == "icmp" and not (a.get("protocol_options") or {}).get("icmp")]
    if not any(text_types) or not untyped:
        return acl
    if len(aces) != len(text_types):
        raise AclEvalError("IPv6 ACL %s: the running-config has %d entries, the parsed config %d; cannot tell which "
                           "ICMPv6 entries have a type" % (acl["name"], len(text_types), len(aces)))
    fixed = iter(text_types)
    out = []
    for ace in acl.get("aces") or []:
        kind = next(fixed) if ace.get("grant") else None
        if kind and ace.get("protocol") == "icmp" and not (ace.get("protocol_options") or {}).get("icmp"):
            ace = dict(ace, protocol_options={"icmp": {kind.replace("-", "_"): True}})
        out.append(ace)
    return dict(acl, aces=out)


def ios_device_acls(parsed, running_config=""):
    """ios_acls ``parsed`` (or gathered) config + running-config text -> ``{(afi, name): [Ace, ...]}``.

    The running-config gives back the ICMPv6 types of IPv6 entries the module's parser drops (nd-ns, nd-na)."""
    if not isinstance(parsed, (list, tuple)):
        raise AclEvalError("the ios_acls parsed config must be a list of {afi, acls}, got %r" % (parsed,))
    lines = running_config.splitlines() if isinstance(running_config, str) else list(running_config or [])
    try:
        groups = _ios_group_ranges(lines)
        v6_types = _ios_v6_icmp_types(lines)
        out = {}
        for entry in parsed:
            afi = entry.get("afi", "ipv4")
            for acl in entry.get("acls") or []:
                if afi == "ipv6" and str(acl["name"]) in v6_types:
                    acl = _restore_icmp6_types(acl, v6_types[str(acl["name"])])
                aces, remark = [], ""
                for raw in acl.get("aces") or []:
                    if raw.get("remarks"):
                        remark = " ".join(raw["remarks"])
                    ace = ios_ace(raw, afi, groups)
                    if ace is not None:
                        ace.text = ios_ace_text(raw)
                        ace.remark = remark
                        aces.append(ace)
                out[(afi, str(acl["name"]))] = aces
    except (AclEvalError, KeyError, TypeError) as exc:
        raise AclEvalError("cannot read the IOS ACLs: %s" % (exc,))
    return out


def _asa_side(spec):
    spec = spec or {}
    for keyword in ("any", "any4", "any6"):
        if spec.get(keyword):
            words = [keyword]
            break
    else:
        if spec.get("host"):
            words = ["host", spec["host"]]
        elif spec.get("object_group"):
            words = ["object-group", spec["object_group"]]
        elif spec.get("interface"):
            words = ["interface", spec["interface"]]
        elif spec.get("address"):
            words = [spec["address"]] + ([spec["netmask"]] if spec.get("netmask") else [])
        else:
            raise AclEvalError("ASA ACE endpoint %r is not understood" % (spec,))
    port = _port_text(spec.get("port_protocol")).split()
    if spec.get("service_object_group"):
        port = ["object-group", spec["service_object_group"]]
    return words + port


def asa_acl_lines(acls):
    """asa_acls parsed config (``{"acls": [...]}`` or the list) -> ``access-list`` CLI lines."""
    if isinstance(acls, dict):
        acls = acls.get("acls") or []
    lines = []
    for acl in acls or []:
        name = acl["name"]
        for ace in acl.get("aces") or []:
            if ace.get("remark") is not None and not ace.get("grant"):
                lines.append("access-list %s remark %s" % (name, ace["remark"]))
                continue
            opts = dict(ace.get("protocol_options") or {})
            if ace.get("protocol") == "icmp" and opts == {"protocol_number": 6}:
                # cisco.asa.asa_acls parses "icmp6" as protocol icmp, protocol number 6
                proto = "icmp6"
            elif "protocol_number" in opts:
                proto = str(opts["protocol_number"])
            elif opts:
                proto = sorted(opts)[0]
            else:
                proto = ace.get("protocol") or "ip"
            words = ["access-list", name, "extended", ace["grant"], proto]
            words += _asa_side(ace.get("source")) + _asa_side(ace.get("destination"))
            words += _icmp_type_text(opts).split()
            if ace.get("log"):
                words += ["log", ace["log"]]
            if ace.get("inactive"):
                words.append("inactive")
            lines.append(" ".join(str(w) for w in words))
    return lines


def asa_og_lines(ogs):
    """asa_ogs parsed config -> ``object-group network|service`` CLI lines."""
    lines = []
    for entry in ogs or []:
        kind = entry.get("object_type")
        if kind not in ("network", "service"):
            continue
        for group in entry.get("object_groups") or []:
            if kind == "network":
                lines.append("object-group network %s" % group["name"])
                objs = group.get("network_object") or {}
                lines.extend(" network-object host %s" % h for h in objs.get("host") or [])
                lines.extend(" network-object %s" % a for a in objs.get("address") or [])
                lines.extend(" network-object %s" % a for a in objs.get("ipv6_address") or [])
                lines.extend(" network-object object %s" % a for a in objs.get("object") or [])
            else:
                lines.append(("object-group service %s %s" % (group["name"], group.get("protocol") or "")).rstrip())
                for port in group.get("port_object") or []:
                    lines.append(" port-object" + _port_text(port))
                for svc in group.get("services_object") or []:
                    words = [" service-object", svc.get("protocol") or "ip"]
                    if svc.get("source_port"):
                        words.append("source" + _port_text(svc["source_port"]))
                    if svc.get("destination_port"):
                        words.append("destination" + _port_text(svc["destination_port"]))
                    lines.append(" ".join(words))
            lines.extend(" group-object %s" % g for g in group.get("group_object") or [])
    return lines


def asa_device_acls(acls, ogs=None):
    """asa_acls + asa_ogs parsed config -> ``{name: [Ace, ...]}`` (both address families in one list)."""
    try:
        lines = asa_og_lines(ogs) + asa_acl_lines(acls)
        return asa_aces(lines)
    except (AclEvalError, KeyError, TypeError, IndexError) as exc:
        raise AclEvalError("cannot read the ASA ACLs: %s" % (exc,))


# --- bindings -----------------------------------------------------------------------------------


def ios_bindings(running_config):
    """``interface`` blocks of an IOS running-config -> set of (interface, acl, direction)."""
    out, current = set(), None
    for line in (running_config or "").splitlines():
        if line.startswith("interface "):
            current = line.split(None, 1)[1].strip()
            continue
        if line and not line[0].isspace():
            current = None
            continue
        match = re.match(r"^\s+(?:ip access-group|ipv6 traffic-filter)\s+(\S+)\s+(in|out)\s*$", line)
        if current and match:
            out.add((current, match.group(1), match.group(2)))
    return out


def asa_bindings(running_config):
    """``access-group NAME in|out interface NAMEIF`` lines -> set of (nameif, acl, direction)."""
    out = set()
    for line in (running_config or "").splitlines():
        match = re.match(r"^access-group\s+(\S+)\s+(in|out)\s+interface\s+(\S+)", line.strip())
        if match:
            out.add((match.group(3), match.group(1), match.group(2)))
    return out
