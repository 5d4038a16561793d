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
"""

EXAMPLES = r"""
- name: The policy of this node, keeping the controller's SSH session
  ansible.builtin.set_fact:
    node_policy: >-
      {{ uc_deployment | collab.firewall.uc_host_policy(inventory_hostname,
         management_sources=[ansible_env.SSH_CLIENT.split()[0]]) }}
"""

RETURN = r"""
_value:
  description: C(host), C(addresses), C(management) (sources, transport, ports) and C(rules).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import filter_options
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.host_policy import FlowError, host_policy


PLUGIN = "collab.firewall.uc_host_policy"


def uc_host_policy(flows, host, management_sources=None):
    opts = filter_options(PLUGIN, DOCUMENTATION, dict(host=host, management_sources=management_sources))
    if not isinstance(flows, dict) or "flows" not in flows or "nodes" not in flows:
        raise AnsibleFilterError("%s: input must be the result of collab.firewall.uc_flows" % PLUGIN)
    try:
        return host_policy(flows, opts["host"], opts["management_sources"])
    except FlowError as exc:
        raise AnsibleFilterError("%s: %s" % (PLUGIN, exc))


class FilterModule(object):
    def filters(self):
        return {"uc_host_policy": uc_host_policy}
