# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""host_firewall safety on a real kernel: a change that cuts SSH rolls itself back, a ruleset the validator
rejects is never activated, and drift in the live rules is noticed and repaired."""
from __future__ import absolute_import, division, print_function

import json
import os
import subprocess
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOK = os.path.join(os.path.dirname(os.sys.executable), "ansible-playbook")
ROLLBACK_SECONDS = 25
UC_INVENTORY = """
all:
  children:
    uc:
      children:
        publisher:
          hosts:
            {host}: {{}}
  vars:
    uc_zones:
      phone: [198.19.20.0/24]
      admin_workstation: [198.19.99.0/24]
    uc_features: [ntp]
    host_firewall_linux_host_confirmed: true
    host_firewall_backend: nftables
    host_firewall_rollback_seconds: {rollback}
    host_firewall_confirm_timeout: 8
"""


@pytest.fixture(scope="module")
def lab(netns_env_factory, tmp_path_factory):
    env = netns_env_factory("safe", 1)
    overlay = tmp_path_factory.mktemp("safe") / "uc.yml"
    overlay.write_text(UC_INVENTORY.format(host=env.host(1)["id"], rollback=ROLLBACK_SECONDS))
    return env, str(overlay)


def play(lab, *extra):
    env, overlay = lab
    cmd = [PLAYBOOK, "-i", env.inventory, "-i", overlay, os.path.join(ROOT, "playbooks", "host_firewall.yml"),
           "-e", "host_firewall_hosts=uc"] + list(extra)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=ROOT, check=False,
                          env=dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1"))


def live_table(env):
    result = env.exec(1, ["nft", "list", "table", "inet", "collab_uc"], check=False)
    return result.stdout if result.returncode == 0 else ""


def ssh_works(env):
    return subprocess.run(env.ssh_argv(1, "true"), capture_output=True, timeout=30, check=False).returncode == 0


def test_converge_then_no_change(lab):
    env, _overlay = lab
    first = play(lab)
    assert first.returncode == 0, first.stdout[-3000:]
    assert "tcp dport 22" in live_table(env) or "22" in live_table(env)
    second = play(lab)
    assert second.returncode == 0 and "changed=0" in second.stdout, second.stdout[-3000:]


def test_rejected_ruleset_is_never_activated(lab):
    env, _overlay = lab
    before = live_table(env)
    staged_before = env.exec(1, ["cat", "/var/lib/collab-firewall/nftables.staged"]).stdout
    result = play(lab, "-e", json.dumps({"uc_features": ["ntp", "snmp"], "__host_firewall_staged_suffix": "\nthis is not nftables\n"}))
    assert result.returncode != 0
    assert "Stage the nftables ruleset" in result.stdout and "failed to validate" in result.stdout, result.stdout[-3000:]
    assert live_table(env) == before
    assert env.exec(1, ["cat", "/var/lib/collab-firewall/nftables.staged"]).stdout == staged_before


def test_change_that_cuts_ssh_rolls_back(lab):
    env, _overlay = lab
    before = live_table(env)
    started = time.time()
    result = play(lab, "-e", json.dumps({
        "uc_features": ["ntp", "snmp"],
        "__host_firewall_after_activate": "nft insert rule inet collab_uc input tcp dport 22 drop"}))
    assert result.returncode != 0
    assert "restores its previous ruleset by itself" in result.stdout, result.stdout[-3000:]
    assert not ssh_works(env)
    # wait for the node's own rollback, then SSH works again and the previous ruleset is live
    deadline = started + ROLLBACK_SECONDS + 40
    while time.time() < deadline and not ssh_works(env):
        time.sleep(2)
    assert ssh_works(env), "the node did not roll back within %d s" % (deadline - started)
    assert live_table(env) == before
    assert env.exec(1, ["cat", "/var/lib/collab-firewall/rolled-back"], check=False).returncode == 0


def test_drift_is_noticed_and_repaired(lab):
    env, _overlay = lab
    assert play(lab).returncode == 0
    wanted = live_table(env)
    env.exec(1, ["nft", "insert", "rule", "inet", "collab_uc", "input", "tcp", "dport", "4444", "accept"])
    assert live_table(env) != wanted
    result = play(lab)
    assert result.returncode == 0
    assert "differs from the one activated last time" in result.stdout, result.stdout[-3000:]
    assert live_table(env) == wanted


def test_controller_inside_a_zone_range_keeps_ssh_with_firewalld(netns_env_factory, tmp_path):
    """The lockout we once caused by hand: a DROP zone whose source range held the controller's address.

    Here the phone zone covers the controller's own address and the admin zone does not; the role must still
    keep the controller's SSH (its zone is bound to the interface, never to sources, and management comes first).
    """
    env = netns_env_factory("lock", 1, firewalld=True)
    overlay = tmp_path / "uc.yml"
    overlay.write_text(UC_INVENTORY.format(host=env.host(1)["id"], rollback=ROLLBACK_SECONDS)
                       .replace("phone: [198.19.20.0/24]", "phone: [198.18.0.0/15]")
                       .replace("host_firewall_backend: nftables", "host_firewall_backend: firewalld"))
    for _attempt in range(2):
        result = play((env, str(overlay)))
        assert result.returncode == 0, result.stdout[-3000:]
        assert ssh_works(env)
    zones = env.exec(1, ["firewall-cmd", "--get-active-zones"]).stdout
    assert "collab-uc" in zones and "sources" not in zones


def test_playbooks_in_check_mode_change_nothing(lab):
    """After a converge, host_firewall.yml and site.yml in --check --diff report no change and touch nothing."""
    env, overlay = lab
    assert play(lab).returncode == 0
    before = live_table(env)
    check = play(lab, "--check", "--diff")
    assert check.returncode == 0 and "changed=0" in check.stdout, check.stdout[-3000:]
    site = subprocess.run([PLAYBOOK, "-i", env.inventory, "-i", overlay, os.path.join(ROOT, "playbooks", "site.yml"),
                           "-e", "host_firewall_hosts=uc", "--check", "--diff"],
                          capture_output=True, text=True, timeout=600, cwd=ROOT, check=False,
                          env=dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1"))
    assert site.returncode == 0 and "changed=0" in site.stdout, site.stdout[-3000:]
    assert live_table(env) == before


def test_installed_collection_sets_its_own_ssh_keepalives(lab, tmp_path):
    """Built and installed like a user's copy, run with no project ansible.cfg: every SSH command the role runs
    against the node (the apply and the confirm over a new connection) carries the keepalives the lockout guard
    needs, and drift is repaired through the whole commit-confirm."""
    env, overlay = lab
    galaxy = os.path.join(os.path.dirname(PLAYBOOK), "ansible-galaxy")
    subprocess.run([galaxy, "collection", "build", "--output-path", str(tmp_path), ROOT], check=True,
                   capture_output=True, timeout=300)
    tarball = [p for p in os.listdir(str(tmp_path)) if p.endswith(".tar.gz")][0]
    subprocess.run([galaxy, "collection", "install", "--no-deps", "-p", str(tmp_path / "installed"),
                    str(tmp_path / tarball)], check=True, capture_output=True, timeout=300)
    assert play(lab).returncode == 0
    env.exec(1, ["nft", "insert", "rule", "inet", "collab_uc", "input", "tcp", "dport", "4444", "accept"])
    empty_cfg = tmp_path / "empty.cfg"
    empty_cfg.write_text("[defaults]\n")
    result = subprocess.run(
        [PLAYBOOK, "-vvv", "-i", env.inventory, "-i", overlay, "collab.firewall.host_firewall",
         "-e", "host_firewall_hosts=uc"], capture_output=True, text=True, timeout=600, cwd=str(tmp_path),
        check=False, env=dict(os.environ, ANSIBLE_CONFIG=str(empty_cfg), ANSIBLE_NOCOLOR="1",
                              ANSIBLE_COLLECTIONS_PATH=str(tmp_path / "installed"), ANSIBLE_HOST_KEY_CHECKING="0"))
    assert result.returncode == 0, result.stdout[-3000:]
    assert str(tmp_path / "installed") in result.stdout  # the installed copy ran, not the checkout
    assert "differs from the one activated last time" in result.stdout
    address = env.host(1)["ipv4"]
    execs = [line for line in result.stdout.splitlines()
             if line.startswith("<%s> SSH: EXEC" % address) and " -O " not in line]
    assert len(execs) >= 2, result.stdout[-3000:]
    for line in execs:
        assert "-o ServerAliveInterval=5" in line and "-o ServerAliveCountMax=3" in line, line
    assert "tcp dport 4444" not in live_table(env)
