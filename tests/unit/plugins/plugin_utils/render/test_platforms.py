# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The platform table and the whole-device rendering (device_plan / render_device)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.interfaces import AclFlowError
from ansible_collections.collab.firewall.plugins.plugin_utils.render.platforms import (
    PLATFORMS,
    acl_platforms,
    device_plan,
    render_device,
)
from ansible_collections.collab.firewall.tests.unit.plugins.plugin_utils.deployment.test_interfaces import RESULT


def test_the_table_registers_every_platform():
    assert sorted(PLATFORMS) == ["asa", "firewalld", "ios", "iptables", "nftables"]
    assert acl_platforms() == ["asa", "ios"]


def test_unknown_platform_names_the_host():
    with pytest.raises(AclFlowError) as exc:
        render_device([], "nxos", host="rtr-9")
    assert "rtr-9: platform: 'nxos' is not one of asa, ios" in str(exc.value)


def test_ios_device_config_binds_both_families_and_both_directions():
    plan = device_plan(RESULT, [{"name": "GigabitEthernet0/3", "zones": ["publisher"], "direction": "both"}],
                       "rtr-1", platform="ios")
    assert [a["name"] for a in plan["acls"]] == ["UC-GI0-3-IN", "UC-GI0-3-OUT"]
    device = plan["device"]
    assert device["acl_interfaces"] == [{"name": "GigabitEthernet0/3", "access_groups": [
        {"afi": "ipv4", "acls": [{"name": "UC-GI0-3-IN", "direction": "in"}, {"name": "UC-GI0-3-OUT", "direction": "out"}]},
        {"afi": "ipv6", "acls": [{"name": "UC-GI0-3-IN-V6", "direction": "in"},
                                 {"name": "UC-GI0-3-OUT-V6", "direction": "out"}]}]}]
    assert " ipv6 traffic-filter UC-GI0-3-OUT-V6 out" in device["lines"]
    assert [a["name"] for a in device["acls"][0]["acls"]] == ["UC-GI0-3-IN", "UC-GI0-3-OUT"]
    # management reaches the publisher from outside: SSH first in the OUT ACL
    out_aces = device["acls"][0]["acls"][1]["aces"]
    assert out_aces[0]["remarks"] == ["management ssh"]


def test_object_groups_are_defined_once_per_device():
    interfaces = [{"name": "Gi0/1", "zones": ["phone"]}, {"name": "Gi0/2", "zones": ["endpoint"]}]
    device = device_plan(RESULT, interfaces, "rtr-1", platform="ios")["device"]
    headers = [line for line in device["object_group_lines"] if line.startswith("object-group")]
    assert len(headers) == len(set(headers)) == len(device["object_group_blocks"])
    for block in device["object_group_blocks"]:
        assert all(not line.startswith(" ") for line in block["lines"])


def test_asa_device_config_has_access_groups_per_direction():
    interfaces = [{"name": "Gi0/0", "nameif": "outside", "zones": ["phone", "endpoint"], "direction": "both"}]
    device = device_plan(RESULT, interfaces, "fw-1", platform="asa")["device"]
    assert device["access_group_lines"] == ["access-group UC-OUTSIDE-IN in interface outside",
                                            "access-group UC-OUTSIDE-OUT out interface outside"]
    assert [a["name"] for a in device["acls"]["acls"]] == ["UC-OUTSIDE-IN", "UC-OUTSIDE-OUT"]
    assert device["lines"][-2:] == device["access_group_lines"]
