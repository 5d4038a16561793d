# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every policy decision about a deployment: which catalog entries apply, between which addresses.

``build_flows`` turns an inventory (groups and host variables, see docs/inventory.md) into flows;
``host_policy`` cuts the inbound policy of one node out of them; ``explain`` answers "is this allowed, and
why (not)?". The renderers only format what is decided here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import (
    PORTLESS_TRANSPORTS,
    TRANSPORTS,
    AddressError,
    PortError,
    merge_networks,
    merge_ports,
    parse_network,
    ports_contain,
)

# Inventory group -> product of its nodes (gateways are endpoints, not a catalog product).
NODE_GROUPS = {
    "publisher": "cucm",
    "subscriber": "cucm",
    "imp": "imp",
    "unity": "unity",
    "cvp": "cvp",
    "gateways": "gateway",
}
CUCM_SERVICES = ("callmanager", "tftp", "cti_manager")
CVP_ROLES = ("call_server", "vxml_server", "reporting", "oamp")
DEFAULT_CVP_ROLES = ("call_server", "vxml_server")

# Optional features opened unless uc_features says otherwise: what a working deployment needs on day one.
# Everything else in the catalog (IPsec, HP agents, attendant console, Exchange, ...) is opt-in.
DEFAULT_FEATURES = (
    "axl", "axl_sync", "backup", "cdr_delivery", "cti", "ctl_client", "capf", "dns", "high_availability",
    "ldap_auth", "ldap_sync", "mgcp", "h323", "ntp", "reporting", "rtmt", "secure_signaling", "sip_integration",
    "sip_trunk", "snmp", "syslog", "windows_auth",
)

# Where a documented "ephemeral" destination port range comes from, by the destination's platform.
EPHEMERAL_FACTS = {
    "cucm": "cucm-ephemeral",
    "imp": "cucm-ephemeral",
    "unity": "cuc8-ephemeral",
    "cvp": "cvp-windows-ephemeral",
}
MANAGEMENT_PORTS = [22]


class FlowError(CollabFirewallError):
    """Bad inventory input; the message names the host (or 'inventory') and the variable."""


# ---------------------------------------------------------------- inventory


def _as_list(value, where, variable):
    if value is None:
        return []
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise FlowError.at(where, variable, "must be a list, got %r" % (value,))
    return list(value)


def _address(value, where, variable, version):
    try:
        net = parse_network(value)
    except AddressError as exc:
        raise FlowError.at(where, variable, str(exc))
    if net.version != version:
        raise FlowError.at(where, variable, "%r is not an IPv%d address" % (value, version))
    if net.size != 1:
        raise FlowError.at(where, variable, "%r is a network; a node needs a single address" % (value,))
    return str(net)


def _choices(vars_, host, variable, what, valid, default):
    """A host variable holding a list drawn from ``valid``, sorted; ``default`` when unset."""
    chosen = _as_list(vars_.get(variable, list(default)), host, variable)
    for item in chosen:
        if item not in valid:
            raise FlowError.at(host, variable, "unknown %s %r; valid: %s" % (what, item, ", ".join(valid)))
    return sorted(chosen)


def _read_node(name, group, hostvars, platforms=()):
    """One inventory host as a node: product, cluster, addresses, services, CVP roles, gateway platform."""
    vars_ = hostvars.get(name) or {}
    product = NODE_GROUPS[group]
    address = vars_.get("ansible_host")
    if address is None:
        # an inventory name that is itself an address is accepted as the address
        address = name
        if "." not in name and ":" not in name:
            raise FlowError.at(name, "ansible_host", "is not set; every UC node needs its IPv4 address there")
    addresses = [_address(str(address), name, "ansible_host", 4)]
    if vars_.get("uc_address6"):
        addresses.append(_address(str(vars_["uc_address6"]), name, "uc_address6", 6))
    cluster = str(vars_.get("uc_cluster") or "default")
    node = {"name": name, "product": product, "groups": [group], "cluster": cluster, "addresses": addresses,
            "services": [], "cvp_roles": [], "platform": None}
    if product == "cucm":
        node["services"] = _choices(vars_, name, "uc_cucm_services", "service", CUCM_SERVICES, CUCM_SERVICES)
    if product == "cvp":
        node["cvp_roles"] = _choices(vars_, name, "uc_cvp_roles", "CVP role", CVP_ROLES, DEFAULT_CVP_ROLES)
    if product == "gateway" and vars_.get("uc_gateway_platform") is not None:
        platform = vars_["uc_gateway_platform"]
        if platform not in platforms:
            raise FlowError.at(name, "uc_gateway_platform", "unknown gateway platform %r; valid: %s"
                               % (platform, ", ".join(sorted(platforms))))
        node["platform"] = platform
    return node


