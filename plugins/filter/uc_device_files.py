# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: uc_device_files
author: collab.firewall developers (@collab-firewall)
version_added: 1.0.0
short_description: Every rendered file of one router, firewall or voice gateway, as relative path to text
description:
  - Takes the ACL plan of one device (P(collab.firewall.uc_acl_flows#filter) with C(platform)) and returns the
    files of the device's output folder - IOS C(config.txt), C(ios_acls.yml), C(ios_acl_interfaces.yml),
    C(object_groups.yml), C(plan.json); ASA C(config.txt), C(asa_ogs.yml), C(asa_acls.yml),
    C(access_groups.txt), C(plan.json).
  - A voice gateway's plan (P(collab.firewall.uc_gateway_plan#filter)) gives C(config.txt) (voice block, ACLs,
    bindings), C(voice.txt), C(gateway.json) and, when it lists interfaces, the IOS files above.
  - The same function renders each device in the main job's one-pass render
    (M(collab.firewall.render_deployment)), so both give the same bytes.
options:
  _input:
    description: The result of C(collab.firewall.uc_acl_flows) called with C(platform), or of C(collab.firewall.uc_gateway_plan).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Write one router's configuration
  collab.firewall.write_tree:
    dest: "{{ uc_output_dir | default('out', true) }}/devices/{{ inventory_hostname }}"
    files: "{{ router_plan | collab.firewall.uc_device_files }}"
"""

RETURN = r"""
_value:
  description: Relative path (below the device's folder) to file content.
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.plugin_utils.output.tree import DEVICE_FILES, device_files


PLUGIN = "collab.firewall.uc_device_files"


def uc_device_files(plan):
    if not isinstance(plan, dict) or plan.get("platform") not in DEVICE_FILES or not (plan.get("device") or plan.get("voice")):
        raise AnsibleFilterError("%s: input must be the result of collab.firewall.uc_acl_flows with platform=%s, or "
                                 "of collab.firewall.uc_gateway_plan" % (PLUGIN, "|".join(sorted(DEVICE_FILES))))
    return device_files(plan)


class FilterModule(object):
    def filters(self):
        return {"uc_device_files": uc_device_files}
