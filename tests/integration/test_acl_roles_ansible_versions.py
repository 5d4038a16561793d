# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ios_acl / asa_acl with `ansible` 11 (ansible-core 2.18, this venv) and `ansible` 12 (ansible-core 2.19, which no
longer carries cisco.asa), on the second inventory (tests/integration/inventory_site, site entries and scopes):

- rendering needs no connection plugin and no cisco collection, and writes the same bytes with both;
- offline idempotency: the rendered CLI read back with the modules' ``parsed`` state equals the structures the role
  pushes, and the exact audit of a running-config equal to the rendering finds nothing (an empty plan);
- auditing an ASA with `ansible` 12 says how to install cisco.asa.

The `ansible` 12 virtualenv is created once and cached (COLLAB_FW_ANSIBLE12_VENV, default
/var/cache/collab-firewall/venv-ansible12; about a minute with PyPI reachable).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import filecmp
import json
import os
import subprocess
import sys

import pytest
import yaml

from ansible_collections.collab.firewall.plugins.plugin_utils.render.ios import module_view

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SITE = os.path.join(ROOT, "tests", "integration", "inventory_site")
COLLECTIONS = os.environ.get("ANSIBLE_COLLECTIONS_PATH", "")
VENV12 = os.environ.get("COLLAB_FW_ANSIBLE12_VENV", "/var/cache/collab-firewall/venv-ansible12")
BIN11 = os.path.dirname(sys.executable)

pytestmark = pytest.mark.skipif(not COLLECTIONS or not os.path.exists(os.path.join(BIN11, "ansible-playbook")),
                                reason="needs ANSIBLE_COLLECTIONS_PATH and ansible-playbook in the venv")

PARSE_PLAY = """
- hosts: %(host)s
  gather_facts: false
  tasks:
    - name: parse the rendered CLI text
      %(module)s:
        state: parsed
        running_config: "{{ lookup('ansible.builtin.file', '%(path)s') }}"
      register: parsed
    - name: keep the result
      ansible.builtin.copy:
        content: "{{ parsed.parsed | to_json }}"
        dest: "%(dest)s"
        mode: "0644"
      delegate_to: localhost
      vars:
        ansible_connection: ansible.builtin.local
"""


def _venv12():
    ansible = os.path.join(VENV12, "bin", "ansible-playbook")
    if not os.path.exists(ansible):
        subprocess.run([sys.executable, "-m", "venv", VENV12], check=True)
        subprocess.run([os.path.join(VENV12, "bin", "pip"), "install", "-q", "ansible>=12,<13", "ansible-core>=2.19,<2.20",
                        "netaddr", "jmespath", "pyyaml"], check=True, timeout=1200)
    version = subprocess.run([os.path.join(VENV12, "bin", "ansible"), "--version"], capture_output=True, text=True,
                             check=True).stdout
    assert "core 2.19" in version, version
    return os.path.join(VENV12, "bin")


@pytest.fixture(scope="module")
def bins():
    return {"11": BIN11, "12": _venv12()}


def run(binary, args, cwd, check=True):
    env = dict(os.environ)
    env.update({"ANSIBLE_COLLECTIONS_PATH": COLLECTIONS, "ANSIBLE_CONFIG": os.path.join(ROOT, "ansible.cfg"),
                "ANSIBLE_NOCOLOR": "1", "ANSIBLE_LOCALHOST_WARNING": "false", "ANSIBLE_RETRY_FILES_ENABLED": "false"})
    env["PATH"] = binary + os.pathsep + env.get("PATH", "")
    proc = subprocess.run([os.path.join(binary, "ansible-playbook"), "-i", SITE] + args, cwd=str(cwd), env=env,
                          capture_output=True, text=True, timeout=900, check=False)
    if check:
        assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-3000:]
    return proc


@pytest.fixture(scope="module")
def rendered(bins, tmp_path_factory):
    out = {}
    for version, binary in bins.items():
        tmp = tmp_path_factory.mktemp("ansible%s" % version)
        proc = run(binary, [os.path.join(ROOT, "playbooks", "network_acls.yml"), "-e", "uc_output_dir=%s" % tmp], tmp)
        assert "UNREACHABLE" not in proc.stdout
        out[version] = tmp / "devices"
    return out


