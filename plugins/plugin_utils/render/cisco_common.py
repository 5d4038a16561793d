# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers shared by the Cisco IOS and ASA ACL renderers.

Pure functions: flow validation (see docs/policy-model.md), port ranges to ``eq``/``range`` operators,
wildcard and net masks, deterministic object-group names and remark splitting.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import bisect
import hashlib
import re


from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import (
    PORT_TRANSPORTS,
    TRANSPORTS,
    PortError,
    interval_cidrs,
    ipv4_interval,
    loose_interval,
    merge_intervals,
    merge_ranges,
    netaddr,
    parse_port_item,
    require_netaddr,
    subtract_intervals,
)


REMARK_MAX = 100  # IOS and ASA both limit a remark to 100 characters


def parse_port(item):
    """``5060`` / ``"5060"`` / ``"16384-32767"`` -> ``(start, end)``; ACLs cannot name port 0."""
    try:
        return parse_port_item(item, lowest=1)
    except PortError as exc:
        raise PolicyError(str(exc))


def parse_ports(ports):
    """A flow's ``ports`` list -> merged, sorted ``(start, end)`` tuples (``[]`` = whole protocol)."""
    if ports is None:
        return []
    if not isinstance(ports, (list, tuple)):
        raise PolicyError("ports %r must be a list" % (ports,))
    return merge_ranges(parse_port(p) for p in ports)


def port_operator(start, end):
    """``(5060, 5060)`` -> ``("eq", 5060)``; ``(16384, 32767)`` -> ``("range", 16384, 32767)``."""
    if start == end:
        return ("eq", start)
    return ("range", start, end)


def port_clause(start, end):
    """CLI text for one port range: ``eq 5060`` or ``range 16384 32767`` (always numbers)."""
    return " ".join(str(x) for x in port_operator(start, end))


def parse_network(value):
    """A CIDR or address string -> ``netaddr.IPNetwork`` with no host bits set."""
    require_netaddr()
    if not isinstance(value, str):
        raise PolicyError("address %r is not a string" % (value,))
    try:
        net = netaddr.IPNetwork(value.strip())
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise PolicyError("address %r is not an IPv4/IPv6 address or CIDR" % (value,))
    if net.ip != net.network:
        raise PolicyError("address %r has host bits set (network is %s)" % (value, net.cidr))
    return net


class NetList(list):
    """The ``netaddr.IPNetwork``s of one side of a block, with what the renderers read from them again and again
    worked out once per distinct address list: ``cidrs``, their CIDR text in order, and ``spans``,
    ``{4: ((first, last), ...), 6: (...)}`` integers per family, sorted."""

    __slots__ = ("cidrs", "spans")

    def __init__(self, nets, cidrs=None, spans=None):
        super(NetList, self).__init__(nets)
        self.cidrs = tuple(str(n.cidr) for n in self) if cidrs is None else cidrs
        self.spans = _spans_of(self) if spans is None else spans

    @classmethod
    def join(cls, lists):
        """One list of several (IPv4 then IPv6 for an ASA object-group that holds both)."""
        lists = [nets if isinstance(nets, NetList) else NetList(nets) for nets in lists]
        return cls([n for nets in lists for n in nets], tuple(c for nets in lists for c in nets.cidrs),
                   dict((v, tuple(sorted(r for nets in lists for r in nets.spans[v]))) for v in (4, 6)))


def _spans_of(nets):
    return dict((v, tuple(sorted((n.first, n.last) for n in nets if n.version == v))) for v in (4, 6))


def net_cidrs(nets):
    """The CIDR text of a list of networks, in order (read once for a ``NetList``)."""
    return nets.cidrs if isinstance(nets, NetList) else tuple(str(n.cidr) for n in nets)


def net_spans(nets):
    """``{4: ((first, last), ...), 6: (...)}`` of a list of networks, sorted (read once for a ``NetList``)."""
    return nets.spans if isinstance(nets, NetList) else _spans_of(nets)


_SPLIT = {}


