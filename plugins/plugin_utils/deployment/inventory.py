# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading the inventory: UC nodes (groups and host variables), zones and the deployment variables.

See docs/inventory.md for what an inventory holds. Everything here checks input and normalises it; the
decisions about flows are in ``flows``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import re

from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import missing_feature
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import check_value
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import (
    AddressError,
    PortError,
    merge_networks,
    merge_ports,
    parse_network,
    parse_port_item,
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
# Products whose nodes belong to a Unified CM cluster of their own (uc_cucm_cluster): an IM and Presence cluster
# is bound to one Unified CM cluster, a Unity Connection server integrates with the phone system of one or more,
# a CVP call server trunks to one or more.
CUCM_BOUND = {"imp": "IM and Presence", "unity": "Unity Connection", "cvp": "CVP"}
# Of those, the products whose uc_cucm_cluster may be left out with several Unified CM clusters: CVP then trunks
# to every one (a contact center commonly serves them all), so the variable only narrows.
CUCM_BOUND_OPTIONAL = ("cvp",)
# and the products that take a list of Unified CM clusters, not one name
CUCM_BOUND_MANY = ("unity", "cvp")

# Optional features opened unless uc_features says otherwise: what a working deployment needs on day one.
# Everything else in the catalog (IPsec, HP agents, attendant console, Exchange, ...) is opt-in.
DEFAULT_FEATURES = (
    "axl", "axl_sync", "backup", "cdr_delivery", "cti", "ctl_client", "capf", "dns", "high_availability",
    "ldap_auth", "ldap_sync", "mgcp", "h323", "ntp", "reporting", "rtmt", "secure_signaling", "sip_integration",
    "sip_trunk", "snmp", "syslog", "windows_auth",
)


# The parent group of the product groups, and the opt-in group of Linux hosts the host_firewall role may change.
UC_PARENT = "uc"
LINUX_HOSTS_GROUP = "uc_linux_hosts"

# Host variables of one node, typed as in a DOCUMENTATION/argument spec; the product that uses each.
NODE_VARIABLES = {
    "ansible_host": ({"type": "str"}, None),
    "uc_address6": ({"type": "str"}, None),
    "uc_cluster": ({"type": "str"}, None),
    "uc_cucm_services": ({"type": "list", "elements": "str"}, "cucm"),
    "uc_cvp_roles": ({"type": "list", "elements": "str"}, "cvp"),
    "uc_gateway_platform": ({"type": "str"}, "gateway"),
    # a string on IM and Presence; a string or a list of strings on Unity Connection and CVP (_cucm_clusters)
    "uc_cucm_cluster": ({"type": "raw"}, tuple(sorted(CUCM_BOUND))),
}
# The device groups of the network roles, and the interface variables only their hosts (or gateways) use.
DEVICE_GROUPS = ("routers", "firewalls")
DEVICE_VARIABLES = {"ios_acl_interfaces": ("gateway",), "asa_acl_interfaces": ()}
DEVICE_VARIABLE_GROUPS = {"ios_acl_interfaces": ("routers", "gateways"), "asa_acl_interfaces": ("firewalls",)}
# Deployment variables: one value for the whole deployment (docs/inventory.md, "Deployment variables").
DEPLOYMENT_VARIABLES = ("uc_zones", "uc_features", "uc_release", "uc_strict_zones", "uc_management_sources",
                        "uc_port_overrides", "uc_open_ephemeral", "uc_confirm_any_network")
# Other names operators give the product groups (lower case, without separators) -> the group(s) meant.
_GROUP_ALIASES = dict(
    [(g, g) for g in NODE_GROUPS]
    + [(alias, "publisher or subscriber") for alias in ("cucm", "callmanager", "cm", "unifiedcm", "cucmnodes",
                                                        "publishers", "pub", "sub", "subs")]
    + [(alias, "unity") for alias in ("cuc", "unityconnection", "connection", "voicemail")]
    + [(alias, "imp") for alias in ("cup", "presence", "impresence", "imandpresence", "cups")]
    + [(alias, "cvp") for alias in ("unifiedcvp", "cvpservers")]
    + [(alias, "gateways") for alias in ("gateway", "gw", "gws", "voicegateways", "vgw", "cube")])
# Inventory names become folder names (hosts/<name>/): letters, digits and . _ - : only, no leading dot.
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,252}$")


