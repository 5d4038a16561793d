# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What must reach a voice gateway itself, from the deployment's flows (docs/gateways.md).

A gateway (a host of the ``gateways`` group) is an endpoint of other nodes' flows; this module cuts out the
part addressed to the gateway itself and decides who its call-control peers are:

- ``call_control(deployment, gateway)``: the Unified CM nodes running call processing (catalog role
  ``cucm_callmanager``, ``uc_cucm_services`` with ``callmanager``) and the CVP call servers that exchange
  call signalling (SIP, SIPS, H.225, MGCP, SCCP) with the gateway, by the flows, in either direction;
- ``trusted_list(deployment, gateway)``: their addresses, one entry each, for the IOS
  ``voice service voip`` / ``ip address trusted list`` (an empty list is an error naming the gateway);
- ``gateway_flows(deployment, gateway)``: every flow to the gateway, destinations cut down to the gateway's
  addresses. Signalling is kept only from call-control nodes (other senders, for example IM and Presence as a
  generic SIP peer, are listed in ``excluded``), and the peer protocols SIP and MGCP, which both ends listen
  for, are added from the call-control nodes the gateway signals to (a CVP call server sends its INVITEs to
  the gateway's 5060, Unified CM its MGCP commands to the gateway's 2427);
- ``gateway_view(deployment, gateway)``: a deployment with only those flows and only the gateway as UC node,
  every zone name still usable and never containing the gateway itself, and the flows the gateway starts
  under ``outgoing_flows`` (their answers must pass its stateless ACLs), and the whole deployment's nodes
  and zones under ``naming`` (object-groups are named by product and cluster as on a router), so the
  routers' interface code
  (``interfaces.interface_acls`` and ``render.platforms.device_plan``) turns it into the gateway's own inbound
  ACLs: scope ``protect`` then protects the gateway alone and lets transit traffic through.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import (
    AddressError,
    address_cidrs,
    address_spans,
    format_ranges,
    intersect_intervals,
    interval_cidrs,
    interval_inside,
    merge_intervals,
    merge_ranges,
    netaddr,
    network_interval,
    port_ranges,
    require_netaddr,
    spans_cidrs,
    spans_overlap,
    subtract_intervals,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.interfaces import zone_index

# Catalog protocols that carry call signalling (what the trusted list and the ACL restrict to call control).
SIGNALLING = frozenset(("sip", "sips", "h225", "h225_ras", "mgcp", "sccp"))
# Peer protocols and transports: each end listens on the documented port, so a peer the gateway signals to
# also signals to the gateway on that port (SIP and SIPS; MGCP over UDP, where Unified CM sends its commands
# to the gateway's 2427; the MGCP backhaul over TCP 2428 is opened by the gateway alone).
PEER_PROTOCOLS = frozenset((("sip", "udp"), ("sip", "tcp"), ("sips", "tcp"), ("mgcp", "udp")))


class GatewayError(CollabFirewallError):
    """A gateway the collection cannot render for; the message names the gateway and the variable."""


def gateways(deployment):
    """Names of the deployment's gateways (UC nodes of product ``gateway``), sorted."""
    return sorted(name for name, node in deployment["nodes"].items() if node["product"] == "gateway")


def _gateway(deployment, gateway):
    node = deployment["nodes"].get(gateway) if isinstance(gateway, str) else None
    if node is None or node["product"] != "gateway":
        raise GatewayError.at(gateway, "gateways", "is not a host of the gateways group of the deployment (%s)"
                              % ", ".join(gateways(deployment)))
    return node


def is_call_control(node):
    """A Unified CM node running call processing, or a CVP call server."""
    return ((node["product"] == "cucm" and "callmanager" in (node.get("services") or []))
            or (node["product"] == "cvp" and "call_server" in (node.get("cvp_roles") or [])))


def _protocols(flow, entries):
    return set(entries[i]["protocol"] for i in flow["catalog_ids"] if i in entries)


def _entries():
    return dict((e["id"], e) for e in load_catalog().entries)


def gateway_index(deployment):
    """What every gateway of ``deployment`` reads from the same flows and zones, worked out once.

    The main job plans every gateway of a deployment from the same flows and zones, holding thousands of
    phone subnets: ``trusted_list``, ``gateway_flows`` and ``gateway_view`` take this as ``index`` so that
    each address list is read once per render (on integers, ``netsets.address_spans``) and each gateway
    only looks its own few addresses up in them. An index made for another deployment is not used.
    """
    entries = _entries()
    nodes = deployment["nodes"]
    flows = []
    for flow in deployment["flows"]:
        signalling = bool(_protocols(flow, entries) & SIGNALLING)
        sources, destinations = address_spans(flow["sources"]), address_spans(flow["destinations"])
        flows.append({
            "flow": flow, "sources": sources, "destinations": destinations, "signalling": signalling,
            "src_bounds": _bounds(sources), "dst_bounds": _bounds(destinations),
            "src_names": frozenset(flow["src_names"]), "dst_names": frozenset(flow["dst_names"]),
            # the call-control nodes on each side, in the flow's order
            "src_control": [n for n in flow["src_names"] if n in nodes and is_call_control(nodes[n])],
            "dst_control": [n for n in flow["dst_names"] if n in nodes and is_call_control(nodes[n])],
        })
    zones = []
    for name, cidrs in zone_index(deployment).items():
        spans = address_spans(cidrs)
        zones.append((name, cidrs, spans, tuple(address_cidrs(cidrs)), _bounds(spans)))
    return {"deployment": deployment, "flows_list": deployment["flows"], "entries": entries, "flows": flows,
            "zones": zones, "cuts": {}}


def _index(deployment, index):
    if index is None or index["deployment"] is not deployment or index["flows_list"] is not deployment["flows"]:
        return gateway_index(deployment)
    return index


def _bounds(spans):
    """(first, last) of each family of an ``address_spans`` answer, None for a family it lacks."""
    return tuple((spans[v][0][0], spans[v][-1][1]) if spans[v] else None for v in (4, 6))


def _reaches(bounds, near):
    """Whether two ``_bounds`` answers overlap in a family: only then can their lists share an address."""
    (a4, a6), (b4, b6) = bounds, near
    return bool((a4 and b4 and a4[0] <= b4[1] and b4[0] <= a4[1]) or (a6 and b6 and a6[0] <= b6[1] and b6[0] <= a6[1]))


def call_control(deployment, gateway, index=None):
    """The call-control nodes that exchange signalling with ``gateway`` by the flows, sorted."""
    require_netaddr()
    _gateway(deployment, gateway)
    peers = set()
    for item in _index(deployment, index)["flows"]:
        if not item["signalling"]:
            continue
        if gateway in item["dst_names"]:
            peers.update(item["src_control"])
        if gateway in item["src_names"]:
            peers.update(item["dst_control"])
    return sorted(peers)


def trusted_list(deployment, gateway, index=None):
    """``{"peers": [node names], "ipv4": [CIDRs], "ipv6": [CIDRs]}`` of the gateway's voice trusted list.

    No call-control node at all is an error naming the gateway: IOS would then accept calls from anyone
    (an empty list) or from no one, and neither is what the deployment describes.
    """
    peers = call_control(deployment, gateway, index)
    if not peers:
        raise GatewayError.at(gateway, "ip address trusted list", "no call-control node (a Unified CM node with "
                              "callmanager in uc_cucm_services, or a CVP call server) signals to this gateway; "
                              "the trusted list would be empty")
    ipv4, ipv6 = _trusted_networks(a for name in peers for a in deployment["nodes"][name]["addresses"])
    return {"peers": peers, "ipv4": list(ipv4), "ipv6": list(ipv6)}


_TRUSTED = {}


def _trusted_networks(addresses):
    """(IPv4 CIDRs, IPv6 CIDRs) of the peers' addresses: each network once, in netaddr's order (version,
    network, larger first), not merged; once per distinct address list (the gateways share their peers)."""
    key = tuple(addresses)
    found = _TRUSTED.get(key)
    if found is None:
        nets = sorted(set(_network(address) for address in key))
        found = tuple(tuple(text for version, _first, _size, text in nets if version == want) for want in (4, 6))
        if len(_TRUSTED) >= 1024:  # bounded
            _TRUSTED.clear()
        _TRUSTED[key] = found
    return found


def _network(text):
    """(version, first, -size, CIDR text) of an address or CIDR (host bits set: its network, as netaddr reads it)."""
    try:
        version, first, last = network_interval(text)
    except AddressError:
        net = netaddr.IPNetwork(text).cidr
        return net.version, net.first, -net.size, str(net)
    return version, first, first - last - 1, interval_cidrs(first, last, version)[0]


# Address lists are cut on integers (common.netsets): every gateway cuts the same flows and zones, with their
# thousands of phone subnets, so each list is read once (``gateway_index``) and a gateway's own few addresses
# are looked up in it by bisection.


def _and(mine, spans):
    """The CIDRs of ``mine`` inside ``spans`` (both ``address_spans`` answers), fewest, in order."""
    return spans_cidrs(dict((v, intersect_intervals(mine[v], spans[v])) for v in (4, 6)))


def _minus(mine, spans, cidrs):
    """The CIDRs of ``mine`` (the ``address_spans`` of the list ``cidrs``) outside ``spans``, fewest, in order."""
    if not spans_overlap(mine, spans):
        return address_cidrs(cidrs)
    return spans_cidrs(dict((v, subtract_intervals(mine[v], spans[v])) for v in (4, 6)))


def _reverse(item, gateway, deployment, entries, own, near):
    """Peer-protocol flows back from the call-control targets of a flow the gateway sends (or None)."""
    if not _reaches(item["src_bounds"], near) or not spans_overlap(item["sources"], own):
        return None
    flow = item["flow"]
    targets = list(item["dst_control"])
    ids = sorted(i for i in flow["catalog_ids"]
                 if i in entries and (entries[i]["protocol"], entries[i]["transport"]) in PEER_PROTOCOLS)
    if not targets or not ids:
        return None
    documented = port_ranges(p for i in ids for p in entries[i]["ports"])
    ports = [r for r in port_ranges(flow["ports"]) if any(s <= r[0] and r[1] <= e for s, e in documented)]
    if not ports:
        return None
    sources = address_cidrs([a for n in targets for a in deployment["nodes"][n]["addresses"]])
    return {
        "sources": sources, "destinations": spans_cidrs(own), "transport": flow["transport"],
        "ports": format_ranges(merge_ranges(ports)), "catalog_ids": ids,
        "from_roles": sorted(set(entries[i]["to"] for i in ids)), "to_roles": ["gateway"], "src_names": targets,
        "dst_names": [gateway],
        "description": "%s to gateway: %s both ways between peers (reverse of %s)"
                       % ("/".join(sorted(set(entries[i]["to"] for i in ids))),
                          ", ".join(sorted(set(entries[i]["protocol"] for i in ids))), ", ".join(ids)),
    }


def _uncovered(flows, candidate):
    """``candidate`` split by source into what no earlier flow of the same transport already permits.

    A source keeps the ports no earlier flow whose sources hold it permits. Sources are handled in groups
    that the same earlier flows hold (usually all or none of them), so each flow's ports are taken off
    once per group rather than once per source.
    """
    sources = candidate["sources"]
    where = _intervals(sources)
    groups = [(list(range(len(sources))), port_ranges(candidate["ports"]), address_spans(sources))]
    for flow in flows:
        if flow["transport"] != candidate["transport"]:
            continue
        spans = address_spans(flow["sources"])
        have = None
        split = []
        for members, ports, held in groups:
            if not ports or not spans_overlap(held, spans):
                split.append((members, ports, held))
                continue
            if not any(subtract_intervals(held[v], spans[v]) for v in (4, 6)):
                inside = members  # the flow's sources hold every source of the group
            else:
                inside = [i for i in members if interval_inside(spans[where[i][0]], where[i][1], where[i][2])]
            if have is None:
                have = port_ranges(flow["ports"])
            left = [r for r in ports if not any(s <= r[0] and r[1] <= e for s, e in have)]
            if len(inside) == len(members):
                split.append((members, left, held))
            else:
                taken = set(inside)
                rest = [i for i in members if i not in taken]
                split.append((inside, left, _held(where, inside)))
                split.append((rest, ports, _held(where, rest)))
        groups = split
    kept = {}
    for members, ports, _held_spans in groups:
        for i in members:
            kept[i] = ports
    left = {}
    for i, source in enumerate(sources):
        if kept[i]:
            left.setdefault(tuple(kept[i]), []).append(source)
    return [dict(candidate, sources=sources, ports=format_ranges(list(ports)))
            for ports, sources in sorted(left.items())]


_WHERE = {}


def _intervals(cidrs):
    """``(version, first, last)`` of each CIDR of a list, once per distinct list (the reverse flows of every
    gateway come from the same call-control nodes)."""
    key = tuple(cidrs)
    found = _WHERE.get(key)
    if found is None:
        if len(_WHERE) >= 1024:  # bounded
            _WHERE.clear()
        found = _WHERE[key] = tuple(network_interval(cidr) for cidr in key)
    return found


def _held(where, members):
    """The merged intervals per family of some of a list's CIDRs (``where``: their intervals)."""
    return dict((v, tuple(merge_intervals((where[i][1], where[i][2]) for i in members if where[i][0] == v)))
                for v in (4, 6))


def gateway_flows(deployment, gateway, index=None):
    """``{"flows": [...], "excluded": [...]}``: what must reach the gateway itself (see the module docstring)."""
    require_netaddr()
    node = _gateway(deployment, gateway)
    index = _index(deployment, index)
    own = address_spans(node["addresses"])
    near = _bounds(own)
    entries = index["entries"]
    addresses = tuple(a for n in call_control(deployment, gateway, index) for a in deployment["nodes"][n]["addresses"])
    control = address_spans(addresses)
    flows, excluded, reverse = [], [], []
    for position, item in enumerate(index["flows"]):
        back = _reverse(item, gateway, deployment, entries, own, near)
        if back:
            reverse.append(back)
        if not _reaches(item["dst_bounds"], near) or not spans_overlap(item["destinations"], own):
            continue
        flow = item["flow"]
        cut = dict(flow, destinations=_and(item["destinations"], own), dst_names=[gateway])
        if item["signalling"]:
            # the same for every gateway with the same call-control peers: cut once per render
            key = (position, addresses)
            if key not in index["cuts"]:
                index["cuts"][key] = (_and(item["sources"], control), _minus(item["sources"], control, flow["sources"]))
            allowed, refused = (list(found) for found in index["cuts"][key])
            if refused:
                excluded.append({"sources": refused, "transport": flow["transport"], "ports": flow["ports"],
                                 "catalog_ids": flow["catalog_ids"],
                                 "reason": "call signalling from a node that is not call control (not in the "
                                           "trusted list)"})
            if not allowed:
                continue
            cut.update(sources=allowed, src_names=list(item["src_control"]))
        flows.append(cut)
    for back in reverse:
        flows.extend(_uncovered(flows, back))
    return {"flows": flows, "excluded": excluded}


def gateway_view(deployment, gateway, index=None):
    """The deployment as the gateway's own interfaces see it (module docstring): feed it to ``device_plan``."""
    require_netaddr()
    node = _gateway(deployment, gateway)
    index = _index(deployment, index)
    own = address_spans(node["addresses"])
    near4, near6 = _bounds(own)
    zones = {}
    for name, cidrs, spans, canonical, (span4, span6) in index["zones"]:
        # only a list whose bounds reach the gateway's addresses can hold one of them
        if ((span4 and near4 and span4[0] <= near4[1] and near4[0] <= span4[1])
                or (span6 and near6 and span6[0] <= near6[1] and near6[0] <= span6[1])):
            zones[name] = _minus(spans, own, cidrs)
        else:
            zones[name] = list(canonical)
    cut = gateway_flows(deployment, gateway, index)
    return dict(deployment, flows=cut["flows"], excluded=cut["excluded"], nodes={gateway: node}, zones=zones,
                outgoing_flows=outgoing_flows(deployment, own, index),
                naming={"nodes": deployment["nodes"], "zones": deployment.get("zones")})


def outgoing_flows(deployment, own, index=None):
    """The flows the gateway starts (sources cut to ``own``, its addresses as ``netsets.address_spans``): its
    interface ACLs are stateless, so the answers to these must come back through them
    (``interfaces.interface_acls``)."""
    out, near = [], _bounds(own)
    for item in _index(deployment, index)["flows"]:
        if _reaches(item["src_bounds"], near) and spans_overlap(item["sources"], own):
            out.append(dict(item["flow"], sources=_and(item["sources"], own)))
    return out