def split_families(values, what="sources"):
    """Addresses -> ``{4: NetList, 6: NetList}`` of ``IPNetwork``s, each merged (netaddr.cidr_merge) and sorted.

    A deployment's flows repeat the same long address lists (thousands of phone subnets), so each distinct
    list is parsed and merged once; callers get fresh lists.
    """
    if not isinstance(values, (list, tuple)):
        raise PolicyError("%s %r must be a list of CIDRs" % (what, values))
    for value in values:
        if not isinstance(value, str):
            parse_network(value)  # raises the error naming the bad value
    key = tuple(values)
    if key not in _SPLIT:
        if len(_SPLIT) > 4096:
            _SPLIT.clear()
        _SPLIT[key] = _merged_nets(key)
    return dict((version, NetList(*entry)) for version, entry in _SPLIT[key].items())


_BITS = {4: 32, 6: 128}


def _merged_nets(values):
    """{version: (IPNetworks, CIDR texts, spans)} of an address list, merged as ``netaddr.cidr_merge`` merges
    (the largest aligned blocks, in address order), on integers: netaddr builds only the final networks."""
    by_version = {4: [], 6: []}
    for value in values:
        interval = ipv4_interval(value)
        if interval is None:
            net = parse_network(value)  # only strings get here; it words the errors
            by_version[net.version].append((net.first, net.last))
        else:
            by_version[4].append(interval)
    out = {}
    for version in (4, 6):
        nets, cidrs, spans = [], [], []
        for first, last in merge_intervals(by_version[version]):
            for cidr in interval_cidrs(first, last, version):
                prefix = int(cidr.rsplit("/", 1)[1])
                end = first + (1 << (_BITS[version] - prefix)) - 1
                nets.append(netaddr.IPNetwork((first, prefix), version))
                cidrs.append(cidr)
                spans.append((first, end))
                first = end + 1
        out[version] = (tuple(nets), tuple(cidrs), dict(((version, tuple(spans)), (10 - version, ()))))
    return out


def is_any(net):
    return net.prefixlen == 0


def wildcard_mask(net):
    """IOS wildcard (inverse) mask: 10.20.0.0/16 -> 0.0.255.255."""
    return str(net.hostmask)


def net_mask(net):
    """Dotted net mask: 10.20.0.0/16 -> 255.255.0.0."""
    return str(net.netmask)


def object_group_name(prefix, parts):
    """Deterministic object-group name from its content: ``UC-NET-`` + 10 hex chars of a SHA-256."""
    digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:10].upper()
    return "%s%s" % (prefix, digest)


def network_group_name(nets):
    return object_group_name("UC-NET-", ["net"] + list(net_cidrs(nets)))


def service_group_name(protocol, ranges):
    return object_group_name("UC-SVC-", ["svc", protocol] + ["%d-%d" % r for r in ranges])


def split_remark(text, width=REMARK_MAX):
    """Split remark text into lines of at most ``width`` characters, at spaces when possible.

    Quotes are left out: cisco.ios reads a remark holding one back in quotes, so the running ACL would never
    equal the rendered one (and ``replaced`` would never be idempotent); line breaks become spaces."""
    words = " ".join(str(text).replace('"', "").replace("'", "").split()).split(" ")
    lines, cur = [], ""
    for word in words:
        while len(word) > width:
            if cur:
                lines.append(cur)
                cur = ""
            lines.append(word[:width])
            word = word[width:]
        if not word:
            continue
        if not cur:
            cur = word
        elif len(cur) + 1 + len(word) <= width:
            cur = cur + " " + word
        else:
            lines.append(cur)
            cur = word
    if cur:
        lines.append(cur)
    return lines


def remark_text(block):
    """One remark text per ACE block: description and the cited catalog ids."""
    ids = " ".join(block.get("catalog_ids") or [])
    desc = block.get("description") or ""
    if desc and ids:
        return "%s: %s" % (desc, ids)
    return desc or ids or "flow"


