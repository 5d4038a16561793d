# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The main job: playbooks/render.yml on the example inventory writes every ruleset, device configuration and
report into uc_output_dir in one pass, contacts no device, and a second run changes nothing. The one-pass tree is
byte for byte the tree the roles' rendered state writes host by host; a failed run leaves the previous tree;
files of nodes that left the inventory go; nothing is ever written outside the output folder."""
from __future__ import absolute_import, division, print_function

import hashlib
import json
import os
import subprocess
import sys
import tarfile

from uc_inventory import deployment  # tests/lib, registered by tests/integration/conftest.py

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.path.dirname(sys.executable)
EXAMPLE = os.path.join(ROOT, "inventory", "example")


def playbook(path, *args, **kwargs):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    env.update(kwargs.pop("env", {}))
    inventories = kwargs.pop("inventories", [EXAMPLE])
    command = [os.path.join(BIN, "ansible-playbook")] + [a for i in inventories for a in ("-i", str(i))]
    proc = subprocess.run(command + [str(path)] + list(args), capture_output=True, text=True, timeout=600,
                          check=False, env=env, cwd=kwargs.pop("cwd", ROOT))
    return proc


def render(out, *args, **kwargs):
    proc = playbook(os.path.join(ROOT, "playbooks", "render.yml"), "-e", "uc_output_dir=%s" % out, *args, **kwargs)
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
    out = tmp_path / "out"
    first = render(out)
    files = tree(out)
    for node in ("cucm-pub-1", "cucm-sub-1", "imp-1", "cuc-1", "cvp-call-1"):
        for name in ("policy.json", "nftables.nft", "iptables.rules", "ip6tables.rules", "firewalld/zones/collab-uc.xml"):
            assert "hosts/%s/%s" % (node, name) in files
    assert "hosts/gw-hq-1/policy.json" not in files  # gateways are IOS devices, not Linux hosts
    for device in ("rtr-core-1", "asa-dc-1"):
        assert "devices/%s/config.txt" % device in files
    for gateway in ("gw-hq-1", "gw-branch-1"):  # the voice gateways' own ACLs and trusted list
        for name in ("config.txt", "voice.txt", "gateway.json", "ios_acls.yml"):
            assert "devices/%s/%s" % (gateway, name) in files
    for report in ("flows.csv", "flows.md", "flows.json", "flows.html"):
        assert "report/" + report in files
    assert "catalog/catalog.csv" in files and "unreachable=0" in first
    assert sorted(os.listdir(str(tmp_path))) == ["out"]  # nothing next to the output folder
    stamps = dict((p, os.stat(str(out / p)).st_mtime_ns) for p in files)
    second = render(out)
    assert tree(out) == files
    assert dict((p, os.stat(str(out / p)).st_mtime_ns) for p in files) == stamps  # nothing rewritten
    recap = second[second.index("PLAY RECAP"):]
    assert "changed=" in recap and all("changed=0" in line for line in recap.splitlines() if "changed=" in line), recap


PER_HOST = """
- name: Catalog
  ansible.builtin.import_playbook: {root}/playbooks/catalog_report.yml
- name: Host rulesets, one node at a time
  hosts: uc:!gateways
  gather_facts: false
  roles:
    - {{role: collab.firewall.host_firewall, host_firewall_state: rendered}}
- name: Router ACLs
  hosts: routers
  gather_facts: false
  roles:
    - {{role: collab.firewall.ios_acl, ios_acl_state: rendered}}
- name: Firewall ACLs
  hosts: firewalls
  gather_facts: false
  roles:
    - {{role: collab.firewall.asa_acl, asa_acl_state: rendered}}
- name: Voice gateways
  hosts: gateways
  gather_facts: false
  roles:
    - {{role: collab.firewall.ios_acl, ios_acl_state: rendered}}
