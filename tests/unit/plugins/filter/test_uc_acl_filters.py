# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The uc_acl_flows and uc_acl_audit filters: registration and error messages."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.filter.uc_acl_audit import FilterModule as AuditFilters
from ansible_collections.collab.firewall.plugins.filter.uc_acl_audit import uc_acl_audit
from ansible_collections.collab.firewall.plugins.filter.uc_acl_flows import FilterModule as FlowFilters
from ansible_collections.collab.firewall.plugins.filter.uc_acl_flows import uc_acl_flows
from ansible_collections.collab.firewall.tests.unit.plugins.plugin_utils.deployment.test_interfaces import RESULT


def test_registered_under_their_own_names():
    assert FlowFilters().filters() == {"uc_acl_flows": uc_acl_flows}
    assert AuditFilters().filters() == {"uc_acl_audit": uc_acl_audit}


def test_plan_then_audit():
    plan = uc_acl_flows(RESULT, [{"name": "Gi0/1", "zones": ["phone"]}], host="rtr-1", platform="ios")
    report = uc_acl_audit(plan, plan["device"]["acls"], running_config="\n".join(plan["device"]["lines"]))
    assert report["summary"]["clean"] and report["platform"] == "ios"


@pytest.mark.parametrize("call, message", [
    (lambda: uc_acl_flows("x", []), "collab.firewall.uc_acl_flows: input must be the result of uc_flows, got 'x'"),
    (lambda: uc_acl_flows(RESULT), "collab.firewall.uc_acl_flows: interfaces: is required"),
    (lambda: uc_acl_flows(RESULT, [], log_deny="maybe"),
     "collab.firewall.uc_acl_flows: log_deny: must be a boolean (true/false, yes/no, on/off, 1/0), got the string 'maybe'"),
    (lambda: uc_acl_flows(RESULT, [{"name": "Gi0/1", "zones": ["moon"]}], host="rtr-1", variable="ios_acl_interfaces"),
     "collab.firewall.uc_acl_flows: rtr-1: ios_acl_interfaces[0].zones: unknown zone 'moon'"),
    (lambda: uc_acl_audit([], []), "collab.firewall.uc_acl_audit: input must be the result of uc_acl_flows, got []"),
    (lambda: uc_acl_audit({"acls": []}), "collab.firewall.uc_acl_audit: parsed: is required"),
    (lambda: uc_acl_audit({"acls": []}, [], platform="ios", running_config=[3]),
     "collab.firewall.uc_acl_audit: running_config: must be a string, got a list [3]"),
    (lambda: uc_acl_audit({"acls": []}, [], platform="nx"), "collab.firewall.uc_acl_audit: platform: 'nx' is not one of"),
])
def test_errors_name_the_filter_and_quote_the_value(call, message):
    with pytest.raises(AnsibleFilterError) as exc:
        call()
    assert message in str(exc.value)