def _as_list_of_str(value, what):
    if value is None:
        return []
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise PolicyError("%s %r must be a list of strings" % (what, value))
    return list(value)


# Protocols an ACL entry may name besides the flow transports: "ip" (every protocol) and routing/redundancy
# protocols sites put in their own entries.
ENTRY_PROTOCOLS = ("ip",) + TRANSPORTS + ("ospf", "eigrp", "pim", "vrrp", "igmp")
GRANTS = ("permit", "deny")


def normalize_block(flow, what="flow", default_destinations=None):
    """Validate one flow, management block or ACL entry -> internal dict used by both renderers.

    Besides the flow keys an entry may carry ``grant`` (permit|deny), ``transport`` ``ip`` or a routing
    protocol (``ENTRY_PROTOCOLS``) or a protocol number, ``icmp_type`` (a type keyword), ``log``, and
    ``source_ports`` and ``established`` (TCP only: packets of an open connection), as site entries and
    the IOS reply blocks of a stateless ACL (``reply_blocks``) use them.
    """
    if not isinstance(flow, dict):
        raise PolicyError("%s %r is not a dict" % (what, flow))
    transport = flow.get("transport")
    numbered = isinstance(transport, int) and not isinstance(transport, bool) and 0 <= transport <= 255
    if transport not in ENTRY_PROTOCOLS and not numbered:
        raise PolicyError(
            "%s transport %r is not one of %s or a protocol number" % (what, transport, ", ".join(ENTRY_PROTOCOLS))
        )
    ports = parse_ports(flow.get("ports"))
    if ports and transport not in PORT_TRANSPORTS:
        raise PolicyError("%s transport %r cannot carry ports %r" % (what, transport, flow.get("ports")))
    sports = parse_ports(flow.get("source_ports"))
    if sports and transport not in PORT_TRANSPORTS:
        raise PolicyError("%s transport %r cannot carry source ports %r" % (what, transport, flow.get("source_ports")))
    established = flow.get("established", False)
    if not isinstance(established, bool) or (established and transport != "tcp"):
        raise PolicyError("%s established %r must be a boolean, true only for tcp" % (what, established))
    grant = flow.get("grant", "permit")
    if grant not in GRANTS:
        raise PolicyError("%s grant %r is not permit or deny" % (what, grant))
    sources = flow.get("sources")
    if not sources:
        raise PolicyError("%s %r has no sources" % (what, flow))
    destinations = flow.get("destinations", default_destinations)
    if not destinations:
        raise PolicyError("%s %r has no destinations" % (what, flow))
    src = split_families(sources, "sources")
    dst = split_families(destinations, "destinations")
    ids = sorted(_as_list_of_str(flow.get("catalog_ids"), "catalog_ids"))
    desc = flow.get("description")
    if desc is not None and not isinstance(desc, str):
        raise PolicyError("%s description %r is not a string" % (what, desc))
    block = {
        "src": src,
        "dst": dst,
        "transport": transport,
        "ports": ports,
        "catalog_ids": ids,
        "description": desc or "",
    }
    if grant != "permit":
        block["grant"] = grant
    if flow.get("icmp_type"):
        block["icmp_type"] = flow["icmp_type"]
    if sports:
        block["sports"] = sports
    if established:
        block["established"] = True
    if flow.get("log"):
        block["log"] = True
    return block


def normalize_flows(flows):
    """``flows`` list (or the ``uc_flows`` result dict) -> validated internal blocks."""
    if isinstance(flows, dict) and "flows" in flows:
        flows = flows["flows"]
    if not isinstance(flows, (list, tuple)):
        raise PolicyError("flows %r must be a list of flow dicts" % (flows,))
    return [normalize_block(f, "flow") for f in flows]


def normalize_flows_input(flows):
    """The flow list of ``flows`` (a list, or the ``uc_flows`` result dict), unvalidated."""
    if isinstance(flows, dict) and "flows" in flows:
        flows = flows["flows"]
    if not isinstance(flows, (list, tuple)):
        raise PolicyError("flows %r must be a list of flow dicts" % (flows,))
    return flows


