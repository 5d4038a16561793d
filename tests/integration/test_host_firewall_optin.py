# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Applying host firewalls is opt-in: host_firewall_state=applied refuses, before contacting it, a host in a UC
product group that is not confirmed as a Linux host you control and any Windows host, saying why and how to
render instead; a confirmed Linux host is accepted (here in check mode, on a local connection inside a throw-away
network namespace, so this machine's own firewall is never at stake)."""
from __future__ import absolute_import, division, print_function

import os
import shutil
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
INVENTORY = """
all:
  children:
    uc:
      children:
        publisher:
          hosts:
            cucm-pub-1: {{ansible_host: 192.0.2.1}}
            lab-pub-1:
              ansible_host: 198.18.250.10
              ansible_connection: local
              ansible_python_interpreter: {python}
              host_firewall_linux_host_confirmed: true
              host_firewall_backend: nftables
        cvp:
          hosts:
            cvp-1: {{ansible_host: 192.0.2.2, ansible_os_family: Windows, host_firewall_linux_host_confirmed: true}}
  vars:
    uc_cluster: lab
    uc_zones:
      admin_workstation: [198.51.100.0/24]
      phone: [198.19.20.0/24]
"""


def test_appliances_and_windows_are_refused_a_confirmed_linux_host_is_accepted(tmp_path):
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("nft"):
        pytest.skip("needs root, unshare and nft (the accepted host is checked inside its own network namespace)")
    inventory = tmp_path / "uc.yml"
    inventory.write_text(INVENTORY.format(python=sys.executable))
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    proc = subprocess.run(["unshare", "-n", PLAYBOOK, "-i", str(inventory), os.path.join(ROOT, "playbooks",
                           "host_firewall.yml"), "-e", "host_firewall_hosts=uc", "--check"],
                          capture_output=True, text=True, timeout=300, check=False, env=env, cwd=ROOT)
    out = proc.stdout
    assert proc.returncode != 0, out[-3000:]
    assert ("cucm-pub-1: host_firewall_state=applied refused: the host is in the UC product group publisher, "
            "and UC appliances (CUCM, IM and Presence, Unity Connection) manage their own firewall.") in out, out[-3000:]
    assert "set host_firewall_linux_host_confirmed: true for it" in out
    assert "cvp-1: host_firewall_state=applied refused: the host runs Windows (Unified CVP does)" in out
    assert "Render its rulesets instead (host_firewall_state=rendered, or playbooks/render.yml)" in out
    # refused before any connection: failed, never unreachable
    recap = {line.split()[0]: line for line in out.splitlines() if " : ok=" in line}
    for host in ("cucm-pub-1", "cvp-1"):
        assert "failed=1" in recap[host] and "unreachable=0" in recap[host], recap
    # the confirmed Linux host is staged, validated and compared (check mode: nothing changes)
    assert "changed=1" in recap["lab-pub-1"] and "failed=0" in recap["lab-pub-1"], out[-3000:]


UNREACHABLE_INVENTORY = """
all:
  children:
    uc_linux_hosts:
      hosts:
        lab-sftp-1:
    uc:
      children:
        subscriber:
          hosts:
            lab-sftp-1:
              ansible_host: 127.0.0.1
              ansible_port: 1
              ansible_connection: ansible.builtin.ssh
              ansible_ssh_common_args: -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
              host_firewall_linux_host_confirmed: true
  vars:
    uc_cluster: lab
    uc_cucm_services: [tftp]
    uc_zones:
      admin_workstation: [198.51.100.0/24]
"""


@pytest.mark.parametrize("check", [True, False])
def test_a_node_never_reached_is_unreachable_not_a_lost_session_after_activation(tmp_path, check):
    """An SSH connection that fails before anything is sent (here: nothing listens on 127.0.0.1:1; for a user it
    was a host key not yet known) is the host's UNREACHABLE at once. It used to be taken for a session cut by the
    new ruleset: 30 s of confirm attempts, then "after activating the new ruleset ... restores its previous
    ruleset", in check mode too."""
    inventory = tmp_path / "uc.yml"
    inventory.write_text(UNREACHABLE_INVENTORY)
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    args = [PLAYBOOK, "-i", str(inventory), os.path.join(ROOT, "playbooks", "host_firewall.yml")]
    started = time.monotonic()
    proc = subprocess.run(args + (["--check"] if check else []), capture_output=True, text=True, timeout=300,
                          check=False, env=env, cwd=str(tmp_path))
    elapsed = time.monotonic() - started
    out = proc.stdout
    assert proc.returncode != 0, out[-3000:]
    recap = {line.split()[0]: line for line in out.splitlines() if " : ok=" in line}
    assert "unreachable=1" in recap["lab-sftp-1"] and "changed=0" in recap["lab-sftp-1"], out[-3000:]
    assert "Connection refused" in out or "port 1" in out, out[-3000:]
    assert "after activating" not in out and "restores its previous ruleset" not in out, out[-3000:]
    assert elapsed < 25, elapsed  # no confirm loop (confirm_timeout is 30 s)
