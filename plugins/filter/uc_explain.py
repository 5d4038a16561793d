# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: uc_explain
author: collab.firewall developers (@collab-firewall)
version_added: 1.0.0
short_description: Explain whether a flow is allowed, and by which catalog rows
description:
  - Answers whether a packet from O(src) to O(dst) on O(transport)/O(port) is allowed by the flows of
    P(collab.firewall.uc_flows#filter).
  - When it is, lists the catalog ids and their provenance (document, table, row). When it is not, lists the
    catalog entries for that port with the reason each one does not apply (localhost only, feature off, zone
    without addresses, other cluster, release not selected, endpoints do not match).
options:
  _input:
    description: The result of C(collab.firewall.uc_flows).
    type: dict
    required: true
  src:
    description: Source address, or the inventory name of a UC node.
    type: str
    required: true
  dst:
    description: Destination address, or the inventory name of a UC node.
    type: str
    required: true
  port:
    description: Destination port (not used for ICMP, GRE, ESP and AH).
    type: int
  transport:
    description: Transport.
    type: str
    default: tcp
    choices: [tcp, udp, icmp, gre, esp, ah]
  site_entries:
    description:
      - The destination node's C(host_firewall_site_entries), to weigh its host firewall's own entries too. A site
        deny that matches makes the answer C(allowed=false) even where the flows allow the packet; a site permit
        makes it C(allowed=true) with no catalog id. O(dst) must then be a UC node or one of its addresses.
    type: list
    elements: dict
  group_site_entries:
    description: The destination node's C(host_firewall_group_site_entries), weighed like O(site_entries).
    type: list
    elements: dict
  management_sources:
    description: The destination node's C(host_firewall_management_sources) (checked as the host_firewall role does).
    type: list
    elements: str
"""

EXAMPLES = r"""
- name: Why can't this phone register over SCCP?
  ansible.builtin.debug:
    msg: "{{ uc_deployment | collab.firewall.uc_explain('10.20.1.15', 'cucm-sub-1', 2000, 'tcp') }}"

- name: The same question, with the node's own host firewall entries weighed
  ansible.builtin.debug:
    msg: >-
      {{ uc_deployment | collab.firewall.uc_explain('10.20.1.15', 'cucm-sub-1', 2000, 'tcp',
         site_entries=hostvars['cucm-sub-1'].host_firewall_site_entries | default([]),
         group_site_entries=hostvars['cucm-sub-1'].host_firewall_group_site_entries | default([])) }}
"""

RETURN = r"""
_value:
  description: >-
    C(allowed), C(src), C(dst), C(transport), C(port), the endpoints each address belongs to, and either
    C(catalog_ids), C(provenance) and C(flows), or C(reasons) (a list of C(id) and C(reason)); with site entries
    that decide the packet, also C(site_entry) (C(entry), the variable and index, C(action) and C(comment)). SSH
    from a management source to a node that no flow opens is allowed with C(management=true), empty
    C(catalog_ids) and the flow C(management ssh), as every node's ruleset and every crossing ACL let it through.
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import filter_options
from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.explain import destination_node, explain
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.host_policy import host_policy


PLUGIN = "collab.firewall.uc_explain"


def uc_explain(flows, src, dst, port=None, transport="tcp", site_entries=None, group_site_entries=None,
               management_sources=None):
    opts = filter_options(PLUGIN, DOCUMENTATION, dict(
        src=src, dst=dst, port=port, transport=transport, site_entries=site_entries,
        group_site_entries=group_site_entries, management_sources=management_sources))
    if not isinstance(flows, dict) or "flows" not in flows or "nodes" not in flows:
        raise AnsibleFilterError("%s: input must be the result of collab.firewall.uc_flows" % PLUGIN)
    try:
        host_rules = None
        if opts["site_entries"] is not None or opts["group_site_entries"] is not None:
            node = destination_node(flows, opts["dst"])
            host_rules = host_policy(flows, node, opts["management_sources"], opts["site_entries"],
                                     opts["group_site_entries"])["rules"]
        return explain(flows, load_catalog(), opts["src"], opts["dst"], opts["port"], opts["transport"], host_rules)
    except CollabFirewallError as exc:
        raise AnsibleFilterError("%s: %s" % (PLUGIN, exc))


class FilterModule(object):
    def filters(self):
        return {"uc_explain": uc_explain}
