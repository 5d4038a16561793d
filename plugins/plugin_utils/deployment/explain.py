# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Is a packet allowed by a deployment's flows, by which catalog rows; if not, why not."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import (
    PORTLESS_TRANSPORTS,
    TRANSPORTS,
    AddressError,
    parse_network,
    ports_contain,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import (
    _ephemeral_ports,
    _home_cluster_pair,
    _node_matches,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.inventory import FlowError


def _endpoints_of(result, address):
    """Node and zone names whose addresses contain ``address``."""
    names = [n for n, node in result["nodes"].items() if any(address in parse_network(a) for a in node["addresses"])]
    names += [z for z, cidrs in result["zones"].items() if any(address in parse_network(c) for c in cidrs)]
    return names


def _to_address(result, value, what):
    if value in result["nodes"]:
        return parse_network(result["nodes"][value]["addresses"][0])
    try:
        net = parse_network(str(value))
    except AddressError:
        raise FlowError.at("explain", what, "%r is neither an address nor a UC node of this deployment" % (value,))
    return net


def _fills(result, catalog, entry, src_names, dst_names):
    """The nodes fill the entry's roles: the entry would open here but for their clusters."""
    roles = [catalog.endpoints[entry["from"]], catalog.endpoints[entry["to"]]]
    return all(role["kind"] == "node" for role in roles) and all(
        _node_matches(result["nodes"][n], role) for names, role in zip((src_names, dst_names), roles) for n in names)


def _home_reason(nodes, names):
    bound = [n for n in names if nodes[n]["product"] != "cucm"]
    cucm = [n for n in names if nodes[n]["product"] == "cucm"]
    return "between %s and the Unified CM cluster it belongs to only (uc_cucm_cluster: %s); %s is in cluster %s" % (
        "/".join(bound), ", ".join(sorted(set(c for n in bound for c in nodes[n].get("cucm_clusters") or []))) or "none",
        "/".join(cucm), ", ".join(sorted(set(nodes[n]["cluster"] for n in cucm))))


def _management(result, src_net, dst_names, transport, port):
    """The packet is SSH from a management source to a node (docs/policy-model.md, management)."""
    management = result.get("management") or {}
    return (transport == management.get("transport", "tcp") and port in (management.get("ports") or [])
            and any(n in result["nodes"] for n in dst_names)
            and any(src_net in parse_network(c) for c in management.get("sources") or []))


def destination_node(result, dst):
    """The UC node ``dst`` names or whose address it is (its host firewall decides), or an error."""
    if dst in result["nodes"]:
        return dst
    nodes = [n for n in _endpoints_of(result, _to_address(result, dst, "dst")) if n in result["nodes"]]
    if len(nodes) != 1:
        raise FlowError.at("explain", "dst", "%r is not a UC node or the address of one, so no host firewall's site "
                           "entries apply to it" % (dst,))
    return nodes[0]


def _site_decision(site_rules, src_net, transport, port):
    """The first of a node's site rules (host_policy rules carrying ``site``) that decides the packet, or None.

    Denies come before the UC rules on the node, permits after them: the caller weighs them accordingly."""
    for rule in site_rules:
        if rule["transport"] != transport or not any(src_net in parse_network(c) for c in rule["sources"]):
            continue
        if rule["ports"] and (port is None or not ports_contain(rule["ports"], port)):
            continue
        return rule
    return None


def explain(result, catalog, src, dst, port=None, transport="tcp", host_rules=None):
    """Is (src -> dst, transport, port) allowed by the flows, by which catalog rows; if not, why not.

    ``host_rules``: the rules of the destination node's host policy (``host_policy``) when its site entries
    are to be weighed too: a site deny closes a packet the flows allow on that node's host firewall, a site
    permit opens one they do not."""
    if transport not in TRANSPORTS:
        raise FlowError.at("explain", "transport", "%r is not one of %s" % (transport, ", ".join(TRANSPORTS)))
    if transport not in PORTLESS_TRANSPORTS:
        try:
            port = int(port)
        except (TypeError, ValueError):
            raise FlowError.at("explain", "port", "%r is not a port number" % (port,))
        if not 0 <= port <= 65535:
            raise FlowError.at("explain", "port", "%r is outside 0-65535" % (port,))
    src_net, dst_net = _to_address(result, src, "src"), _to_address(result, dst, "dst")
    src_names, dst_names = _endpoints_of(result, src_net), _endpoints_of(result, dst_net)

    def covers(cidrs, net):
        return any(net in parse_network(c) for c in cidrs)

    matches = [f for f in result["flows"] if f["transport"] == transport and covers(f["sources"], src_net)
               and covers(f["destinations"], dst_net) and (not f["ports"] or ports_contain(f["ports"], port))]
    answer = {"src": str(src_net), "dst": str(dst_net), "transport": transport, "port": port,
              "src_endpoints": src_names, "dst_endpoints": dst_names, "allowed": bool(matches)}
    site = [r for r in host_rules or [] if r.get("site")]
    deny = _site_decision([r for r in site if r["action"] == "deny"], src_net, transport, port)
    permit = None if matches or deny else _site_decision([r for r in site if r["action"] != "deny"], src_net,
                                                         transport, port)
    decided = deny or permit
    if decided:
        answer["site_entry"] = {"entry": decided["site"], "action": decided["action"], "comment": decided["comment"]}
    if permit:
        answer["allowed"] = True
        answer["catalog_ids"], answer["provenance"], answer["flows"] = [], [], []
        return answer
    if deny:
        answer["allowed"] = False
        answer["reasons"] = [{"id": None, "reason": "the destination's host firewall denies it with %s (%s), before "
                              "its UC rules" % (deny["site"], deny["comment"])}]
    if matches:
        ids = sorted(set(i for f in matches for i in f["catalog_ids"]))
        answer["catalog_ids"] = ids
        answer["provenance"] = [dict(catalog.by_id[i]["source"], id=i) for i in ids]
        answer["flows"] = [f["description"] for f in matches]
        return answer
    if deny:
        return answer
    if _management(result, src_net, dst_names, transport, port):
        # the SSH management rule every node's ruleset and every crossing ACL carries (uc_management_sources,
        # uc_zones.admin_workstation): no catalog row, but open on the wire
        answer.update(allowed=True, catalog_ids=[], provenance=[], flows=["management ssh"], management=True)
        return answer

    skipped = dict((s["id"], s["reason"]) for s in result["skipped"])
    unresolved = dict((i, u["role"]) for u in result["unresolved"] for i in u["catalog_ids"])
    reasons = []
    dst_products = sorted(set(result["nodes"][n]["product"] for n in dst_names if n in result["nodes"]))
    ephemeral = [p for product in dst_products for p in _ephemeral_ports(catalog, product)]
    for entry in catalog.entries:
        # an ephemeral entry documents the destination platform's ephemeral range (fact), not ports of its own
        entry_ports = ephemeral if entry["ephemeral"] and not entry["ports"] else entry["ports"]
        if entry["transport"] != transport or (port is not None and not ports_contain(entry_ports, port)):
            continue
        chosen = result["releases"].get(entry["product"])
        if chosen is None:
            reason = "product %s is not deployed" % entry["product"]
        elif entry["release"] != chosen:
            reason = "release %s of %s is not selected (uc_release)" % (entry["release"], entry["product"])
        elif entry["id"] in skipped:
            reason = skipped[entry["id"]]
        elif entry["id"] in unresolved:
            role = unresolved[entry["id"]]
            reason = ("the document names no peer (role %s): never opened" % role
                      if catalog.endpoints[role].get("unfilled") else "zone %s has no addresses in uc_zones" % role)
        elif entry["scope"] == "cluster" and src_names and dst_names and all(n in result["nodes"] for n in src_names + dst_names):
            clusters = sorted(set(result["nodes"][n]["cluster"] for n in src_names + dst_names))
            reason = ("cluster only, and %s are in different clusters (%s)" % (" and ".join(src_names + dst_names),
                      ", ".join(clusters)) if len(clusters) > 1 else "endpoints are not %s to %s" % (entry["from"], entry["to"]))
        elif _home_cluster_pair(src_names, dst_names, result["nodes"]) and _fills(result, catalog, entry, src_names,
                                                                                  dst_names):
            reason = _home_reason(result["nodes"], src_names + dst_names)
        else:
            reason = "opens %s to %s only; %s is %s and %s is %s" % (
                entry["from"], entry["to"], src_net, "/".join(src_names) or "unknown",
                dst_net, "/".join(dst_names) or "unknown")
        reasons.append({"id": entry["id"], "reason": reason})
    if not reasons:
        reasons.append({"id": None, "reason": "no catalog entry documents %s/%s" % (transport, port)})
    answer["reasons"] = reasons
    return answer
