# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""publish: the rendered tree as an archive and as a commit pushed to a real git repository."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import subprocess
import tarfile

import pytest

from ansible_collections.collab.firewall.plugins.plugin_utils.output.publish import PublishError, publish
from ansible_collections.collab.firewall.plugins.plugin_utils.output.writer import write_tree

FILES = {"hosts/a/policy.json": "{}\n", "report/flows.csv": "x\n"}


def git(*args):
    return subprocess.run(["git"] + list(args), capture_output=True, text=True, check=True).stdout


@pytest.fixture
def rendered(tmp_path):
    root = str(tmp_path / "out")
    write_tree(root, FILES)
    return root


def test_archive_holds_the_tree(tmp_path, rendered):
    done = publish(rendered, list(FILES), {"archive": str(tmp_path / "keep" / "tree.tar.gz")})
    with tarfile.open(done["archive"]) as handle:
        assert sorted(handle.getnames()) == sorted(FILES)
        assert handle.extractfile("report/flows.csv").read() == b"x\n"


def test_archive_inside_the_output_folder_is_refused(rendered):
    with pytest.raises(PublishError, match="inside the output folder"):
        publish(rendered, list(FILES), {"archive": rendered + "/tree.tar.gz"})


def test_git_push_commits_once_and_replaces_stale_files(tmp_path, rendered):
    remote = str(tmp_path / "remote.git")
    git("init", "--quiet", "--bare", remote)
    spec = {"git_repo": remote, "git_branch": "rendered", "git_path": "uc"}
    first = publish(rendered, list(FILES), spec)["git"]
    assert first["commit"] and git("-C", remote, "rev-parse", "rendered").strip() == first["commit"]
    assert sorted(git("-C", remote, "ls-tree", "-r", "--name-only", "rendered").split()) == \
        sorted("uc/" + p for p in FILES)
    assert publish(rendered, list(FILES), spec)["git"]["commit"] is None  # unchanged tree: no commit
    write_tree(rendered, {"hosts/b/policy.json": "[]\n"}, prune=True)
    third = publish(rendered, ["hosts/b/policy.json"], spec)["git"]
    assert git("-C", remote, "ls-tree", "-r", "--name-only", "rendered").split() == ["uc/hosts/b/policy.json"]
    assert git("-C", remote, "rev-list", "--count", "rendered").strip() == "2" and third["commit"]


def test_git_failure_is_reported(tmp_path, rendered):
    with pytest.raises(PublishError, match="git push failed|git fetch failed"):
        publish(rendered, list(FILES), {"git_repo": str(tmp_path / "missing.git")})


def test_unknown_options_are_refused(rendered):
    with pytest.raises(PublishError, match="unknown publish option"):
        publish(rendered, list(FILES), {"archvie": "x.tar.gz"})