def normalize_management(management):
    """Management block: ``{sources, transport: tcp, ports: [22], destinations: any}``."""
    if management is None:
        return None
    if not isinstance(management, dict):
        raise PolicyError("management %r is not a dict" % (management,))
    mgmt = dict(management)
    mgmt.setdefault("transport", "tcp")
    mgmt.setdefault("ports", [22])
    mgmt.setdefault("description", "management")
    block = normalize_block(mgmt, "management", default_destinations=["0.0.0.0/0", "::/0"])
    return block


def family_pairs(block):
    """Families present on both sides of a block (IPv4 first)."""
    return [v for v in (4, 6) if block["src"][v] and block["dst"][v]]


# ---------------------------------------------------------------- one interface ACL, in order

# IPv6 neighbour discovery and router discovery, permitted before any explicit deny (docs/network-roles.md,
# "Neighbour discovery"). An IOS interface ACL filters the ND packets addressed to the router itself, and they
# come from and go to every kind of address: solicitations from ::, link-local or global sources to
# solicited-node multicast or (reachability probes) to the router's own link-local or global address,
# advertisements to a unicast address or ff02::1. So IOS selects ND by ICMPv6 type for any address, as its own
# implicit entries do (nd-na, nd-ns), plus router solicitation and advertisement.
IOS_ND_ENTRIES = tuple(
    {"transport": "icmp", "icmp_type": kind, "sources": ["::/0"], "destinations": ["::/0"], "description": text}
    for kind, text in (
        ("nd-ns", "IPv6 neighbour solicitation (address resolution, reachability, duplicate address detection)"),
        ("nd-na", "IPv6 neighbour advertisement"),
        ("router-solicitation", "IPv6 router solicitation"),
        ("router-advertisement", "IPv6 router advertisement"),
    )
)
# The ASA's access-groups filter traffic through the box only (ND with the ASA itself is its "ipv6 icmp"
# business), and cisco.asa.asa_acls cannot read ICMPv6 type keywords back (neighbor-solicitation fails the
# parse, router-solicitation comes back as IPv4 icmp): the ASA entries select ND by address, from and to
# link-local addresses, to solicited-node multicast and to the all-routers group.
ND_ENTRIES = (
    {"transport": "icmp", "sources": ["fe80::/10"], "destinations": ["::/0"],
     "description": "IPv6 neighbour and router discovery from link-local addresses"},
    {"transport": "icmp", "sources": ["::/0"], "destinations": ["fe80::/10"],
     "description": "IPv6 neighbour discovery to link-local addresses"},
    {"transport": "icmp", "sources": ["::/0"], "destinations": ["ff02::1:ff00:0/104"],
     "description": "IPv6 neighbour solicitation and duplicate address detection (solicited-node multicast)"},
    {"transport": "icmp", "sources": ["::/0"], "destinations": ["ff02::2/128"],
     "description": "IPv6 router solicitation (all-routers multicast)"},
)
WELL_KNOWN = {"fe80::/10": "link-local", "ff02::1:ff00:0/104": "solicited-node", "ff02::2/128": "all-routers"}

ANY_BOTH = ["0.0.0.0/0", "::/0"]


def _covers(outer, inner):
    """Every network of ``inner`` lies inside a network of ``outer`` (both merged CIDR lists of one family).

    Merged CIDRs are the largest aligned blocks of their addresses, so a network of ``inner`` inside their
    union lies inside one of them: nothing of ``inner`` left after taking ``outer`` away is the same answer.
    """
    if outer is inner:
        return True
    outer, inner = net_spans(outer), net_spans(inner)
    return not any(subtract_intervals(inner[v], outer[v]) for v in (4, 6))


def _port_sub(ports, taken):
    """Port ranges of ``ports`` outside ``taken`` (both merged (start, end) lists), as a list."""
    return list(subtract_intervals(ports, taken))


