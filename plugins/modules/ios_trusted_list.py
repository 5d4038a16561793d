# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: ios_trusted_list
author: collab.firewall developers (@collab-firewall)
version_added: 1.0.0
short_description: Plan the change of a voice gateway's IOS trusted list against its running configuration
description:
  - Compares the C(voice service voip) / C(ip address trusted list) entries of a running configuration with
    the gateway's trusted list (the C(trusted_list) of the gateway's plan, see docs/gateways.md) and returns
    the entry lines to push, C(no ...) lines first.
  - IOS keeps no description per entry, so what the collection owns is what it pushed before (O(owned)) -
    O(state=replaced) removes the owned entries the deployment no longer wants; entries the operator added
    (neither wanted nor owned) are never removed. O(state=merged) only adds.
  - Runs on the controller and changes nothing itself - the role pushes RV(commands) with
    cisco.ios.ios_config under RV(parents) and keeps RV(owned) for the next run. Works offline (a saved
    running configuration), in check mode and with diff (the trusted list before and after).
options:
  running_config:
    description: The gateway's configuration text (C(show running-config) or its voice section).
    type: str
    required: true
  trusted:
    description: The wanted list, C(ipv4) and C(ipv6) lists of CIDRs; must not be empty.
    type: dict
    required: true
  owned:
    description: The entries (CIDRs) the collection pushed before; empty on the first push.
    type: list
    elements: str
    default: []
  state:
    description: V(replaced) also removes stale owned entries, V(merged) only adds.
    type: str
    choices: [merged, replaced]
    default: replaced
  host:
    description: The gateway's name in messages (default the inventory host).
    type: str
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: full
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: posix
seealso:
  - module: cisco.ios.ios_config
"""

EXAMPLES = r"""
- name: Plan the trusted list against a saved configuration
  collab.firewall.ios_trusted_list:
    running_config: "{{ lookup('ansible.builtin.file', 'gw-hq-1.cfg') }}"
    trusted: {ipv4: [10.10.1.11/32, 10.10.1.12/32], ipv6: []}
    owned: [10.10.1.11/32, 10.10.1.99/32]
  register: trusted

- name: Push the change
  cisco.ios.ios_config:
    parents: "{{ trusted.parents }}"
    lines: "{{ trusted.commands }}"
  when: trusted.changed
"""

RETURN = r"""
commands:
  description: Entry lines to enter under RV(parents), removals (C(no ipv4 ...)) first.
  type: list
  elements: str
  returned: always
parents:
  description: The configuration modes of the entries, C([voice service voip, ip address trusted list]).
  type: list
  elements: str
  returned: always
add:
  description: CIDRs to add.
  type: list
  elements: str
  returned: always
remove:
  description: Owned CIDRs to remove (state replaced).
  type: list
  elements: str
  returned: always
operator:
  description: CIDRs of the running list neither wanted nor owned - the operator's own, left as they are.
  type: list
  elements: str
  returned: always
owned:
  description: What the collection owns after the push - keep it for the next run's O(owned).
  type: list
  elements: str
  returned: always
"""
