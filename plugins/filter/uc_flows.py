# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: uc_flows
author: collab.firewall developers (@collab-firewall)
version_added: 1.0.0
short_description: The network flows a Cisco UC deployment needs, from its inventory
description:
  - Reads the UC nodes of the inventory (groups C(publisher), C(subscriber), C(imp), C(unity), C(cvp),
    C(gateways)) and the external zones of O(zones), and returns every flow the port catalog documents
    between them, with the catalog ids that justify it.
  - Entries documented as localhost-only never become flows; cluster-scoped entries only pair nodes of the
    same product and C(uc_cluster). Nodes without C(uc_cluster) share the cluster C(default) only while no
    node of their product sets one.
  - Entries between IM and Presence or Unity Connection and Unified CM pair each IM and Presence / Unity
    Connection node with its own Unified CM cluster only, the host variable C(uc_cucm_cluster) (required when
    the inventory has more than one Unified CM cluster). On a CVP node C(uc_cucm_cluster) is optional - set, it
    narrows the call server's SIP with Unified CM to those clusters; unset, every cluster.
  - Each entry opens one direction, towards its listener; a two-way column of the documents is the reply of
    the same conversation and is left to stateful inspection. Ephemeral ranges stay closed unless
    C(uc_open_ephemeral).
  - Gateways fill the catalog roles C(gateway) and C(sip_peer); a gateway's host variable
    C(uc_gateway_platform) selects the platform-specific port ranges of the documents; without it the gateway
    gets the documented generic gateway media range.
  - Options left unset are read from the deployment variables C(uc_zones), C(uc_features), C(uc_release),
    C(uc_strict_zones), C(uc_management_sources), C(uc_port_overrides), C(uc_open_ephemeral) and
    C(uc_confirm_any_network), which must have the same value on every UC node (set them in C(group_vars/all)
    or on the C(uc) group); UC nodes that disagree are an error naming the variable and two of the hosts.
  - The whole input is checked before anything is computed - the group structure (product groups under C(uc)),
    every node's variables, the deployment variables and these options, typed as documented here (booleans
    also from strings such as C("false"); a string is never taken as a list) - and a bad value is an error
    naming the host (or C(inventory)) and the variable.
  - Zones the catalog needs but C(uc_zones) lacks, and rows skipped for a cause the operator can fix (a
    missing C(uc_port_overrides) entry), are printed as warnings, one line each; C(uc_zones.<zone>=[]) leaves
    a zone out on purpose, without a warning.
  - The inventory conventions are described in docs/inventory.md.
options:
  _input:
    description: C(hostvars).
    type: dict
    required: true
  groups:
    description: C(groups).
    type: dict
    required: true
  zones:
    description: External endpoint role (C(phone), C(admin_workstation), C(ldap_directory), ...) to addresses and CIDRs.
    type: dict
  features:
    description: Optional catalog features to open. Default is the documented day-one set.
    type: list
    elements: str
  releases:
    description: "Catalog release per product, for example C({imp: 8.0}). Default is the newest."
    type: dict
  strict_zones:
    description: Fail instead of listing flows whose zone has no addresses.
    type: bool
    default: false
  management_sources:
    description: Extra addresses that always keep SSH (besides the C(admin_workstation) zone).
    type: list
    elements: str
  port_overrides:
    description: Catalog id to ports, for entries whose port the administrator configures.
    type: dict
  open_ephemeral:
    description: Open documented ephemeral ranges (needed only behind stateless ACLs).
    type: bool
    default: false
  confirm_any_network:
    description: >-
      The variables (C(uc_zones.<zone>), C(uc_management_sources)) allowed to hold a C(/0) network (every
      address of a family); without it such a network is an error. A confirmed one is still warned about.
    type: list
    elements: str
    version_added: 1.0.0
"""

EXAMPLES = r"""
- name: Compute the deployment's flows once
  ansible.builtin.set_fact:
    uc_deployment: "{{ hostvars | collab.firewall.uc_flows(groups) }}"
  run_once: true

- name: With explicit zones and features
  ansible.builtin.set_fact:
    uc_deployment: "{{ hostvars | collab.firewall.uc_flows(groups, zones=my_zones, features=['snmp', 'ntp']) }}"
  vars:
    my_zones:
      phone: [10.20.0.0/16]
      admin_workstation: [10.99.0.0/24]