def _may_cover(earlier, block):
    """``earlier`` matches every packet ``block`` does, ports and addresses aside: same protocol, an ICMP
    type no narrower, source ports no narrower, no ``established`` the block lacks."""
    if earlier["transport"] != block["transport"]:
        return False
    if earlier.get("icmp_type") and earlier.get("icmp_type") != block.get("icmp_type"):
        return False
    if earlier.get("established") and not block.get("established"):
        return False
    if earlier.get("sports"):
        return bool(block.get("sports")) and not _port_sub(block["sports"], earlier["sports"])
    return True


def drop_covered(blocks):
    """Permit blocks minus what one earlier permit block of the same protocol already permits.

    A block whose networks (every family it has) lie inside an earlier block's loses the ports that block
    permits (reply blocks, with source ports, stay whole); a block left without ports (or fully inside a
    port-less earlier block) is dropped. Only for a
    run of permit blocks: no deny between them can change first-match order.
    """
    kept = []
    for block in blocks:
        versions = family_pairs(block)
        ports = block["ports"]
        gone = False
        for earlier in kept:
            if not _may_cover(earlier, block):
                continue
            if not all(_covers(earlier["src"][v], block["src"][v]) and _covers(earlier["dst"][v], block["dst"][v])
                       for v in versions):
                continue
            if not earlier["ports"]:
                gone = True
                break
            if not ports:
                continue
            left = _port_sub(ports, earlier["ports"])
            if not left:
                gone = True
                break
            if not block.get("sports"):
                # a reply block (source ports) keeps its ports whole: carving them would read worse and
                # change nothing, the earlier block decides the overlap either way
                ports = left
        if not gone:
            kept.append(dict(block, ports=ports) if ports != block["ports"] else block)
    return kept


# The answers a stateless ACL must let back (``reply_blocks``). UDP clients send from a port of their own
# choosing, in practice an unprivileged one (or a privileged service port itself, as NTP does from 123):
# the answers go to those ports only.
REPLY_ICMP_TYPE = "echo-reply"
CLIENT_PORTS = [(1024, 65535)]


def _answered_by(block, forward):
    """A UDP flow whose peer may already send back on the same ports (RTP, SIP over UDP): a permit of
    ``forward`` goes from the block's destinations to its sources with at least its ports."""
    for other in forward:
        if other["transport"] != "udp" or other.get("sports") or other.get("grant", "permit") != "permit":
            continue
        if other["ports"] and (not block["ports"] or _port_sub(block["ports"], other["ports"])):
            continue
        if all(_covers(other["src"][v], block["dst"][v]) and _covers(other["dst"][v], block["src"][v])
               for v in family_pairs(block)):
            return True
    return False


def reply_blocks(blocks, forward=()):
    """The answers to ``blocks`` (flows that cross the interface the other way), as permit blocks.

    An IOS interface ACL is stateless: the replies of a connection that crossed the interface in the other
    direction must be permitted too. Each block gives one permit from its destinations to its sources:
    TCP from the service ports to any port, ``established`` only (no connection can start that way);
    UDP from the service ports to the client ports (``CLIENT_PORTS``, and a privileged service port to
    itself), unless a
    ``forward`` block already permits the same ports back; ICMP the echo reply. GRE, ESP and AH are not
    connections: their flows go both ways in the catalog already. A block without ports answers from any.
    """
    out = []
    for block in blocks:
        transport = block["transport"]
        if transport not in ("tcp", "udp", "icmp"):
            continue
        if transport == "udp" and _answered_by(block, forward):
            continue
        reply = {"src": block["dst"], "dst": block["src"], "transport": transport, "ports": [],
                 "catalog_ids": block["catalog_ids"], "description": "replies to %s" % (block["description"] or "flow")}
        if transport == "icmp":
            reply["icmp_type"] = REPLY_ICMP_TYPE
        elif block["ports"]:
            reply["sports"] = block["ports"]
        if transport == "tcp":
            reply["established"] = True
        elif transport == "udp" and block["ports"]:
            reply["ports"] = list(CLIENT_PORTS)
            low = [(start, min(end, CLIENT_PORTS[0][0] - 1)) for start, end in block["ports"]
                   if start < CLIENT_PORTS[0][0]]
            if low:
                # a client that sends from the service port itself (NTP's 123 to 123)
                out.append(dict(reply, sports=low, ports=low))
        out.append(reply)
    return out


