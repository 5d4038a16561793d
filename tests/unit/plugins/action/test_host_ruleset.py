# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""collab.firewall.host_ruleset types its arguments strictly and, called by the host_firewall role, names the
role variable: Ansible's argument specs (the role's too) would turn a list into its text for a string option."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest

from ansible_collections.collab.firewall.plugins.action.host_ruleset import check_types
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError

PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")


@pytest.mark.parametrize("args, role, message", [
    ({"nftables_table": ["t"]}, True, "lab-1: host_firewall_nftables_table: must be a string, got a list ['t']"),
    ({"nftables_table": ["t"]}, False, "lab-1: nftables_table: must be a string, got a list ['t']"),
    ({"firewalld_zone": {"name": "uc"}}, True, "lab-1: host_firewall_firewalld_zone: must be a string, got a mapping"),
    ({"firewalld_interfaces": "eth0"}, True,
     "lab-1: host_firewall_firewalld_interfaces: must be a list, got the string 'eth0'"),
    ({"firewalld_interfaces": ["eth0", ["eth1"]]}, True,
     "lab-1: host_firewall_firewalld_interfaces[1]: must be a string, got a list ['eth1']"),
    ({"iptables_ipset": "maybe"}, True, "lab-1: host_firewall_iptables_ipset: must be a boolean"),
    ({"rollback_seconds": [60]}, True, "lab-1: host_firewall_rollback_seconds: must be an integer, got a list [60]"),
    ({"backend": ["nftables"]}, True, "lab-1: host_firewall_backend: must be a string, got a list ['nftables']"),
    ({"policy": "x"}, True, "lab-1: policy: must be a mapping, got the string 'x'"),
])
def test_bad_types_name_the_role_variable_or_the_option(args, role, message):
    with pytest.raises(CollabFirewallError) as info:
        check_types(args, "lab-1", role=role)
    assert str(info.value).startswith(message), str(info.value)


def test_values_ansible_converts_the_same_way_are_accepted():
    check_types({"nftables_table": "collab_uc", "rollback_seconds": "120", "confirm_timeout": 30,
                 "iptables_ipset": "false", "linux_host_confirmed": True, "firewalld_interfaces": [],
                 "policy": {}, "fault_staged_suffix": ""}, "lab-1", role=True)


INVENTORY = """
all:
  children:
    uc:
      children:
        publisher:
          hosts:
            lab-pub-1:
              # never contacted: without the check the run would end unreachable here (a benchmark-range
              # address), never on this machine
              ansible_host: 198.18.250.10
              ansible_connection: ssh
              ansible_timeout: 2
              host_firewall_linux_host_confirmed: true
              host_firewall_backend: nftables
              host_firewall_nftables_table: [collab_uc]
  vars:
    uc_zones:
      admin_workstation: [198.51.100.0/24]
"""


def test_the_role_in_applied_state_names_its_variable_before_contacting_the_node(tmp_path):
    (tmp_path / "inventory.yml").write_text(INVENTORY)
    play = [{"hosts": "uc", "gather_facts": False,
             "roles": [{"role": "collab.firewall.host_firewall", "vars": {"host_firewall_state": "applied"}}]}]
    (tmp_path / "play.yml").write_text(json.dumps(play))
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_STDOUT_CALLBACK="json", ANSIBLE_LOCALHOST_WARNING="0")
    proc = subprocess.run([PLAYBOOK, "-i", str(tmp_path / "inventory.yml"), str(tmp_path / "play.yml"), "--check"],
                          capture_output=True, text=True, env=env, timeout=180, check=False)
    out = json.loads(proc.stdout)
    results = [t["hosts"]["lab-pub-1"] for t in out["plays"][0]["tasks"] if "lab-pub-1" in t["hosts"]]
    failed = [r for r in results if r.get("failed")]
    assert proc.returncode != 0 and len(failed) == 1, proc.stdout[-3000:]
    assert failed[0]["msg"] == "lab-pub-1: host_firewall_nftables_table: must be a string, got a list ['collab_uc']"
    assert out["stats"]["lab-pub-1"]["unreachable"] == 0
