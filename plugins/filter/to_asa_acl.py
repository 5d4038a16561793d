# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The to_asa_acl filter plugin: a thin adapter over plugin_utils.render.asa."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = """
    name: to_asa_acl
    author: collab.firewall contributors
    version_added: 1.0.0
    short_description: Render flows as one Cisco ASA extended access-list (IPv4 and IPv6)
    description:
      - Builds one ASA 9.x extended access-list from the flows that cross one interface in one direction
        (see docs/policy-model.md), IPv4 and IPv6 together.
      - Network object-groups (IPv4 and IPv6 members mixed) and service object-groups (tcp/udp
        C(port-object)s) where a side has several members; remarks cite the catalog ids; management
        first; a final explicit C(deny ip any any); C(access-group NAME in interface IF) when I(interface).
    options:
      _input:
        description: The flows (the C(flows) list of collab.firewall's uc_flows, or its whole result).
        type: raw
        required: true
      name:
        description: access-list name.
        type: str
        required: true
      interface:
        description: nameif to bind the access-list to.
        type: str
      direction:
        description: Direction of the C(access-group) binding.
        type: str
        choices: [in, out]
        default: in
      management:
        description:
          - Management block rendered first, C({sources, transport=tcp, ports=[22], destinations=any}).
        type: dict
      log_deny:
        description: Add C(log informational) to the final deny.
        type: bool
        default: false
"""

EXAMPLES = """
- name: Render
  ansible.builtin.set_fact:
    uc_asa: "{{ uc.flows | collab.firewall.to_asa_acl('UC-IN', interface='inside') }}"

- name: Object-groups
  cisco.asa.asa_ogs:
    config: "{{ uc_asa.ogs }}"
    state: merged

- name: Access-list
  cisco.asa.asa_acls:
    config: "{{ uc_asa.acls }}"
    state: replaced
"""

RETURN = """
  _value:
    description:
      - C(lines) ASA CLI (object-groups, access-list, access-group), C(ogs) the config for
        cisco.asa.asa_ogs, C(acls) the config for cisco.asa.asa_acls.
    type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import filter_options
from ansible_collections.collab.firewall.plugins.plugin_utils.render.asa import render_asa


PLUGIN = "collab.firewall.to_asa_acl"


def to_asa_acl(flows, name=None, interface=None, management=None, log_deny=False, direction="in"):
    opts = filter_options(PLUGIN, DOCUMENTATION, dict(name=name, interface=interface, management=management,
                                                      log_deny=log_deny, direction=direction))
    if not isinstance(flows, (list, tuple, dict)):
        raise AnsibleFilterError("%s: input must be a list of flows, got %r" % (PLUGIN, flows))
    try:
        return render_asa(flows, opts["name"], interface=opts["interface"], management=opts["management"],
                          log_deny=opts["log_deny"], direction=opts["direction"])
    except ValueError as exc:
        raise AnsibleFilterError("%s: %s" % (PLUGIN, exc))


class FilterModule(object):
    def filters(self):
        return {"to_asa_acl": to_asa_acl}
