# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shipped playbooks that change hosts never aim at a UC appliance: with the example inventory and
host_firewall_state=applied, host_firewall.yml and site.yml target only the opt-in group uc_linux_hosts."""
from __future__ import absolute_import, division, print_function

import json
import os
import re
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.path.dirname(sys.executable)
EXAMPLE = os.path.join(ROOT, "inventory", "example")
ENV = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1")


def _uc_nodes():
    proc = subprocess.run([os.path.join(BIN, "ansible-inventory"), "-i", EXAMPLE, "--list"], capture_output=True,
                          text=True, check=True, env=ENV, cwd=ROOT)
    data = json.loads(proc.stdout)

    def members(group):
        found = set(data.get(group, {}).get("hosts", []))
        for child in data.get(group, {}).get("children", []):
            found |= members(child)
        return found

    # the appliances: the product groups' hosts; the gateways are IOS routers that ios_acl may push to
    return set().union(*(members(group) for group in ("publisher", "subscriber", "imp", "unity", "cvp")))


def _listed(playbook, *extra):
    proc = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", EXAMPLE, "--list-hosts",
                           os.path.join(ROOT, "playbooks", playbook), "-e", "host_firewall_state=applied"]
                          + list(extra), capture_output=True, text=True, check=False, env=ENV, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    plays = re.split(r"\n\s+play #\d+ ", proc.stdout)[1:]
    return dict((play.split(":", 1)[0].strip("()"), set(re.findall(r"^ {6}(\S+)$", play, re.M))) for play in plays)


@pytest.mark.parametrize("playbook", ["host_firewall.yml", "site.yml"])
def test_shipped_playbooks_list_no_uc_appliance(playbook):
    appliances = _uc_nodes()
    assert {"cucm-pub-1", "imp-1", "cuc-1", "cvp-call-1"} <= appliances  # the check below can fail
    plays = _listed(playbook)
    assert plays["uc_linux_hosts"] == set()
    assert all(not hosts & appliances for hosts in plays.values()), plays


def test_a_host_opted_in_is_targeted(tmp_path):
    overlay = tmp_path / "linux.yml"
    overlay.write_text("all:\n  children:\n    uc_linux_hosts:\n      hosts:\n        cucm-pub-1:\n")
    proc = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", EXAMPLE, "-i", str(overlay), "--list-hosts",
                           os.path.join(ROOT, "playbooks", "host_firewall.yml")], capture_output=True, text=True,
                          check=False, env=ENV, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert re.findall(r"^ {6}(\S+)$", proc.stdout, re.M) == ["cucm-pub-1"]


def test_the_audit_covers_every_device_the_network_playbook_configures():
    """Every router, voice gateway and firewall network_acls.yml (and so site.yml) configures is audited."""
    configured = set().union(*_listed("network_acls.yml").values())
    audited = set().union(*_listed("audit.yml").values())
    assert {"rtr-core-1", "asa-dc-1", "gw-hq-1", "gw-branch-1"} <= configured
    assert configured <= audited, configured - audited
