# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""collab.firewall.write_tree writes only what changed, prunes, honours check mode and refuses escapes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")


def run(tmp_path, files, *extra, **options):
    play = [{"hosts": "localhost", "connection": "local", "gather_facts": False,
             "tasks": [{"collab.firewall.write_tree": dict({"dest": str(tmp_path / "out"), "files": files}, **options),
                        "register": "result"},
                       {"ansible.builtin.debug": {"var": "result"}}]}]
    (tmp_path / "play.yml").write_text(json.dumps(play))
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_STDOUT_CALLBACK="json", ANSIBLE_LOCALHOST_WARNING="0",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="0")
    proc = subprocess.run([PLAYBOOK, str(tmp_path / "play.yml")] + list(extra), capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    out = json.loads(proc.stdout) if proc.stdout.startswith("{") else {}
    task = out["plays"][0]["tasks"][0]["hosts"]["localhost"] if out else {}
    return proc, task


def test_writes_then_reports_no_change(tmp_path):
    proc, first = run(tmp_path, {"a.txt": "one\n", "sub/b.txt": "two\n"})
    assert proc.returncode == 0 and first["changed"] and first["written"] == ["a.txt", "sub/b.txt"]
    assert (tmp_path / "out" / "sub" / "b.txt").read_text() == "two\n"
    proc, second = run(tmp_path, {"a.txt": "one\n", "sub/b.txt": "two\n"})
    assert second["changed"] is False and second["written"] == []


def test_prune_and_check_mode(tmp_path):
    run(tmp_path, {"a.txt": "one\n", "old.txt": "stale\n"})
    proc, checked = run(tmp_path, {"a.txt": "changed\n"}, "--check", "--diff", prune=True)
    assert checked["changed"] and checked["written"] == ["a.txt"] and checked["removed"] == ["old.txt"]
    assert (tmp_path / "out" / "a.txt").read_text() == "one\n" and (tmp_path / "out" / "old.txt").exists()
    proc, applied = run(tmp_path, {"a.txt": "changed\n"}, prune=True)
    assert (tmp_path / "out" / "a.txt").read_text() == "changed\n" and not (tmp_path / "out" / "old.txt").exists()


def test_refuses_paths_outside_dest(tmp_path):
    proc, failed = run(tmp_path, {"../escape.txt": "x"})
    assert proc.returncode != 0 and "is not a relative path below the output folder" in failed["msg"]
    assert not (tmp_path / "escape.txt").exists()


def test_prune_keeps_named_top_level_folders(tmp_path):
    run(tmp_path, {"hosts/a.txt": "one\n", "audit/r.md": "audit\n"})
    proc, done = run(tmp_path, {"hosts/b.txt": "two\n"}, prune=True, keep=["audit"])
    assert proc.returncode == 0 and done["removed"] == ["hosts/a.txt"]
    assert (tmp_path / "out" / "audit" / "r.md").read_text() == "audit\n"
