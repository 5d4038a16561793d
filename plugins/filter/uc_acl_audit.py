# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: uc_acl_audit
author: collab.firewall developers (@collab-firewall)
version_added: 1.0.0
short_description: Audit a router's or firewall's ACLs against the UC flows that must cross its interfaces
description:
  - Takes the plan of collab.firewall.uc_acl_flows and the device's ACLs as the Cisco modules parse them, and
    evaluates them first-match.
  - C(missing) lists required flows (and the management block) that the device denies, with example packets;
    C(extra) lists device ACEs that permit sampled packets no required flow covers (samples come from the
    required flows' neighbourhood and from the device's own ACEs, so an empty list proves nothing);
    C(shadowed) lists ACEs that earlier ACEs cover entirely; C(bound) tells whether the ACL is applied to its
    interface in its direction.
  - Port names such as C(www), C(sip) or C(tftp) are compared by number.
  - The result carries a C(markdown) rendering of the whole report.
options:
  _input:
    description: The result of collab.firewall.uc_acl_flows for the device.
    type: dict
    required: true
  parsed:
    description:
      - IOS - the C(parsed) (or C(gathered)) list of cisco.ios.ios_acls.
      - ASA - the C(parsed) (or C(gathered)) config of cisco.asa.asa_acls.
    type: raw
    required: true
  platform:
    description: C(ios) or C(asa); defaults to the plan's platform.
    type: str
    choices: [ios, asa]
  running_config:
    description:
      - The device's running-config text. IOS object-group definitions are read from it (ios_acls does not
        parse them) and, on both platforms, the interface bindings.
    type: str
  ogs:
    description: ASA - the C(parsed) (or C(gathered)) list of cisco.asa.asa_ogs.
    type: list
    elements: dict
"""

EXAMPLES = r"""
- name: Audit a router from a saved running-config
  ansible.builtin.set_fact:
    rtr_audit: >-
      {{ rtr_plan | collab.firewall.uc_acl_audit(rtr_parsed.parsed, running_config=lookup('ansible.builtin.file',
         'fixtures/rtr-core-1.cfg')) }}

- name: Audit a firewall
  ansible.builtin.set_fact:
    fw_audit: "{{ fw_plan | collab.firewall.uc_acl_audit(fw_acls.parsed, ogs=fw_ogs.parsed, running_config=fw_text) }}"
"""

RETURN = r"""
_value:
  description: The audit report.
  type: dict
  contains:
    host:
      description: The device.
      type: str
    platform:
      description: C(ios) or C(asa).
      type: str
    summary:
      description: Counts of C(missing), C(extra), C(shadowed), C(absent) and C(unbound), and C(clean).
      type: dict
    acls:
      description: >-
        Per planned ACL - C(name), C(interface), C(nameif), C(direction), C(present) (per family),
        C(bound), C(required_flows), C(device_aces), C(missing), C(extra) and C(shadowed).
      type: list
    other_acls:
      description: ACLs on the device that the plan does not own.
      type: list
    markdown:
      description: The report as Markdown.
      type: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import filter_options
from ansible_collections.collab.firewall.plugins.plugin_utils.acl.audit import audit_device


PLUGIN = "collab.firewall.uc_acl_audit"


def uc_acl_audit(plan, parsed=None, platform=None, running_config=None, ogs=None):
    opts = filter_options(PLUGIN, DOCUMENTATION, dict(parsed=parsed, platform=platform, running_config=running_config,
                                                      ogs=ogs))
    if not isinstance(plan, dict) or "acls" not in plan:
        raise AnsibleFilterError("%s: input must be the result of uc_acl_flows, got %r" % (PLUGIN, plan))
    platform = opts["platform"] or plan.get("platform")
    try:
        return audit_device(plan, platform, opts["parsed"], running_config=opts["running_config"], ogs=opts["ogs"])
    except ValueError as exc:
        raise AnsibleFilterError("%s: %s" % (PLUGIN, exc))


class FilterModule(object):
    def filters(self):
        return {"uc_acl_audit": uc_acl_audit}
