# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: uc_gateway_plan
author: collab.firewall developers (@collab-firewall)
version_added: 1.0.0
short_description: A voice gateway's own configuration - its inbound ACLs and its voice trusted list
description:
  - Takes the result of collab.firewall.uc_flows and a host of the C(gateways) group, and returns the
    gateway's plan (docs/gateways.md) - the call-control nodes that signal to it (Unified CM nodes running
    callmanager, CVP call servers) as the C(voice service voip) / C(ip address trusted list) block, the flows
    that reach the gateway itself and, for the interfaces it lists, inbound IOS ACLs built like a router's
    (collab.firewall.uc_acl_flows) from those flows only.
  - A gateway no call-control node signals to is an error naming the gateway.
  - The result feeds collab.firewall.uc_device_files (the files of the gateway's folder) and the ios_acl role.
options:
  _input:
    description: The result of collab.firewall.uc_flows.
    type: dict
    required: true
  gateway:
    description: The gateway's inventory name.
    type: str
    required: true
  interfaces:
    description: The gateway's interfaces, as for a router (C(ios_acl_interfaces)); empty for the trusted list only.
    type: list
    elements: dict
    default: []
  prefix:
    description: Prefix of the generated ACL names.
    type: str
    default: UC
  management:
    description: Add SSH from the management sources to the gateway where it crosses an interface.
    type: bool
    default: true
  log_deny:
    description: Log the explicit denies.
    type: bool
    default: false
  use_object_groups:
    description: Use network object-groups for several networks.
    type: bool
    default: true
  scope:
    description:
      - C(protect) (permit what reaches the gateway, deny other traffic to it, let the rest through) or C(strict)
        (deny everything else); an interface's own C(scope) wins (docs/network-roles.md).
    type: str
    choices: [protect, strict]
    default: protect
  device_addresses:
    description: The gateway's own management addresses (default its C(ansible_host)).
    type: list
    elements: str
    default: []
  admin_sources:
    description: Who manages the gateway; empty means the deployment's management sources.
    type: list
    elements: str
    default: []
  device_ports:
    description: The gateway's management ports.
    type: list
    elements: raw
    default: [22]
"""

EXAMPLES = r"""
- name: The gateway's trusted list
  ansible.builtin.debug:
    msg: "{{ (uc_deployment | collab.firewall.uc_gateway_plan('gw-hq-1')).voice.lines }}"

- name: The gateway's files
  collab.firewall.write_tree:
    dest: "out/devices/{{ inventory_hostname }}"
    files: "{{ uc_deployment | collab.firewall.uc_gateway_plan(inventory_hostname, ios_acl_interfaces)
               | collab.firewall.uc_device_files }}"
"""

RETURN = r"""
_value:
  description: The gateway's plan.
  type: dict
  contains:
    host:
      description: The gateway.
      type: str
    platform:
      description: C(ios).
      type: str
    acls:
      description: The interface ACL plans (collab.firewall.uc_acl_flows); empty without interfaces.
      type: list
    device:
      description: The IOS configuration of the ACLs (collab.firewall.uc_acl_flows); null without interfaces.
      type: dict
    trusted_list:
      description: C(peers) (node names), C(ipv4) and C(ipv6) (CIDRs, one per peer address).
      type: dict
    voice:
      description: C(lines) (the voice block), C(entries) (its entry lines), C(blocks) (cisco.ios.ios_config parents and lines).
      type: dict
    flows:
      description: The flows that reach the gateway itself.
      type: list
    excluded:
      description: Signalling to the gateway from nodes that are not call control, left out, with the reason.
      type: list
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import filter_options
from ansible_collections.collab.firewall.plugins.plugin_utils.output.tree import gateway_plan
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import PLAN_KEYS, result_problem


PLUGIN = "collab.firewall.uc_gateway_plan"


def uc_gateway_plan(result, gateway=None, interfaces=None, prefix="UC", management=True, log_deny=False,
                    use_object_groups=True, scope="protect", device_addresses=None, admin_sources=None,
                    device_ports=None):
    opts = filter_options(PLUGIN, DOCUMENTATION, dict(
        gateway=gateway, interfaces=interfaces if interfaces is not None else [], prefix=prefix,
        management=management, log_deny=log_deny, use_object_groups=use_object_groups, scope=scope,
        device_addresses=device_addresses or [], admin_sources=admin_sources or [],
        device_ports=[22] if device_ports is None else device_ports))
    if not isinstance(result, dict) or "nodes" not in result:
        raise AnsibleFilterError("%s: input must be the result of uc_flows, got %r" % (PLUGIN, type(result).__name__))
    problem = result_problem(result, PLAN_KEYS)
    if problem:
        raise AnsibleFilterError("%s: input must be the result of uc_flows: %s" % (PLUGIN, problem))
    try:
        return gateway_plan(result, opts["gateway"], interfaces=opts["interfaces"], prefix=opts["prefix"],
                            management=opts["management"], log_deny=opts["log_deny"],
                            use_object_groups=opts["use_object_groups"], scope=opts["scope"],
                            device_addresses=opts["device_addresses"], admin_sources=opts["admin_sources"],
                            device_ports=opts["device_ports"])
    except ValueError as exc:
        raise AnsibleFilterError("%s: %s" % (PLUGIN, exc))


class FilterModule(object):
    def filters(self):
        return {"uc_gateway_plan": uc_gateway_plan}
