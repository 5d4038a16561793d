# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: host_ruleset
author: collab.firewall developers (@collab-firewall)
version_added: 1.0.0
short_description: Put a host policy on a Linux node in one validated transaction with commit-confirm
description:
  - Renders the node's policy on the controller for the backend (nftables, iptables, firewalld), then does the
    node's work in one call of P(collab.firewall.host_ruleset_node#module) - stage, validate with the tool's
    own checker, compare with what was activated last time and with the live rules (drift), and when anything
    differs save the live ruleset, arm the node's own rollback timer and activate.
  - After an activation the controller drops its SSH connection, opens a new one within O(confirm_timeout)
    and disarms the rollback through it. If it cannot, the task fails and the node restores its previous
    ruleset by itself after O(rollback_seconds).
  - The address the controller's SSH session comes from always keeps SSH (O(keep_controller_ssh)).
  - Refuses, before contacting the node, a host that runs Windows or is in a UC product group (C(publisher),
    C(subscriber), C(imp), C(unity), C(cvp)) unless O(linux_host_confirmed); the node module refuses a node
    that carries a Cisco UC appliance marker.
  - On SSH connections it adds keepalives (C(ServerAliveInterval=5), C(ServerAliveCountMax=3)) unless the
    connection settings already have them, so a session the new ruleset drops ends within seconds.
  - Runs as an action plugin; a re-run that finds nothing to do costs one module call.
options:
  policy:
    description: The node's inbound policy, the result of the P(collab.firewall.uc_host_policy#filter) filter.
    type: dict
    required: true
  backend:
    description: C(firewalld), C(nftables), C(iptables), or C(auto) (firewalld if running, else nftables, else iptables).
    type: str
    choices: [auto, firewalld, nftables, iptables]
    default: auto
  nftables_table:
    description: The nftables C(inet) table this module owns.
    type: str
    default: collab_uc
  firewalld_zone:
    description: The firewalld zone this module owns.
    type: str
    default: collab-uc
  firewalld_interfaces:
    description: Interfaces bound to the zone; empty means the interface holding the node's address.
    type: list
    elements: str
    default: []
  iptables_ipset:
    description:
      - iptables - match source lists with C(hash:net) ipsets, loaded atomically with the rules (C(ipset restore)
        with swap, then C(iptables-restore)); a node without the C(ipset) tool gets the plain ruleset.
    type: bool
    default: true
  keep_controller_ssh:
    description: Add the address the controller connects from to the management sources.
    type: bool
    default: true
  rollback_seconds:
    description: Seconds after which the node restores its previous ruleset unless confirmed.
    type: int
    default: 120
  confirm_timeout:
    description: Seconds the controller tries to open a new connection (more than 10 below O(rollback_seconds)).
    type: int
    default: 30
  linux_host_confirmed:
    description: The host is a Linux host you control, even though it is in a UC product group.
    type: bool
    default: false
  ssh_keepalive:
    description: Add SSH keepalives to this host's connection unless they are already configured.
    type: bool
    default: true
  fault_staged_suffix:
    description: Fault injection for the collection's own safety tests (text appended to the nftables ruleset).
    type: str
    default: ""
  fault_after_activate:
    description: Fault injection for the collection's own safety tests (a shell command run after activation).
    type: str
    default: ""
attributes:
  action:
    description: Runs on the controller and calls its node-side module once per run, twice when it activates.
    support: full
  check_mode:
    description: Stages and validates in a scratch folder, compares, changes nothing.
    support: full
  diff_mode:
    description: The ruleset activated last time against the new one.
    support: full
  platform:
    description: Linux nodes with nftables, iptables or firewalld.
    support: full
    platforms: posix
notes:
  - The role collab.firewall.host_firewall calls this module; see its README for the whole procedure.
"""

EXAMPLES = r"""
- name: The node's policy, with commit-confirm
  collab.firewall.host_ruleset:
    policy: "{{ uc_deployment | collab.firewall.uc_host_policy(inventory_hostname) }}"
    backend: nftables
    rollback_seconds: 120
    confirm_timeout: 30
    linux_host_confirmed: true
"""

RETURN = r"""
backend:
  description: The backend used on the node.
  type: str
  returned: when the node was contacted
new_ruleset:
  description: The rendered ruleset differs from the one activated last time.
  type: bool
  returned: when the node was contacted
drift:
  description: The live rules differ from what was recorded at the last confirmed activation.
  type: bool
  returned: when the node was contacted
drift_message:
  description: A sentence for the play output when the live rules drifted and are (or would be) restored.
  type: str
  returned: when it happens
confirmed:
  description: A new SSH connection worked after activation and disarmed the rollback.
  type: bool
  returned: after an activation
ipsets:
  description: The iptables ruleset uses ipsets on this node.
  type: bool
  returned: with the iptables backend
ssh_client:
  description: The address the node sees the controller's SSH session come from.
  type: str
  returned: when the node was contacted
"""
