# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection as a user has it: built, installed with ansible-galaxy into a collections folder of their own, and
run by FQCN from their own project (its own inventory, copied from the example and changed: other names, other
zone addresses), with `ansible` 11 (this venv) and `ansible` 12 (ansible-core 2.19, no cisco.asa; installed with
--no-deps because Galaxy, where cisco.asa would come from, is not reachable here).

- collab.firewall.render and a user playbook with the roles' rendered state write below uc_output_dir (default
  out/ of the folder ansible-playbook runs from), never into the installed collection; a uc_output_dir inside it
  is refused;
- collab.firewall.diff writes out/diff/ of the project (it wrote into the collection's playbooks/out/diff);
- collab.firewall.audit reads saved running-configs named relative to the project (they were looked up next to
  the collection's playbooks) and audits routers and voice gateways (ansible-core 2.19 refused the gateways'
  conditions) and, with ansible 11, the ASA;
- collab.firewall.explain answers;
- pushing an ASA with `ansible` 12 says how to install cisco.asa (it failed as "network os cisco.asa.asa is not
  supported", UNREACHABLE), and a router push still goes through the device's network_cli connection.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os
import shutil
import subprocess
import sys

import pytest

from ansible_collections.collab.firewall.tests.integration import test_acl_roles_ansible_versions as versions

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)

USER_PLAYBOOK = """
- name: Host rulesets of my UC nodes
  hosts: uc:!gateways
  gather_facts: false
  roles:
    - role: collab.firewall.host_firewall
      vars:
        host_firewall_state: rendered
- name: My router
  hosts: routers
  gather_facts: false
  roles:
    - role: collab.firewall.ios_acl
"""
# the user's own names for the example's nodes and devices (inventory and host_vars), and their own addresses
RENAME = {"rtr-core-1": "edge-r1", "asa-dc-1": "dcfw1", "gw-hq-1": "vgw-main", "cucm-pub-1": "cm-hq-pub",
          "cucm-sub-1": "cm-hq-s1"}
READDRESS = {"10.20.": "192.168.", "10.99.": "172.31."}


def _clean_env(**extra):
    env = dict(os.environ)
    for name in ("PYTHONPATH", "ANSIBLE_CONFIG", "ANSIBLE_COLLECTIONS_PATH"):
        env.pop(name, None)
    env.update(ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="false", **extra)
    return env


def _files(folder):
    return sorted(os.path.relpath(os.path.join(d, n), str(folder)) for d, _s, names in os.walk(str(folder))
                  for n in names)


@pytest.fixture(scope="module")
def tarball(tmp_path_factory):
    work = tmp_path_factory.mktemp("build")
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(work), ROOT],
                   check=True, capture_output=True, env=_clean_env())
    (path,) = glob.glob(str(work / "collab-firewall-*.tar.gz"))
    return path


