# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""collab.firewall.uc_gateway_plan and uc_device_files on a gateway plan: options checked, errors named."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.filter.uc_device_files import uc_device_files
from ansible_collections.collab.firewall.plugins.filter.uc_flows import uc_flows
from ansible_collections.collab.firewall.plugins.filter.uc_gateway_plan import uc_gateway_plan
from ansible_collections.collab.firewall.tests.unit.plugins.plugin_utils.deployment.test_gateways import second_inventory


@pytest.fixture(scope="module")
def deployment():
    return uc_flows(*second_inventory())


def test_plan_and_files(deployment):
    plan = uc_gateway_plan(deployment, "gw", [{"name": "Gi0/1", "zones": ["phone"]}], management="yes")
    assert plan["trusted_list"]["peers"] == ["cvp-cs", "sub-a", "sub-b"]
    files = uc_device_files(plan)
    assert "ios_acls.yml" in files and files["config.txt"].startswith("voice service voip\n")
    assert sorted(uc_device_files(uc_gateway_plan(deployment, "gw"))) == ["config.txt", "gateway.json", "voice.txt"]


@pytest.mark.parametrize("call, message", [
    (lambda d: uc_gateway_plan(d, "sub-a"), "collab.firewall.uc_gateway_plan: sub-a: gateways: is not a host of the gateways"),
    (lambda d: uc_gateway_plan(d, "gw", "Gi0/1"), "collab.firewall.uc_gateway_plan: interfaces:"),
    (lambda d: uc_gateway_plan(d, "gw", log_deny="maybe"), "collab.firewall.uc_gateway_plan: log_deny:"),
    (lambda d: uc_gateway_plan([], "gw"), "collab.firewall.uc_gateway_plan: input must be the result of uc_flows"),
    (lambda d: uc_gateway_plan(d, "gw", [{"name": "Gi0/1", "zones": ["phones"]}]), "gw: ios_acl_interfaces[0].zones: unknown"),
])
def test_errors(deployment, call, message):
    with pytest.raises(AnsibleFilterError) as exc:
        call(deployment)
    assert message in str(exc.value)
