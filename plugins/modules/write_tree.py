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
  - All or nothing - when anything changes, the whole new tree is built in a staging folder next to O(dest)
    (unchanged files are hard links, so they keep their modification time) and swapped with O(dest) in one
    rename. A run that fails (bad path, full disk, permissions) leaves O(dest) exactly as it was.
  - Runs entirely in the controller process (an action plugin), so rendering a deployment's rulesets
    contacts no managed node and costs no module round trip per file.
  - Supports check mode and diff.
options:
  dest:
    description:
      - Folder on the controller; created when missing. A relative path is taken from the folder
        ansible-playbook runs from. A folder inside the collection itself is refused.
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
  keep:
    description: Top-level names below O(dest) that O(prune) leaves alone (for example C(audit)).
    type: list
    elements: str
    default: []
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
  - Paths in O(files) must be relative and stay below O(dest) (no C(..), no absolute path); symlinks found
    below O(dest) are never followed.
"""

EXAMPLES = r"""
- name: Write a node's rendered rulesets
  collab.firewall.write_tree:
    dest: "{{ uc_output_dir | default('out', true) }}/hosts/{{ inventory_hostname }}"
    files:
      nftables.nft: "{{ policy | collab.firewall.to_nftables }}"
      policy.json: "{{ policy | to_nice_json }}"
    prune: true
"""

RETURN = r"""
dest:
  description: The absolute folder written.
  type: str
  returned: always
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
