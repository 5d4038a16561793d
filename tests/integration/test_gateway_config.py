# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A voice gateway's rendered configuration read back by cisco.ios.ios_acls (state parsed): the whole
config.txt of each gateway of the example and of the second inventory, voice block and bindings included."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.collab.firewall.plugins.filter.uc_flows import uc_flows
from ansible_collections.collab.firewall.plugins.plugin_utils.output.tree import gateway_files, gateway_plan
from ansible_collections.collab.firewall.plugins.plugin_utils.render.ios_voice import parse_trusted_list
from ansible_collections.collab.firewall.tests.integration.test_cisco_modules_playbook import (
    _lower_addresses,
    run_play,
)
from ansible_collections.collab.firewall.tests.unit.plugins.plugin_utils.deployment.test_gateways import (
    example_inventory,
    second_inventory,
)

TASKS = """
    - name: parsed from the gateway's config.txt
      cisco.ios.ios_acls: {state: parsed, running_config: "{{ config }}"}
    - name: interface bindings parsed from it
      cisco.ios.ios_acl_interfaces: {state: parsed, running_config: "{{ shown }}"}
"""


def _as_shown(text):
    """config.txt as ``show running-config | section interface`` shows it: "!" before each interface block,
    without the voice block. The module's binding regex also takes a trusted-list entry ``  ipv6 <prefix>``
    for an access-group without a name (cisco.ios quirk); it never sees the voice block on a device, where
    ios_acl_interfaces gathers the interface section only."""
    out = []
    for line in text.splitlines():
        if line.startswith("interface "):
            out.extend(["!", line])
        elif out:
            out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("inventory", [example_inventory, second_inventory])
def test_gateway_config_round_trips_through_ios_acls_parsed(tmp_path, inventory):
    hostvars, groups = inventory()
    deployment = uc_flows(hostvars, groups)
    plans = dict((gw, gateway_plan(deployment, gw, hostvars[gw]["ios_acl_interfaces"])) for gw in groups["gateways"])
    for gateway, plan in sorted(plans.items()):
        config = gateway_files(plan)["config.txt"]
        results = run_play(tmp_path, "cisco.ios.ios", TASKS, {"config": config, "shown": _as_shown(config)})
        parsed = results[0]["parsed"]
        # the push view: what ios_acls can represent (it drops the ND types nd-ns / nd-na, written by ios_config)
        assert _lower_addresses(parsed) == plan["device"]["module_acls"], gateway
        bound = sorted((i["name"], a["afi"], acl["name"], acl["direction"]) for i in results[1]["parsed"]
                       for a in i["access_groups"] for acl in a["acls"])
        assert bound == sorted((p["interface"], afi, p[key], "in") for p in plan["acls"]
                               for afi, key in (("ipv4", "name"), ("ipv6", "name6")))
        # the voice block of the same text reads back as the trusted list
        voice = parse_trusted_list(config)
        assert voice["ipv4"] == plan["trusted_list"]["ipv4"] and voice["ipv6"] == plan["trusted_list"]["ipv6"]
