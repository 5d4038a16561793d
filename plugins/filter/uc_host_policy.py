# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: uc_host_policy
author: collab.firewall developers (@collab-firewall)
version_added: 1.0.0
short_description: The inbound firewall policy of one UC node
description:
  - Cuts the inbound policy of one node out of the result of P(collab.firewall.uc_flows#filter).
  - Management (SSH) comes first, then one rule per distinct source list and transport with merged ports and
    the catalog ids that justify it.
  - The result is the input of the host renderers C(to_iptables), C(to_nftables) and C(to_firewalld).
options:
  _input:
    description: The result of C(collab.firewall.uc_flows).
    type: dict
    required: true
  host:
    description: The inventory name of the node.
    type: str
    required: true
  management_sources:
    description: Extra addresses that keep SSH on this node, typically the controller's own address.
    type: list
    elements: str
  group_site_entries:
    description:
      - Site entries for every node of a group (role variable C(host_firewall_group_site_entries)), written like
        O(site_entries); they come before the node's own.
    type: list
    elements: dict
  site_entries:
    description:
      - The node's own site entries (role variable C(host_firewall_site_entries)) - extra inbound rules with
        C(action) (permit or deny), C(protocol) (tcp, udp, icmp, gre, esp, ah), C(source) (C(any), zone names
        or CIDRs), C(ports) (required for tcp and udp), C(remark) and C(confirm_localhost_ports).
      - Deny rules come right after management (before every UC rule), permit rules after the UC rules. Each
        rule names its entry in C(site) (for example C(host_firewall_site_entries[0])) and its C(action).
      - A deny that would cut the management sources' SSH, and a permit that would open a port the catalog
        keeps on the node's loopback (unless the entry sets C(confirm_localhost_ports)), are errors.
    type: list
    elements: dict
"""

EXAMPLES = r"""
- name: The policy of this node, keeping the controller's SSH session
  ansible.builtin.set_fact:
    node_policy: >-
      {{ uc_deployment | collab.firewall.uc_host_policy(inventory_hostname,
         management_sources=[ansible_env.SSH_CLIENT.split()[0]]) }}

- name: The policy with the site's own entries (SNMP from the monitoring servers, no SIP from the guest network)
  ansible.builtin.set_fact:
    node_policy: >-
      {{ uc_deployment | collab.firewall.uc_host_policy(inventory_hostname, site_entries=[
           {"action": "permit", "protocol": "udp", "source": ["10.50.0.0/28"], "ports": [161],
            "remark": "SNMP from the NMS"},
           {"action": "deny", "protocol": "tcp", "source": ["10.70.0.0/16"], "ports": ["5060-5061"],
            "remark": "no SIP from the guest network"}]) }}
"""

RETURN = r"""
_value:
  description: C(host), C(addresses), C(management) (sources, transport, ports) and C(rules) (site entries carry
    C(site) and C(action)).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import filter_options
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.host_policy import FlowError, host_policy
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import result_problem


PLUGIN = "collab.firewall.uc_host_policy"


def uc_host_policy(flows, host, management_sources=None, site_entries=None, group_site_entries=None):
    opts = filter_options(PLUGIN, DOCUMENTATION, dict(host=host, management_sources=management_sources,
                                                      site_entries=site_entries, group_site_entries=group_site_entries))
    problem = result_problem(flows)
    if problem:
        raise AnsibleFilterError("%s: input must be the result of collab.firewall.uc_flows: %s" % (PLUGIN, problem))
    try:
        return host_policy(flows, opts["host"], opts["management_sources"], site_entries=opts["site_entries"],
                           group_site_entries=opts["group_site_entries"])
    except FlowError as exc:
        raise AnsibleFilterError("%s: %s" % (PLUGIN, exc))


class FilterModule(object):
    def filters(self):
        return {"uc_host_policy": uc_host_policy}
