# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One converge on the node (apply, then confirm), with real nft in a throw-away network namespace: first run,
re-run without change, drift, check mode, a rejected candidate, the controller's address check, appliance
markers; and the node's own rollback timer run for real."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess

import pytest

from ansible_collections.collab.firewall.plugins.module_utils.host_firewall import converge, firewalld
from ansible_collections.collab.firewall.plugins.module_utils.host_firewall.common import (
    BackendError,
    arm,
    disarm,
    pending,
    read,
)
from ansible_collections.collab.firewall.plugins.module_utils.host_firewall.nftables import Nftables
from ansible_collections.collab.firewall.plugins.plugin_utils.apply.host import render
from ansible_collections.collab.firewall.tests.unit.plugins.plugin_utils.fixtures.render_samples import (
    POLICY,
    need_tool,
    policy,
)


class Node(object):
    """apply/confirm against a netns, with the boot-time files and the timer kept inside tmp_path."""

    def __init__(self, ns, runner, tmp_path, monkeypatch):
        self.ns, self.runner, self.state = ns, runner, str(tmp_path / "state")
        self.spawned = []
        etc = tmp_path / "etc"
        original = Nftables.__init__

        def init(backend, *args, **kwargs):
            kwargs.update(persistent=str(etc / "collab-uc.nft"), main_conf=str(etc / "nftables.conf"))
            original(backend, *args, **kwargs)
        monkeypatch.setattr(Nftables, "__init__", init)

    def params(self, pol=None, suffix="", **extra):
        params = {"backend": "nftables", "rulesets": render(pol or POLICY, ["nftables"], staged_suffix=suffix),
                  "table": "collab_uc", "state_dir": self.state, "token": "t0k3n", "rollback_seconds": 60,
                  "management_sources": None, "appliance_markers": []}
        params.update(extra)
        return params

    def apply(self, check_mode=False, environ=None, **params):
        return converge.apply(self.params(**params), check_mode=check_mode, runner=self.runner,
                              environ=environ or {}, spawn=self.spawned.append)

    def confirm(self, token="t0k3n"):
        return converge.confirm({"state_dir": self.state, "token": token, "table": "collab_uc"}, runner=self.runner)

    def live(self):
        return self.runner(["nft", "list", "table", "inet", "collab_uc"])[1]


@pytest.fixture
def node(netns, tmp_path, monkeypatch):
    need_tool("nft")
    return Node(netns[0], netns[1], tmp_path, monkeypatch)


def test_first_run_activates_arms_and_confirm_records(node):
    result = node.apply()
    assert result["changed"] and result["activated"] and result["new_ruleset"] and not result["recorded"]
    assert len(node.spawned) == 1 and "sleep 60" in node.spawned[0][-1]
    assert read(os.path.join(node.state, "armed")).strip() == "t0k3n"
    assert "dport { 2000, 5060-5061 }" in node.live()
    node.confirm()
    assert not os.path.exists(os.path.join(node.state, "armed"))
    again = node.apply()
    assert not again["changed"] and not again["drift"] and not again["new_ruleset"]
    assert len(node.spawned) == 1  # nothing armed on a re-run


def test_drift_is_repaired_and_check_mode_changes_nothing(node):
    node.apply()
    node.confirm()
    wanted = node.live()
    node.runner(["nft", "insert", "rule", "inet", "collab_uc", "input", "tcp", "dport", "4444", "accept"])
    checked = node.apply(check_mode=True)
    assert checked["changed"] and checked["drift"] and not checked["new_ruleset"] and checked["recorded"]
    assert "4444" in node.live() and len(node.spawned) == 1
    repaired = node.apply()
    assert repaired["activated"] and node.live() == wanted
    node.confirm()
    # a new policy in check mode: the diff shows it, the staged file and the live rules stay
    staged = read(os.path.join(node.state, "nftables.staged"))
    changed = node.apply(check_mode=True, pol=policy(ports=[8443]))
    assert changed["new_ruleset"] and "8443" in changed["diff"]["after"] and "8443" not in changed["diff"]["before"]
    assert read(os.path.join(node.state, "nftables.staged")) == staged and node.live() == wanted