@pytest.fixture(scope="module", params=["11", "12"])
def installed(request, tmp_path_factory, tarball):
    """(ansible version, its bin folder, the collections folder the tarball was installed into)."""
    binary = BIN if request.param == "11" else versions._venv12()
    work = tmp_path_factory.mktemp("installed%s" % request.param)
    # 11: the dependencies are all in the `ansible` package (--offline finds them); 12 lacks cisco.asa
    deps = ["--offline"] if request.param == "11" else ["--no-deps"]
    proc = subprocess.run([os.path.join(binary, "ansible-galaxy"), "collection", "install"] + deps
                          + ["-p", str(work / "collections"), tarball], capture_output=True, text=True,
                          cwd=str(work), env=_clean_env(ANSIBLE_COLLECTIONS_PATH=str(work / "collections")),
                          check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return request.param, binary, work / "collections"


def _user_inventory(folder):
    shutil.copytree(os.path.join(ROOT, "inventory", "example"), str(folder))
    for path in _files(folder):
        full = os.path.join(str(folder), path)
        with open(full) as handle:
            text = handle.read()
        for old, new in list(RENAME.items()) + list(READDRESS.items()):
            text = text.replace(old, new)
        with open(full, "w") as handle:
            handle.write(text)
        stem = os.path.splitext(os.path.basename(path))[0]
        if stem in RENAME:
            os.rename(full, os.path.join(os.path.dirname(full), RENAME[stem] + ".yml"))


@pytest.fixture
def project(tmp_path):
    _user_inventory(tmp_path / "inventory")
    (tmp_path / "site.yml").write_text(USER_PLAYBOOK)
    return tmp_path


def run(installed, project, *args):
    _version, binary, collections = installed
    return subprocess.run([os.path.join(binary, "ansible-playbook"), "-i", "inventory"] + list(args),
                          capture_output=True, text=True, timeout=600, check=False, cwd=str(project),
                          env=_clean_env(ANSIBLE_COLLECTIONS_PATH=str(collections)))


def test_fqcn_render_writes_out_of_the_project(installed, project):
    collection = _files(installed[2])
    proc = run(installed, project, "collab.firewall.render")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    files = _files(project / "out")
    assert "hosts/cm-hq-pub/nftables.nft" in files and "devices/edge-r1/config.txt" in files
    assert "devices/dcfw1/config.txt" in files and "devices/vgw-main/voice.txt" in files
    assert "report/flows.html" in files and "catalog/catalog.csv" in files
    assert " 192.168.0.0 255.255.0.0\n" in (project / "out" / "devices" / "edge-r1" / "config.txt").read_text()
    assert sorted(os.listdir(str(project))) == ["inventory", "out", "site.yml"]
    assert _files(installed[2]) == collection  # nothing written into the installed collection


def test_user_playbook_writes_below_uc_output_dir(installed, project):
    proc = run(installed, project, "site.yml", "-e", "uc_output_dir=rendered/uc")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    files = _files(project / "rendered" / "uc")
    assert "hosts/cm-hq-s1/policy.json" in files and "hosts/cm-hq-s1/ipsets.restore" in files
    assert "devices/edge-r1/ios_acls.yml" in files
    assert sorted(os.listdir(str(project))) == ["inventory", "rendered", "site.yml"]
    # the same files as the one-pass main job writes for those nodes and that device
    main = run(installed, project, "collab.firewall.render", "-e", "uc_output_dir=main")
    assert main.returncode == 0, main.stdout[-3000:]
    for path in files:
        with open(str(project / "rendered" / "uc" / path), "rb") as mine, open(str(project / "main" / path), "rb") as one:
            assert mine.read() == one.read(), path


def test_output_inside_the_installed_collection_is_refused(installed, project):
    inside = installed[2] / "ansible_collections" / "collab" / "firewall" / "out"
    proc = run(installed, project, "collab.firewall.render", "-e", "uc_output_dir=%s" % inside)
    assert proc.returncode != 0 and "is inside the collection collab.firewall" in proc.stdout, proc.stdout[-2000:]
    assert not inside.exists()


def test_fqcn_diff_writes_into_the_project(installed, project):
    collection = _files(installed[2])
    shutil.copytree(str(project / "inventory"), str(project / "inventory-before"))
    # the change under review: a new SIP trunk peer
    all_yml = project / "inventory" / "group_vars" / "all.yml"
    all_yml.write_text(all_yml.read_text().replace("  icm: [10.10.7.0/27]", "  icm: [10.10.7.0/27]\n  sip_peer: [203.0.113.10]"))
    proc = run(installed, project, "collab.firewall.diff", "-e", "diff_base=inventory-before")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    diff = json.loads((project / "out" / "diff" / "diff.json").read_text())
    assert diff["added"] and "203.0.113.10" in (project / "out" / "diff" / "diff.md").read_text()
    assert "see %s/diff.md" % (project / "out" / "diff") in proc.stdout
    assert _files(installed[2]) == collection  # nothing written into the installed collection


def test_fqcn_audit_of_saved_configs_named_from_the_project(installed, project):
    version = installed[0]
    assert run(installed, project, "collab.firewall.render").returncode == 0
    saved = ["-e", "ios_acl_running_config_file=out/devices/{{ inventory_hostname }}/config.txt",
             "-e", "asa_acl_running_config_file=out/devices/{{ inventory_hostname }}/config.txt"]
    # ansible 12 has no cisco.asa to parse the ASA's configuration: routers and gateways only
    limit = ["--limit", "routers,gateways,firewalls" if version == "11" else "routers,gateways"]
    proc = run(installed, project, "collab.firewall.audit", *(saved + limit))
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    devices = ["edge-r1", "vgw-main", "gw-branch-1"] + (["dcfw1"] if version == "11" else [])
    for device in devices:
        report = json.loads((project / "out" / "audit" / device / "report.json").read_text())
        assert report["summary"]["clean"], (device, report["summary"])
    assert json.loads((project / "out" / "audit" / "vgw-main" / "trusted-list.json").read_text())["missing"] == []


def test_fqcn_explain(installed, project):
    proc = run(installed, project, "collab.firewall.explain", "-e", "explain_src=192.168.1.15", "-e",
               "explain_dst=cm-hq-s1", "-e", "explain_port=2000")
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert '"allowed": true' in proc.stdout and "cucm-6-03-tcp" in proc.stdout


def test_pushing_checks_the_collection_then_connects_to_the_device(installed, project):
    """A push first looks for the cisco collection on the controller (with ansible 12 the ASA's is missing: say
    how to install it, before any connection plugin is loaded), then talks to the device over its own
    connection (here nothing listens: network_cli fails, never a local connection)."""
    version = installed[0]
    hosts = project / "inventory" / "hosts.yml"
    text = hosts.read_text()
    for address, indent in (("10.10.0.1", 10), ("10.10.0.2", 10), ("10.10.9.1", 14)):  # edge-r1, dcfw1, vgw-main
        old = "ansible_host: %s\n" % address
        assert old in text
        text = text.replace(old, "ansible_host: 127.0.0.1\n%sansible_port: 1\n" % (" " * indent))
    hosts.write_text(text)
    asa = run(installed, project, "collab.firewall.network_acls", "--limit", "dcfw1", "-e", "asa_acl_state=merged")
    assert asa.returncode != 0
    assert "not supported" not in asa.stdout and "UNREACHABLE" not in asa.stdout, asa.stdout[-3000:]
    if version == "12":
        assert "The collection cisco.asa is not installed on the controller" in asa.stdout, asa.stdout[-3000:]
        assert "ansible-galaxy collection install cisco.asa ansible.netcommon" in asa.stdout
    ios = run(installed, project, "collab.firewall.network_acls", "--limit", "edge-r1", "-e", "ios_acl_state=merged")
    # a voice gateway: its push conditions were refused by ansible-core 2.19 as non-boolean
    gateway = run(installed, project, "collab.firewall.network_acls", "--limit", "vgw-main", "-e",
                  "ios_acl_state=merged")
    assert ios.returncode != 0 and gateway.returncode != 0
    for proc, hosts in ([(asa, ["dcfw1"])] if version == "11" else []) + [(ios, ["edge-r1"]), (gateway, ["vgw-main"])]:
        fatal = [line for line in proc.stdout.splitlines() if line.startswith("fatal: ")]
        assert sorted(line.split("[", 1)[1].split("]", 1)[0] for line in fatal) == hosts, proc.stdout[-3000:]
        for line in fatal:
            # the first device task: network_cli (paramiko / ansible-pylibssh, then the refused port)
            assert "paramiko" in line or "pylibssh" in line or "Connection refused" in line, line
            assert "Connection type local is not valid" not in line
    assert (project / "out" / "devices" / "edge-r1" / "config.txt").is_file()  # rendered before the push
    assert (project / "out" / "devices" / "vgw-main" / "voice.txt").is_file()
