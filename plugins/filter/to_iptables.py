# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter to_iptables: thin adapter over plugin_utils.render.iptables."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = """
name: to_iptables
author: collab.firewall maintainers
version_added: 1.0.0
short_description: Render a host policy as iptables-restore and ip6tables-restore text
description:
  - Takes the host policy of C(uc_host_policy) (see docs/policy-model.md) and returns one
    C(*filter) table per address family.
  - Order in INPUT is management (SSH), established/related, loopback, IPv6 neighbour discovery
    (IPv6 only), the UC rules, then an explicit commented DROP; the INPUT policy is DROP.
  - Loading a text with iptables-restore (without --noflush) replaces the whole filter table.
  - Ports use multiport (at most 15 per rule, a range counts as two); many sources share one
    chain per source list so port rules are not repeated per source.
options:
  _input:
    description: The host policy (keys C(host), C(management), C(rules)).
    type: dict
    required: true
"""

EXAMPLES = """
- name: Write the IPv4 and IPv6 rule files
  ansible.builtin.copy:
    content: "{{ (policy | collab.firewall.to_iptables)[item.key] }}"
    dest: "{{ item.value }}"
  loop: "{{ {'ipv4': '/etc/iptables/rules.v4', 'ipv6': '/etc/iptables/rules.v6'} | dict2items }}"
"""

RETURN = """
_value:
  description: C(ipv4) is iptables-restore input, C(ipv6) is ip6tables-restore input.
  type: dict
  contains:
    ipv4:
      description: iptables-restore text.
      type: str
    ipv6:
      description: ip6tables-restore text.
      type: str
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.plugins.plugin_utils.render.iptables import render_iptables


def to_iptables(policy):
    if not isinstance(policy, Mapping):
        raise AnsibleFilterError("to_iptables: input must be a host policy dict, got %r" % (policy,))
    try:
        return render_iptables(policy)
    except PolicyError as exc:
        raise AnsibleFilterError("to_iptables: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"to_iptables": to_iptables}