class FlowError(CollabFirewallError):
    """Bad inventory input; the message names the host (or 'inventory') and the variable."""


def check_name(name):
    """An inventory name that is safe as a file name (no '/', no '..'), or an error naming the host."""
    if not isinstance(name, str) or not _SAFE_NAME.match(name) or ".." in name:
        raise FlowError.at(name if isinstance(name, str) and name else "inventory", "inventory_hostname",
                           "%r is not safe as a file name (it names the folder hosts/<name>/): use letters, digits, "
                           "'.', '_', '-', ':' and no '..'" % (name,))
    return name


def check_groups(groups):
    """The group structure of an Ansible inventory: product groups under ``uc``, no stray or misspelt groups."""
    products = sorted(g for g in NODE_GROUPS if g != "gateways")
    members = {}
    for group in sorted(NODE_GROUPS):
        hosts = groups.get(group) or []
        if isinstance(hosts, (str, bytes)) or not isinstance(hosts, (list, tuple)):
            raise FlowError.at("inventory", "groups", "group %s must list host names, got %r" % (group, hosts))
        for name in hosts:
            members.setdefault(check_name(name), []).append(group)
    # the device groups the roles and render.yml read: a near miss ("router") leaves a device out without a word
    known = list(NODE_GROUPS) + [UC_PARENT, LINUX_HOSTS_GROUP] + list(DEVICE_GROUPS)
    for group in sorted(groups):
        # another name for a product group (CVP, Unity_Connection, cucm): an error when it holds hosts of no product
        # group, which would be left out of the deployment without a word; a parent group of product groups is fine
        meant = _GROUP_ALIASES.get(re.sub(r"[^a-z0-9]", "", group.lower()) if isinstance(group, str) else None)
        close = difflib.get_close_matches(group, known, 1, 0.8)
        if close and close[0] != group and groups.get(group) and (not meant or close[0] in meant):
            raise FlowError.at("inventory", "groups", "group %r is not a group uc_flows knows; did you mean %r? "
                               "(product groups: %s)" % (group, close[0], ", ".join(sorted(NODE_GROUPS))))
        hosts = groups.get(group)
        if meant and group not in known and isinstance(hosts, (list, tuple)):
            lost = sorted(str(h) for h in hosts if h not in members)
            if lost:
                raise FlowError.at("inventory", "groups", "group %r holds %s, which %s in no product group; did you "
                                   "mean %s? (product groups, under %s: %s)"
                                   % (group, ", ".join(lost[:5]), "is" if len(lost) == 1 else "are", meant, UC_PARENT,
                                      ", ".join(sorted(NODE_GROUPS))))
    parent = set(groups.get(UC_PARENT) or [])
    for name in sorted(members):
        if name not in parent:
            raise FlowError.at(name, "groups", "is in %s but not under the %s parent group; put the product groups "
                               "under %s (docs/inventory.md)" % (members[name][0], UC_PARENT, UC_PARENT))
    for name in sorted(parent - set(members)):
        raise FlowError.at(name, "groups", "is in %s but in none of its product groups (%s); a misspelt group?"
                           % (UC_PARENT, ", ".join(sorted(NODE_GROUPS))))
    for name in sorted(set(groups.get(LINUX_HOSTS_GROUP) or []) - set(members)):
        raise FlowError.at(name, "groups", "is in %s but in no product group, so it has no policy to apply; add it "
                           "to its product group (%s)" % (LINUX_HOSTS_GROUP, ", ".join(products)))
    if not any(g != "gateways" for host_groups in members.values() for g in host_groups):
        raise FlowError.at("inventory", "groups", "no UC node: the inventory has no host in %s (gateways alone are "
                           "not a deployment)" % ", ".join(products))


