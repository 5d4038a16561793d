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
  - With O(ipset=true), every source list of more than one network becomes a C(hash:net) ipset (one per
    family), matched by C(-m set --match-set NAME src), so the number of rules does not grow with the
    number of source networks. The result then also holds C(ipsets), C(ipset restore) input that builds
    each set under a temporary name and swaps it in, and C(sets), the set names the rulesets use. Load the
    ipsets first, then the rulesets (a rule cannot name a missing set), then destroy the sets named
    C(<ipset_prefix>4-*) / C(<ipset_prefix>6-*) that are not in C(sets). Set names follow their content,
    so the rules still loaded keep their sets until the new ruleset replaces them.
  - Validate without touching the host by loading all three into a fresh network namespace, for example
    C(unshare -n sh -ec 'ipset restore < ipsets; iptables-restore --test < v4; ip6tables-restore --test < v6').
options:
  _input:
    description: The host policy (keys C(host), C(management), C(rules)).
    type: dict
    required: true
  ipset:
    description: Match source lists with ipsets instead of one rule per source network.
    type: bool
    default: false
  ipset_prefix:
    description: Prefix of the ipset names (a letter, then up to 14 letters, digits or underscores).
    type: str
    default: cfw
"""

EXAMPLES = """
- name: Write the IPv4 and IPv6 rule files
  ansible.builtin.copy:
    content: "{{ (policy | collab.firewall.to_iptables)[item.key] }}"
    dest: "{{ item.value }}"
  loop: "{{ {'ipv4': '/etc/iptables/rules.v4', 'ipv6': '/etc/iptables/rules.v6'} | dict2items }}"

- name: Render with ipsets (rule count flat in the number of phone subnets)
  ansible.builtin.set_fact:
    node_iptables: "{{ policy | collab.firewall.to_iptables(ipset=true) }}"

- name: Load the ipsets, then the rulesets
  ansible.builtin.shell: |
    set -e
    ipset restore < /var/lib/uc/ipsets.restore
    iptables-restore < /var/lib/uc/rules.v4
    ip6tables-restore < /var/lib/uc/rules.v6
  changed_when: true
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
    ipsets:
      description: With O(ipset=true), C(ipset restore) input for the sets the rulesets use.
      type: str
    sets:
      description: With O(ipset=true), the names of the sets the rulesets use, sorted.
      type: list
      elements: str
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import filter_options
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.plugins.plugin_utils.render.iptables import (
    IPSET_PREFIX,
    render_iptables,
    render_iptables_ipset,
)


PLUGIN = "collab.firewall.to_iptables"


def to_iptables(policy, ipset=False, ipset_prefix=IPSET_PREFIX):
    opts = filter_options(PLUGIN, DOCUMENTATION, dict(ipset=ipset, ipset_prefix=ipset_prefix))
    if not isinstance(policy, Mapping):
        raise AnsibleFilterError("%s: input must be a host policy dict, got %r" % (PLUGIN, policy))
    try:
        if opts["ipset"]:
            return render_iptables_ipset(policy, prefix=opts["ipset_prefix"])
        return render_iptables(policy)
    except PolicyError as exc:
        raise AnsibleFilterError("%s: %s" % (PLUGIN, exc))


class FilterModule(object):
    def filters(self):
        return {"to_iptables": to_iptables}
