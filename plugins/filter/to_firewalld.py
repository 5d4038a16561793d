# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter to_firewalld: thin adapter over plugin_utils.render.firewalld."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = """
name: to_firewalld
author: collab.firewall maintainers
version_added: 1.0.0
short_description: Render a host policy as a firewalld zone XML and ipset XMLs
description:
  - Takes the host policy of C(uc_host_policy) (see docs/policy-model.md) and returns a zone with
    target DROP whose rich rules accept management SSH first, then the UC flows, with sources in
    hash:net ipsets (one per distinct source list and family).
  - The zone XML has no source elements on purpose; a DROP zone bound to a source range would lock
    out SSH from that range. Bind the zone to the interface only.
  - ICMP, GRE, ESP and AH are rich rules with a protocol element, never icmp-block-inversion.
options:
  _input:
    description: The host policy (keys C(host), C(management), C(rules)).
    type: dict
    required: true
  zone:
    description: Zone name (1 to 17 letters, digits, underscores or dashes).
    type: str
    default: collab-uc
  interfaces:
    description: Interfaces bound to the zone in the zone XML itself.
    type: list
    elements: str
"""

EXAMPLES = """
- name: Render once
  ansible.builtin.set_fact:
    fw: "{{ policy | collab.firewall.to_firewalld(zone='collab-uc') }}"

- name: Write the ipsets
  ansible.builtin.copy:
    content: "{{ item.value }}"
    dest: "/etc/firewalld/ipsets/{{ item.key }}.xml"
  loop: "{{ fw.ipsets | dict2items }}"

- name: Write the zone
  ansible.builtin.copy:
    content: "{{ fw.zone_xml }}"
    dest: "/etc/firewalld/zones/{{ fw.zone }}.xml"
"""

RETURN = """
_value:
  description: The zone name, the zone XML and the ipset XMLs by ipset name.
  type: dict
  contains:
    zone:
      description: Zone name.
      type: str
    zone_xml:
      description: Content for /etc/firewalld/zones/<zone>.xml.
      type: str
    ipsets:
      description: Content for /etc/firewalld/ipsets/<name>.xml, by name.
      type: dict
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import filter_options
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.plugins.plugin_utils.render.firewalld import render_firewalld


PLUGIN = "collab.firewall.to_firewalld"


def to_firewalld(policy, zone="collab-uc", interfaces=None):
    opts = filter_options(PLUGIN, DOCUMENTATION, dict(zone=zone, interfaces=interfaces))
    if not isinstance(policy, Mapping):
        raise AnsibleFilterError("%s: input must be a host policy dict, got %r" % (PLUGIN, policy))
    try:
        return render_firewalld(policy, zone=opts["zone"], interfaces=list(opts["interfaces"] or []))
    except PolicyError as exc:
        raise AnsibleFilterError("%s: %s" % (PLUGIN, exc))


class FilterModule(object):
    def filters(self):
        return {"to_firewalld": to_firewalld}
