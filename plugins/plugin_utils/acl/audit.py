# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Audit the ACLs of a router or firewall against the flows that must cross its interfaces.

Inputs: an ACL plan (``acl_flows.acl_plan``: per interface and direction, the required flows and the
management block) and the device's ACLs as the Cisco modules parse them (``cisco.ios.ios_acls`` state
parsed plus the running-config text for IOS object-groups; ``cisco.asa.asa_acls`` and ``cisco.asa.asa_ogs``
state parsed for ASA). Every ACE becomes an ``acl_eval.Ace`` and is evaluated first-match:

- missing: probe packets taken from each required flow (a host of every source and destination network,
  both ends of every port range) that the device denies;
- extra: sample-based - probe packets from the required flows' neighbourhood (ports next to the required
  ones, other transports, well-known and UC ports such as the CUCM database 1500) and from the device's own
  permit ACEs; a packet the device permits that no required flow covers is reported with the ACE that
  permits it. Samples cannot prove the absence of extra permits;
- shadowed: ACEs that earlier ACEs cover entirely (``acl_eval.shadowed_aces``);
- bindings: whether each ACL is applied to its interface in its direction (from the running-config text).

Port names (``www``, ``sip``, ``tftp``) are compared by number (``acl_eval.port_number``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import bisect
import itertools
import re

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import netaddr, require_netaddr

from ansible_collections.collab.firewall.plugins.plugin_utils.acl.evaluate import (
    ALL_PORTS,
    ALL_PROTOCOLS,
    AclEvalError,
    asa_aces,
    ios_ace,
    parse_ios_object_groups,
    protocol_number,
    shadowed_aces,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.plugins.plugin_utils.render.cisco_common import parse_ports

# Ports probed for "extra" permits besides the neighbours of the required ports: remote access, web,
# databases (CUCM Informix 1500/1501), Windows, and ports no catalog entry documents (9999, 31337, 60001).
PROBE_PORTS = (22, 23, 25, 53, 69, 80, 135, 139, 161, 443, 445, 1433, 1500, 1501, 3306, 3389, 5060, 8080, 8443,
               9999, 31337, 60001)
ANY_PORT_PROBES = (22, 80, 443, 1500, 9999, 60001)
TRANSPORT_OF = {6: "tcp", 17: "udp", 1: "icmp", 58: "icmp", 47: "gre", 50: "esp", 51: "ah"}
MAX_PROBES_PER_FLOW = 64
MAX_SAMPLES = 3


class AuditError(CollabFirewallError):
    """Device data or a plan the audit cannot read."""


# ---------------------------------------------------------------- device ACLs


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


def ios_ace_text(ace):
    """A readable one-line form of an ios_acls ACE dict (sequence first)."""
    opts = ace.get("protocol_options") or {}
    proto = ace.get("protocol") or (opts.get("protocol_number") if "protocol_number" in opts else (list(opts) or ["ip"])[0])
    text = "%s %s %s %s %s" % (ace.get("sequence", "-"), ace["grant"], proto, _ios_side_text(ace.get("source")),
                               _ios_side_text(ace.get("destination")))
    if ace.get("log"):
        text += " log"
    return text


def ios_device_acls(parsed, running_config=""):
    """ios_acls ``parsed`` (or gathered) config + running-config text -> ``{(afi, name): [Ace, ...]}``."""
    if not isinstance(parsed, (list, tuple)):
        raise AuditError("the ios_acls parsed config must be a list of {afi, acls}, got %r" % (parsed,))
    lines = running_config.splitlines() if isinstance(running_config, str) else list(running_config or [])
    try:
        groups = parse_ios_object_groups(lines)
        out = {}
        for entry in parsed:
            afi = entry.get("afi", "ipv4")
            for acl in entry.get("acls") or []:
                aces = []
                for raw in acl.get("aces") or []:
                    ace = ios_ace(raw, afi, groups)
                    if ace is not None:
                        ace.text = ios_ace_text(raw)
                        aces.append(ace)
                out[(afi, str(acl["name"]))] = aces
    except (AclEvalError, KeyError, TypeError) as exc:
        raise AuditError("cannot read the IOS ACLs: %s" % (exc,))
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
            raise AuditError("ASA ACE endpoint %r is not understood" % (spec,))
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
            if "protocol_number" in opts:
                proto = str(opts["protocol_number"])
            elif opts:
                proto = sorted(opts)[0]
            else:
                proto = ace.get("protocol") or "ip"
            words = ["access-list", name, "extended", ace["grant"], proto]
            words += _asa_side(ace.get("source")) + _asa_side(ace.get("destination"))
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
        raise AuditError("cannot read the ASA ACLs: %s" % (exc,))


# ---------------------------------------------------------------- fast membership


class _Ranges(object):
    """An IPSet as sorted integer intervals per family: ``in`` by bisection (IPSet's own is slow for IPv6)."""

    def __init__(self, ipset):
        self.by_version = {4: ([], []), 6: ([], [])}
        for rng in ipset.iter_ipranges():
            starts, ends = self.by_version[rng.version]
            starts.append(rng.first)
            ends.append(rng.last)

    def __contains__(self, address):
        starts, ends = self.by_version[address.version]
        pos = bisect.bisect_right(starts, int(address)) - 1
        return pos >= 0 and int(address) <= ends[pos]

    def __bool__(self):
        return any(starts for starts, _ends in self.by_version.values())

    __nonzero__ = __bool__


class _Matcher(object):
    """``acl_eval.Ace`` with interval-based address tests; same semantics as ``Ace.matches``."""

    def __init__(self, ace):
        self.ace = ace
        self.src = _Ranges(ace.src)
        self.dst = _Ranges(ace.dst)

    def matches(self, src, dst, proto, dport=None):
        ace = self.ace
        if not ace.active or proto not in ace.protocols:
            return False
        if src not in self.src or dst not in self.dst:
            return False
        if ace.sports != ALL_PORTS:
            return False  # probes carry no source port
        if ace.dports != ALL_PORTS and (dport is None or not any(s <= dport <= e for s, e in ace.dports)):
            return False
        return True


# ---------------------------------------------------------------- required flows


class _Block(object):
    """A required flow (or the management block) as sets, for coverage tests and probes."""

    def __init__(self, flow):
        self.flow = flow
        self.src = _Ranges(netaddr.IPSet(flow["sources"]))
        self.dst = _Ranges(netaddr.IPSet(flow["destinations"]))
        self.transport = flow["transport"]
        try:
            self.ports = parse_ports(flow.get("ports"))
        except PolicyError as exc:
            raise AuditError("required flow %r: %s" % (flow.get("description"), exc))

    def covers(self, packet):
        src, dst, transport, port = packet
        if transport != self.transport or src not in self.src or dst not in self.dst:
            return False
        return not self.ports or (port is not None and any(s <= port <= e for s, e in self.ports))


def _host(net):
    """A representative address of a network: the address itself, else its first host."""
    net = netaddr.IPNetwork(net)
    if net.size <= 2:
        return net.network
    return netaddr.IPAddress(net.first + 1, net.version)


def _reps(cidrs, version):
    return [_host(c) for c in cidrs if netaddr.IPNetwork(c).version == version]


def _spread(items, limit):
    items = list(items)
    if len(items) <= limit:
        return items
    step = float(len(items)) / limit
    return [items[int(i * step)] for i in range(limit)]


def _proto(transport, version):
    number = protocol_number(transport)
    return 58 if number == 1 and version == 6 else number


def first_match(aces, packet):
    """(action, index) of the first ACE matching ``packet`` (src, dst, transport|number, port); implicit deny.

    ``aces``: ``acl_eval.Ace`` objects or their ``_Matcher`` wrappers.
    """
    src, dst, transport, port = packet
    proto = transport if isinstance(transport, int) else _proto(transport, src.version)
    for index, ace in enumerate(aces):
        if ace.matches(src, dst, proto, port):
            return getattr(ace, "ace", ace).action, index
    return "deny", None


def _packet_text(packet):
    src, dst, transport, port = packet
    transport = TRANSPORT_OF.get(transport, "proto %s" % transport) if isinstance(transport, int) else transport
    return "%s -> %s %s%s" % (src, dst, transport, "" if port is None else "/%d" % port)


def flow_probes(flow):
    """Probe packets inside a required flow: a host of each network pair, both ends of each port range."""
    ports = []
    for start, end in parse_ports(flow.get("ports")):
        ports.extend([start] if start == end else [start, end])
    ports = ports or [None]
    probes = []
    for version in (4, 6):
        pairs = list(itertools.product(_reps(flow["sources"], version), _reps(flow["destinations"], version)))
        for (src, dst), port in itertools.product(pairs, ports):
            probes.append((src, dst, flow["transport"], port))
    return _spread(probes, MAX_PROBES_PER_FLOW)


def _neighbour_probes(blocks):
    """Packets near the required flows: next ports, other transports, well-known and undocumented ports."""
    out = []
    for block in blocks:
        flow = block.flow
        for version in (4, 6):
            srcs, dsts = _reps(flow["sources"], version), _reps(flow["destinations"], version)
            if not srcs or not dsts:
                continue
            src, dst = srcs[0], dsts[0]
            ports = set(PROBE_PORTS)
            for start, end in block.ports:
                ports.update(p for p in (start - 1, end + 1) if 1 <= p <= 65535)
            for transport in ("tcp", "udp"):
                out.extend((src, dst, transport, port) for port in sorted(ports))
            out.extend((src, dst, transport, None) for transport in ("icmp", "gre", "esp"))
    return out


def _ace_probes(aces, blocks):
    """Packets inside the device's own permit ACEs (addresses preferred from the required flows)."""
    known = {4: [], 6: []}
    for block in blocks:
        for cidrs in (block.flow["sources"], block.flow["destinations"]):
            for version in (4, 6):
                known[version].extend(_reps(cidrs, version))
    out = []
    for ace in aces:
        if ace.action != "permit" or not ace.active:
            continue
        for version in (4, 6):
            srcs = _samples(ace.src, known[version], version)
            dsts = _samples(ace.dst, known[version], version)
            if not srcs or not dsts:
                continue
            protos = [6, 17, 1 if version == 4 else 58] if ace.protocols == ALL_PROTOCOLS else sorted(ace.protocols)[:3]
            for proto in protos:
                if proto in (6, 17):
                    ports = list(ANY_PORT_PROBES) if ace.dports == ALL_PORTS else sorted(
                        set(p for s, e in ace.dports[:4] for p in (s, e)))
                else:
                    ports = [None]
                out.extend((s, d, proto, p) for s, d, p in itertools.product(srcs, dsts, ports))
    return out


def _samples(ipset, known, version):
    fam = ipset & netaddr.IPSet(["0.0.0.0/0" if version == 4 else "::/0"])
    if not fam:
        return []
    ranges = _Ranges(fam)
    picks = []
    for address in known:
        if address in ranges and address not in picks:
            picks.append(address)
        if len(picks) == 2:
            break
    for cidr in list(fam.iter_cidrs())[:2]:
        if cidr.prefixlen >= (8 if version == 4 else 32):
            address = _host(cidr)
            if address not in picks:
                picks.append(address)
    return picks[:3]


# ---------------------------------------------------------------- one ACL


def _packet_key(packet):
    src, dst, transport, port = _normalise(packet)
    return (src.version, int(src), int(dst), transport, -1 if port is None else port)


def _normalise(packet):
    """Packets from ACE probes carry protocol numbers; required coverage compares transport names."""
    src, dst, transport, port = packet
    if isinstance(transport, int):
        transport = TRANSPORT_OF.get(transport, "proto-%d" % transport)
    return (src, dst, transport, port)


def audit_acl(plan, device_aces, bound=None):
    """Audit one planned ACL. ``device_aces``: ``{4: [Ace]|None, 6: [Ace]|None}`` (None = ACL absent)."""
    require_netaddr()
    flows = list(plan.get("flows") or [])
    if plan.get("management"):
        flows = [plan["management"]] + flows
    blocks = [_Block(f) for f in flows]
    present = dict((v, device_aces.get(v) is not None) for v in (4, 6))
    cache = {}
    matchers = {}
    for version in (4, 6):
        aces = device_aces.get(version) or []
        if id(aces) not in cache:
            cache[id(aces)] = [_Matcher(a) for a in aces]
        matchers[version] = cache[id(aces)]
    missing = []
    for block in blocks:
        probes = flow_probes(block.flow)
        failed = [p for p in probes if first_match(matchers[p[0].version], p)[0] != "permit"]
        if failed:
            missing.append({
                "description": block.flow.get("description") or "",
                "catalog_ids": list(block.flow.get("catalog_ids") or []),
                "transport": block.transport,
                "ports": list(block.flow.get("ports") or []),
                "sources": list(block.flow["sources"]),
                "destinations": list(block.flow["destinations"]),
                "denied": len(failed),
                "probes": len(probes),
                "partial": len(failed) < len(probes),
                "examples": [_packet_text(p) for p in failed[:MAX_SAMPLES]],
            })
    extra = {}
    candidates = {}
    all_aces = []
    for version in (4, 6):
        all_aces.extend(a for a in device_aces.get(version) or [] if not any(a is b for b in all_aces))
    for packet in _neighbour_probes(blocks) + _ace_probes(all_aces, blocks):
        candidates.setdefault(_packet_key(packet), packet)
    for key in sorted(candidates):
        packet = candidates[key]
        aces = device_aces.get(packet[0].version) or []
        action, index = first_match(matchers[packet[0].version], packet)
        if action != "permit":
            continue
        normal = _normalise(packet)
        if any(b.covers(normal) for b in blocks):
            continue
        fresh = {"ace": aces[index].text, "index": index, "family": "ipv%d" % packet[0].version, "count": 0,
                 "examples": []}
        item = extra.setdefault((packet[0].version, index), fresh)
        item["count"] += 1
        if len(item["examples"]) < MAX_SAMPLES:
            item["examples"].append(_packet_text(packet))
    shadowed = []
    seen_lists = []
    for version in (4, 6):
        aces = device_aces.get(version)
        if not aces or any(aces is other for other in seen_lists):
            continue
        seen_lists.append(aces)
        for item in shadowed_aces(aces):
            shadowed.append({"ace": item["ace"], "index": item["index"], "family": "ipv%d" % version,
                             "shadowed_by": [aces[j].text for j in item["shadowed_by"]],
                             "conflict": item["conflict"]})
    return {
        "name": plan["name"],
        "name6": plan.get("name6"),
        "interface": plan["interface"],
        "nameif": plan.get("nameif"),
        "direction": plan["direction"],
        "present": present,
        "bound": bound,
        "required_flows": len(blocks),
        "device_aces": ({"ipv4+ipv6": len(all_aces)} if device_aces.get(4) is device_aces.get(6)
                        else dict(("ipv%d" % v, len(device_aces.get(v) or [])) for v in (4, 6))),
        "missing": missing,
        "extra": [extra[k] for k in sorted(extra)],
        "shadowed": shadowed,
    }


# ---------------------------------------------------------------- bindings


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


# ---------------------------------------------------------------- device


def audit_device(plan, platform, parsed, running_config=None, ogs=None):
    """Audit every ACL of ``plan`` (``acl_flows.acl_plan``) against the device's parsed ACLs."""
    require_netaddr()
    if not isinstance(plan, dict) or "acls" not in plan:
        raise AuditError("the plan must be the result of collab.firewall.uc_acl_flows, got %r" % (type(plan).__name__,))
    if platform not in ("ios", "asa"):
        raise AuditError("platform %r is not one of ios, asa" % (platform,))
    has_text = isinstance(running_config, str) and running_config.strip() != ""
    if platform == "ios":
        device = ios_device_acls(parsed, running_config or "")
        bindings = ios_bindings(running_config) if has_text else None
        names = sorted(set(name for _afi, name in device))
    else:
        device = asa_device_acls(parsed, ogs)
        bindings = asa_bindings(running_config) if has_text else None
        names = sorted(device)
    reports, owned = [], set()
    for acl in plan["acls"]:
        if platform == "ios":
            aces = {4: device.get(("ipv4", acl["name"])), 6: device.get(("ipv6", acl["name6"]))}
            owned.update([acl["name"], acl["name6"]])
            bound = None if bindings is None else all(
                (acl["interface"], n, acl["direction"]) in bindings for n in (acl["name"], acl["name6"]))
        else:
            aces = {4: device.get(acl["name"]), 6: device.get(acl["name"])}
            owned.add(acl["name"])
            bound = None if bindings is None else (acl["nameif"], acl["name"], acl["direction"]) in bindings
        reports.append(audit_acl(acl, aces, bound))
    summary = {
        "missing": sum(len(r["missing"]) for r in reports),
        "extra": sum(len(r["extra"]) for r in reports),
        "shadowed": sum(len(r["shadowed"]) for r in reports),
        "absent": sum(1 for r in reports for v in (4, 6) if not r["present"][v]),
        "unbound": sum(1 for r in reports if r["bound"] is False),
    }
    summary["clean"] = not any(summary.values())
    report = {"host": plan.get("host"), "platform": platform, "summary": summary, "acls": reports,
              "other_acls": [n for n in names if n not in owned]}
    report["markdown"] = audit_markdown(report)
    return report


def _md(text):
    return str(text).replace("|", "\\|")


def audit_markdown(report):
    """The audit report as Markdown."""
    summary = report["summary"]
    lines = ["# ACL audit of %s (%s)" % (report.get("host") or "device", report["platform"]), ""]
    lines.append("| missing flows | extra permits | shadowed ACEs | absent ACLs | unbound ACLs |")
    lines.append("|---|---|---|---|---|")
    lines.append("| %(missing)d | %(extra)d | %(shadowed)d | %(absent)d | %(unbound)d |" % summary)
    lines.append("")
    lines.append("Extra permits are found by sampling (ports and addresses around the required flows and the "
                 "device's own ACEs); an empty list does not prove there are none.")
    if report.get("other_acls"):
        lines += ["", "ACLs on the device that this audit does not own: %s" % ", ".join(report["other_acls"])]
    for acl in report["acls"]:
        lines += ["", "## %s (%s %s)" % (acl["name"], acl["nameif"] or acl["interface"], acl["direction"]), ""]
        absent = [("ipv%d" % v) for v in (4, 6) if not acl["present"][v]]
        if absent:
            lines.append("- ACL absent on the device for: %s" % ", ".join(absent))
        if acl["bound"] is False:
            lines.append("- not applied to %s %s" % (acl["nameif"] or acl["interface"], acl["direction"]))
        lines.append("- required flows: %d; device ACEs: %s" % (
            acl["required_flows"], ", ".join("%s %d" % kv for kv in sorted(acl["device_aces"].items()))))
        lines += ["", "### Missing (required, denied)", ""]
        if acl["missing"]:
            lines += ["| flow | catalog ids | transport/ports | denied probes | example |", "|---|---|---|---|---|"]
            for item in acl["missing"]:
                lines.append("| %s | %s | %s %s | %d/%d | %s |" % (
                    _md(item["description"]), _md(" ".join(item["catalog_ids"])), item["transport"],
                    _md(",".join(str(p) for p in item["ports"])), item["denied"], item["probes"],
                    _md(item["examples"][0])))
        else:
            lines.append("none")
        lines += ["", "### Extra (permitted, not required)", ""]
        if acl["extra"]:
            lines += ["| ACE | family | sampled packets | examples |", "|---|---|---|---|"]
            for item in acl["extra"]:
                row = (_md(item["ace"]), item["family"], item["count"], _md("; ".join(item["examples"])))
                lines.append("| %s | %s | %d | %s |" % row)
        else:
            lines.append("none found")
        lines += ["", "### Shadowed (never match)", ""]
        if acl["shadowed"]:
            lines += ["| ACE | family | covered by | conflicting action |", "|---|---|---|---|"]
            for item in acl["shadowed"]:
                row = (_md(item["ace"]), item["family"], _md("; ".join(item["shadowed_by"])),
                       "yes" if item["conflict"] else "no")
                lines.append("| %s | %s | %s | %s |" % row)
        else:
            lines.append("none")
    return "\n".join(lines) + "\n"
