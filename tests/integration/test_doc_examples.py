# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The examples ansible-doc shows, and the way the docs call the tools.

The EXAMPLES of every plugin that works on the controller alone run, as written, in a play on the example
inventory in an empty folder (after the uc_flows example, which computes the `uc_deployment` the others use),
and what they write is there afterwards. The examples that configure a node or a device, or need its
parsed configuration, and the roles' examples pass ansible-playbook's syntax check. The README and docs call
the tools one way: bare names after `source .venv/bin/activate`, never `.venv/bin/<tool>`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import glob
import os
import re
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
INVENTORY = os.path.join(ROOT, "inventory", "example")
# plugin -> the hosts its examples run on, offline; the rest configure nodes or devices (syntax check only)
RUNNABLE = {
    "lookup/uc_ports": "localhost",
    "filter/uc_flows": "localhost",
    "filter/uc_explain": "localhost",
    "filter/uc_report": "localhost",
    "filter/uc_catalog_table": "localhost",
    "filter/to_aerleon": "localhost",
    "filter/uc_acl_flows": "routers",
}
# what the runnable examples write into the folder they run in
WRITTEN = ("report/flows.html", "report/flows.csv", "catalog.csv", "aerleon/def/uc_networks.yaml",
           "aerleon/def/uc_services.yaml", "aerleon/policies/pol/uc.yaml")


def _examples(path):
    with open(path) as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "EXAMPLES":
            return yaml.safe_load(node.value.value)
    return None


def _plugins():
    found = {}
    for kind in ("filter", "lookup", "modules"):
        for path in sorted(glob.glob(os.path.join(ROOT, "plugins", kind, "*.py"))):
            name = os.path.splitext(os.path.basename(path))[0]
            if not name.startswith("_") and name != "__init__":
                found["%s/%s" % (kind, name)] = _examples(path)
    return found


PLUGINS = _plugins()


def _env():
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_RETRY_FILES_ENABLED="0")
    env.pop("ANSIBLE_CONFIG", None)  # the folder's own settings, as a user's project would have
    return env


def _playbook(*args, cwd):
    proc = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", INVENTORY] + list(args), cwd=str(cwd),
                          env=_env(), capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-3000:]
    return proc.stdout


def test_every_plugin_has_examples():
    assert set(RUNNABLE) <= set(PLUGINS)
    for plugin, examples in PLUGINS.items():
        assert examples and isinstance(examples, list), "%s has no EXAMPLES" % plugin


def test_controller_examples_run_as_written(tmp_path):
    preamble = PLUGINS["filter/uc_flows"][:1]  # computes uc_deployment
    plays = [{"name": "EXAMPLES of " + plugin, "hosts": hosts, "gather_facts": False,
              "tasks": (preamble if plugin != "filter/uc_flows" else []) + PLUGINS[plugin]}
             for plugin, hosts in sorted(RUNNABLE.items())]
    (tmp_path / "examples.yml").write_text(yaml.safe_dump(plays, sort_keys=False))
    out = _playbook("examples.yml", cwd=tmp_path)
    recap = out[out.index("PLAY RECAP"):]
    assert "failed=0" in recap and "failed=1" not in recap, recap
    for path in WRITTEN:
        assert (tmp_path / path).is_file(), (path, sorted(os.listdir(str(tmp_path))))
    assert "<html" in (tmp_path / "report" / "flows.html").read_text().lower()


def test_other_plugin_examples_pass_the_syntax_check(tmp_path):
    plays = [{"name": "EXAMPLES of " + plugin, "hosts": "all", "gather_facts": False, "tasks": PLUGINS[plugin]}
             for plugin in sorted(set(PLUGINS) - set(RUNNABLE))]
    assert plays
    (tmp_path / "examples.yml").write_text(yaml.safe_dump(plays, sort_keys=False))
    _playbook("--syntax-check", "examples.yml", cwd=tmp_path)


