# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hand a rendered tree on: a tar.gz archive and/or a commit pushed to a git repository.

In AWX/AAP the job's working folder is thrown away after the run; these keep what it rendered.
``publish(root, files, spec)`` with spec ``{"archive": path, "git_repo": url, "git_branch": name,
"git_path": folder in the repository, "git_message": text}`` (every key optional).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import subprocess
import tarfile
import tempfile

from ansible_collections.collab.firewall.plugins.plugin_utils.output.writer import (
    TreeError,
    check_relpath,
    output_folder,
)

SPEC_KEYS = ("archive", "git_repo", "git_branch", "git_path", "git_message")
_AUTHOR = ("-c", "user.name=collab.firewall render", "-c", "user.email=collab-firewall@localhost")


class PublishError(TreeError):
    """The archive or the git push failed (the output folder itself is written)."""


def write_archive(root, relpaths, path):
    """A gzipped tar of ``relpaths`` below ``root`` (paths inside the archive are relative), written atomically."""
    path = output_folder(path, variable="uc_output_archive")
    if path == root or path.startswith(root + os.sep):
        raise PublishError("uc_output_archive=%s is inside the output folder %s, which the next render prunes"
                           % (path, root))
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), dir=folder)
    os.close(handle)
    try:
        with tarfile.open(staging, "w:gz") as archive:
            for relpath in sorted(relpaths):
                archive.add(os.path.join(root, relpath), arcname=relpath, recursive=False)
        os.chmod(staging, 0o644)
        os.rename(staging, path)
    finally:
        if os.path.exists(staging):
            os.unlink(staging)
    return path


def _git(args, cwd, check=True):
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    proc = subprocess.run(["git"] + list(args), cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if check and proc.returncode != 0:
        raise PublishError("git %s failed: %s" % (args[0], (proc.stderr or proc.stdout).strip()[-600:]))
    return proc


def push_git(root, relpaths, repo, branch="main", path="", message="collab.firewall render"):
    """Commit the tree into ``path`` of ``branch`` (created when missing) and push it; returns the commit or
    None when the repository already holds exactly this tree."""
    path = (path or "").strip("/")
    if path:
        check_relpath(path)
    work = tempfile.mkdtemp(prefix="collab-firewall-git-")
    try:
        _git(["init", "--quiet", "--initial-branch", branch], work)
        if _git(["fetch", "--quiet", "--depth", "1", repo, branch], work, check=False).returncode == 0:
            _git(["checkout", "--quiet", "-B", branch, "FETCH_HEAD"], work)
        target = os.path.join(work, path) if path else work
        if path:
            shutil.rmtree(target, ignore_errors=True)
        else:
            for entry in os.listdir(work):
                if entry != ".git":
                    full = os.path.join(work, entry)
                    shutil.rmtree(full) if os.path.isdir(full) and not os.path.islink(full) else os.unlink(full)
        for relpath in sorted(relpaths):
            dest = os.path.join(target, relpath)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copyfile(os.path.join(root, relpath), dest)
        _git(["add", "--all", "--", path or "."], work)
        if _git(["diff", "--cached", "--quiet"], work, check=False).returncode == 0:
            return None
        _git(list(_AUTHOR) + ["commit", "--quiet", "-m", message], work)
        _git(["push", "--quiet", repo, "HEAD:refs/heads/%s" % branch], work)
        return _git(["rev-parse", "HEAD"], work).stdout.strip()
    finally:
        shutil.rmtree(work, ignore_errors=True)


_VARIABLES = {"archive": "uc_output_archive", "git_repo": "uc_output_git_repo", "git_branch": "uc_output_git_branch",
              "git_path": "uc_output_git_path", "git_message": "uc_output_git_message"}


def check_publish(root, spec, where="localhost"):
    """Every publish option checked before the tree is written (publishing runs after it): an error names
    ``where``, the playbook variable and what is wrong."""
    if not isinstance(spec, dict):
        raise PublishError("%s: publish: must be a mapping, got %r" % (where, spec))
    unknown = sorted(set(spec) - set(SPEC_KEYS))
    if unknown:
        raise PublishError("%s: publish: unknown option(s) %s; valid: %s"
                           % (where, ", ".join(unknown), ", ".join(SPEC_KEYS)))
    for key in SPEC_KEYS:
        value = spec.get(key)
        if value is not None and not isinstance(value, str):
            raise PublishError("%s: %s: must be a string, got %r" % (where, _VARIABLES[key], value))
    if spec.get("archive"):
        path = output_folder(spec["archive"], variable="uc_output_archive")
        if path == root or path.startswith(root + os.sep):
            raise PublishError("%s: uc_output_archive: %s is inside the output folder %s, which the next render prunes"
                               % (where, path, root))
        if os.path.isdir(path):
            raise PublishError("%s: uc_output_archive: %s is a folder; give the archive's file name (.tar.gz)"
                               % (where, path))
        if not path.endswith((".tar.gz", ".tgz")):
            raise PublishError("%s: uc_output_archive: %s is not a .tar.gz or .tgz file name (the archive is a gzipped "
                               "tar)" % (where, path))
    if spec.get("git_path"):
        try:
            check_relpath(spec["git_path"].strip("/"))
        except TreeError:
            raise PublishError("%s: uc_output_git_path: %r is not a folder inside the repository (a relative path "
                               "without '..')" % (where, spec["git_path"]))
    branch = spec.get("git_branch")
    if spec.get("git_repo") and branch:
        if _git(["check-ref-format", "--branch", branch], tempfile.gettempdir(), check=False).returncode != 0:
            raise PublishError("%s: uc_output_git_branch: %r is not a valid git branch name" % (where, branch))


def publish(root, relpaths, spec, check=False):
    """Archive and/or push as ``spec`` asks; returns what was done (nothing in check mode)."""
    unknown = sorted(set(spec) - set(SPEC_KEYS))
    if unknown:
        raise PublishError("unknown publish option(s) %s; valid: %s" % (", ".join(unknown), ", ".join(SPEC_KEYS)))
    done = {}
    if check:
        return done
    if spec.get("archive"):
        done["archive"] = write_archive(root, relpaths, spec["archive"])
    if spec.get("git_repo"):
        commit = push_git(root, relpaths, spec["git_repo"], branch=spec.get("git_branch") or "main",
                          path=spec.get("git_path") or "", message=spec.get("git_message") or "collab.firewall render")
        done["git"] = {"repo": spec["git_repo"], "branch": spec.get("git_branch") or "main", "commit": commit}
    return done