"""


def test_one_pass_equals_the_per_host_render(tmp_path):
    render(tmp_path / "one-pass")
    (tmp_path / "per_host.yml").write_text(PER_HOST.format(root=ROOT))
    proc = playbook(tmp_path / "per_host.yml", "-e", "uc_output_dir=%s" % (tmp_path / "per-host"))
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    one, per = tree(tmp_path / "one-pass"), tree(tmp_path / "per-host")
    # the reports are not per host: they are written once by both
    one = dict((path, digest) for path, digest in one.items() if not path.startswith("report/"))
    assert len(one) > 300 and sorted(one) == sorted(per)
    assert [p for p in sorted(one) if one[p] != per[p]] == []


def extra_inventory(tmp_path, name):
    path = tmp_path / "extra.yml"
    path.write_text(json.dumps({"all": {"children": {"uc": {"children": {"publisher": {"hosts": {
        name: {"ansible_host": "10.30.1.50", "uc_cluster": "branch"}}}}}}}}))
    return path


def test_stale_files_of_removed_nodes_go_and_audit_stays(tmp_path):
    out = tmp_path / "out"
    render(out, inventories=[EXAMPLE, extra_inventory(tmp_path, "cucm-pub-9")])
    assert (out / "hosts" / "cucm-pub-9" / "policy.json").is_file()
    (out / "audit" / "rtr-core-1").mkdir(parents=True)
    (out / "audit" / "rtr-core-1" / "report.md").write_text("audit\n")
    stdout = render(out)
    assert not (out / "hosts" / "cucm-pub-9").exists() and (out / "hosts" / "cucm-pub-1" / "policy.json").is_file()
    assert (out / "audit" / "rtr-core-1" / "report.md").read_text() == "audit\n"
    assert "changed=1" in stdout


def test_a_failed_run_leaves_the_previous_tree(tmp_path):
    out = tmp_path / "out"
    render(out)
    before = tree(out)
    bad = json.dumps({"asa_acl_interfaces": [{"name": "Gi0/9", "nameif": "dmz", "zones": ["no_such_zone"]}]})
    proc = playbook(os.path.join(ROOT, "playbooks", "render.yml"), "-e", "uc_output_dir=%s" % out, "-e", bad)
    assert proc.returncode != 0 and "no_such_zone" in proc.stdout, proc.stdout[-3000:]
    assert "the output folder was not changed" in proc.stdout
    assert tree(out) == before and sorted(os.listdir(str(tmp_path))) == ["out"]


def test_inventory_names_never_leave_the_output_folder(tmp_path):
    out = tmp_path / "deep" / "out"
    render(out)
    before = tree(out)
    proc = playbook(os.path.join(ROOT, "playbooks", "render.yml"), "-e", "uc_output_dir=%s" % out,
                    inventories=[EXAMPLE, extra_inventory(tmp_path, "..")])
    assert proc.returncode != 0, proc.stdout[-3000:]
    # refused when the inventory is read, before anything is computed or written
    assert "..: inventory_hostname: '..' is not safe as a file name" in proc.stdout, proc.stdout[-3000:]
    assert tree(out) == before and sorted(os.listdir(str(tmp_path / "deep"))) == ["out"]


def test_default_output_is_out_in_the_working_folder_with_stats_and_archive(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    archive = tmp_path / "kept" / "rendered.tar.gz"
    proc = playbook(os.path.join(ROOT, "playbooks", "render.yml"), "-e", "uc_output_archive=%s" % archive,
                    cwd=str(project), env={"ANSIBLE_SHOW_CUSTOM_STATS": "1"})
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    files = tree(project / "out")
    assert "hosts/cucm-pub-1/nftables.nft" in files and sorted(os.listdir(str(project))) == ["out"]
    stats = proc.stdout[proc.stdout.index("CUSTOM STATS"):]
    assert '"output_dir": "%s"' % (project / "out") in stats and '"cucm-pub-1": {' in stats
    with tarfile.open(str(archive)) as handle:
        assert sorted(handle.getnames()) == sorted(files)


def test_check_mode_writes_nothing_and_reports_what_would_change(tmp_path):
    out = tmp_path / "out"
    proc = playbook(os.path.join(ROOT, "playbooks", "render.yml"), "-e", "uc_output_dir=%s" % out, "--check")
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "changed=1" in proc.stdout and not out.exists() and os.listdir(str(tmp_path)) == []


def test_a_precomputed_deployment_is_what_the_host_role_renders(tmp_path):
    """host_firewall_deployment (and its former name host_firewall_flows) replaces the computed deployment."""
    policies = {}
    for variable in ("host_firewall_deployment", "host_firewall_flows", None):
        given = {"host_firewall_state": "rendered", "host_firewall_hosts": "cucm-pub-1",
                 "uc_output_dir": str(tmp_path / str(variable))}
        if variable:
            given[variable] = dict(deployment(), flows=[])
        (tmp_path / "vars.json").write_text(json.dumps(given))
        proc = playbook(os.path.join(ROOT, "playbooks", "host_firewall.yml"), "-e", "@%s" % (tmp_path / "vars.json"))
        assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
        with open(str(tmp_path / str(variable) / "hosts" / "cucm-pub-1" / "policy.json")) as handle:
            policies[variable] = json.load(handle)
    # only the example's site entries are left: no rule from a catalog entry
    assert [r for r in policies[None]["rules"] if r["catalog_ids"]]
    assert [r for r in policies["host_firewall_deployment"]["rules"] if r["catalog_ids"]] == []
    assert policies["host_firewall_flows"] == policies["host_firewall_deployment"]


def test_explain_playbook_weighs_the_nodes_own_host_firewall_entries():
    """playbooks/explain.yml: the flows' answer, then the destination node's site entries on top of it."""
    question = ["-e", "explain_src=10.20.1.15", "-e", "explain_dst=10.10.1.11", "-e", "explain_port=2000"]
    proc = playbook(os.path.join(ROOT, "playbooks", "explain.yml"), *question)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert '"allowed": true' in proc.stdout and "cucm-6-03-tcp" in proc.stdout
    deny = {"host_firewall_site_entries": [{"action": "deny", "protocol": "tcp", "source": "10.20.1.0/24",
                                            "ports": [2000], "remark": "no SCCP from this VLAN"}]}
    proc = playbook(os.path.join(ROOT, "playbooks", "explain.yml"), *(question + ["-e", json.dumps(deny)]))
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert '"allowed": false' in proc.stdout
    assert "denies it with host_firewall_site_entries[0] (site deny: no SCCP from this VLAN)" in proc.stdout
    # the example's group entry lets the NMS ping every node, though no catalog row does
    proc = playbook(os.path.join(ROOT, "playbooks", "explain.yml"), "-e", "explain_src=10.99.1.10", "-e",
                    "explain_dst=cucm-sub-1", "-e", "explain_transport=icmp")
    assert '"allowed": true' in proc.stdout and '"entry": "host_firewall_group_site_entries[0]"' in proc.stdout