def test_role_examples_pass_the_syntax_check(tmp_path):
    plays = []
    for role in sorted(os.listdir(os.path.join(ROOT, "roles"))):
        with open(os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml")) as handle:
            entry_points = yaml.safe_load(handle)["argument_specs"]
        for entry_point, spec in entry_points.items():
            assert spec.get("examples"), "%s %s has no examples" % (role, entry_point)
            plays.extend(yaml.safe_load(spec["examples"]))
    (tmp_path / "examples.yml").write_text(yaml.safe_dump(plays, sort_keys=False))
    _playbook("--syntax-check", "examples.yml", cwd=tmp_path)


def test_docs_call_the_tools_one_way():
    files = [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(ROOT, "docs", "*.md"))) + \
        sorted(glob.glob(os.path.join(ROOT, "roles", "*", "README.md"))) + \
        [os.path.join(ROOT, "tests", "hosts", "README.md"), os.path.join(ROOT, "bench", "README.md")]
    for path in files:
        with open(path) as handle:
            for number, line in enumerate(handle, 1):
                for match in re.finditer(r"\.venv/bin/(\S+)", line):
                    where = "%s:%d" % (os.path.relpath(path, ROOT), number)
                    assert match.group(1) == "activate", "%s calls %s" % (where, match.group(0))
    with open(os.path.join(ROOT, "README.md")) as handle:
        assert "source .venv/bin/activate" in handle.read()


def _role_examples(role, entry_point="main"):
    with open(os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml")) as handle:
        return yaml.safe_load(yaml.safe_load(handle)["argument_specs"][entry_point]["examples"])


def test_role_examples_that_contact_no_device_run_as_written(tmp_path):
    """The plays ansible-doc -t role shows for rendering and the offline audit, copied into a project folder of
    their own (playbooks below it, run from the project root like a user would), write below out/ of that root."""
    plays = {
        "asa_acl": [p for p in _role_examples("asa_acl") if "contacts no device" in p["name"]],
        "ios_acl": [p for p in _role_examples("ios_acl") if "contacts no device" in p["name"]],
        "host_firewall": [p for p in _role_examples("host_firewall") if p["name"].startswith("Render every UC node")],
        "network_acl": _role_examples("network_acl"),
    }
    assert all(len(found) == 1 for found in plays.values()), plays
    (tmp_path / "playbooks").mkdir()
    for role, found in plays.items():
        (tmp_path / "playbooks" / ("%s.yml" % role)).write_text(yaml.safe_dump(found, sort_keys=False))
        _playbook("playbooks/%s.yml" % role, cwd=tmp_path)
    out = tmp_path / "out"
    assert (out / "devices" / "asa-dc-1" / "config.txt").is_file()
    assert (out / "devices" / "rtr-core-1" / "ios_acls.yml").is_file()
    assert (out / "hosts" / "cucm-pub-1" / "nftables.nft").is_file()
    # the offline audit example reads backups/<router>.cfg from the project root (not from playbooks/): a router
    # configured as the inventory says (the main job's rendering of it) is clean
    _playbook("collab.firewall.render", "-e", "uc_output_dir=rendered", cwd=tmp_path)
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / "rtr-core-1.cfg").write_text(
        (tmp_path / "rendered" / "devices" / "rtr-core-1" / "config.txt").read_text())
    (tmp_path / "playbooks" / "audit.yml").write_text(yaml.safe_dump(_role_examples("ios_acl", "audit")))
    _playbook("playbooks/audit.yml", cwd=tmp_path)
    with open(str(out / "audit" / "rtr-core-1" / "report.json")) as handle:
        report = yaml.safe_load(handle)
    assert report["summary"]["clean"], report["summary"]


def test_render_and_diff_examples_run_as_written(tmp_path):
    """collab.firewall.render_deployment's first example renders into out/; uc_diff's first example (its old tree
    pointed at that render) writes out/diff/diff.md, creating the folder."""
    diff_tasks = PLUGINS["filter/uc_diff"][:1]
    text = yaml.safe_dump(diff_tasks).replace("/srv/previous-render", str(tmp_path / "out"))
    play = [{"name": "examples", "hosts": "localhost", "gather_facts": False,
             "tasks": PLUGINS["modules/render_deployment"][:1] + yaml.safe_load(text)}]
    (tmp_path / "examples.yml").write_text(yaml.safe_dump(play, sort_keys=False))
    _playbook("examples.yml", cwd=tmp_path)
    assert (tmp_path / "out" / "report" / "flows.json").is_file()
    assert (tmp_path / "out" / "diff" / "diff.md").read_text().strip()
