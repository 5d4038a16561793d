# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: uc_acl_flows
author: collab.firewall developers (@collab-firewall)
version_added: 1.0.0
short_description: The UC flows that cross each interface of a router or firewall, one ACL per direction
description:
  - Takes the result of collab.firewall.uc_flows and a device's interface list, and returns one ACL plan per
    interface and direction with the flows that cross it.
  - For direction C(in), the flows whose sources overlap the networks behind the interface and whose
    destinations are not all behind it; sources are cut down to the behind-networks and destination networks
    entirely behind the interface are dropped. Direction C(out) is the mirror; C(both) gives one ACL each.
  - A zone name is an inventory group of UC nodes (C(publisher), C(subscriber), C(imp), C(unity), C(cvp),
    C(gateways)), the inventory name of a UC node, or a key of C(uc_zones) (C(phone), ...).
  - ACL names are deterministic, for example C(UC-GI0-1-IN) for C(GigabitEthernet0/1) inbound on IOS and
    C(UC-INSIDE-IN) for nameif C(inside) on ASA; C(acl_name) on an interface overrides it.
  - With O(platform), the ACLs are also rendered (collab.firewall.to_ios_acls / to_asa_acl) and assembled into
    the config of cisco.ios.ios_acls and ios_acl_interfaces, or cisco.asa.asa_ogs and asa_acls, plus CLI text.
options:
  _input:
    description: The result of collab.firewall.uc_flows.
    type: dict
    required: true
  interfaces:
    description:
      - The device's interfaces, each C({name, zones, direction, nameif, acl_name, description});
        C(direction) is C(in) (default), C(out) or C(both); C(nameif) is required on ASA.
    type: list
    elements: dict
    required: true
  host:
    description: The device's inventory name, used in error messages.
    type: str
    default: device
  variable:
    description: The name of the variable holding O(interfaces), used in error messages.
    type: str
    default: acl_interfaces
  platform:
    description: C(ios) or C(asa) to render the device configuration too.
    type: str
    choices: [ios, asa]
  prefix:
    description: Prefix of the generated ACL names.
    type: str
    default: UC
  management:
    description: Add SSH from the management sources to the UC nodes where it crosses the interface.
    type: bool
    default: true
  log_deny:
    description: Log the final explicit deny.
    type: bool
    default: false
  use_object_groups:
    description: IOS only; use network object-groups for several networks.
    type: bool
    default: true
  scope:
    description:
      - Default scope of the interfaces (an interface's own C(scope) wins). C(protect) permits the UC flows,
        denies every other packet to (and from) the UC nodes and permits the rest of the network; C(strict)
        denies everything but the UC flows.
    type: str
    choices: [protect, strict]
    default: protect
  device:
    description:
      - The device's own management, C({addresses, sources, ports}); C(sources) empty means the deployment's
        management sources, C(ports) defaults to C([22]). Each interface with admin sources behind it permits
        them to the device's addresses first; a rendered ACL that would still deny them is an error.
    type: dict
"""

EXAMPLES = r"""
- name: The ACLs of a router
  ansible.builtin.set_fact:
    rtr_plan: >-
      {{ uc_deployment | collab.firewall.uc_acl_flows(ios_acl_interfaces, host=inventory_hostname,
         variable='ios_acl_interfaces', platform='ios') }}

- name: Only the flows entering from the phone VLAN
  ansible.builtin.debug:
    msg: "{{ (uc_deployment | collab.firewall.uc_acl_flows([{'name': 'Gi0/1', 'zones': ['phone']}])).acls[0].flows }}"
"""

RETURN = r"""
_value:
  description: The ACL plans and, with O(platform), the device configuration.
  type: dict
  contains:
    host:
      description: O(host).
      type: str
    platform:
      description: O(platform).
      type: str
    acls:
      description: >-
        One plan per interface and direction - C(interface), C(nameif), C(direction), C(name) (and C(name6) on
        IOS), C(zones), C(behind) (CIDRs), C(flows) (the crossing flows, uc_flows format), C(management)
        (block or null) and C(catalog_ids).
      type: list
    device:
      description: >-
        IOS - C(acls) (ios_acls config), C(acl_interfaces) (ios_acl_interfaces config), C(object_groups),
        C(object_group_lines), C(object_group_blocks) (cisco.ios.ios_config parents and lines), C(binding_lines),
        C(lines), C(nd_blocks) (cisco.ios.ios_config parents and lines of the IPv6 neighbour-discovery entries
        ios_acls cannot write) and C(module_acls) (the ACLs as ios_acls reads them back once those are in
        place; never push it without C(nd_blocks)). ASA - C(ogs) (asa_ogs config), C(acls) (asa_acls
        config), C(object_group_lines), C(access_group_lines), C(lines). Null without O(platform).
      type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import filter_options
from ansible_collections.collab.firewall.plugins.plugin_utils.acl.audit import management_cuts
from ansible_collections.collab.firewall.plugins.plugin_utils.render.platforms import device_plan


PLUGIN = "collab.firewall.uc_acl_flows"


def uc_acl_flows(result, interfaces=None, host="device", variable="acl_interfaces", platform=None, prefix="UC",
                 management=True, log_deny=False, use_object_groups=True, scope="protect", device=None):
    # interfaces (the device's acl_interfaces) is checked by device_plan, whose messages name host and variable
    opts = filter_options(PLUGIN, DOCUMENTATION, dict(
        host=host, variable=variable, platform=platform, prefix=prefix, management=management, log_deny=log_deny,
        use_object_groups=use_object_groups, scope=scope, device=device))
    if not isinstance(result, dict):
        raise AnsibleFilterError("%s: input must be the result of uc_flows, got %r" % (PLUGIN, result))
    if interfaces is None:
        raise AnsibleFilterError("%s: interfaces: is required" % PLUGIN)
    try:
        plan = device_plan(result, interfaces, **opts)
        cuts = management_cuts(plan)
    except ValueError as exc:
        raise AnsibleFilterError("%s: %s" % (PLUGIN, exc))
    if cuts:
        raise AnsibleFilterError("%s: %s: %s: the ACLs would cut the management of the device: %s"
                                 % (PLUGIN, opts["host"], opts["variable"], "; ".join(cuts[:5])))
    return plan


class FilterModule(object):
    def filters(self):
        return {"uc_acl_flows": uc_acl_flows}
