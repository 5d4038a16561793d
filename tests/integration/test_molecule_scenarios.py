# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Molecule works from the repository root and from extensions/, and the harness env names are per checkout.

`molecule list` and `molecule syntax` run from both places (Molecule's collection mode finds
extensions/molecule/ from the root); every playbook of every scenario passes ansible-playbook's syntax check;
and the env name the scenarios compute in Jinja is the one tests/hosts/netns_hosts.py computes for this
checkout, so `destroy` from either place removes this checkout's hosts and never another checkout's.
Nothing here creates hosts or containers (the `molecule` stage of tests/run.sh runs the netns scenarios).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import hashlib
import os
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
SCENARIOS_DIR = os.path.join(ROOT, "extensions", "molecule")
SCENARIOS = sorted(os.path.basename(os.path.dirname(p)) for p in glob.glob(os.path.join(SCENARIOS_DIR, "*", "molecule.yml")))
PLACES = {"root": ROOT, "extensions": os.path.join(ROOT, "extensions")}


def _env(**extra):
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""), ANSIBLE_NOCOLOR="1", NO_COLOR="1",
               ANSIBLE_FORCE_COLOR="0", PY_COLORS="0")
    env.pop("ANSIBLE_CONFIG", None)     # Molecule writes its own per scenario
    env.pop("MOLECULE_GLOB", None)
    env.update(extra)
    return env


def _run(command, cwd, env=None):
    proc = subprocess.run(command, cwd=cwd, env=env or _env(), capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode == 0, "%s in %s failed:\n%s\n%s" % (
        " ".join(command), cwd, proc.stdout[-3000:], proc.stderr[-3000:])
    return proc.stdout + proc.stderr


def test_the_scenarios():
    assert {"nftables", "iptables", "firewalld", "podman"} <= set(SCENARIOS), SCENARIOS


@pytest.mark.parametrize("place", sorted(PLACES))
def test_molecule_lists_every_scenario(place):
    out = _run([os.path.join(BIN, "molecule"), "list", "--format", "plain"], PLACES[place])
    listed = {line.split()[3] for line in out.splitlines() if line.split()[1:3] == ["default", "ansible"]}
    assert listed == set(SCENARIOS), out


@pytest.mark.parametrize("place", sorted(PLACES))
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_molecule_syntax(place, scenario, tmp_path):
    out = _run([os.path.join(BIN, "molecule"), "syntax", "-s", scenario], PLACES[place],
               env=_env(ANSIBLE_HOME=str(tmp_path)))
    # From a collection root Molecule's prerun would install this checkout into ~/.ansible/collections, where it
    # goes stale and shadows the checkout for ansible-lint and later runs: every scenario turns it off.
    assert _read(scenario)["prerun"] is False
    assert not glob.glob(str(tmp_path / "collections" / "ansible_collections" / "*")), os.listdir(str(tmp_path))
    converge = os.path.normpath(os.path.join(SCENARIOS_DIR, scenario, _read(scenario)["provisioner"]["playbooks"]["converge"]))
    assert "playbook: %s" % converge in out, out[-2000:]
    assert "Executed: Successful" in out, out[-2000:]


def _read(scenario):
    with open(os.path.join(SCENARIOS_DIR, scenario, "molecule.yml")) as handle:
        return yaml.safe_load(handle)


def _playbooks(scenario):
    folder = os.path.join(SCENARIOS_DIR, scenario)
    playbooks = _read(scenario)["provisioner"]["playbooks"]
    return sorted(os.path.normpath(os.path.join(folder, path)) for path in playbooks.values())


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_scenario_playbook_passes_the_syntax_check(scenario):
    for playbook in _playbooks(scenario):
        assert os.path.exists(playbook), playbook
        _run([os.path.join(BIN, "ansible-playbook"), "--syntax-check", "-i", "localhost,", playbook], ROOT)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenarios_confirm_their_hosts_are_not_appliances(scenario):
    """host_firewall refuses hosts of the UC product groups unless told they are Linux hosts you control; the
    podman scenario is not run here, so its inventory is checked like the others'."""
    everyone = _read(scenario)["provisioner"]["inventory"]["group_vars"]["all"]
    assert everyone.get("host_firewall_linux_host_confirmed") is True, scenario


def _checkout_env_name(prefix):
    """The rule of checkout_env_name in tests/hosts/netns_hosts.py, written out."""
    return "%s%s" % (prefix, hashlib.sha1(os.path.realpath(ROOT).encode()).hexdigest()[:6])


def test_harness_names_envs_per_checkout(tmp_path):
    out = _run([sys.executable, os.path.join(ROOT, "tests", "hosts", "netns_hosts.py"), "envname", "--prefix", "mnft"],
               ROOT)
    assert out.strip() == _checkout_env_name("mnft")
    other = _run([sys.executable, os.path.join(ROOT, "tests", "hosts", "netns_hosts.py"), "envname", "--prefix",
                  "mnft", "--checkout", str(tmp_path)], ROOT)
    assert other.strip() != out.strip()


@pytest.mark.parametrize("place", sorted(PLACES))
def test_scenarios_compute_the_same_env_name_from_both_places(place):
    shared = os.path.join(SCENARIOS_DIR, "shared")
    env = dict(_env(), COLLAB_FW_ENV="mnft")
    out = _run([os.path.join(BIN, "ansible"), "localhost", "--playbook-dir", os.path.relpath(shared, PLACES[place]),
                "-e", "@" + os.path.relpath(os.path.join(shared, "vars.yml"), PLACES[place]),
                "-m", "ansible.builtin.debug", "-a", "msg={{ collab_fw_env }}|{{ collab_fw_harness }}"],
               PLACES[place], env=env)
    name, harness = out.split('"msg": "', 1)[1].split('"', 1)[0].split("|")
    assert name == _checkout_env_name("mnft")
    assert harness == os.path.join(os.path.realpath(ROOT), "tests", "hosts", "netns_hosts.py")
