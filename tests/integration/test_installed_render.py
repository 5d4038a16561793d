# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render from an installed collection in a user's own project: the FQCN playbook collab.firewall.render and a
user playbook with the roles' rendered state both write below uc_output_dir (default out/ of the folder
ansible-playbook runs from), never into the installed collection; a uc_output_dir inside it is refused."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import shutil
import subprocess
import sys

import pytest

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


def _clean_env(**extra):
    env = dict(os.environ)
    for name in ("PYTHONPATH", "ANSIBLE_CONFIG", "ANSIBLE_COLLECTIONS_PATH"):
        env.pop(name, None)
    env.update(ANSIBLE_NOCOLOR="1", **extra)
    return env


def _files(folder):
    return sorted(os.path.relpath(os.path.join(d, n), str(folder)) for d, _s, names in os.walk(str(folder))
                  for n in names)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("installed")
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(work), ROOT],
                   check=True, capture_output=True, env=_clean_env())
    (tarball,) = glob.glob(str(work / "collab-firewall-*.tar.gz"))
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--offline", "-p",
                    str(work / "collections"), tarball], check=True, capture_output=True, cwd=str(work),
                   env=_clean_env(ANSIBLE_COLLECTIONS_PATH=str(work / "collections")))
    return work / "collections"


@pytest.fixture
def project(tmp_path):
    shutil.copytree(os.path.join(ROOT, "inventory", "example"), str(tmp_path / "inventory"))
    (tmp_path / "site.yml").write_text(USER_PLAYBOOK)
    return tmp_path


def run(installed, project, *args):
    return subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", "inventory"] + list(args),
                          capture_output=True, text=True, timeout=600, check=False, cwd=str(project),
                          env=_clean_env(ANSIBLE_COLLECTIONS_PATH=str(installed)))


def test_fqcn_render_writes_out_of_the_project(installed, project):
    collection = _files(installed)
    proc = run(installed, project, "collab.firewall.render")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    files = _files(project / "out")
    assert "hosts/cucm-pub-1/nftables.nft" in files and "devices/rtr-core-1/config.txt" in files
    assert "report/flows.html" in files and "catalog/catalog.csv" in files
    assert sorted(os.listdir(str(project))) == ["inventory", "out", "site.yml"]
    assert _files(installed) == collection  # nothing written into the installed collection


def test_user_playbook_writes_below_uc_output_dir(installed, project):
    proc = run(installed, project, "site.yml", "-e", "uc_output_dir=rendered/uc")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    files = _files(project / "rendered" / "uc")
    assert "hosts/cucm-sub-1/policy.json" in files and "hosts/cucm-sub-1/ipsets.restore" in files
    assert "devices/rtr-core-1/ios_acls.yml" in files
    assert sorted(os.listdir(str(project))) == ["inventory", "rendered", "site.yml"]
    # the same files as the one-pass main job writes for those nodes and that device
    main = run(installed, project, "collab.firewall.render", "-e", "uc_output_dir=main")
    assert main.returncode == 0, main.stdout[-3000:]
    for path in files:
        with open(str(project / "rendered" / "uc" / path), "rb") as mine, open(str(project / "main" / path), "rb") as one:
            assert mine.read() == one.read(), path


def test_output_inside_the_installed_collection_is_refused(installed, project):
    inside = installed / "ansible_collections" / "collab" / "firewall" / "out"
    proc = run(installed, project, "collab.firewall.render", "-e", "uc_output_dir=%s" % inside)
    assert proc.returncode != 0 and "is inside the collection collab.firewall" in proc.stdout, proc.stdout[-2000:]
    assert not inside.exists()
