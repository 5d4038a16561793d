# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: uc_diff
author: collab.firewall developers (@collab-firewall)
version_added: 1.0.0
short_description: What a new UC deployment adds, removes and changes against an old one
description:
  - "Compares two rendered trees (the folder P(collab.firewall.render_deployment#module) writes, or the same
    files as a dict of relative path to text): the flows between individual nodes and zones, each UC node's
    inbound rules and each router's and firewall's ACLs."
  - Flows are C(added), C(removed) or C(changed) (ports, source and destination addresses, catalog rows);
    the comparison is exact, so an empty diff means the same packets are allowed.
  - Two inventories, two git revisions of one inventory or two catalog releases of a product are compared by
    rendering each into a folder first; C(playbooks/diff.yml) does that.
options:
  _input:
    description: The new deployment's rendered tree (a folder, or a dict of relative path to text).
    type: raw
    required: true
  base:
    description: The old deployment's rendered tree (a folder, or a dict of relative path to text).
    type: raw
    required: true
  format:
    description: C(data) returns the diff as a dict; C(json), C(markdown) and C(html) return report text.
    type: str
    choices: [data, json, markdown, html]
    default: data
  old_name:
    description: What the reports call the old side (an inventory path, a git revision).
    type: str
    default: old
  new_name:
    description: What the reports call the new side.
    type: str
    default: new
"""

EXAMPLES = r"""
- name: Write the change for a ticket (below uc_output_dir, the folder created when missing)
  collab.firewall.write_tree:
    dest: "{{ uc_output_dir | default('out') }}/diff"
    files:
      diff.md: "{{ uc_output_dir | default('out') | collab.firewall.uc_diff('/srv/previous-render', format='markdown') }}"

- name: Fail when a change opens anything
  ansible.builtin.assert:
    that: (new_tree | collab.firewall.uc_diff(old_tree)).added | length == 0
"""

RETURN = r"""
_value:
  description: With C(format=data) the diff, else the report text.
  type: raw
  contains:
    added:
      description: Flows (source name, destination name, transport) the new deployment opens and the old did not.
      type: list
      elements: dict
    removed:
      description: Flows the old deployment opened and the new does not.
      type: list
      elements: dict
    changed:
      description: Flows in both with other ports, addresses or catalog rows (C(ports_added), C(sources_removed), ...).
      type: list
      elements: dict
    hosts:
      description: Per UC node the inbound rules added and removed (C(rules_added), C(rules_removed)).
      type: list
      elements: dict
    devices:
      description: Per router or firewall the ACL flow changes and the configuration lines added and removed.
      type: list
      elements: dict
    settings:
      description: Releases, features, nodes and addresses that differ.
      type: dict
    empty:
      description: True when nothing differs.
      type: bool
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.report.diff import DIFF_FORMATS, diff_report, diff_trees

FORMATS = ("data",) + DIFF_FORMATS


def uc_diff(new, base, format="data", old_name="old", new_name="new"):  # pylint: disable=redefined-builtin
    for name, value in (("input", new), ("base", base)):
        if not isinstance(value, (str, dict)):
            raise AnsibleFilterError("collab.firewall.uc_diff: %s must be a rendered tree (a folder or a dict of "
                                     "path to text), got %s" % (name, type(value).__name__))
    if format not in FORMATS:
        raise AnsibleFilterError("collab.firewall.uc_diff: format %r is not one of %s" % (format, ", ".join(FORMATS)))
    try:
        diff = diff_trees(base if isinstance(base, str) else dict(base), new if isinstance(new, str) else dict(new))
        if format == "data":
            return diff
        return diff_report(diff, load_catalog(), format, old_name=str(old_name), new_name=str(new_name))
    except (CollabFirewallError, OSError) as exc:
        raise AnsibleFilterError("collab.firewall.uc_diff: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"uc_diff": uc_diff}
