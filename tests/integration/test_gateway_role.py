# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ios_acl role on the example's voice gateways, offline: rendered files with check mode and diff, and the
trusted-list plan against a saved configuration (what replaced removes and keeps), in check mode with diff."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from ansible_collections.collab.firewall.tests.integration import test_network_roles

run = test_network_roles.run
pytestmark = test_network_roles.pytestmark

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PLAY = """
- hosts: gateways
  gather_facts: false
  roles:
    - role: collab.firewall.ios_acl
"""
SAVED = """hostname gw-branch-1
!
voice service voip
 ip address trusted list
  ipv4 10.10.1.11
  ipv4 10.10.1.99
  ipv4 192.0.2.0 255.255.255.0
 allow-connections sip to sip
!
"""


def _vars(tmp_path, **extra):
    data = {"ios_acl_output_dir": str(tmp_path / "devices"), "ios_acl_trusted_list_record_dir": str(tmp_path / "owned")}
    data.update(extra)
    return ["-e", json.dumps(data)]


def test_rendered_gateways_check_mode_and_diff(tmp_path):
    (tmp_path / "play.yml").write_text(PLAY)
    run(["play.yml"] + _vars(tmp_path), tmp_path)
    voice = tmp_path / "devices" / "gw-hq-1" / "voice.txt"
    assert voice.read_text().startswith("voice service voip\n ip address trusted list\n  ipv4 10.10.1.11\n")
    assert (tmp_path / "devices" / "gw-hq-1" / "ios_acls.yml").is_file()
    voice.write_text("voice service voip\n ip address trusted list\n  ipv4 10.10.1.99\n")
    proc = run(["play.yml", "--check", "--diff"] + _vars(tmp_path), tmp_path)
    assert "-  ipv4 10.10.1.99" in proc.stdout and "+  ipv4 10.10.1.11" in proc.stdout
    assert voice.read_text() == "voice service voip\n ip address trusted list\n  ipv4 10.10.1.99\n"  # check mode
    assert not (tmp_path / "owned").exists()  # rendering records nothing


def test_trusted_list_plan_against_a_saved_configuration(tmp_path):
    (tmp_path / "play.yml").write_text(PLAY)
    (tmp_path / "saved.cfg").write_text(SAVED)
    record = tmp_path / "owned" / "gw-branch-1" / "trusted-list-owned.json"
    record.parent.mkdir(parents=True)
    record.write_text(json.dumps(["10.10.1.11/32", "10.10.1.99/32"]))
    saved = str(tmp_path / "saved.cfg")
    options = _vars(tmp_path, ios_acl_state="replaced", ios_acl_interfaces=[], ios_acl_running_config_file=saved)
    args = ["play.yml", "--limit", "gw-branch-1"] + options
    proc = run(args + ["--check", "--diff"], tmp_path)
    out = proc.stdout
    task = out[out.index("TASK [collab.firewall.ios_acl : Plan the trusted-list change]"):]
    task = task[:task.index("TASK [", 10)]
    # the stale entry the role pushed before goes, the operator's stays, the missing peers come
    assert "-  ipv4 10.10.1.99" in task and "+  ipv4 10.10.1.12" in task and "+  ipv6 2001:db8:10:1::11/128" in task
    assert "  ipv4 192.0.2.0 255.255.255.0" in task and "-  ipv4 192.0.2.0" not in task
    assert "changed: [gw-branch-1]" in task
    assert json.loads(record.read_text()) == ["10.10.1.11/32", "10.10.1.99/32"]  # check mode writes no record
    # a real push never starts from a saved configuration
    proc = run(args, tmp_path, check=False)
    assert proc.returncode != 0
    assert "gw-branch-1: ios_acl_running_config_file plans the trusted list offline" in proc.stdout