def _check_node_variables(name, product, vars_):
    """The node's own variables, typed; null, misspelt and wrong-product variables are errors."""
    typed = {}
    for variable, (spec, owner) in NODE_VARIABLES.items():
        if variable not in vars_:
            continue
        value = vars_[variable]
        if value is None:
            raise FlowError.at(name, variable, "is null; remove it or give a value")
        owners = (owner,) if isinstance(owner, str) else owner
        if owners and product not in owners:
            raise FlowError.at(name, variable, "is set on a %s node, where it has no effect (only %s nodes use it)"
                               % (product, " and ".join(owners) if len(owners) < 3
                                  else ", ".join(owners[:-1]) + " and " + owners[-1]))
        typed[variable] = check_value(value, spec, name, variable)
    known = list(NODE_VARIABLES) + list(DEPLOYMENT_VARIABLES)
    for variable in vars_:
        if isinstance(variable, str) and variable.startswith("uc_") and variable not in known:
            close = difflib.get_close_matches(variable, known, 1, 0.85)
            if close:
                raise FlowError.at(name, variable, "is not a variable uc_flows reads; did you mean %s?" % close[0])
    return typed


def _as_list(value, where, variable):
    if value is None:
        return []
    if isinstance(value, (str, bytes)) or hasattr(value, "keys") or not hasattr(value, "__iter__"):
        raise FlowError.at(where, variable, "must be a list, got %r" % (value,))
    return list(value)


def _mapping(value, where, variable, what):
    """A mapping (``None``: empty); anything else is an error (a string or list never becomes a mapping)."""
    if value is None:
        return {}
    if not hasattr(value, "items") or not hasattr(value, "keys"):
        raise FlowError.at(where, variable, "must be a mapping of %s, got %s %r" % (what, type(value).__name__, value))
    return dict(value)


# role variables that may hold a /0 network when uc_confirm_any_network names them (checked by the roles' code)
ROLE_ANY_NETWORK = ("host_firewall_management_sources", "ios_acl_admin_sources", "asa_acl_admin_sources")


def check_confirmations(confirmed, endpoints):
    """uc_confirm_any_network names variables that can hold a network; a misspelt name confirms nothing, so it is an
    error rather than a confirmation that silently does not apply."""
    zones = sorted(name for name, role in endpoints.items()
                   if (role["kind"] == "zone" or role.get("zone")) and not role.get("unfilled"))
    valid = ["uc_zones.%s" % zone for zone in zones] + ["uc_management_sources"] + list(ROLE_ANY_NETWORK)
    for position, name in enumerate(confirmed):
        if name not in valid:
            close = difflib.get_close_matches(str(name), valid, 1, 0.8)
            raise FlowError.at("inventory", "uc_confirm_any_network[%d]" % position, "%r is not a variable that can hold "
                               "a network%s; valid: uc_zones.<zone>, uc_management_sources, %s"
                               % (name, " (did you mean %s?)" % close[0] if close else "", ", ".join(ROLE_ANY_NETWORK)))
    return list(confirmed)


def check_any_network(networks, where, variable, confirmed):
    """A /0 network (every address of a family) is an error unless ``variable`` is in ``confirmed``."""
    wide = [str(net) for net in networks if str(net).endswith("/0")]
    if wide and variable not in confirmed:
        raise FlowError.at(where, variable, "%s is every address of the family; if that is really meant, confirm it "
                           "with uc_confirm_any_network: [%s]" % (", ".join(wide), variable))
    return wide


