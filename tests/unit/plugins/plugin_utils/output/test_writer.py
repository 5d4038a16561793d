# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""write_tree: all or nothing, only changed files, stale files pruned, never outside the root."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest

from ansible_collections.collab.firewall.plugins.plugin_utils.output import writer
from ansible_collections.collab.firewall.plugins.plugin_utils.output.writer import (
    TreeError,
    check_name,
    output_folder,
    write_tree,
)


def snapshot(root):
    """{relpath: (bytes, inode, mtime)} of every file below root."""
    out = {}
    for folder, _dirs, names in os.walk(str(root)):
        for name in names:
            path = os.path.join(folder, name)
            stat = os.lstat(path)
            with open(path, "rb") as handle:
                out[os.path.relpath(path, str(root))] = (handle.read(), stat.st_ino, stat.st_mtime_ns)
    return out


def siblings(root):
    return sorted(os.listdir(os.path.dirname(str(root))))


FIRST = {"hosts/a/policy.json": "{}\n", "hosts/b/policy.json": "[]\n", "report/flows.csv": "x\n"}


def test_writes_then_changes_nothing(tmp_path):
    root = tmp_path / "out"
    done = write_tree(str(root), FIRST, prune=True)
    assert done["changed"] and done["written"] == sorted(FIRST) and done["removed"] == []
    before = snapshot(root)
    again = write_tree(str(root), FIRST, prune=True)
    assert not again["changed"] and again["written"] == [] and snapshot(root) == before
    assert siblings(root) == ["out"]


def test_only_changed_files_are_rewritten_and_stale_ones_pruned(tmp_path):
    root = tmp_path / "out"
    write_tree(str(root), dict(FIRST, **{"audit/r/report.md": "audit\n"}))
    before = snapshot(root)
    second = {"hosts/a/policy.json": "{}\n", "report/flows.csv": "y\n"}
    done = write_tree(str(root), second, prune=True, keep=["audit"])
    assert done["written"] == ["report/flows.csv"] and done["removed"] == ["hosts/b/policy.json"]
    after = snapshot(root)
    assert sorted(after) == ["audit/r/report.md", "hosts/a/policy.json", "report/flows.csv"]
    assert after["hosts/a/policy.json"] == before["hosts/a/policy.json"]  # same inode and mtime: not rewritten
    assert after["audit/r/report.md"] == before["audit/r/report.md"]
    assert after["report/flows.csv"][0] == b"y\n"
    assert not (root / "hosts" / "b").exists() or not os.listdir(str(root / "hosts" / "b"))
    assert siblings(root) == ["out"]


def test_without_prune_other_files_stay(tmp_path):
    root = tmp_path / "out"
    write_tree(str(root), FIRST)
    write_tree(str(root), {"new.txt": "n\n"})
    assert sorted(snapshot(root)) == sorted(list(FIRST) + ["new.txt"])


@pytest.mark.parametrize("relpath", ["../escape.txt", "/etc/escape.txt", "hosts/../../escape.txt", "a//b", "./a",
                                     "hosts/..", ""])
def test_refuses_paths_leaving_the_root(tmp_path, relpath):
    root = tmp_path / "out"
    write_tree(str(root), FIRST)
    before = snapshot(root)
    with pytest.raises(TreeError, match="is not a relative path below the output folder"):
        write_tree(str(root), dict(FIRST, **{relpath: "x"}), prune=True)
    assert snapshot(root) == before and siblings(root) == ["out"]
    assert not (tmp_path / "escape.txt").exists()


def test_refuses_a_file_that_is_also_a_folder(tmp_path):
    with pytest.raises(TreeError, match="'hosts/a' is both a file and a folder"):
        write_tree(str(tmp_path / "out"), {"hosts/a": "x", "hosts/a/policy.json": "y"})
    assert not (tmp_path / "out").exists()


def test_symlinks_below_the_root_are_never_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine\n")
    root = tmp_path / "out"
    root.mkdir()
    os.symlink(str(outside), str(root / "hosts"))
    done = write_tree(str(root), {"hosts/keep.txt": "overwritten?\n", "hosts/new.txt": "x\n"}, prune=True)
    assert done["written"] == ["hosts/keep.txt", "hosts/new.txt"]
    assert (outside / "keep.txt").read_text() == "mine\n" and sorted(os.listdir(str(outside))) == ["keep.txt"]
    assert not os.path.islink(str(root / "hosts")) and (root / "hosts" / "keep.txt").read_text() == "overwritten?\n"


@pytest.mark.parametrize("name", ["..", ".", "", "a/b", "../x", "a\0b", None])
def test_names_unsafe_as_folders_are_refused(name):
    with pytest.raises(TreeError, match="cannot be used as a file or folder name"):
        check_name(name, "inventory host")


@pytest.mark.parametrize("failing", [1, 3])
def test_a_failed_write_leaves_the_previous_tree(tmp_path, monkeypatch, failing):
    root = tmp_path / "out"
    write_tree(str(root), FIRST)
    before = snapshot(root)
    real_open, calls = open, []

    def full_disk(path, mode="r", *args, **kwargs):
        if "w" in mode:
            calls.append(path)
            if len(calls) == failing:
                raise OSError(28, "No space left on device", path)
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(writer, "open", full_disk, raising=False)
    changed = {"hosts/a/policy.json": "{1}\n", "hosts/b/policy.json": "{2}\n", "report/flows.csv": "z\n",
               "devices/r/config.txt": "c\n"}
    with pytest.raises(OSError, match="No space left"):
        write_tree(str(root), changed, prune=True)
    assert snapshot(root) == before and siblings(root) == ["out"]