def acl_blocks(plan, nd_entries=(), log_deny=False):
    """The ordered blocks of one interface ACL (docs/network-roles.md, "What an interface ACL holds"):

    1. the device's own management (admin sources behind the interface -> the device's addresses);
    2. IPv6 neighbour discovery (``nd_entries``, the platform's form) before any explicit deny;
    3. the site's entries ``site_before``;
    4. SSH from the management sources to the UC nodes, then the UC flows, then (``replies`` in the plan,
       stateless platforms) the answers to the flows crossing the other way (what an earlier permit
       already covers is dropped);
    5. scope ``protect``: deny everything else to (and from) the UC nodes, as the direction requires;
    6. the site's entries ``site_after``;
    7. the end: ``permit ip any any`` (scope ``protect``) or ``deny ip any any`` (``strict``).
    """
    blocks = []
    if plan.get("device_management"):
        blocks.append(normalize_block(plan["device_management"], "device management"))
    blocks.extend(normalize_block(e, "neighbour discovery") for e in nd_entries)
    blocks.extend(normalize_block(e, "site entry") for e in plan.get("site_before") or [])
    uc = []
    if plan.get("management"):
        uc.append(normalize_management(plan["management"]))
    uc.extend(normalize_flows(plan["flows"]))
    if plan.get("replies"):
        answered = normalize_flows(plan["replies"]["flows"])
        if plan["replies"].get("management"):
            answered.append(normalize_management(plan["replies"]["management"]))
        uc.extend(reply_blocks(answered, uc))
    # what the device's management (an earlier permit, before any deny) already permits is left out too: on
    # a gateway, SSH to the gateway is both the device's management and the management of a UC node
    earlier = blocks[:1] if plan.get("device_management") else []
    blocks.extend(drop_covered(earlier + uc)[len(earlier):])
    scope = plan.get("scope") or "strict"
    protect = plan.get("protect") or {}
    if scope == "protect":
        for side, label in (("to", "to"), ("from", "from")):
            cidrs = protect.get(side) or []
            if not cidrs:
                continue
            entry = {"grant": "deny", "transport": "ip", "log": log_deny,
                     "description": "no other traffic %s the UC nodes" % label,
                     "sources": ANY_BOTH if side == "to" else cidrs,
                     "destinations": cidrs if side == "to" else ANY_BOTH}
            blocks.append(normalize_block(entry, "scope"))
    blocks.extend(normalize_block(e, "site entry") for e in plan.get("site_after") or [])
    if scope == "protect":
        final = {"transport": "ip", "sources": ANY_BOTH, "destinations": ANY_BOTH,
                 "description": "the rest of the network (scope protect)"}
    else:
        final = {"grant": "deny", "transport": "ip", "sources": ANY_BOTH, "destinations": ANY_BOTH,
                 "log": log_deny, "description": "default deny"}
    blocks.append(normalize_block(final, "end"))
    return blocks


# ---------------------------------------------------------------- readable object-group names

NAME_BUDGET = 48  # IOS and ASA allow 64 characters; room for "-V6" and a collision suffix


def _label_text(parts):
    text = ".".join(parts).upper()
    return re.sub(r"[^A-Z0-9_.\-]+", "-", text).strip("-") or "NET"


def _digest(parts):
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:6].upper()


_TABLES = {}