def _address(value, where, variable, version):
    try:
        net = parse_network(value)
    except AddressError as exc:
        raise FlowError.at(where, variable, str(exc))
    if net.version != version:
        raise FlowError.at(where, variable, "%r is not an IPv%d address" % (value, version))
    if net.size != 1:
        raise FlowError.at(where, variable, "%r is a network; a node needs a single address" % (value,))
    ip = net.ip
    if version == 6 and ip.is_ipv4_mapped():
        raise FlowError.at(where, variable, "%r is an IPv4 address written as IPv6; give the node's own IPv6 address, "
                           "or leave %s out" % (value, variable))
    for test, what in ((lambda a: a.is_multicast(), "a multicast address"),
                       (lambda a: a.is_link_local(), "a link-local address (it is not routed, no firewall sees it)"),
                       (lambda a: a.value == 0, "the unspecified address"),
                       (lambda a: version == 4 and a.value == 0xFFFFFFFF, "the broadcast address")):
        if test(ip):
            raise FlowError.at(where, variable, "%r is %s; a node needs its own unicast address" % (value, what))
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
    check_name(name)
    product = NODE_GROUPS[group]
    raw = hostvars.get(name) or {}
    vars_ = _check_node_variables(name, product, raw)
    address = vars_.get("ansible_host")
    if address is None:
        # an inventory name that is itself an address is accepted as the address
        address = name
        if "." not in name and ":" not in name:
            raise FlowError.at(name, "ansible_host", "is not set; every UC node needs its IPv4 address there")
    addresses = [_address(str(address), name, "ansible_host", 4)]
    if vars_.get("uc_address6") is not None and not vars_["uc_address6"].strip():
        raise FlowError.at(name, "uc_address6", "is empty; give the node's IPv6 address, or leave uc_address6 out")
    if vars_.get("uc_address6"):
        addresses.append(_address(str(vars_["uc_address6"]), name, "uc_address6", 6))
    if vars_.get("uc_cluster") is not None and not vars_["uc_cluster"].strip():
        raise FlowError.at(name, "uc_cluster", "is empty; name the node's cluster, or leave uc_cluster out")
    # an unset uc_cluster is decided once every node is read (_assign_clusters)
    node = {"name": name, "product": product, "groups": [group], "cluster": vars_.get("uc_cluster"),
            "addresses": addresses, "services": [], "cvp_roles": [], "platform": None,
            # device variables set on this node (taken out again by read_nodes)
            "misplaced": [v for v, owners in sorted(DEVICE_VARIABLES.items()) if v in raw and product not in owners]}
    if product in CUCM_BOUND:
        node["cucm_clusters"] = _cucm_clusters(vars_.get("uc_cucm_cluster"), name, product)
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


def _cucm_clusters(value, name, product):
    """uc_cucm_cluster as a sorted list (None: unset); IM and Presence takes one name, Unity Connection and CVP a list too."""
    if value is None:
        return None
    if product in CUCM_BOUND_MANY and isinstance(value, (list, tuple)):
        names = check_value(value, {"type": "list", "elements": "str"}, name, "uc_cucm_cluster")
        if not names:
            raise FlowError.at(name, "uc_cucm_cluster", "is an empty list; name the Unified CM cluster(s) %s"
                               % ("this CVP server trunks to" if product == "cvp"
                                  else "whose phone system this Unity Connection server integrates with"))
        return sorted(set(names))
    return [check_value(value, {"type": "str"}, name, "uc_cucm_cluster")]


def _assign_clusters(nodes):
    """Nodes without uc_cluster share the cluster ``default`` - only while no node of their product names one."""
    for product in sorted(set(node["product"] for node in nodes.values())):
        members = [nodes[n] for n in sorted(nodes) if nodes[n]["product"] == product]
        named = sorted(set(node["cluster"] for node in members if node["cluster"] is not None))
        spelled = {}
        for node in members:
            if node["cluster"] is None:
                continue
            key = " ".join(node["cluster"].split()).lower()
            first = spelled.setdefault(key, node)
            if first["cluster"] != node["cluster"]:
                raise FlowError.at(node["name"], "uc_cluster", "%r differs from %r (%s) only in case or spaces, which "
                                   "makes two clusters; spell the cluster the same way on all its nodes"
                                   % (node["cluster"], first["cluster"], first["name"]))
        unset = [node["name"] for node in members if node["cluster"] is None]
        if unset and named and product != "gateway":
            raise FlowError.at(unset[0], "uc_cluster", "is not set, but other %s nodes are in cluster%s %s; set the "
                               "cluster this node belongs to (nodes without uc_cluster share the cluster 'default' "
                               "only when no %s node sets one)" % (product, "s" if len(named) > 1 else "",
                                                                   ", ".join(named), product))
        for node in members:
            if node["cluster"] is None:
                node["cluster"] = "default"


