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
    address_cidrs,
    address_spans,
    format_ranges,
    intersect_intervals,
    interval_inside,
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


def call_control(deployment, gateway):
    """The call-control nodes that exchange signalling with ``gateway`` by the flows, sorted."""
    require_netaddr()
    _gateway(deployment, gateway)
    entries = _entries()
    peers = set()
    for flow in deployment["flows"]:
        if not _protocols(flow, entries) & SIGNALLING:
            continue
        for mine, other in (("dst_names", "src_names"), ("src_names", "dst_names")):
            if gateway in flow[mine]:
                peers.update(n for n in flow[other] if n in deployment["nodes"]
                             and is_call_control(deployment["nodes"][n]))
    return sorted(peers)


def trusted_list(deployment, gateway):
    """``{"peers": [node names], "ipv4": [CIDRs], "ipv6": [CIDRs]}`` of the gateway's voice trusted list.

    No call-control node at all is an error naming the gateway: IOS would then accept calls from anyone
    (an empty list) or from no one, and neither is what the deployment describes.
    """
    peers = call_control(deployment, gateway)
    if not peers:
        raise GatewayError.at(gateway, "ip address trusted list", "no call-control node (a Unified CM node with "
                              "callmanager in uc_cucm_services, or a CVP call server) signals to this gateway; "
                              "the trusted list would be empty")
    nets = set()
    for name in peers:
        nets.update(netaddr.IPNetwork(a).cidr for a in deployment["nodes"][name]["addresses"])
    nets = sorted(nets, key=lambda n: (n.version, n))
    return {"peers": peers, "ipv4": [str(n) for n in nets if n.version == 4],
            "ipv6": [str(n) for n in nets if n.version == 6]}


# Address lists are cut on integers (common.netsets): every gateway cuts the same flows and zones, with their
# thousands of phone subnets, so each list is read once (address_spans) and a gateway's own few addresses are
# looked up in it by bisection.


def _and(cidrs, spans):
    """The CIDRs of the address list ``cidrs`` inside ``spans`` (``address_spans`` form), fewest, in order."""
    mine = address_spans(cidrs)
    return spans_cidrs(dict((v, intersect_intervals(mine[v], spans[v])) for v in (4, 6)))


def _minus(cidrs, spans):
    """The CIDRs of the address list ``cidrs`` outside ``spans``, fewest, in order."""
    mine = address_spans(cidrs)
    if not spans_overlap(mine, spans):
        return address_cidrs(cidrs)
    return spans_cidrs(dict((v, subtract_intervals(mine[v], spans[v])) for v in (4, 6)))


def _reverse(flow, gateway, deployment, entries, own):
    """Peer-protocol flows back from the call-control targets of a flow the gateway sends (or None)."""
    if not spans_overlap(address_spans(flow["sources"]), own):
        return None
    targets = [n for n in flow["dst_names"] if n in deployment["nodes"] and is_call_control(deployment["nodes"][n])]
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
    """``candidate`` split by source into what no earlier flow of the same transport already permits."""
    left = {}
    for source in candidate["sources"]:
        version, first, last = network_interval(source)
        ports = port_ranges(candidate["ports"])
        for flow in flows:
            if (flow["transport"] == candidate["transport"]
                    and interval_inside(address_spans(flow["sources"])[version], first, last)):
                have = port_ranges(flow["ports"])
                ports = [r for r in ports if not any(s <= r[0] and r[1] <= e for s, e in have)]
        if ports:
            left.setdefault(tuple(ports), []).append(source)
    return [dict(candidate, sources=sources, ports=format_ranges(list(ports)))
            for ports, sources in sorted(left.items())]


def gateway_flows(deployment, gateway):
    """``{"flows": [...], "excluded": [...]}``: what must reach the gateway itself (see the module docstring)."""
    require_netaddr()
    node = _gateway(deployment, gateway)
    own = address_spans(node["addresses"])
    entries = _entries()
    control = address_spans([a for n in call_control(deployment, gateway) for a in deployment["nodes"][n]["addresses"]])
    flows, excluded, reverse = [], [], []
    for flow in deployment["flows"]:
        back = _reverse(flow, gateway, deployment, entries, own)
        if back:
            reverse.append(back)
        mine = _and(flow["destinations"], own)
        if not mine:
            continue
        cut = dict(flow, destinations=mine, dst_names=[gateway])
        if _protocols(flow, entries) & SIGNALLING:
            allowed = _and(flow["sources"], control)
            refused = _minus(flow["sources"], control)
            if refused:
                excluded.append({"sources": refused, "transport": flow["transport"], "ports": flow["ports"],
                                 "catalog_ids": flow["catalog_ids"],
                                 "reason": "call signalling from a node that is not call control (not in the "
                                           "trusted list)"})
            if not allowed:
                continue
            cut.update(sources=allowed,
                       src_names=[n for n in flow["src_names"] if n in deployment["nodes"]
                                  and is_call_control(deployment["nodes"][n])])
        flows.append(cut)
    for back in reverse:
        flows.extend(_uncovered(flows, back))
    return {"flows": flows, "excluded": excluded}


def gateway_view(deployment, gateway):
    """The deployment as the gateway's own interfaces see it (module docstring): feed it to ``device_plan``."""
    require_netaddr()
    node = _gateway(deployment, gateway)
    own = address_spans(node["addresses"])
    zones = dict((name, _minus(cidrs, own)) for name, cidrs in zone_index(deployment).items())
    cut = gateway_flows(deployment, gateway)
    return dict(deployment, flows=cut["flows"], excluded=cut["excluded"], nodes={gateway: node}, zones=zones,
                outgoing_flows=outgoing_flows(deployment, own),
                naming={"nodes": deployment["nodes"], "zones": deployment.get("zones")})


def outgoing_flows(deployment, own):
    """The flows the gateway starts (sources cut to ``own``, its addresses as ``netsets.address_spans``): its
    interface ACLs are stateless, so the answers to these must come back through them
    (``interfaces.interface_acls``)."""
    out = []
    for flow in deployment["flows"]:
        if spans_overlap(address_spans(flow["sources"]), own):
            out.append(dict(flow, sources=_and(flow["sources"], own)))
    return out