def _namer_table(nodes, zones):
    """What a GroupNamer reads from the deployment's nodes and zones, once per distinct content (each device,
    and each gateway with interfaces, names its groups from the same deployment): nodes and zones as
    integers, the node names of each product, cluster and tag per family, and the parts of each group."""
    node_rows = tuple((name, node.get("product") or "node", node.get("cluster") or "",
                       tuple(list(node.get("services") or []) + list(node.get("cvp_roles") or [])),
                       tuple(node.get("addresses") or [])) for name, node in sorted((nodes or {}).items()))
    zone_rows = tuple((key, tuple(cidrs or [])) for key, cidrs in sorted((zones or {}).items()))
    key = (node_rows, zone_rows)
    table = _TABLES.get(key)
    if table is not None:
        return table
    out_nodes, members = [], {}
    for name, product, cluster, tags, addresses in node_rows:
        for address in addresses:
            version, first, last = loose_interval(address)
            out_nodes.append({"name": name, "product": product, "cluster": cluster, "tags": list(tags),
                              "version": version, "first": first, "last": last})
            for select in ((product,), (product, cluster)) + tuple((product, cluster, tag) for tag in tags):
                members.setdefault((version,) + select, set()).add(name)
    out_zones = []
    for name, cidrs in zone_rows:
        by_version = {4: [], 6: []}
        for cidr in cidrs:
            version, first, last = loose_interval(cidr)
            by_version[version].append((first, last))
        for version in (4, 6):
            fam = by_version[version]
            if fam:
                out_zones.append({"name": name, "version": version, "ranges": sorted(fam),
                                  "size": sum(e - s + 1 for s, e in fam)})
    out_zones.sort(key=lambda z: (-z["size"], z["name"]))
    table = {"nodes": out_nodes, "zones": out_zones, "members": members, "parts": {}}
    if len(_TABLES) >= 16:  # bounded: one deployment at a time, as a rule
        _TABLES.clear()
    _TABLES[key] = table
    return table