def test_rejected_candidate_changes_nothing(node):
    node.apply()
    node.confirm()
    live, staged = node.live(), read(os.path.join(node.state, "nftables.staged"))
    with pytest.raises(BackendError) as err:
        node.apply(pol=policy(ports=[8443]), suffix="\nthis is not nftables\n")
    assert str(err.value).startswith("Stage the nftables ruleset: the candidate failed to validate")
    assert node.live() == live and read(os.path.join(node.state, "nftables.staged")) == staged
    assert sorted(os.listdir(node.state)) == sorted(["nftables.applied", "nftables.digest", "nftables.staged",
                                                     "previous", "rollback.sh"])


def test_controller_outside_the_management_sources_changes_nothing(node):
    result = node.apply(environ={"SSH_CLIENT": "203.0.113.9 50000 22"},
                        management_sources=["192.0.2.0/24"])
    assert result["uncovered"] == "203.0.113.9" and not result["changed"]
    assert node.live() == "" and not os.path.exists(node.state)
    covered = node.apply(environ={"SSH_CLIENT": "::ffff:192.0.2.7 50000 22"}, management_sources=["192.0.2.0/24"])
    assert covered["activated"] and covered["ssh_client"] == "::ffff:192.0.2.7"


def test_appliance_marker_refuses_before_anything(node, tmp_path):
    marker = tmp_path / "usr-local-cm"
    marker.mkdir()
    with pytest.raises(BackendError) as err:
        node.apply(appliance_markers=[str(marker)])
    assert str(err.value).startswith("Refuse an appliance: this node carries %s, so it is a Cisco UC appliance"
                                     % marker)
    assert "host_firewall_state=rendered" in str(err.value)
    assert node.live() == "" and not os.path.exists(node.state)


def test_confirm_refuses_a_foreign_token(node):
    node.apply()
    with pytest.raises(BackendError) as err:
        node.confirm(token="other")
    assert "not armed by this run" in str(err.value)


def test_backend_choice(tmp_path, monkeypatch):
    need_tool("nft")
    assert converge.choose_backend("nftables").name == "nftables"
    # a /proc without firewalld, then with one (the daemon runs under python3 on Debian)
    proc = tmp_path / "proc"
    for pid, argv in (("1", [b"/sbin/init"]), ("7", [b"sshd: /usr/sbin/sshd -D"])):
        (proc / pid).mkdir(parents=True)
        (proc / pid / "cmdline").write_bytes(b"\0".join(argv) + b"\0")
    monkeypatch.setattr(firewalld, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr(firewalld, "PROC", str(proc))
    with pytest.raises(BackendError) as err:
        converge.choose_backend("firewalld")
    assert "host_firewall_backend=firewalld but firewalld (firewall-cmd and a running daemon) is not usable" in str(err.value)
    assert converge.choose_backend("auto").name == "nftables"
    (proc / "42").mkdir()
    (proc / "42" / "cmdline").write_bytes(b"/usr/bin/python3\0/usr/sbin/firewalld\0--nofork\0")
    assert converge.choose_backend("auto").name == "firewalld"


def test_the_timer_rolls_back_unless_disarmed(tmp_path):
    """The detached timer for real (1 s): it runs the rollback script only while our token is armed."""
    state = str(tmp_path)
    for token, disarmed in (("a1", False), ("b2", True)):
        marker = tmp_path / ("ran-" + token)
        argv = []
        pending(state, "nftables", ["ruleset of %s\n" % token], "live", ["touch %s-cleaned" % marker])
        arm(state, token, 0, "touch %s" % marker, spawn=argv.extend)
        if disarmed:
            disarm(state, token)
        subprocess.run(argv, check=True, cwd=state, timeout=30)
        assert marker.exists() != disarmed
        # the confirmation made the activation current and cleaned up; a rolled-back one did neither
        assert os.path.exists(str(marker) + "-cleaned") == disarmed
        assert (read(os.path.join(state, "nftables.applied")) == "ruleset of %s\n" % token) == disarmed
        assert (read(os.path.join(state, "rolled-back"), "").strip() == token) != disarmed
    with pytest.raises(BackendError) as err:
        disarm(state, "a1")
    assert "not armed by this run" in str(err.value)
    arm(state, "c3", 0, "true", spawn=subprocess.run)
    with pytest.raises(BackendError) as err:
        disarm(state, "c3")
    assert "the rollback already fired" in str(err.value)
