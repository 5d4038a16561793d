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
    same product and C(uc_cluster).
  - Each entry opens one direction, towards its listener; a two-way column of the documents is the reply of
    the same conversation and is left to stateful inspection. Ephemeral ranges stay closed unless
    C(uc_open_ephemeral).
  - Gateways fill the catalog roles C(gateway) and C(sip_peer); a gateway's host variable
    C(uc_gateway_platform) selects the platform-specific port ranges of the documents.
  - Options left unset are read from the host variables C(uc_zones), C(uc_features), C(uc_release),
    C(uc_strict_zones), C(uc_management_sources), C(uc_port_overrides) and C(uc_open_ephemeral) of the first
    UC node (usually set in C(group_vars/all)).
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

from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import CatalogError, load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import FlowError, build_flows
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.inventory import NODE_GROUPS

# filter option -> the inventory variable it defaults to
_INVENTORY_VARS = {
    "zones": "uc_zones",
    "features": "uc_features",
    "releases": "uc_release",
    "strict_zones": "uc_strict_zones",
    "management_sources": "uc_management_sources",
    "port_overrides": "uc_port_overrides",
    "open_ephemeral": "uc_open_ephemeral",
}


def _first_node_vars(hostvars, groups):
    names = sorted(n for g in NODE_GROUPS for n in (groups.get(g) or []))
    return hostvars.get(names[0]) or {} if names else {}


def uc_flows(hostvars, groups, **options):
    unknown = sorted(set(options) - set(_INVENTORY_VARS))
    if unknown:
        raise AnsibleFilterError("collab.firewall.uc_flows: unknown option(s) %s; valid: %s"
                                 % (", ".join(unknown), ", ".join(sorted(_INVENTORY_VARS))))
    if not hasattr(hostvars, "get") or not hasattr(groups, "get"):
        raise AnsibleFilterError("collab.firewall.uc_flows: use it as hostvars | collab.firewall.uc_flows(groups)")
    defaults = _first_node_vars(hostvars, groups)
    settings = {}
    for option, variable in _INVENTORY_VARS.items():
        value = options.get(option)
        settings[option] = defaults.get(variable) if value is None else value
    settings["strict_zones"] = bool(settings["strict_zones"])
    settings["open_ephemeral"] = bool(settings["open_ephemeral"])
    try:
        return build_flows(load_catalog(), hostvars, groups, **settings)
    except (FlowError, CatalogError) as exc:
        raise AnsibleFilterError("collab.firewall.uc_flows: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"uc_flows": uc_flows}