def read_nodes(hostvars, groups, platforms=()):
    """Inventory hosts of the node groups; ``platforms``: the valid uc_gateway_platform values."""
    nodes = {}
    for group in sorted(NODE_GROUPS):
        for name in groups.get(group) or []:
            node = _read_node(name, group, hostvars, platforms)
            if name in nodes:
                if nodes[name]["product"] != node["product"]:
                    raise FlowError.at(name, "groups", "is in %s and %s, which are different products"
                                       % (nodes[name]["groups"][0], group))
                nodes[name]["groups"].append(group)
                continue
            nodes[name] = node
    owners = {}
    for node in nodes.values():
        for address in node["addresses"]:
            if address in owners:
                raise FlowError.at(node["name"], "ansible_host", "address %s is also used by %s" % (address, owners[address]))
            owners[address] = node["name"]
    return nodes


def read_zones(zones, endpoints):
    """uc_zones: role -> list of addresses/CIDRs; keys must be zone roles of the catalog."""
    if zones is None:
        return {}
    if not isinstance(zones, dict):
        raise FlowError.at("inventory", "uc_zones", "must be a mapping of endpoint role to addresses, got %r" % (zones,))
    valid = sorted(name for name, role in endpoints.items()
                   if (role["kind"] == "zone" or role.get("zone")) and not role.get("unfilled"))
    result = {}
    for key in sorted(zones):
        if key in endpoints and endpoints[key].get("unfilled"):
            raise FlowError.at("inventory", "uc_zones", "zone %r is never filled: it stands for peers the documents "
                               "do not name (its flows stay unresolved); valid zones: %s" % (key, ", ".join(valid)))
        if key not in valid:
            raise FlowError.at("inventory", "uc_zones", "unknown zone %r; valid zones: %s" % (key, ", ".join(valid)))
        items = _as_list(zones[key], "inventory", "uc_zones.%s" % key)
        if not items:
            continue
        networks = []
        for item in items:
            try:
                networks.append(parse_network(str(item)))
            except AddressError as exc:
                raise FlowError.at("inventory", "uc_zones.%s" % key, str(exc))
        # CIDRs either nest or are disjoint: after sorting, an overlap is always between neighbours
        ordered = sorted(networks, key=lambda net: (net.version, net.first, -net.last))
        for first, second in zip(ordered, ordered[1:]):
            if first.version == second.version and second.first <= first.last:
                raise FlowError.at("inventory", "uc_zones.%s" % key, "%s and %s overlap" % (first, second))
        result[key] = merge_networks([str(net) for net in networks])
    return result


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


# ---------------------------------------------------------------- settings


def _settings(catalog, nodes, features, releases, port_overrides):
    deployed = sorted(set(n["product"] for n in nodes.values()) - {"gateway"})
    if features is None:
        features = list(DEFAULT_FEATURES)
    features = _as_list(features, "inventory", "uc_features")
    for feature in features:
        if feature not in catalog.features:
            raise FlowError.at("inventory", "uc_features", "unknown feature %r; valid: %s" % (feature, ", ".join(catalog.features)))
    releases = dict(releases or {})
    chosen = {}
    for product in sorted(releases):
        if product not in catalog.releases:
            raise FlowError.at("inventory", "uc_release", "unknown product %r; valid: %s" % (product, ", ".join(sorted(catalog.releases))))
        if str(releases[product]) not in catalog.releases[product]:
            raise FlowError.at("inventory", "uc_release.%s" % product, "release %r is not in the catalog; valid: %s"
                               % (releases[product], ", ".join(catalog.releases[product])))
    for product in deployed:
        chosen[product] = str(releases.get(product, catalog.newest_release(product)))
    overrides = {}
    for entry_id, ports in sorted((port_overrides or {}).items()):
        if entry_id not in catalog.by_id:
            raise FlowError.at("inventory", "uc_port_overrides", "unknown catalog id %r" % (entry_id,))
        try:
            overrides[entry_id] = merge_ports(_as_list(ports, "inventory", "uc_port_overrides.%s" % entry_id))
        except PortError as exc:
            raise FlowError.at("inventory", "uc_port_overrides.%s" % entry_id, str(exc))
    return deployed, sorted(set(features)), chosen, overrides


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
    """A platform entry reaches only the gateways of that platform (other nodes and zones are kept)."""
    kind, names = side
    if not entry.get("platform"):
        return side
    return kind, [n for n in names if n not in nodes or nodes[n]["product"] != "gateway"
                  or nodes[n]["platform"] == entry["platform"]]


def gateway_platforms(catalog, nodes):
    """Per gateway host: the platform in use and where it comes from (reported in the deployment)."""
    generic = sorted(set(e["id"] for e in catalog.entries if e["to"] == "gateway"
                         and e["protocol"] == "rtp" and not e.get("platform")))
    report = {}
    for name in sorted(nodes):
        node = nodes[name]
        if node["product"] != "gateway":
            continue
        if node["platform"]:
            report[name] = {"platform": node["platform"], "source": "uc_gateway_platform"}
        else:
            report[name] = {"platform": None, "source": "default",
                            "note": "uc_gateway_platform is not set: only the documented gateway ranges that name "
                                    "no platform apply (%s); set it to one of %s for the platform's range"
                                    % (", ".join(generic) or "none",
                                       ", ".join(sorted(catalog.endpoints["gateway"].get("platforms") or {})))}
    return report


