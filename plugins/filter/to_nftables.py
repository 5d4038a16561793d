# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter to_nftables: thin adapter over plugin_utils.render.nftables."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = """
name: to_nftables
author: collab.firewall maintainers
version_added: 1.0.0
short_description: Render a host policy as an nft -f script with its own inet table
description:
  - Takes the host policy of C(uc_host_policy) (see docs/policy-model.md) and returns one
    C(nft -f) text that replaces only C(table inet <table>).
  - The input chain (hook input priority 0, policy drop) holds management (SSH), established/related,
    loopback, IPv6 neighbour discovery, then the UC rules.
  - Sources are named interval sets, one per distinct source list and family, so the rule count does
    not grow with the number of source networks.
  - Rules in other nftables tables still apply; a drop there still drops.
options:
  _input:
    description: The host policy (keys C(host), C(management), C(rules)).
    type: dict
    required: true
  table:
    description: Name of the inet table (a letter, then letters, digits or underscores).
    type: str
    default: collab_uc
"""

EXAMPLES = """
- name: Write the nftables script
  ansible.builtin.copy:
    content: "{{ policy | collab.firewall.to_nftables(table='collab_uc') }}"
    dest: /etc/nftables.d/collab_uc.nft
    validate: nft -c -f %s
"""

RETURN = """
_value:
  description: The nft script text.
  type: str
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import filter_options
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.plugins.plugin_utils.render.nftables import render_nftables


PLUGIN = "collab.firewall.to_nftables"


def to_nftables(policy, table="collab_uc"):
    opts = filter_options(PLUGIN, DOCUMENTATION, dict(table=table))
    if not isinstance(policy, Mapping):
        raise AnsibleFilterError("%s: input must be a host policy dict, got %r" % (PLUGIN, policy))
    try:
        return render_nftables(policy, table=opts["table"])
    except PolicyError as exc:
        raise AnsibleFilterError("%s: %s" % (PLUGIN, exc))


class FilterModule(object):
    def filters(self):
        return {"to_nftables": to_nftables}