def _assign_cucm_clusters(nodes):
    """Each IM and Presence / Unity Connection node's Unified CM cluster(s): uc_cucm_cluster, or the only one."""
    cucm = sorted(set(node["cluster"] for node in nodes.values() if node["product"] == "cucm"))
    first = {}
    for name in sorted(nodes):
        node = nodes[name]
        if node["product"] not in CUCM_BOUND:
            continue
        what = CUCM_BOUND[node["product"]]
        if node["cucm_clusters"] is None:
            if len(cucm) > 1 and node["product"] not in CUCM_BOUND_OPTIONAL:
                raise FlowError.at(name, "uc_cucm_cluster", "is not set and the inventory has %d Unified CM clusters "
                                   "(%s); set the one this %s node belongs to" % (len(cucm), ", ".join(cucm), what))
            node["cucm_clusters"] = list(cucm)
            # left out where that is allowed (CVP): every cluster, and the flows stay one block as before
            node["cucm_clusters_all"] = node["product"] in CUCM_BOUND_OPTIONAL
        for cluster in node["cucm_clusters"]:
            if cluster not in cucm:
                raise FlowError.at(name, "uc_cucm_cluster", "%r is not a Unified CM cluster of the inventory (%s)"
                                   % (cluster, ", ".join(cucm) or "it has no Unified CM node"))
        # the nodes of one IM and Presence (or Connection) cluster belong to the same Unified CM cluster(s); CVP
        # servers of one cluster may each trunk to their own
        key = (node["product"], node["cluster"])
        if node["product"] not in CUCM_BOUND_OPTIONAL and key in first and nodes[first[key]]["cucm_clusters"] != node["cucm_clusters"]:
            other = nodes[first[key]]
            raise FlowError.at(name, "uc_cucm_cluster", "%s differs from %s on %s, which is in the same %s cluster %r"
                               % (", ".join(node["cucm_clusters"]) or "none", ", ".join(other["cucm_clusters"]) or "none",
                                  other["name"], what, node["cluster"]))
        first.setdefault(key, name)


def _check_misplaced(nodes):
    """An interface variable on some UC nodes but not all is in their host_vars or group_vars, where no role reads
    it (a router's interfaces written on the wrong host); on every node it is an extra var or group_vars/all."""
    for variable, owners in sorted(DEVICE_VARIABLES.items()):
        candidates = sorted(n for n, node in nodes.items() if node["product"] not in owners)
        holders = [n for n in candidates if variable in nodes[n]["misplaced"]]
        if holders and holders != candidates:
            node = nodes[holders[0]]
            raise FlowError.at(node["name"], variable, "is set on a %s node, where no role reads it: interface ACLs "
                               "are rendered for the hosts of %s" % (node["product"],
                                                                     " and ".join(DEVICE_VARIABLE_GROUPS[variable])))
    for node in nodes.values():
        node.pop("misplaced", None)


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
                if nodes[name]["product"] == "cucm":
                    raise FlowError.at(name, "groups", "is in %s and %s; a Unified CM node is the publisher or a "
                                       "subscriber (the services it runs go in uc_cucm_services)"
                                       % (nodes[name]["groups"][0], group))
                nodes[name]["groups"].append(group)
                continue
            nodes[name] = node
    _check_misplaced(nodes)
    owners = {}
    for node in nodes.values():
        for address in node["addresses"]:
            if address in owners:
                raise FlowError.at(node["name"], "ansible_host", "address %s is also used by %s" % (address, owners[address]))
            owners[address] = node["name"]
    _assign_clusters(nodes)
    _assign_cucm_clusters(nodes)
    return nodes


