# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: uc_host_files
author: collab.firewall developers (@collab-firewall)
version_added: 1.0.0
short_description: Every rendered file of one UC node, as relative path to text
description:
  - Takes a deployment (the result of P(collab.firewall.uc_flows#filter)) and one UC node, and returns the
    files of the node's output folder - C(policy.json), C(nftables.nft), C(iptables.rules), C(ip6tables.rules),
    C(ipsets.restore) (the hash:net sets the iptables rules match, unless O(iptables_ipset=false)),
    C(firewalld/zones/<zone>.xml) (named after the zone, as firewalld expects) and C(firewalld/ipsets/<name>.xml).
  - The same function renders each node in the main job's one-pass render (M(collab.firewall.render_deployment)),
    so both give the same bytes.
  - Feed the result to M(collab.firewall.write_tree).
options:
  _input:
    description: The deployment (result of C(collab.firewall.uc_flows)).
    type: dict
    required: true
  host:
    description: The inventory name of the UC node.
    type: str
    required: true
  management_sources:
    description: Extra addresses that keep SSH on this node.
    type: list
    elements: str
    default: []
  nftables_table:
    description: Name of the nftables inet table.
    type: str
    default: collab_uc
  firewalld_zone:
    description: Name of the firewalld zone.
    type: str
    default: collab-uc
  firewalld_interfaces:
    description: Interfaces bound to the firewalld zone.
    type: list
    elements: str
    default: []
  iptables_ipset:
    description: Render the iptables rulesets with ipsets (C(ipsets.restore)) instead of one rule per source network.
    type: bool
    default: true
  group_site_entries:
    description:
      - The node's group-level site entries (role variable C(host_firewall_group_site_entries)), written like
        O(site_entries); they come before the node's own.
    type: list
    elements: dict
    default: []
  site_entries:
    description:
      - The node's own site entries (role variable C(host_firewall_site_entries)) - extra inbound rules, each with
        C(action) (permit or deny), C(protocol), C(source) (C(any), zone names or CIDRs), C(ports) (tcp and udp),
        C(remark) and C(confirm_localhost_ports).
      - Denies go before the UC rules, permits after them; see the host_firewall role's README.
    type: list
    elements: dict
    default: []
"""

EXAMPLES = r"""
- name: Write one node's rulesets
  collab.firewall.write_tree:
    dest: "{{ uc_output_dir | default('out', true) }}/hosts/{{ inventory_hostname }}"
    files: "{{ uc_deployment | collab.firewall.uc_host_files(inventory_hostname) }}"
    prune: true
"""

RETURN = r"""
_value:
  description: Relative path (below the node's folder) to file content.
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import check_value, filter_options, option_specs
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.output.tree import HOST_OPTIONS, host_files
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import result_problem


PLUGIN = "collab.firewall.uc_host_files"


def uc_host_files(deployment, host, management_sources=None, nftables_table="collab_uc", firewalld_zone="collab-uc",
                  firewalld_interfaces=None, iptables_ipset=True, group_site_entries=None, site_entries=None):
    opts = filter_options(PLUGIN, DOCUMENTATION, dict(host=host))
    specs = option_specs(DOCUMENTATION)
    given = dict(management_sources=management_sources, nftables_table=nftables_table, firewalld_zone=firewalld_zone,
                 firewalld_interfaces=firewalld_interfaces, iptables_ipset=iptables_ipset,
                 group_site_entries=group_site_entries, site_entries=site_entries)
    try:
        # the values are the host_firewall role's variables: a bad one is named as the role variable
        for option, value in given.items():
            opts[option] = check_value(value, specs[option], host, HOST_OPTIONS[option][0])
    except CollabFirewallError as exc:
        raise AnsibleFilterError("%s: %s" % (PLUGIN, exc))
    problem = result_problem(deployment)
    if problem:
        raise AnsibleFilterError("%s: input must be a deployment (the result of collab.firewall.uc_flows): %s"
                                 % (PLUGIN, problem))
    try:
        return host_files(deployment, opts["host"], management_sources=opts["management_sources"],
                          nftables_table=opts["nftables_table"], firewalld_zone=opts["firewalld_zone"],
                          firewalld_interfaces=opts["firewalld_interfaces"], iptables_ipset=opts["iptables_ipset"],
                          group_site_entries=opts["group_site_entries"], site_entries=opts["site_entries"])
    except CollabFirewallError as exc:
        # errors about the node's variables name it already
        where = "" if str(exc).startswith("%s: " % host) else "%s: " % host
        raise AnsibleFilterError("%s: %s%s" % (PLUGIN, where, exc))


class FilterModule(object):
    def filters(self):
        return {"uc_host_files": uc_host_files}
