# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""collab.firewall.uc_diff on the example inventory and four edited copies of it.

Each side is rendered the way the main job renders it (output.tree.deployment_tree with the example's router
and firewall interfaces), then compared. Each edit must show exactly its own effect: the flows, host rules
and ACL entries it explains, and nothing else.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os
import shutil
import subprocess

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.filter.uc_diff import uc_diff
from ansible_collections.collab.firewall.plugins.filter.uc_flows import uc_flows
from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.output.tree import deployment_tree

from uc_inventory import EXAMPLE as INVENTORY, load_inventory  # tests/lib, registered by conftest.py

NEW_PHONE_NET = "10.50.0.0/16"
GONE = "cucm-sub-3"
FEATURE = "smtp"
DELTA = ("ports_added", "ports_removed", "sources_added", "sources_removed", "destinations_added",
         "destinations_removed", "catalog_ids_added", "catalog_ids_removed")


def render(hostvars, groups):
    deployment = uc_flows(hostvars, groups)
    hosts = dict((n, {}) for n, node in deployment["nodes"].items() if node["product"] != "gateway")
    devices = {}
    for group, platform in (("routers", "ios"), ("firewalls", "asa")):
        for name in groups.get(group, []):
            devices[name] = (platform, {"interfaces": hostvars[name]["%s_acl_interfaces" % platform]})
    return deployment, deployment_tree(deployment, load_catalog(), hosts, devices)


@pytest.fixture(scope="module")
def example():
    hostvars, groups = load_inventory(INVENTORY)
    deployment, tree = render(hostvars, groups)
    return {"hostvars": hostvars, "groups": groups, "deployment": deployment, "tree": tree}


def edited(example, edit):
    hostvars, groups = copy.deepcopy(example["hostvars"]), copy.deepcopy(example["groups"])
    edit(hostvars, groups)
    return render(hostvars, groups)


def pairs(deployment):
    return set((s, d, f["transport"]) for f in deployment["flows"] for s in f["src_names"] for d in f["dst_names"])


def only(item, **wanted):
    """The item's delta fields are empty except the wanted ones, which hold exactly the wanted values."""
    return all((item.get(k) or []) == wanted.get(k, []) for k in DELTA)


def test_identical_deployments_give_an_empty_diff(example, tmp_path):
    diff = uc_diff(example["tree"], example["tree"])
    assert diff["empty"] and diff["added"] == diff["removed"] == diff["changed"] == []
    assert diff["hosts"] == diff["devices"] == []
    assert diff["settings"] == {"releases": {}, "features_added": [], "features_removed": [], "nodes_added": [],
                                "nodes_removed": [], "addresses": {}}
    # the same through a folder on disk, as the playbook reads a rendered tree
    for path, text in example["tree"].items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    assert uc_diff(str(tmp_path), example["tree"])["empty"]
    assert "No change" in uc_diff(str(tmp_path), str(tmp_path), format="markdown")


def test_a_zone_address_changes_only_the_flows_of_that_zone(example):
    def edit(hostvars, groups):
        for host in hostvars.values():
            host["uc_zones"] = dict(host["uc_zones"], phone=host["uc_zones"]["phone"] + [NEW_PHONE_NET])
    _deployment, tree = edited(example, edit)
    diff = uc_diff(tree, example["tree"])
    assert diff["added"] == [] and diff["removed"] == []
    assert set((c["from"], c["to"], c["transport"]) for c in diff["changed"]) == set(
        p for p in pairs(example["deployment"]) if "phone" in p[:2])
    for item in diff["changed"]:
        side = "sources_added" if item["from"] == "phone" else "destinations_added"
        assert only(item, **{side: [NEW_PHONE_NET]}), item
    assert list(diff["settings"]["addresses"]) == ["phone"]
    change = diff["settings"]["addresses"]["phone"]
    assert set(change["new"]) - set(change["old"]) == set([NEW_PHONE_NET]) and set(change["old"]) <= set(change["new"])
    # hosts: only rules from the new network, on the nodes phones talk to
    targets = set(d for s, d, _t in pairs(example["deployment"]) if s == "phone" and d in example["deployment"]["nodes"])
    assert set(h["host"] for h in diff["hosts"]) == targets - set(example["groups"]["gateways"])
    for host in diff["hosts"]:
        assert host["rules_removed"] == [] and all(r["sources"] == [NEW_PHONE_NET] for r in host["rules_added"])
    # devices: ACL entries widen by the new network only; the configuration lines name it
    assert diff["devices"]
    for device in diff["devices"]:
        for acl in device["acls"]:
            assert acl["added"] == acl["removed"] == []
            assert all(only(i, sources_added=[NEW_PHONE_NET]) or only(i, destinations_added=[NEW_PHONE_NET])
                       for i in acl["changed"])
        assert any("10.50.0.0" in line for line in device["lines_added"])
        assert not any("10.50.0.0" in line for line in device["lines_removed"])