def test_rendering_is_the_same_with_ansible_11_and_12(rendered):
    for host in ("rtr-a", "fw-a"):
        names = sorted(os.listdir(str(rendered["11"] / host)))
        assert "config.txt" in names
        match, mismatch, errors = filecmp.cmpfiles(str(rendered["11"] / host), str(rendered["12"] / host), names,
                                                   shallow=False)
        assert not mismatch and not errors, (host, mismatch, errors)


def _parse(binary, tmp_path, host, module, path):
    dest = tmp_path / ("%s-%s.json" % (host, module))
    play = tmp_path / ("parse-%s.yml" % host)
    play.write_text(PARSE_PLAY % {"host": host, "module": module, "path": path, "dest": dest})
    run(binary, [str(play)], tmp_path)
    return json.loads(dest.read_text())


@pytest.mark.parametrize("version", ["11", "12"])
def test_ios_text_parses_back_to_the_pushed_structures(bins, rendered, tmp_path, version):
    parsed = _parse(bins[version], tmp_path, "rtr-a", "cisco.ios.ios_acls", rendered[version] / "rtr-a" / "config.txt")
    with open(str(rendered[version] / "rtr-a" / "ios_acls.yml")) as handle:
        ours = yaml.safe_load(handle)["config"]
    # what the push gives ios_acls: the ND types it cannot represent (nd-ns, nd-na) are dropped by its parser
    # in both cisco.ios releases (docs/network-roles.md, "Neighbour discovery")
    view, blocks = module_view(ours)
    assert blocks and parsed == view


def test_asa_text_parses_back_to_the_pushed_structures(bins, rendered, tmp_path):
    parsed = _parse(bins["11"], tmp_path, "fw-a", "cisco.asa.asa_acls", rendered["11"] / "fw-a" / "config.txt")
    with open(str(rendered["11"] / "fw-a" / "asa_acls.yml")) as handle:
        ours = yaml.safe_load(handle)["config"]
    for config in (parsed, ours):
        for acl in config["acls"]:
            for ace in acl["aces"]:
                ace.pop("line", None)
                if ace.get("protocol") == "icmp" and ace.get("protocol_options") == {"protocol_number": 6}:
                    ace["protocol"] = "icmp6"  # cisco.asa.asa_acls reads "icmp6" as icmp number 6 (readers undo it)
                    del ace["protocol_options"]
    assert parsed == ours


def _audit(binary, tmp_path, rendered, limit, check=True):
    args = [os.path.join(ROOT, "playbooks", "audit.yml"), "--limit", limit, "-e", "uc_output_dir=%s" % tmp_path,
            "-e", "ios_acl_running_config_file=%s" % (rendered / "rtr-a" / "config.txt"),
            "-e", "asa_acl_running_config_file=%s" % (rendered / "fw-a" / "config.txt")]
    return run(binary, args, tmp_path, check=check)


@pytest.mark.parametrize("version, hosts", [("11", ("rtr-a", "fw-a")), ("12", ("rtr-a",))])
def test_a_running_config_equal_to_the_rendering_leaves_nothing_to_do(bins, rendered, tmp_path, version, hosts):
    _audit(bins[version], tmp_path, rendered[version], ",".join(hosts))
    for host in hosts:
        with open(str(tmp_path / "audit" / host / "report.json")) as handle:
            report = json.load(handle)
        assert report["exact"] and report["summary"]["clean"], (host, report["summary"])


def test_auditing_an_asa_with_ansible_12_says_how_to_install_cisco_asa(bins, rendered, tmp_path):
    proc = _audit(bins["12"], tmp_path, rendered["12"], "fw-a", check=False)
    assert proc.returncode != 0
    assert "ansible-galaxy collection install cisco.asa" in proc.stdout and "UNREACHABLE" not in proc.stdout
