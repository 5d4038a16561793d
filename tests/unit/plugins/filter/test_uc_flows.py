# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The flow filters are thin adapters: inventory defaults, argument checks, error conversion."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.filter.uc_explain import uc_explain
from ansible_collections.collab.firewall.plugins.filter.uc_flows import FilterModule, uc_flows
from ansible_collections.collab.firewall.plugins.filter.uc_host_policy import uc_host_policy

ZONES = {"phone": ["10.20.0.0/16"], "admin_workstation": ["10.99.0.0/24"]}
HOSTVARS = {
    "pub": {"ansible_host": "10.1.0.10", "uc_zones": ZONES, "uc_features": ["ntp"]},
    "sub": {"ansible_host": "10.1.0.11", "uc_zones": ZONES, "uc_features": ["ntp"]},
}
GROUPS = {"publisher": ["pub"], "subscriber": ["sub"], "uc": ["pub", "sub"]}


def test_registered_under_its_own_name():
    assert FilterModule().filters() == {"uc_flows": uc_flows}


def test_inventory_variables_are_the_defaults():
    result = uc_flows(HOSTVARS, GROUPS)
    assert result["features"] == ["ntp"]
    assert result["zones"]["phone"] == ["10.20.0.0/16"]
    assert uc_flows(HOSTVARS, GROUPS, features=[])["features"] == []


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: uc_flows(HOSTVARS, GROUPS, colour="red"), "collab.firewall.uc_flows: unknown option(s) colour"),
        (lambda: uc_flows("hostvars", GROUPS), "use it as hostvars | collab.firewall.uc_flows(groups)"),
        (lambda: uc_flows(HOSTVARS, GROUPS, zones={"phone": ["x"]}), "collab.firewall.uc_flows: inventory: uc_zones.phone"),
        (lambda: uc_host_policy({}, "pub"), "collab.firewall.uc_host_policy: input must be the result"),
        (lambda: uc_host_policy(uc_flows(HOSTVARS, GROUPS), "gw"), "collab.firewall.uc_host_policy: gw: inventory_hostname"),
        (lambda: uc_explain([], "a", "b", 1), "collab.firewall.uc_explain: input must be the result"),
        (lambda: uc_explain(uc_flows(HOSTVARS, GROUPS), "10.20.0.1", "pub", 1, "sctp"),
         "collab.firewall.uc_explain: transport: 'sctp' is not one of"),
    ],
)
def test_errors_name_the_filter(call, message):
    with pytest.raises(AnsibleFilterError) as info:
        call()
    assert message in str(info.value)


def test_explain_and_policy_through_the_filters():
    result = uc_flows(HOSTVARS, GROUPS)
    assert uc_explain(result, "10.20.0.1", "sub", 2000, "tcp")["allowed"]
    policy = uc_host_policy(result, "sub", management_sources=["192.0.2.1"])
    assert "192.0.2.1/32" in policy["management"]["sources"]


@pytest.fixture
def warnings(monkeypatch):
    from ansible_collections.collab.firewall.plugins.filter import uc_flows as module

    lines = []
    monkeypatch.setattr(module._display, "warning", lines.append)
    return lines


def test_unresolved_zones_are_warnings_one_line_each(warnings):
    result = uc_flows(HOSTVARS, GROUPS, features=["ntp", "ldap_sync"])
    unresolved = [u for u in result["unresolved"] if "reason" not in u]
    assert unresolved and len(warnings) == len(unresolved)
    for item, line in zip(unresolved, warnings):
        assert line == ("collab.firewall.uc_flows: zone %s has no addresses, so %s stay closed; set uc_zones.%s (or "
                        "uc_zones.%s: [] to leave it out on purpose)"
                        % (item["role"], " ".join(item["catalog_ids"]), item["role"], item["role"]))
    assert any("zone ldap_directory has no addresses" in line for line in warnings)


def test_a_zone_left_out_on_purpose_is_not_warned_about(warnings):
    zones = dict(ZONES, ldap_directory=[], ntp_server=[])
    result = uc_flows(HOSTVARS, GROUPS, features=["ntp", "ldap_sync"], zones=zones)
    assert "ldap_directory" in [u["role"] for u in result["unresolved"]]  # still reported
    assert not any("ldap_directory" in line or "ntp_server" in line for line in warnings)


def test_strict_zones_keeps_them_errors(warnings):
    with pytest.raises(AnsibleFilterError, match=r"^collab.firewall.uc_flows: inventory: uc_zones: no addresses for"):
        uc_flows(HOSTVARS, GROUPS, strict_zones="yes")
    assert warnings == []


def test_confirmed_any_network_is_warned(warnings):
    zones = dict(ZONES, phone=["0.0.0.0/0"])
    result = uc_flows(HOSTVARS, GROUPS, zones=zones, confirm_any_network=["uc_zones.phone"])
    assert result["zones"]["phone"] == ["0.0.0.0/0"]
    assert ("collab.firewall.uc_flows: uc_zones.phone holds 0.0.0.0/0, every address of the family (confirmed by "
            "uc_confirm_any_network)") in warnings
