# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which flows a deployment needs: which catalog entries apply, between which addresses.

``build_flows`` turns an inventory (read and checked by ``inventory``, see docs/inventory.md) into flows;
``host_policy.host_policy`` cuts the inbound policy of one node out of them; ``explain.explain`` answers
"is this allowed, and why (not)?". The renderers only format what is decided here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import DEFAULT_PLATFORM, missing_feature
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import (
    PORTLESS_TRANSPORTS,
    TRANSPORTS,
    merge_networks,
    merge_ports,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import to_bool
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.inventory import (
    CUCM_BOUND,
    FlowError,
    _as_list,
    _settings,
    check_confirmations,
    read_management,
    read_nodes,
    read_zones,
)

# Where a documented "ephemeral" destination port range comes from, by the destination's platform.
EPHEMERAL_FACTS = {
    "cucm": "cucm-ephemeral",
    "imp": "cucm-ephemeral",
    "unity": "cuc8-ephemeral",
    "cvp": "cvp-windows-ephemeral",
}
MANAGEMENT_PORTS = [22]


def _node_matches(node, role):
    if node["product"] == "gateway" and "gateways" not in role["groups"]:
        return False
    if not set(node["groups"]) & set(role["groups"]):
        return False
    if role.get("service") and role["service"] not in node["services"]:
        return False
    if role.get("cvp_role") and role["cvp_role"] not in node["cvp_roles"]:
        return False
    return True


# ---------------------------------------------------------------- flows


def _ephemeral_ports(catalog, platform):
    fact_id = EPHEMERAL_FACTS.get(platform)
    for fact in catalog.facts:
        if fact["id"] == fact_id:
            return list(fact["ports"])
    return []


# ---------------------------------------------------------------- flows


def _resolve(role_name, catalog, nodes, zones):
    """(kind, names) for a role; names are node names or the zone key (empty when nothing matches)."""
    role = catalog.endpoints[role_name]
    if role["kind"] == "zone":
        return "zone", ([role_name] if role_name in zones else [])
    names = sorted(n for n, node in nodes.items() if _node_matches(node, role))
    if role.get("zone") and role_name in zones:
        # a node role that uc_zones completes (sip_peer: the gateways plus SBCs/proxies outside the inventory)
        return ("node" if names else "zone"), names + [role_name]
    return "node", names


def _on_platform(entry, side, nodes):
    """A platform entry reaches only the gateways of that platform; ``platform: default`` those without one.

    Other nodes and zones are kept.
    """
    kind, names = side
    if not entry.get("platform"):
        return side
    wanted = None if entry["platform"] == DEFAULT_PLATFORM else entry["platform"]
    return kind, [n for n in names if n not in nodes or nodes[n]["product"] != "gateway"
                  or nodes[n]["platform"] == wanted]


def gateway_platforms(catalog, nodes):
    """Per gateway host: the platform in use and where it comes from (reported in the deployment)."""
    generic = sorted(set(e["id"] for e in catalog.entries if e["to"] == "gateway" and e["protocol"] == "rtp"
                         and e.get("platform") in (None, DEFAULT_PLATFORM)))
    report = {}
    for name in sorted(nodes):
        node = nodes[name]
        if node["product"] != "gateway":
            continue
        if node["platform"]:
            report[name] = {"platform": node["platform"], "source": "uc_gateway_platform"}
        else:
            report[name] = {"platform": None, "source": "default",
                            "note": "uc_gateway_platform is not set: media reaches the gateway on the documented "
                                    "generic gateway range (%s); set it to one of %s for the platform's range"
                                    % (", ".join(generic) or "none",
                                       ", ".join(sorted(catalog.endpoints["gateway"].get("platforms") or {})))}
    return report


def _home_cluster_pair(src_names, dst_names, nodes):
    """True when one side is IM and Presence / Unity Connection nodes and the other Unified CM nodes."""
    def only(names, products):
        return bool(names) and all(n in nodes and nodes[n]["product"] in products for n in names)

    def bound(names):
        # nodes that trunk to every Unified CM cluster (CVP without uc_cucm_cluster) need no per-cluster blocks
        return only(names, CUCM_BOUND) and not all(nodes[n].get("cucm_clusters_all") for n in names)
    return ((bound(src_names) and only(dst_names, ("cucm",)))
            or (only(src_names, ("cucm",)) and bound(dst_names)))


def _home_blocks(src_names, dst_names, nodes):
    """Pairs per Unified CM cluster: an IM and Presence / Unity Connection node meets only its own cluster's nodes."""
    def member(name, cluster):
        node = nodes[name]
        return node["cluster"] == cluster if node["product"] == "cucm" else cluster in node["cucm_clusters"]

    blocks = []
    for cluster in sorted(set(nodes[n]["cluster"] for n in src_names + dst_names if nodes[n]["product"] == "cucm")):
        pair = tuple(tuple(n for n in names if member(n, cluster)) for names in (src_names, dst_names))
        if pair[0] and pair[1]:
            blocks.append(pair)
    return blocks


def _blocks(entry, src, dst, nodes):
    """(source names, destination names) pairs an entry opens.

    Cluster scope pairs the nodes of one product per ``uc_cluster``; a row between IM and Presence or Unity
    Connection and Unified CM pairs each node with the Unified CM cluster(s) it belongs to (``uc_cucm_cluster``).
    """
    (src_kind, src_names), (dst_kind, dst_names) = src, dst
    if not src_names or not dst_names:
        return []
    if src_kind == "node" and dst_kind == "node" and _home_cluster_pair(src_names, dst_names, nodes):
        return _home_blocks(src_names, dst_names, nodes)
    if entry["scope"] != "cluster" or src_kind != "node" or dst_kind != "node":
        return [(tuple(src_names), tuple(dst_names))]
    blocks = []
    clusters = sorted(set(nodes[n]["cluster"] for n in src_names + dst_names))
    for cluster in clusters:
        pair = tuple(tuple(n for n in names if nodes[n]["cluster"] == cluster and nodes[n]["product"] == entry["product"])
                     for names in (src_names, dst_names))
        if pair[0] and pair[1]:
            blocks.append(pair)
    return blocks


def _entry_ports(entry, catalog, nodes, dst, overrides, open_ephemeral):
    """The destination ports of an entry, or (None, reason) when it cannot become a rule."""
    if entry["id"] in overrides:
        return overrides[entry["id"]], None
    if entry["transport"] in PORTLESS_TRANSPORTS:
        return [], None
    # the flag decides before any port: an ephemeral range stays closed unless uc_open_ephemeral
    if entry["ephemeral"]:
        if not open_ephemeral:
            return None, "ephemeral port range: return traffic, left to stateful inspection (uc_open_ephemeral)"
        kind, names = dst
        platforms = set(nodes[n]["product"] for n in names if n in nodes)
        ports = [p for platform in sorted(platforms) for p in _ephemeral_ports(catalog, platform)]
        if not ports:
            return None, "ephemeral port range of %s is not documented" % entry["to"]
        return merge_ports(ports), None
    if entry["ports"]:
        return merge_ports(entry["ports"]), None
    return None, "no destination port documented; set uc_port_overrides.%s" % entry["id"]


# The parts of a uc_flows result the other filters read, and their types.
RESULT_SHAPE = (("flows", list), ("nodes", dict), ("management", dict), ("zones", dict), ("releases", dict),
                ("unresolved", list), ("skipped", list))


# what the interface ACL and gateway plans read (they take hand-made deployments in tests and benchmarks)
PLAN_KEYS = ("flows", "nodes", "management", "zones")


def result_problem(result, keys=None):
    """Why ``result`` is not a whole uc_flows result (a precomputed ``host_firewall_flows``, ``ios_acl_flows`` or
    ``asa_acl_flows`` cut short or from elsewhere), or None; the filters report it instead of a KeyError."""
    if not isinstance(result, dict):
        return "got %s" % type(result).__name__
    shape = [(key, kind) for key, kind in RESULT_SHAPE if keys is None or key in keys]
    missing = [key for key, _kind in shape if key not in result]
    wrong = [key for key, kind in shape if key in result and not isinstance(result[key], kind)]
    if missing or wrong:
        return "%s%s%s; pass the whole result of collab.firewall.uc_flows (a precomputed host_firewall_flows, " \
            "ios_acl_flows or asa_acl_flows included)" % (
                "%s missing" % ", ".join(missing) if missing else "", "; " if missing and wrong else "",
                "%s of the wrong type" % ", ".join(wrong) if wrong else "")
    return None


def build_flows(catalog, hostvars, groups, zones=None, features=None, releases=None, strict_zones=False,
                management_sources=None, port_overrides=None, open_ephemeral=False, confirm_any_network=None):
    """The flows a deployment needs. See docs/policy-model.md for the result's structure.

    Every input is read and checked first (``inventory``); only then is anything computed.
    """
    confirm_any = _as_list(confirm_any_network, "inventory", "uc_confirm_any_network")
    strict_zones = to_bool(strict_zones, "inventory", "uc_strict_zones")
    open_ephemeral = to_bool(open_ephemeral, "inventory", "uc_open_ephemeral")
    nodes = read_nodes(hostvars, groups, catalog.endpoints["gateway"].get("platforms") or {})
    check_confirmations(confirm_any, catalog.endpoints)
    zone_map = read_zones(zones, catalog.endpoints, confirm_any)
    deployed, features, chosen, overrides = _settings(catalog, nodes, features, releases, port_overrides)
    management = read_management(zone_map, management_sources, confirm_any)

    skipped, unresolved, raw = [], {}, {}
    for entry in catalog.entries:
        if entry["product"] not in chosen or entry["release"] != chosen[entry["product"]]:
            continue
        if entry["scope"] == "localhost":
            skipped.append({"id": entry["id"], "reason": "localhost only: never opened to the network"})
            continue
        missing = missing_feature(entry, features)
        if missing:
            skipped.append({"id": entry["id"], "reason": "feature %s is not enabled (uc_features)" % missing})
            continue
        # one entry, one direction: `to` listens (docs/catalog-format.md, direction model); a two-way column is
        # the reply of the same conversation and is left to the stateful firewall
        for from_role, to_role in [(entry["from"], entry["to"])]:
            src = _on_platform(entry, _resolve(from_role, catalog, nodes, zone_map), nodes)
            dst = _on_platform(entry, _resolve(to_role, catalog, nodes, zone_map), nodes)
            missing = [r for r, (kind, names) in ((from_role, src), (to_role, dst)) if kind == "zone" and not names]
            for role in missing:
                unresolved.setdefault(role, []).append(entry["id"])
            if missing:
                continue
            if src[0] == "zone" and dst[0] == "zone":
                skipped.append({"id": entry["id"], "reason": "between two external zones: not a UC node's flow"})
                continue
            ports, reason = _entry_ports(entry, catalog, nodes, dst, overrides, open_ephemeral)
            if reason:
                skipped.append({"id": entry["id"], "reason": reason})
                continue
            for src_names, dst_names in _blocks(entry, src, dst, nodes):
                key = (src_names, dst_names, entry["transport"])
                flow = raw.setdefault(key, {"ports": [], "ids": set(), "from": set(), "to": set(), "protocols": set()})
                flow["ports"].extend(ports)
                flow["ids"].add(entry["id"])
                flow["from"].add(from_role)
                flow["to"].add(to_role)
                flow["protocols"].add(entry["protocol"])

    fillable = dict((r, ids) for r, ids in unresolved.items() if not catalog.endpoints[r].get("unfilled"))
    if fillable and strict_zones:
        raise FlowError.at("inventory", "uc_zones", "no addresses for %s (needed by %s); uc_strict_zones is true" % (
            ", ".join(sorted(fillable)), ", ".join(sorted(i for ids in fillable.values() for i in ids)[:8])))

    def addresses(names):
        return merge_networks([a for n in names for a in (nodes[n]["addresses"] if n in nodes else zone_map[n])])

    flows = []
    for (src_names, dst_names, transport), item in raw.items():
        flows.append({
            "sources": addresses(src_names),
            "destinations": addresses(dst_names),
            "transport": transport,
            "ports": merge_ports(item["ports"]),
            "catalog_ids": sorted(item["ids"]),
            "from_roles": sorted(item["from"]),
            "to_roles": sorted(item["to"]),
            "src_names": list(src_names),
            "dst_names": list(dst_names),
            "description": "%s to %s: %s" % ("/".join(sorted(item["from"])), "/".join(sorted(item["to"])),
                                             ", ".join(sorted(item["protocols"]))),
        })
    flows.sort(key=lambda f: (f["from_roles"], f["to_roles"], f["src_names"], f["dst_names"],
                              TRANSPORTS.index(f["transport"])))

    return {
        "flows": flows,
        "management": {"sources": merge_networks(management) if management else [], "transport": "tcp",
                       "ports": list(MANAGEMENT_PORTS)},
        "unresolved": [dict({"role": role, "catalog_ids": sorted(ids)},
                            **({"reason": "the document names no peer: never opened"}
                               if catalog.endpoints[role].get("unfilled") else {}))
                       for role, ids in sorted(unresolved.items())],
        "gateway_platforms": gateway_platforms(catalog, nodes),
        "skipped": sorted(skipped, key=lambda s: s["id"]),
        "nodes": dict((name, nodes[name]) for name in sorted(nodes)),
        "zones": zone_map,
        "releases": chosen,
        "features": features,
        # the variables allowed to hold a /0 network: the host and device roles check theirs against it
        "confirmed_any_network": sorted(confirm_any),
    }