def test_removing_a_node_removes_its_flows_and_nothing_else(example):
    def edit(hostvars, groups):
        for name in list(groups):
            groups[name] = [h for h in groups[name] if h != GONE]
        del hostvars[GONE]
        for interface in hostvars["asa-dc-1"]["asa_acl_interfaces"]:
            interface["zones"] = [z for z in interface["zones"] if z != GONE]
    _deployment, tree = edited(example, edit)
    diff = uc_diff(tree, example["tree"])
    gone = set(p for p in pairs(example["deployment"]) if GONE in p[:2])
    assert gone and set((r["from"], r["to"], r["transport"]) for r in diff["removed"]) == gone
    assert diff["added"] == [] and diff["changed"] == []
    assert diff["settings"]["nodes_removed"] == [GONE]
    address = example["deployment"]["nodes"][GONE]["addresses"]
    for host in diff["hosts"]:
        if host["host"] == GONE:
            assert host["status"] == "removed" and host["rules_added"] == []
        else:
            assert host["rules_added"] == [] and all(r["sources"] == address for r in host["rules_removed"]), host
    assert GONE in [h["host"] for h in diff["hosts"]]
    for device in diff["devices"]:
        for acl in device["acls"]:
            assert acl["added"] == acl["changed"] == []
            assert all(GONE in (i["from"], i["to"]) for i in acl["removed"])


def test_enabling_a_feature_adds_exactly_its_catalog_rows(example):
    assert FEATURE not in example["deployment"]["features"]

    def edit(hostvars, groups):
        for host in hostvars.values():
            host["uc_features"] = list(host["uc_features"]) + [FEATURE]
    deployment, tree = edited(example, edit)
    catalog = load_catalog()
    wanted = set(i for f in deployment["flows"] for i in f["catalog_ids"] if catalog.by_id[i]["feature"] == FEATURE)
    assert wanted, "the example opens some %s flows once the feature is on" % FEATURE
    diff = uc_diff(tree, example["tree"])
    assert diff["removed"] == []
    gained = set(i for a in diff["added"] for i in a["catalog_ids"]) | set(
        i for c in diff["changed"] for i in c["catalog_ids_added"])
    assert gained == wanted
    for item in diff["changed"]:
        assert not any(item[k] for k in DELTA if k.endswith("_removed")) and not item["sources_added"]
    assert diff["settings"]["features_added"] == [FEATURE]
    assert all(h["rules_removed"] == [] and h["rules_added"] for h in diff["hosts"])


def test_a_release_change_swaps_that_products_rows_only(example):
    def edit(hostvars, groups):
        for host in hostvars.values():
            host["uc_release"] = dict(host.get("uc_release") or {}, imp="8.0")
    deployment, tree = edited(example, edit)
    catalog = load_catalog()
    old_ids = set(i for f in example["deployment"]["flows"] for i in f["catalog_ids"])
    new_ids = set(i for f in deployment["flows"] for i in f["catalog_ids"])
    diff = uc_diff(tree, example["tree"])
    assert diff["settings"]["releases"] == {"imp": {"old": "11.5", "new": "8.0"}}
    gained = set(i for a in diff["added"] for i in a["catalog_ids"]) | set(
        i for c in diff["changed"] for i in c["catalog_ids_added"])
    lost = set(i for r in diff["removed"] for i in r["catalog_ids"]) | set(
        i for c in diff["changed"] for i in c["catalog_ids_removed"])
    assert gained == new_ids - old_ids and lost == old_ids - new_ids
    assert all(catalog.by_id[i]["release"] == "8.0" for i in gained)
    assert all(catalog.by_id[i]["product"] == "imp" and catalog.by_id[i]["release"] == "11.5" for i in lost)
    imp = set(example["groups"]["imp"])
    for item in diff["added"] + diff["removed"] + diff["changed"]:
        assert imp & set((item["from"], item["to"])), item


def test_reports_json_markdown_html(example):
    def edit(hostvars, groups):
        for host in hostvars.values():
            host["uc_features"] = list(host["uc_features"]) + [FEATURE]
    _deployment, tree = edited(example, edit)
    report = json.loads(uc_diff(tree, example["tree"], format="json", old_name="before", new_name="after"))
    assert set(["added", "removed", "changed"]) <= set(report) and report["old"] == "before"
    assert all(report["catalog"][i]["title"] for a in report["added"] for i in a["catalog_ids"])
    markdown = uc_diff(tree, example["tree"], format="markdown")
    assert markdown.startswith("# UC firewall change") and "features enabled: %s" % FEATURE in markdown
    page = uc_diff(tree, example["tree"], format="html")
    assert page.startswith("<!DOCTYPE html>") and "<script src" not in page and "<link" not in page