"""

RETURN = r"""
_value:
  description: The deployment's flows and what was left out.
  type: dict
  contains:
    flows:
      description: >-
        Flows with C(sources), C(destinations) (merged CIDRs), C(transport), C(ports) (merged),
        C(catalog_ids), C(from_roles), C(to_roles), C(src_names), C(dst_names) and C(description).
      type: list
    management:
      description: Sources that keep SSH on every node.
      type: dict
    unresolved:
      description: >-
        Zone roles without addresses, with the catalog ids that needed them; rows whose peer the document does
        not name (role C(unspecified)) are listed here too, with a C(reason), and are never opened.
      type: list
    gateway_platforms:
      description: >-
        Per gateway host, the platform whose documented port ranges apply (C(uc_gateway_platform)) and its
        C(source); C(source=default) with a C(note) when the variable is unset.
      type: dict
    skipped:
      description: Catalog ids not opened, each with its reason (localhost only, feature off, no port, ...).
      type: list
    nodes:
      description: The UC nodes read from the inventory.
      type: dict
    zones:
      description: The zones, merged.
      type: dict
    releases:
      description: The catalog release used per deployed product.
      type: dict
    features:
      description: The features opened.
      type: list
"""

import os

from ansible.errors import AnsibleFilterError
from ansible.utils.display import Display

from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import check_value, option_specs, validate_options
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import build_flows
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.inventory import (
    NODE_GROUPS,
    check_groups,
    deployment_variables,
    operator_warnings,
)

PLUGIN = "collab.firewall.uc_flows"
# filter option -> the deployment variable it defaults to
_INVENTORY_VARS = {
    "zones": "uc_zones",
    "features": "uc_features",
    "releases": "uc_release",
    "strict_zones": "uc_strict_zones",
    "management_sources": "uc_management_sources",
    "port_overrides": "uc_port_overrides",
    "open_ephemeral": "uc_open_ephemeral",
    "confirm_any_network": "uc_confirm_any_network",
}
_display = Display()


def _origin(hostvars, host, variable):
    """Where the inventory defines ``variable`` for ``host``, as far as Ansible can tell; None if unknown."""
    inventory = getattr(hostvars, "_inventory", None)
    if inventory is None:
        return None
    obj = inventory.get_host(host)
    if obj is None:
        return None
    if variable in obj.vars:
        return "host %s in the inventory" % host
    for path in getattr(inventory, "_sources", None) or []:
        folder = path if os.path.isdir(path) else os.path.dirname(path)
        for kind, name in [("host_vars", host)] + [("group_vars", g.name) for g in
                                                   sorted(obj.get_groups(), key=lambda g: -g.depth)]:
            for candidate in (os.path.join(folder, kind, name + ext) for ext in (".yml", ".yaml", "")):
                if os.path.isfile(candidate) and _defines(candidate, variable):
                    relative = os.path.relpath(candidate)
                    return candidate if relative.startswith("..") else relative
    for group in sorted(obj.get_groups(), key=lambda g: -g.depth):
        if variable in group.vars:
            return "vars of group %s in the inventory" % group.name
    return None


def _defines(path, variable):
    import yaml  # only when a conflict is reported

    try:
        with open(path) as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError):
        return False
    return isinstance(data, dict) and variable in data


def uc_flows(hostvars, groups, **options):
    if not hasattr(hostvars, "get"):
        raise AnsibleFilterError("%s: use it as hostvars | collab.firewall.uc_flows(groups)" % PLUGIN)
    specs = option_specs(DOCUMENTATION)
    try:
        given = validate_options(DOCUMENTATION, dict(options, groups=groups))
        check_groups(groups)
        names = sorted(set(n for g in NODE_GROUPS for n in (groups.get(g) or [])))
        wanted = [v for o, v in _INVENTORY_VARS.items() if o not in given]
        values = deployment_variables(hostvars, names, wanted, origin=lambda h, v: _origin(hostvars, h, v))
        settings = {}
        for option, variable in _INVENTORY_VARS.items():
            if option in given:
                settings[option] = given[option]
            elif variable in values:
                if values[variable] is None:
                    raise CollabFirewallError.at("inventory", variable, "is null; remove it or give a value")
                settings[option] = check_value(values[variable], specs[option], "inventory", variable)
            else:
                settings[option] = specs[option].get("default")
        result = build_flows(load_catalog(), hostvars, groups, **settings)
    except CollabFirewallError as exc:
        raise AnsibleFilterError("%s: %s" % (PLUGIN, exc))
    for line in operator_warnings(result, settings["zones"] or {}, settings["confirm_any_network"] or []):
        _display.warning("%s: %s" % (PLUGIN, line))
    return result


class FilterModule(object):
    def filters(self):
        return {"uc_flows": uc_flows}
