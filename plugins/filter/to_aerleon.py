# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The to_aerleon filter plugin: a thin adapter over plugin_utils.render.aerleon."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = """
    name: to_aerleon
    author: collab.firewall developers (@collab-firewall)
    version_added: 1.0.0
    short_description: Write the deployment's flows as Aerleon input (definitions and a YAML policy)
    description:
      - Turns the flows of collab.firewall's uc_flows (see docs/policy-model.md) into the input of
        L(Aerleon,https://github.com/aerleon/aerleon) C(aclgen), to compile with Aerleon for the
        C(cisco), C(ciscoasa), C(iptables) and C(nftables) targets.
      - Returns three file contents, YAML network definitions, YAML service definitions and a YAML policy.
        Put the first two in the definitions directory and the policy in a C(pol) directory under
        C(--base_directory).
      - Terms are management SSH first (when management sources are known), one term per flow (an ICMP
        flow with both address families becomes an C(icmp) and an C(icmpv6) term), then C(default-deny).
        Every network, service and term is preceded by a YAML comment citing its catalog ids; each term's
        C(comment) holds the description and as many catalog ids as fit in 120 characters.
      - The C(iptables) target gets a second filter with the same terms for IPv6 (C(INPUT DROP inet6)),
        since an Aerleon iptables filter holds one address family.
    options:
      _input:
        description: The uc_flows result, or a list of flows.
        type: raw
        required: true
      name:
        description: ACL name of the C(cisco) and C(ciscoasa) targets (Aerleon names the IPv6 IOS ACL C(ipv6-)I(name)).
        type: str
        default: UC-ACL
      targets:
        description: Aerleon targets to write headers for.
        type: list
        elements: str
        choices: [cisco, ciscoasa, iptables, nftables]
        default: [cisco, ciscoasa, iptables, nftables]
      management:
        description:
          - Management block, C({sources, transport=tcp, ports=[22]}), written as the first term.
          - Defaults to the C(management) of the uc_flows result when the input is that result.
        type: dict
      host:
        description:
          - Only the flows towards this UC node, with its addresses as destinations (the counterpart of
            the host policy renderers). Needs the uc_flows result as input.
        type: str
"""

EXAMPLES = """
- name: Make Aerleon's folders
  ansible.builtin.file:
    path: "aerleon/{{ item }}"
    state: directory
    mode: "0755"
  loop: [def, policies/pol]

- name: Write Aerleon input for the deployment
  ansible.builtin.copy:
    content: "{{ aerleon[item.key] }}"
    dest: "aerleon/{{ item.value }}"
    mode: "0644"
  loop: "{{ {'networks': 'def/uc_networks.yaml', 'services': 'def/uc_services.yaml', 'policy': 'policies/pol/uc.yaml'} | dict2items }}"
  vars:
    aerleon: "{{ hostvars | collab.firewall.uc_flows(groups) | collab.firewall.to_aerleon(name='UC-IN') }}"
"""

RETURN = """
  _value:
    description: File contents.
    type: dict
    contains:
      networks:
        description: Aerleon YAML network definitions (C(networks:)).
        type: str
      services:
        description: Aerleon YAML service definitions (C(services:)).
        type: str
      policy:
        description: Aerleon YAML policy (C(filters:) with C(header) and C(terms)).
        type: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import filter_options
from ansible_collections.collab.firewall.plugins.plugin_utils.render.aerleon import TARGETS, render_aerleon


PLUGIN = "collab.firewall.to_aerleon"


def to_aerleon(flows, name="UC-ACL", targets=None, management=None, host=None):
    opts = filter_options(PLUGIN, DOCUMENTATION, dict(name=name, targets=targets, management=management, host=host))
    if not isinstance(flows, (list, tuple, dict)):
        raise AnsibleFilterError("%s: input must be the uc_flows result or a list of flows, got %r" % (PLUGIN, flows))
    try:
        return render_aerleon(flows, name=opts["name"], targets=list(TARGETS) if targets is None else opts["targets"],
                              management=opts["management"], host=opts["host"])
    except ValueError as exc:
        raise AnsibleFilterError("%s: %s" % (PLUGIN, exc))


class FilterModule(object):
    def filters(self):
        return {"to_aerleon": to_aerleon}