def read_zones(zones, endpoints, confirm_any=()):
    """uc_zones: role -> list of addresses/CIDRs; keys must be zone roles of the catalog.

    ``[]`` leaves a zone out on purpose; ``null`` is an error. A /0 network needs the zone's variable
    (``uc_zones.<zone>``) in ``confirm_any`` (uc_confirm_any_network).
    """
    zones = _mapping(zones, "inventory", "uc_zones", "endpoint role to addresses")
    valid = sorted(name for name, role in endpoints.items()
                   if (role["kind"] == "zone" or role.get("zone")) and not role.get("unfilled"))
    result = {}
    for key in sorted(zones):
        if key in endpoints and endpoints[key].get("unfilled"):
            raise FlowError.at("inventory", "uc_zones", "zone %r is never filled: it stands for peers the documents "
                               "do not name (its flows stay unresolved); valid zones: %s" % (key, ", ".join(valid)))
        if key not in valid:
            raise FlowError.at("inventory", "uc_zones", "unknown zone %r; valid zones: %s" % (key, ", ".join(valid)))
        if zones[key] is None:
            raise FlowError.at("inventory", "uc_zones.%s" % key, "is null; list its addresses, or write [] to leave "
                               "the zone out on purpose")
        items = _as_list(zones[key], "inventory", "uc_zones.%s" % key)
        if not items:
            continue
        networks = []
        for position, item in enumerate(items):
            if item is None:
                raise FlowError.at("inventory", "uc_zones.%s[%d]" % (key, position), "is null; remove it or give an "
                                   "address")
            if not isinstance(item, str):
                raise FlowError.at("inventory", "uc_zones.%s[%d]" % (key, position), "must be an address or CIDR "
                                   "string, got %r" % (item,))
            try:
                networks.append(parse_network(item))
            except AddressError as exc:
                raise FlowError.at("inventory", "uc_zones.%s" % key, str(exc))
        # CIDRs either nest or are disjoint: after sorting, an overlap is always between neighbours
        ordered = sorted(networks, key=lambda net: (net.version, net.first, -net.last))
        for first, second in zip(ordered, ordered[1:]):
            if first.version == second.version and second.first <= first.last:
                raise FlowError.at("inventory", "uc_zones.%s" % key, "%s and %s overlap" % (first, second))
        check_any_network(networks, "inventory", "uc_zones.%s" % key, confirm_any)
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
    releases = _mapping(releases, "inventory", "uc_release", 'product to release, for example {cucm: "14"}')
    chosen = {}
    for product in sorted(releases):
        if product not in catalog.releases:
            raise FlowError.at("inventory", "uc_release", "unknown product %r; valid: %s" % (product, ", ".join(sorted(catalog.releases))))
        value = releases[product]
        if value is None:
            raise FlowError.at("inventory", "uc_release.%s" % product, "is null; give a release, for example %r, or "
                               "remove it" % catalog.newest_release(product))
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise FlowError.at("inventory", "uc_release.%s" % product, "must be a release such as %r, got %r"
                               % (catalog.newest_release(product), value))
        if str(releases[product]) not in catalog.releases[product]:
            raise FlowError.at("inventory", "uc_release.%s" % product, "release %r is not in the catalog; valid: %s"
                               % (releases[product], ", ".join(catalog.releases[product])))
    for product in deployed:
        chosen[product] = str(releases.get(product, catalog.newest_release(product)))
    overrides = {}
    port_overrides = _mapping(port_overrides, "inventory", "uc_port_overrides", "catalog id to a list of ports")
    for entry_id, ports in sorted(port_overrides.items()):
        if entry_id not in catalog.by_id:
            raise FlowError.at("inventory", "uc_port_overrides", "unknown catalog id %r" % (entry_id,))
        entry = catalog.by_id[entry_id]
        # an override that can never apply would be taken silently: say why instead
        why, missing = None, missing_feature(entry, features)
        if entry["transport"] not in ("tcp", "udp"):
            why = "is an entry over %s, which has no ports; only tcp and udp entries take an override" % entry["transport"]
        elif entry["scope"] == "localhost":
            why = "is localhost only: never opened to the network, so an override has no effect"
        elif entry["product"] not in chosen:
            why = "is a %s entry, and the inventory has no %s node" % (entry["product"], entry["product"])
        elif entry["release"] != chosen[entry["product"]]:
            why = "is from %s release %s, but the deployment uses %s (uc_release.%s)" % (
                entry["product"], entry["release"], chosen[entry["product"]], entry["product"])
        elif missing:
            why = "belongs to the feature %s, which is not enabled (uc_features), so an override has no effect" % missing
        if why:
            raise FlowError.at("inventory", "uc_port_overrides.%s" % entry_id, why)
        if not ports:
            # an empty list must never mean "every port"
            raise FlowError.at("inventory", "uc_port_overrides.%s" % entry_id, "is empty (%r); list at least one "
                               "port, or remove the override" % (ports,))
        try:
            items = _as_list(ports, "inventory", "uc_port_overrides.%s" % entry_id)
            for item in items:
                parse_port_item(item, lowest=1)  # a destination port: 0 is no port anything listens on
            overrides[entry_id] = merge_ports(items)
        except PortError as exc:
            raise FlowError.at("inventory", "uc_port_overrides.%s" % entry_id, str(exc))
    return deployed, sorted(set(features)), chosen, overrides


