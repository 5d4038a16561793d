# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The to_ios_acls filter plugin: a thin adapter over plugin_utils.render.ios."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = """
    name: to_ios_acls
    author: collab.firewall contributors
    version_added: 1.0.0
    short_description: Render flows as Cisco IOS/IOS-XE extended ACLs (IPv4 and IPv6)
    description:
      - Builds one named IPv4 extended ACL and one IPv6 ACL from the flows that cross one interface in one
        direction (see docs/policy-model.md).
      - Management (SSH from the management sources) first, one block per flow with remarks citing the
        catalog ids, a final explicit deny. Every ACE and remark has an explicit sequence number.
      - Ports are always numeric (C(eq n) or C(range a b)); several source or destination networks use a
        network object-group (C(object-group network) / C(object-group v6-network)).
    options:
      _input:
        description: The flows (the C(flows) list of collab.firewall's uc_flows, or its whole result).
        type: raw
        required: true
      name:
        description: IPv4 ACL name; the IPv6 ACL is named I(name) + C(-V6) (ios_acls keys ACLs by name only).
        type: str
        required: true
      management:
        description:
          - Management block rendered first, C({sources, transport=tcp, ports=[22], destinations=any}).
        type: dict
      log_deny:
        description: Add C(log) to the final deny.
        type: bool
        default: false
      use_object_groups:
        description: Use network object-groups for several sources/destinations instead of one ACE each.
        type: bool
        default: true
"""

EXAMPLES = """
- name: Render the ACL and push it with cisco.ios
  ansible.builtin.set_fact:
    uc_acl: "{{ uc.flows | collab.firewall.to_ios_acls('UC-IN', management={'sources': ['192.0.2.0/24']}) }}"

- name: Object-groups first (ios_acls does not manage them)
  cisco.ios.ios_config:
    lines: "{{ uc_acl.object_group_lines }}"
  when: uc_acl.object_group_lines | length > 0

- name: ACLs
  cisco.ios.ios_acls:
    config: "{{ uc_acl.acls }}"
    state: replaced
"""

RETURN = """
  _value:
    description:
      - C(acls) the C(config) list for cisco.ios.ios_acls, C(object_groups) the network groups as data
        (name, type, afi, members), C(object_group_lines) their IOS-XE CLI, C(lines) the whole CLI text.
    type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import filter_options
from ansible_collections.collab.firewall.plugins.plugin_utils.render.ios import render_ios


PLUGIN = "collab.firewall.to_ios_acls"


def to_ios_acls(flows, name=None, management=None, log_deny=False, use_object_groups=True):
    opts = filter_options(PLUGIN, DOCUMENTATION, dict(name=name, management=management, log_deny=log_deny,
                                                      use_object_groups=use_object_groups))
    if not isinstance(flows, (list, tuple, dict)):
        raise AnsibleFilterError("%s: input must be a list of flows, got %r" % (PLUGIN, flows))
    try:
        return render_ios(flows, opts["name"], management=opts["management"], log_deny=opts["log_deny"],
                          use_object_groups=opts["use_object_groups"])
    except ValueError as exc:
        raise AnsibleFilterError("%s: %s" % (PLUGIN, exc))


class FilterModule(object):
    def filters(self):
        return {"to_ios_acls": to_ios_acls}