@pytest.mark.parametrize("args, message", [
    (([], {}), "input must be a rendered tree"),
    (({}, {}), "report/flows.json is missing"),
    (({}, "/nonexistent"), "/nonexistent is not a rendered tree"),
    (({"report/flows.json": "{}"}, {"report/flows.json": "{}"}, "pdf"), "format 'pdf' is not one of data, json"),
    (({"report/flows.json": "{\"flows\": []}"}, {"report/flows.json": "{\"flows\": []}"}), "rendered by an older"),
])
def test_errors_name_the_filter(args, message):
    with pytest.raises(AnsibleFilterError, match="collab.firewall.uc_diff: .*%s" % message):
        uc_diff(*args)


def test_playbook_writes_the_change_for_an_inventory_and_a_release(tmp_path):
    """playbooks/diff.yml: -i the new inventory, diff_base an older inventory (rendered by the playbook) or the
    same inventory with another catalog release; diff.md, diff.json and diff.html land in uc_output_dir/diff/."""
    from test_render_playbook import EXAMPLE, ROOT, playbook  # pylint: disable=import-error
    old = tmp_path / "old-inventory"
    shutil.copytree(EXAMPLE, str(old))
    settings = old / "group_vars" / "all.yml"
    text = settings.read_text()
    assert "phone: [10.20.0.0/16, 10.32.0.0/16, " in text
    settings.write_text(text.replace("phone: [10.20.0.0/16, 10.32.0.0/16, ", "phone: [10.20.0.0/16, "))
    out = tmp_path / "out"
    proc = playbook(os.path.join(ROOT, "playbooks", "diff.yml"), "-e", "diff_base=%s" % old,
                    "-e", "uc_output_dir=%s" % out)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert sorted(os.listdir(str(out / "diff"))) == ["diff.html", "diff.json", "diff.md"]
    report = json.loads((out / "diff" / "diff.json").read_text())
    assert report["added"] == report["removed"] == [] and report["changed"]
    assert all((c["sources_added"] or c["destinations_added"]) == ["10.32.0.0/16"] for c in report["changed"])
    assert "addresses of phone" in (out / "diff" / "diff.md").read_text()
    assert sorted(os.listdir(str(tmp_path))) == ["old-inventory", "out"]   # the scratch renders are gone
    proc = playbook(os.path.join(ROOT, "playbooks", "diff.yml"), "-e", "diff_base=%s" % EXAMPLE,
                    "-e", "uc_output_dir=%s" % out, "-e", '{"diff_base_release": {"imp": "8.0"}}')
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    report = json.loads((out / "diff" / "diff.json").read_text())
    assert report["settings"]["releases"] == {"imp": {"old": "8.0", "new": "11.5"}}
    touched = report["added"] + report["removed"] + report["changed"]
    assert touched and all("imp-1" in (i["from"], i["to"]) or "imp-2" in (i["from"], i["to"]) for i in touched)
    proc = playbook(os.path.join(ROOT, "playbooks", "diff.yml"), "-e", "uc_output_dir=%s" % out)
    assert proc.returncode != 0 and "set -e diff_base=" in proc.stdout
    # the main job into the same output folder leaves the change review alone
    proc = playbook(os.path.join(ROOT, "playbooks", "render.yml"), "-e", "uc_output_dir=%s" % out)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert sorted(os.listdir(str(out / "diff"))) == ["diff.html", "diff.json", "diff.md"]


def test_playbook_compares_a_git_revision_of_the_inventory(tmp_path):
    """diff_base_rev: the old side is the same inventory at an earlier commit; the repository stays as it was."""
    from test_render_playbook import EXAMPLE, ROOT, playbook  # pylint: disable=import-error
    repo = tmp_path / "repo"
    inventory = repo / "inventory"
    shutil.copytree(EXAMPLE, str(inventory))
    git = ["git", "-C", str(repo), "-c", "user.email=test@example.com", "-c", "user.name=test"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-qm", "before"], check=True)
    settings = inventory / "group_vars" / "all.yml"
    settings.write_text(settings.read_text().replace("uc_features: [axl, ", "uc_features: [%s, axl, " % FEATURE))
    subprocess.run(git + ["commit", "-qam", "after"], check=True)
    out = tmp_path / "out"
    proc = playbook(os.path.join(ROOT, "playbooks", "diff.yml"), "-e", "diff_base=%s" % inventory,
                    "-e", "diff_base_rev=HEAD~1", "-e", "uc_output_dir=%s" % out, inventories=[inventory])
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    report = json.loads((out / "diff" / "diff.json").read_text())
    assert report["settings"]["features_added"] == [FEATURE] and report["removed"] == []
    assert report["old"] == "%s@HEAD~1" % inventory
    status = subprocess.run(git + ["status", "--porcelain"], check=True, capture_output=True, text=True)
    assert status.stdout == ""
