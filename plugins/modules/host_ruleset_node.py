#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: host_ruleset_node
author: collab.firewall developers (@collab-firewall)
version_added: 1.0.0
short_description: The node side of collab.firewall.host_ruleset (stage, validate, activate, confirm)
description:
  - Runs on the managed node for P(collab.firewall.host_ruleset#module), which renders the rulesets on the
    controller and drives the commit-confirm. Use that one; this module is its node-side half.
  - With O(step=apply) it refuses a node that carries a Cisco UC appliance marker, picks the backend, writes
    the candidate files, validates them with the backend's own tool (C(nft -c), C(iptables-restore --test),
    C(ipset restore) under temporary names, firewalld's own readers), compares them and the live rules with
    what was activated last time, and when something differs saves the current ruleset, arms the node's own
    rollback timer and activates the new ruleset in one transaction per tool.
  - With O(step=confirm) (over a new SSH connection) it disarms that rollback and records the live ruleset for
    the next drift check.
options:
  step:
    description: C(apply) or C(confirm).
    type: str
    choices: [apply, confirm]
    default: apply
  backend:
    description: C(firewalld), C(nftables), C(iptables), or C(auto) (firewalld if running, else nftables, else iptables).
    type: str
    choices: [auto, firewalld, nftables, iptables]
    default: auto
  rulesets:
    description:
      - The rendered rulesets by backend; C(auto) needs all three.
      - C(nftables) is an nft script; C(iptables) is a dict with C(ipv4) and C(ipv6); C(iptables_ipset) the
        same with C(ipsets) (C(ipset restore) text that swaps each set in), used instead of C(iptables) when the
        node has the C(ipset) tool; C(firewalld) is the result of the to_firewalld filter.
    type: dict
    default: {}
  management_sources:
    description:
      - The management sources of the rendered ruleset. When the address this SSH session comes from is not in
        them, nothing is done and RV(uncovered) names it, so that the controller renders again with it.
    type: list
    elements: str
  table:
    description: The nftables C(inet) table the role owns.
    type: str
    default: collab_uc
  zone:
    description: The firewalld zone the role owns.
    type: str
    default: collab-uc
  interfaces:
    description: Interfaces bound to the firewalld zone; empty means the one holding O(address).
    type: list
    elements: str
    default: []
  address:
    description: The node's address as the controller reaches it (finds the firewalld interface).
    type: str
  rollback_seconds:
    description: Seconds after which the node restores its previous ruleset unless confirmed.
    type: int
    default: 120
  token:
    description: The commit-confirm token of this run (arming and confirming).
    type: str
  state_dir:
    description: The node folder for staged files, snapshots and the rollback script.
    type: path
    default: /var/lib/collab-firewall
  appliance_markers:
    description: Paths whose presence marks a Cisco UC appliance; the module then changes nothing and fails.
    type: list
    elements: path
    default: [/usr/local/cm, /usr/local/platform]
  after_activate:
    description: Fault injection for the collection's own safety tests (a shell command run right after activation).
    type: str
attributes:
  check_mode:
    description: Validates and compares; changes nothing.
    support: full
  diff_mode:
    description: The ruleset activated last time against the staged one.
    support: full
  platform:
    description: Linux with nftables, iptables (optionally ipset) or firewalld.
    support: full
    platforms: posix
"""

EXAMPLES = r"""
# Normally used through collab.firewall.host_ruleset, which renders the rulesets and confirms the change.
- name: Stage, validate and compare only
  collab.firewall.host_ruleset_node:
    backend: nftables
    rulesets:
      nftables: "{{ policy | collab.firewall.to_nftables }}"
  check_mode: true
"""

RETURN = r"""
backend:
  description: The backend used.
  type: str
  returned: always
new_ruleset:
  description: The staged ruleset differs from the one activated last time.
  type: bool
  returned: step=apply
drift:
  description: The live rules differ from what was recorded at the last confirmed activation.
  type: bool
  returned: step=apply
recorded:
  description: A digest from an earlier confirmed activation exists.
  type: bool
  returned: step=apply
staged:
  description: The staged file names.
  type: list
  elements: str
  returned: step=apply
uncovered:
  description: The SSH client address missing from O(management_sources) (nothing was done).
  type: str
  returned: when it happens
ipsets:
  description: The iptables ruleset uses ipsets (the node has the C(ipset) tool and they were rendered).
  type: bool
  returned: with the iptables backend
ssh_client:
  description: The address the node sees this SSH session come from.
  type: str
  returned: step=apply
activated:
  description: The new ruleset is live and the rollback is armed.
  type: bool
  returned: when it happens
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.collab.firewall.plugins.module_utils.host_firewall.common import BackendError
from ansible_collections.collab.firewall.plugins.module_utils.host_firewall.converge import apply, confirm


def main():
    module = AnsibleModule(
        argument_spec=dict(
            step=dict(type="str", choices=["apply", "confirm"], default="apply"),
            backend=dict(type="str", choices=["auto", "firewalld", "nftables", "iptables"], default="auto"),
            rulesets=dict(type="dict", default={}),
            management_sources=dict(type="list", elements="str"),
            table=dict(type="str", default="collab_uc"),
            zone=dict(type="str", default="collab-uc"),
            interfaces=dict(type="list", elements="str", default=[]),
            address=dict(type="str"),
            rollback_seconds=dict(type="int", default=120),
            token=dict(type="str", no_log=True),
            state_dir=dict(type="path", default="/var/lib/collab-firewall"),
            appliance_markers=dict(type="list", elements="path",
                                   default=["/usr/local/cm", "/usr/local/platform"]),
            after_activate=dict(type="str"),
        ),
        supports_check_mode=True,
    )
    try:
        if module.params["step"] == "confirm":
            result = confirm(module.params)
        else:
            result = apply(module.params, check_mode=module.check_mode)
    except BackendError as exc:
        module.fail_json(msg=str(exc), step=exc.step)
    if not module._diff:
        result.pop("diff", None)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