class GroupNamer(object):
    """Readable, stable object-group names from what a group holds, unique per device.

    A network group is described by the uc_zones keys it holds whole (``PHONE``), then its UC nodes: a whole
    product (``CUCM``), a whole cluster of a product (``CUCM-HQ``), the nodes of a cluster running one service
    or CVP role (``CUCM-HQ-TFTP``) or the node names; addresses nothing names add ``NET``. Parts are joined
    with ``.``: ``UC-CUCM-BRANCH.CUCM-HQ-TFTP``. Names start with
    ``prefix``; an IOS IPv6 group ends in ``-V6``. A name longer than the budget is cut and given a content
    hash; two different groups with the same name on one device: the later one gets the hash suffix.
    """

    def __init__(self, nodes=None, zones=None, prefix="UC"):
        require_netaddr()
        self.prefix = prefix
        table = _namer_table(nodes, zones)
        self.nodes, self.zones, self._members, self._memo = table["nodes"], table["zones"], table["members"], table["parts"]
        self.taken = {}
        self._families = set()

    @staticmethod
    def _inside(spans, first, last):
        """``spans``: sorted, non-overlapping (start, end) list."""
        pos = bisect.bisect_right(spans, (first, float("inf"))) - 1
        return pos >= 0 and spans[pos][0] <= first and last <= spans[pos][1]

    @staticmethod
    def _merged(spans):
        out = []
        for start, end in sorted(spans):
            if out and start <= out[-1][1] + 1:
                out[-1] = (out[-1][0], max(end, out[-1][1]))
            else:
                out.append((start, end))
        return out

    def _parts(self, nets):
        """The name parts of a group holding ``nets`` (sets ``_families``), once per distinct group content."""
        key = net_cidrs(nets)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._find_parts(net_spans(nets))
        parts, families = found
        self._families = set(families)
        return list(parts)

    def _family_nodes(self, versions, select):
        """Names of the nodes of ``select`` (product[, cluster[, tag]]) with an address of one of ``versions``."""
        out = set()
        for version in versions:
            out |= self._members.get((version,) + select, set())
        return out

    def _find_parts(self, spans):
        spans = {4: list(spans[4]), 6: list(spans[6])}
        covered = {4: [], 6: []}
        parts = []
        sizes = dict((v, sum(e - s + 1 for s, e in spans[v])) for v in (4, 6))
        for zone in self.zones:
            # a zone larger than the group cannot lie inside it: no need to test its ranges one by one
            if zone["size"] <= sizes[zone["version"]] and all(self._inside(spans[zone["version"]], s, e) for s, e in zone["ranges"]):
                if zone["name"] not in parts:
                    parts.append(zone["name"])
                covered[zone["version"]].extend(zone["ranges"])
        zoned = dict((v, self._merged(covered[v])) for v in (4, 6))
        present = [n for n in self.nodes if self._inside(spans[n["version"]], n["first"], n["last"])
                   and not self._inside(zoned[n["version"]], n["first"], n["last"])]
        for node in present:
            covered[node["version"]].append((node["first"], node["last"]))
        names = set(n["name"] for n in present)
        versions = set(n["version"] for n in present)

        for product in sorted(set(n["product"] for n in present)):
            mine = set(n["name"] for n in present if n["product"] == product)
            if mine == self._family_nodes(versions, (product,)):
                parts.append(product)
                names -= mine
                continue
            for cluster in sorted(set(n["cluster"] for n in present if n["product"] == product)):
                here = set(n["name"] for n in present if n["product"] == product and n["cluster"] == cluster)
                everyone = self._family_nodes(versions, (product, cluster))
                label = [product, cluster] if cluster and cluster != "default" else [product]
                if here == everyone:
                    parts.append("-".join(label))
                    names -= here
                    continue
                tags = sorted(set(t for n in present if n["name"] in here for t in n["tags"]))
                for tag in tags:
                    tagged = self._family_nodes(versions, (product, cluster, tag))
                    if tagged and tagged <= here and tagged & names:
                        parts.append("-".join(label + [tag]))
                        names -= tagged
        parts.extend(sorted(names))
        named = set(parts)
        present_names = set(x["name"] for x in present)
        families = set(z["version"] for z in self.zones if z["name"] in named)
        families |= set(n["version"] for n in self.nodes if n["name"] in present_names)
        for version in (4, 6):
            rest, known = spans[version], self._merged(covered[version])
            if rest and not all(self._inside(known, s, e) for s, e in rest):
                parts.append("net")
                break
        return tuple(parts), frozenset(families)

    def _unique(self, base, content):
        name = base
        if len(name) > NAME_BUDGET:
            name = name[:NAME_BUDGET].rstrip("-_.") + "-" + _digest(content)
        owner = self.taken.get(name)
        if owner is not None and owner != content:
            name = name[:NAME_BUDGET].rstrip("-_.") + "-" + _digest(content)
        self.taken[name] = content
        return name

    def network(self, nets, suffix="", family_tag=False):
        """The name of a network object-group holding ``nets`` (``suffix`` ``-V6`` for IOS IPv6 groups).

        ``family_tag`` (ASA, whose groups mix families): a group holding one family of things that have both
        ends in ``-V4`` or ``-V6``.
        """
        cidrs = net_cidrs(nets)
        content = ["net"] + list(cidrs)
        known = [WELL_KNOWN.get(cidr) for cidr in cidrs]
        self._families = set()
        label = _label_text(known) if all(known) else _label_text(self._parts(nets))
        spans = net_spans(nets)
        versions = set(v for v in (4, 6) if spans[v])
        if family_tag and len(versions) == 1 and len(self._families) > 1:
            suffix += "-V%d" % versions.pop()
        base = "%s-%s%s" % (self.prefix, label, suffix) if self.prefix else label + suffix
        return self._unique(base, content)

    def service(self, protocol, ranges):
        """The name of a service object-group: protocol and ports, ``UC-TCP-5060-5061_8443``."""
        content = ["svc", protocol] + ["%d-%d" % r for r in ranges]
        ports = "_".join(str(s) if s == e else "%d-%d" % (s, e) for s, e in ranges)
        base = "%s-%s-%s" % (self.prefix, protocol.upper(), ports) if self.prefix else "%s-%s" % (protocol.upper(), ports)
        return self._unique(base, content)