def test_a_failed_swap_leaves_the_previous_tree(tmp_path, monkeypatch):
    root = tmp_path / "out"
    write_tree(str(root), FIRST)
    before = snapshot(root)

    def refuse(staging, target):
        raise OSError(16, "Device or resource busy", target)

    monkeypatch.setattr(writer, "_swap", refuse)
    with pytest.raises(OSError, match="busy"):
        write_tree(str(root), {"other.txt": "x"}, prune=True)
    assert snapshot(root) == before and siblings(root) == ["out"]


def test_two_renames_when_the_kernel_cannot_exchange(tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "_exchange", lambda first, second: False)
    root = tmp_path / "out"
    write_tree(str(root), FIRST)
    write_tree(str(root), {"x.txt": "x\n"}, prune=True)
    assert sorted(snapshot(root)) == ["x.txt"] and siblings(root) == ["out"]


def test_leftovers_of_a_killed_run_are_cleaned(tmp_path):
    root = tmp_path / "out"
    (tmp_path / ".out.render-abc123").mkdir()
    write_tree(str(root), FIRST)
    assert siblings(root) == ["out"]


def test_check_mode_writes_nothing(tmp_path):
    done = write_tree(str(tmp_path / "out"), FIRST, check=True)
    assert done["changed"] and not (tmp_path / "out").exists()


def test_output_folder_is_taken_from_the_working_folder(tmp_path):
    assert output_folder("out", cwd=str(tmp_path)) == os.path.join(str(tmp_path), "out")
    assert output_folder(str(tmp_path / "abs")) == str(tmp_path / "abs")
    assert output_folder("~/x", cwd="/nowhere") == os.path.join(os.path.expanduser("~"), "x")


def test_output_folder_is_never_inside_the_collection():
    inside = os.path.join(writer._COLLECTION, "out")
    with pytest.raises(TreeError, match="uc_output_dir=.* is inside the collection collab.firewall"):
        output_folder(inside)
    with pytest.raises(TreeError, match="uc_output_dir must be a folder path"):
        output_folder("")


def test_content_must_be_text(tmp_path):
    with pytest.raises(TreeError, match="the content of 'a.json' is dict, not text"):
        write_tree(str(tmp_path / "out"), {"a.json": {"a": 1}})


FULL_DISK = """
import json, os, sys
from ansible_collections.collab.firewall.plugins.plugin_utils.output.writer import write_tree
root = os.path.join(sys.argv[1], "out")
write_tree(root, {"hosts/a/policy.json": "{}\\n", "report/flows.csv": "x\\n"})
before = dict((os.path.relpath(os.path.join(d, n), root), open(os.path.join(d, n)).read())
              for d, _s, names in os.walk(root) for n in names)
try:
    write_tree(root, dict(("hosts/n%03d/policy.json" % i, "x" * 65536) for i in range(100)), prune=True)
    outcome = "written"
except OSError as exc:
    outcome = "refused: %s" % exc.strerror
after = dict((os.path.relpath(os.path.join(d, n), root), open(os.path.join(d, n)).read())
             for d, _s, names in os.walk(root) for n in names)
print(json.dumps({"outcome": outcome, "same": before == after, "next_to_root": sorted(os.listdir(sys.argv[1]))}))
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
def test_a_full_disk_leaves_the_previous_tree(tmp_path):
    """A real ENOSPC: a 1 MiB tmpfs in a private mount namespace (this machine's mounts are not touched)."""
    script = tmp_path / "full_disk.py"
    script.write_text(FULL_DISK)
    disk = tmp_path / "disk"
    disk.mkdir()
    proc = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-ec",
                           'mount -t tmpfs -o size=1m tmpfs "$1" && "$2" "$3" "$1"', "full-disk", str(disk),
                           sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result == {"outcome": "refused: No space left on device", "same": True, "next_to_root": ["out"]}


def test_a_folder_holding_other_files_is_not_pruned(tmp_path):
    """uc_output_dir=. (a project checkout) or ~: the render would delete the operator's files; it stops instead,
    naming the variable and what the folder holds, and changes nothing."""
    project = tmp_path / "project"
    (project / "inventory").mkdir(parents=True)
    (project / "inventory" / "hosts.yml").write_text("all: {}\n")
    (project / "site.yml").write_text("---\n")
    with pytest.raises(TreeError) as info:
        write_tree(str(project), {"report/flows.csv": "x\n"}, prune=True, keep=["audit"],
                   owned={"catalog", "hosts", "devices", "report"}, where="localhost")
    assert str(info.value).startswith("localhost: uc_output_dir: %s holds inventory, site.yml, which a render never "
                                      "writes" % project)
    assert sorted(os.listdir(str(project))) == ["inventory", "site.yml"]
    # an earlier render's folder (stale node folders included) is pruned as before
    out = tmp_path / "out"
    (out / "hosts" / "old").mkdir(parents=True)
    (out / "hosts" / "old" / "policy.json").write_text("{}\n")
    done = write_tree(str(out), {"report/flows.csv": "x\n"}, prune=True, owned={"catalog", "hosts", "report"})
    assert done["removed"] == ["hosts/old/policy.json"]
