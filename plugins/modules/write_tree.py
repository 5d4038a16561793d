# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: write_tree
author: collab.firewall developers (@collab-firewall)
version_added: 1.0.0
short_description: Write a set of rendered files into a folder on the controller
description:
  - Writes each file of O(files) under O(dest) on the Ansible controller, only when its content differs,
    and optionally removes files under O(dest) that are not in O(files).
  - Runs entirely in the controller process (an action plugin), so rendering a deployment's rulesets
    contacts no managed node and costs no module round trip per file.
  - Supports check mode and diff.
options:
  dest:
    description: Folder on the controller; created when missing.
    type: path
    required: true
  files:
    description: Relative path (below O(dest)) to file content.
    type: dict
    required: true
  prune:
    description: Remove files below O(dest) that are not listed in O(files).
    type: bool
    default: false
  mode:
    description: Permissions of written files.
    type: str
    default: "0644"
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
notes:
  - Paths in O(files) must be relative and stay below O(dest).
"""

EXAMPLES = r"""
- name: Write a node's rendered rulesets
  collab.firewall.write_tree:
    dest: "{{ playbook_dir }}/../out/hosts/{{ inventory_hostname }}"
    files:
      nftables.nft: "{{ policy | collab.firewall.to_nftables }}"
      policy.json: "{{ policy | to_nice_json }}"
    prune: true
"""

RETURN = r"""
written:
  description: Relative paths whose content was (or, in check mode, would be) written.
  type: list
  elements: str
  returned: always
removed:
  description: Relative paths that were (or would be) removed by O(prune).
  type: list
  elements: str
  returned: always
"""
