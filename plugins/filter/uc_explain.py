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
"""

EXAMPLES = r"""
- name: Why can't this phone register over SCCP?
  ansible.builtin.debug:
    msg: "{{ uc_deployment | collab.firewall.uc_explain('10.20.1.15', 'cucm-sub-1', 2000, 'tcp') }}"
"""

RETURN = r"""
_value:
  description: >-
    C(allowed), C(src), C(dst), C(transport), C(port), the endpoints each address belongs to, and either
    C(catalog_ids), C(provenance) and C(flows), or C(reasons) (a list of C(id) and C(reason)).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import filter_options
from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.explain import FlowError, explain
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import result_problem


PLUGIN = "collab.firewall.uc_explain"


def uc_explain(flows, src, dst, port=None, transport="tcp"):
    opts = filter_options(PLUGIN, DOCUMENTATION, dict(src=src, dst=dst, port=port, transport=transport))
    problem = result_problem(flows)
    if problem:
        raise AnsibleFilterError("%s: input must be the result of collab.firewall.uc_flows: %s" % (PLUGIN, problem))
    try:
        return explain(flows, load_catalog(), opts["src"], opts["dst"], opts["port"], opts["transport"])
    except FlowError as exc:
        raise AnsibleFilterError("%s: %s" % (PLUGIN, exc))


class FilterModule(object):
    def filters(self):
        return {"uc_explain": uc_explain}
