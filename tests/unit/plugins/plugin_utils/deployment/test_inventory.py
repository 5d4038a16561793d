# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading the inventory: the one-source rule for deployment variables and the operator warnings."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.inventory import (
    FlowError,
    check_groups,
    deployment_variables,
    operator_warnings,
)


def test_one_value_everywhere_is_the_value():
    hostvars = {"a": {"uc_features": ["ntp"]}, "b": {"uc_features": ["ntp"]}}
    assert deployment_variables(hostvars, ["a", "b"], ["uc_features", "uc_zones"]) == {"uc_features": ["ntp"]}


def test_disagreement_names_variable_both_hosts_and_origins():
    hostvars = {"a": {"uc_features": ["ntp"]}, "b": {"uc_features": ["snmp"]}, "c": {}}
    origins = {("a", "uc_features"): "group_vars/all.yml", ("b", "uc_features"): "group_vars/unity.yml"}
    with pytest.raises(FlowError) as info:
        deployment_variables(hostvars, ["a", "b", "c"], ["uc_features"], origin=lambda h, v: origins.get((h, v)))
    assert str(info.value).startswith("inventory: uc_features: UC nodes disagree: a has ['ntp'] (from "
                                      "group_vars/all.yml), b has ['snmp'] (from group_vars/unity.yml); ")


def test_a_host_without_the_variable_disagrees_too():
    with pytest.raises(FlowError, match=r"^inventory: uc_release: UC nodes disagree: b has \{'cucm': '14'\}, "
                                        r"a does not set it;"):
        deployment_variables({"a": {}, "b": {"uc_release": {"cucm": "14"}}}, ["a", "b"], ["uc_release"])


def test_localhost_counts_only_when_it_sets_the_variable():
    hostvars = {"a": {"uc_features": ["ntp"]}, "b": {"uc_features": ["ntp"]}, "localhost": {}}
    assert deployment_variables(hostvars, ["a", "b"], ["uc_features"]) == {"uc_features": ["ntp"]}
    hostvars["localhost"] = {"uc_features": ["snmp"]}
    with pytest.raises(FlowError, match=r"^inventory: uc_features: UC nodes disagree: a has \['ntp'\], localhost has"):
        deployment_variables(hostvars, ["a", "b"], ["uc_features"])


def test_groups_check_passes_a_proper_inventory():
    check_groups({"uc": ["p", "g"], "publisher": ["p"], "gateways": ["g"], "uc_linux_hosts": ["p"], "mine": ["x"]})


def test_warning_lines():
    result = {"unresolved": [{"role": "vvb", "catalog_ids": ["cvp-1", "cvp-2"]},
                             {"role": "dhcp_server", "catalog_ids": ["cucm-9"]},
                             {"role": "unspecified", "catalog_ids": ["cvp-3"], "reason": "never opened"}],
              "skipped": [{"id": "x-1-tcp", "reason": "no destination port documented; set uc_port_overrides.x-1-tcp"},
                          {"id": "x-2-tcp", "reason": "feature snmp is not enabled (uc_features)"}],
              "zones": {"phone": ["0.0.0.0/0", "::/0"]},
              "management": {"sources": ["0.0.0.0/0"]}}
    assert operator_warnings(result, {"dhcp_server": []}, ["uc_management_sources"]) == [
        "zone vvb has no addresses, so cvp-1 cvp-2 stay closed; set uc_zones.vvb (or uc_zones.vvb: [] to leave it "
        "out on purpose)",
        "catalog entry x-1-tcp is not opened: no destination port documented; set uc_port_overrides.x-1-tcp",
        "uc_zones.phone holds 0.0.0.0/0, every address of the family (confirmed by uc_confirm_any_network)",
        "uc_zones.phone holds ::/0, every address of the family (confirmed by uc_confirm_any_network)",
        "every address (0.0.0.0/0) keeps SSH on every node (confirmed by uc_confirm_any_network)",
    ]