def read_management(zone_map, management_sources, confirm_any=()):
    """The sources that keep SSH on every node: uc_zones.admin_workstation plus uc_management_sources."""
    management = list(zone_map.get("admin_workstation", []))
    networks = []
    for item in _as_list(management_sources, "inventory", "uc_management_sources"):
        try:
            networks.append(parse_network(str(item)))
        except AddressError as exc:
            raise FlowError.at("inventory", "uc_management_sources", str(exc))
    check_any_network(networks, "inventory", "uc_management_sources", confirm_any)
    return management + [str(net) for net in networks]


# ---------------------------------------------------------------- one source for the deployment variables


def _short(value, limit=60):
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def deployment_variables(hostvars, names, variables, origin=None):
    """The one value of each deployment variable; variables no host sets are left out.

    The rule (docs/inventory.md): a deployment variable has the same value on every UC node (``names``) and on
    ``localhost`` when localhost sets it - set it in ``group_vars/all`` or on the ``uc`` group. A host
    that sets another value, or none while others do, is an error naming the variable and both hosts, with
    where each value comes from when ``origin(host, variable)`` can tell.
    """
    hosts = list(names)
    try:
        if "localhost" in hostvars and "localhost" not in hosts:
            hosts.append("localhost")
    except TypeError:
        pass
    values = {}
    for variable in variables:
        seen = []
        for host in hosts:
            vars_ = hostvars.get(host) or {}
            if host not in names and variable not in vars_:
                continue  # localhost without the variable (it is on the uc group, say) does not disagree
            seen.append((host, variable in vars_, vars_.get(variable) if variable in vars_ else None))
        if not any(present for _host, present, _value in seen):
            continue
        ref = next(item for item in seen if item[1])
        for other in seen:
            if other[1] != ref[1] or other[2] != ref[2]:
                described = []
                for host, present, value in (ref, other):
                    where = origin(host, variable) if origin and present else None
                    described.append("%s %s%s" % (host, "has %s" % _short(value) if present else "does not set it",
                                                  " (from %s)" % where if where else ""))
                raise FlowError.at("inventory", variable, "UC nodes disagree: %s; a deployment variable must be the "
                                   "same on every UC node - set it once in group_vars/all or on the uc group "
                                   "(docs/inventory.md)" % ", ".join(described))
        values[variable] = ref[2]
    return values


def operator_warnings(result, zones, confirmed=()):
    """One line per thing the operator can fix or should know: unresolved zones, rows that need a port, /0."""
    lines = []
    for item in result.get("unresolved") or []:
        if item.get("reason") or item["role"] in zones:
            continue  # a role the documents never name, or a zone left out on purpose with []
        lines.append("zone %s has no addresses, so %s stay closed; set uc_zones.%s (or uc_zones.%s: [] to leave "
                     "it out on purpose)" % (item["role"], " ".join(item["catalog_ids"]), item["role"], item["role"]))
    for item in result.get("skipped") or []:
        if "uc_port_overrides" in item["reason"]:
            lines.append("catalog entry %s is not opened: %s" % (item["id"], item["reason"]))
    for key, cidrs in sorted((result.get("zones") or {}).items()):
        for cidr in cidrs:
            if cidr.endswith("/0"):
                lines.append("uc_zones.%s holds %s, every address of the family (confirmed by "
                             "uc_confirm_any_network)" % (key, cidr))
    for cidr in result.get("management", {}).get("sources") or []:
        if cidr.endswith("/0") and "uc_management_sources" in confirmed:
            lines.append("every address (%s) keeps SSH on every node (confirmed by uc_confirm_any_network)" % cidr)
    return lines
