# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The main job: playbooks/render.yml on the example inventory writes every ruleset, device configuration and
report, contacts no device, and a second run changes nothing and writes identical files."""
from __future__ import absolute_import, division, print_function

import hashlib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")


def render(out):
    extra = {"catalog_report_dir": out / "catalog", "host_firewall_output_dir": out / "hosts",
             "ios_acl_output_dir": out / "devices", "asa_acl_output_dir": out / "devices",
             "render_report_dir": out / "report"}
    args = " ".join("%s=%s" % item for item in sorted(extra.items()))
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    proc = subprocess.run([PLAYBOOK, "-i", os.path.join(ROOT, "inventory", "example"),
                           os.path.join(ROOT, "playbooks", "render.yml"), "-e", args],
                          capture_output=True, text=True, timeout=600, check=False, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    return proc.stdout


def tree(root):
    digests = {}
    for folder, _dirs, names in os.walk(str(root)):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                digests[os.path.relpath(path, str(root))] = hashlib.sha256(handle.read()).hexdigest()
    return digests


def test_render_writes_everything_and_is_deterministic(tmp_path):
    first = render(tmp_path)
    files = tree(tmp_path)
    for node in ("cucm-pub-1", "cucm-sub-1", "imp-1", "cuc-1", "cvp-call-1"):
        for name in ("policy.json", "nftables.nft", "iptables.rules", "ip6tables.rules", "firewalld/zones/zone.xml"):
            assert "hosts/%s/%s" % (node, name) in files
    assert "hosts/gw-hq-1/policy.json" not in files  # gateways are IOS devices, not Linux hosts
    for device in ("rtr-core-1", "asa-dc-1"):
        assert "devices/%s/config.txt" % device in files
    for report in ("flows.csv", "flows.md", "flows.json", "flows.html"):
        assert "report/" + report in files
    assert "catalog/catalog.csv" in files and "unreachable=0" in first
    second = render(tmp_path)
    assert tree(tmp_path) == files
    recap = second[second.index("PLAY RECAP"):]
    assert "changed=" in recap and all("changed=0" in line for line in recap.splitlines() if "changed=" in line), recap