def _blocks(entry, src, dst, nodes):
    """(source names, destination names) pairs an entry opens; cluster scope pairs nodes per cluster."""
    (src_kind, src_names), (dst_kind, dst_names) = src, dst
    if not src_names or not dst_names:
        return []
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


def build_flows(catalog, hostvars, groups, zones=None, features=None, releases=None, strict_zones=False,
                management_sources=None, port_overrides=None, open_ephemeral=False):
    """The flows a deployment needs. See docs/policy-model.md for the result's structure."""
    nodes = read_nodes(hostvars, groups, catalog.endpoints["gateway"].get("platforms") or {})
    zone_map = read_zones(zones, catalog.endpoints)
    deployed, features, chosen, overrides = _settings(catalog, nodes, features, releases, port_overrides)

    skipped, unresolved, raw = [], {}, {}
    for entry in catalog.entries:
        if entry["product"] not in chosen or entry["release"] != chosen[entry["product"]]:
            continue
        if entry["scope"] == "localhost":
            skipped.append({"id": entry["id"], "reason": "localhost only: never opened to the network"})
            continue
        if entry["feature"] and entry["feature"] not in features:
            skipped.append({"id": entry["id"], "reason": "feature %s is not enabled (uc_features)" % entry["feature"]})
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

    management = list(zone_map.get("admin_workstation", []))
    for item in _as_list(management_sources, "inventory", "uc_management_sources"):
        try:
            management.append(str(parse_network(str(item))))
        except AddressError as exc:
            raise FlowError.at("inventory", "uc_management_sources", str(exc))
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
    }


# ---------------------------------------------------------------- one host


def host_policy(result, host, management_sources=None):
    """The inbound policy of one node: management first, then one rule per source list and transport."""
    if host not in result["nodes"]:
        raise FlowError.at(host, "inventory_hostname", "is not a UC node of this deployment; known nodes: %s"
                           % ", ".join(sorted(result["nodes"])))
    management = list(result["management"]["sources"])
    for item in _as_list(management_sources, host, "management_sources"):
        try:
            management.append(str(parse_network(str(item))))
        except AddressError as exc:
            raise FlowError.at(host, "management_sources", str(exc))
    if not management:
        raise FlowError.at(host, "uc_zones.admin_workstation", "no management source: SSH would be cut; set "
                           "uc_zones.admin_workstation or pass the controller's address")
    grouped = {}
    for flow in result["flows"]:
        if host not in flow["dst_names"]:
            continue
        key = (tuple(flow["sources"]), flow["transport"])
        rule = grouped.setdefault(key, {"ports": [], "ids": set(), "from": set(), "text": set()})
        rule["ports"].extend(flow["ports"])
        rule["ids"].update(flow["catalog_ids"])
        rule["from"].update(flow["from_roles"])
        rule["text"].add(flow["description"].split(": ", 1)[-1])
    rules = []
    for (sources, transport), rule in sorted(grouped.items(), key=lambda kv: (sorted(kv[1]["from"]), kv[0])):
        ids = sorted(rule["ids"])
        rules.append({
            "sources": list(sources),
            "transport": transport,
            "ports": merge_ports(rule["ports"]),
            "catalog_ids": ids,
            "comment": "%s: %s (%s)" % ("/".join(sorted(rule["from"])), ", ".join(sorted(rule["text"])), " ".join(ids)),
        })
    return {
        "host": host,
        "addresses": list(result["nodes"][host]["addresses"]),
        "management": {"sources": merge_networks(management), "transport": "tcp", "ports": list(MANAGEMENT_PORTS)},
        "rules": rules,
    }


# ---------------------------------------------------------------- explain


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


def explain(result, catalog, src, dst, port=None, transport="tcp"):
    """Is (src -> dst, transport, port) allowed by the flows, by which catalog rows; if not, why not."""
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
    if matches:
        ids = sorted(set(i for f in matches for i in f["catalog_ids"]))
        answer["catalog_ids"] = ids
        answer["provenance"] = [dict(catalog.by_id[i]["source"], id=i) for i in ids]
        answer["flows"] = [f["description"] for f in matches]
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
        else:
            reason = "opens %s to %s only; %s is %s and %s is %s" % (
                entry["from"], entry["to"], src_net, "/".join(src_names) or "unknown",
                dst_net, "/".join(dst_names) or "unknown")
        reasons.append({"id": entry["id"], "reason": reason})
    if not reasons:
        reasons.append({"id": None, "reason": "no catalog entry documents %s/%s" % (transport, port)})
    answer["reasons"] = reasons
    return answer
