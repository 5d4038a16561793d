# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inbound policy of one node, cut out of a deployment's flows."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import (
    AddressError,
    CidrList,
    Cidrs,
    merge_networks,
    merge_ports,
    parse_network,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import MANAGEMENT_PORTS
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.host_site import VARIABLES, site_rules
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.inventory import FlowError, _as_list


MANAGEMENT_VARIABLE = "host_firewall_management_sources"


def host_index(result):
    """The flows to each node, and each distinct source list as one ``netsets.Cidrs``, worked out once.

    The main job cuts a policy for every node of a deployment out of the same flows: ``host_policy`` takes
    this as ``index`` and then neither scans every flow per node nor hashes the thousands of phone subnets of
    a source list again per node and renderer (its rules' sources are ``netsets.CidrList``s sharing those
    keys). An index made for another deployment is not used.
    """
    keys, by_node = {}, {}
    for flow in result["flows"]:
        sources = tuple(flow["sources"])
        sources = keys.setdefault(sources, Cidrs(sources))
        for name in set(flow["dst_names"]):
            by_node.setdefault(name, []).append((flow, sources))
    return {"result": result, "flows_list": result["flows"], "by_node": by_node}


def host_policy(result, host, management_sources=None, site_entries=None, group_site_entries=None, index=None):
    """The inbound policy of one node: management first, then one rule per source list and transport.

    ``group_site_entries`` and ``site_entries`` (role variables host_firewall_group_site_entries and
    host_firewall_site_entries, see ``host_site``): their deny rules go before the UC rules, their permits after.
    ``index``: the deployment's ``host_index``, when many nodes are cut from the same deployment.
    """
    if host not in result["nodes"]:
        raise FlowError.at(host, "inventory_hostname", "is not a UC node of this deployment; known nodes: %s"
                           % ", ".join(sorted(n for n, node in result["nodes"].items() if node["product"] != "gateway")))
    if result["nodes"][host]["product"] == "gateway":
        raise FlowError.at(host, "inventory_hostname", "is a voice gateway (an IOS device, group gateways): it has no "
                           "host firewall; its own ACLs and trusted list come from collab.firewall.ios_acl "
                           "(playbooks/network_acls.yml)")
    management = list(result["management"]["sources"])
    # the node's extra management sources are the host_firewall role's variable: errors name it
    variable = MANAGEMENT_VARIABLE
    for position, item in enumerate(_as_list(management_sources, host, variable)):
        if item is None:
            raise FlowError.at(host, "%s[%d]" % (variable, position), "is null; remove it or give a value")
        if not isinstance(item, str):
            raise FlowError.at(host, "%s[%d]" % (variable, position), "must be an address or CIDR string, got %r"
                               % (item,))
        try:
            net = parse_network(item)
        except AddressError as exc:
            raise FlowError.at(host, variable, str(exc))
        if net.prefixlen == 0 and variable not in (result.get("confirmed_any_network") or []):
            raise FlowError.at(host, variable, "%s is every address of the family: SSH to the node from anywhere; if "
                               "that is really meant, confirm it with uc_confirm_any_network: [%s]" % (net, variable))
        management.append(str(net))
    if not management:
        raise FlowError.at(host, "uc_zones.admin_workstation", "no management source: SSH would be cut; set "
                           "uc_zones.admin_workstation or pass the controller's address")
    # the operator reaches the node on its ansible_host (its first address): that family must keep SSH
    address = result["nodes"][host]["addresses"][0]
    family = parse_network(address).version
    if not any(parse_network(source).version == family for source in management):
        raise FlowError.at(host, "uc_zones.admin_workstation", "no IPv%d management source: SSH to %s would be "
                           "cut (the management sources are IPv%d only); add an IPv%d network to "
                           "uc_zones.admin_workstation or uc_management_sources"
                           % (family, address, 10 - family, family))
    if index is not None and index["result"] is result and index["flows_list"] is result["flows"]:
        mine, listed = index["by_node"].get(host, []), CidrList
    else:
        mine, listed = [(flow, tuple(flow["sources"])) for flow in result["flows"] if host in flow["dst_names"]], list
    grouped = {}
    for flow, sources in mine:
        key = (sources, flow["transport"])
        rule = grouped.setdefault(key, {"ports": [], "ids": set(), "from": set(), "text": set()})
        rule["ports"].extend(flow["ports"])
        rule["ids"].update(flow["catalog_ids"])
        rule["from"].update(flow["from_roles"])
        rule["text"].add(flow["description"].split(": ", 1)[-1])
    rules = []
    for (sources, transport), rule in sorted(grouped.items(), key=lambda kv: (sorted(kv[1]["from"]), kv[0])):
        ids = sorted(rule["ids"])
        rules.append({
            "sources": listed(sources),
            "transport": transport,
            "ports": merge_ports(rule["ports"]),
            "catalog_ids": ids,
            "comment": "%s: %s (%s)" % ("/".join(sorted(rule["from"])), ", ".join(sorted(rule["text"])), " ".join(ids)),
        })
    if site_entries is not None or group_site_entries is not None:
        denies, permits = site_rules(result, host, merge_networks(management), rules,
                                     list(zip(VARIABLES, (group_site_entries, site_entries))))
        rules = denies + rules + permits
    return {
        "host": host,
        "addresses": list(result["nodes"][host]["addresses"]),
        "management": {"sources": merge_networks(management), "transport": "tcp", "ports": list(MANAGEMENT_PORTS)},
        "rules": rules,
    }
