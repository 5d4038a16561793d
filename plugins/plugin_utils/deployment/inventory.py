# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading the inventory: UC nodes (groups and host variables), zones and the deployment variables.

See docs/inventory.md for what an inventory holds. Everything here checks input and normalises it; the
decisions about flows are in ``flows``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import (
    AddressError,
    PortError,
    merge_networks,
    merge_ports,
    parse_network,
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


class FlowError(CollabFirewallError):
    """Bad inventory input; the message names the host (or 'inventory') and the variable."""


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


# ---------------------------------------------------------------- deployment variables


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
