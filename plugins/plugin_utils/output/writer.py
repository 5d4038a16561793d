# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write a rendered file tree into a folder on the controller, all or nothing.

``write_tree`` first checks every relative path and compares the wanted files with what the folder holds.
Only when something changes does it build the complete new tree in a staging folder next to the target
(unchanged files are hard links to the current ones, so they keep their inode and modification time) and then
swaps the staging folder with the target in one ``rename`` (``renameat2(RENAME_EXCHANGE)`` where the kernel
has it). A failure at any point before the swap leaves the target exactly as it was; after a successful run the
target holds exactly the wanted files (with ``prune``), plus the top-level entries named in ``keep``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ctypes
import errno
import fcntl
import os
import shutil
import tempfile

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError

_STAGING = ".%s.render-"  # prefix of the staging folder next to the target, % the target's name
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class TreeError(CollabFirewallError):
    """A file tree that cannot be written where it was asked to go."""


def check_name(name, what="name"):
    """``name`` unchanged if it is safe as one path component (an inventory name used as a folder)."""
    if not isinstance(name, str) or name in ("", ".", "..") or "/" in name or "\0" in name:
        raise TreeError("%s %r cannot be used as a file or folder name (it must not be empty, '.' or '..' and "
                        "must not contain '/')" % (what, name))
    return name


def check_relpath(relpath):
    """``relpath`` unchanged if it names a file strictly below the root (no absolute path, no '..')."""
    if not isinstance(relpath, str) or relpath.startswith("/") or "\0" in relpath or any(
            part in ("", ".", "..") for part in relpath.split("/")):
        raise TreeError("%r is not a relative path below the output folder" % (relpath,))
    return relpath


def _conflicts(paths):
    """A path that is both a file and a folder of another path ('a' and 'a/b') cannot be written."""
    folders = set()
    for path in paths:
        parts = path.split("/")
        folders.update("/".join(parts[:index]) for index in range(1, len(parts)))
    clash = sorted(folders.intersection(paths))
    if clash:
        raise TreeError("%r is both a file and a folder in the rendered tree" % (clash[0],))


def _read(path):
    """Bytes of a regular file; None when missing, a symlink or not a file."""
    try:
        if os.path.islink(path) or not os.path.isfile(path):
            return None
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _current(root):
    """{relpath: absolute path} of every file and symlink below root (symlinks are never followed)."""
    found = {}
    if not os.path.isdir(root):
        return found
    for folder, dirs, names in os.walk(root):
        for name in list(dirs):
            if os.path.islink(os.path.join(folder, name)):
                names.append(name)  # a symlinked folder is one entry, not a tree to descend into
                dirs.remove(name)
        for name in names:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, root).replace(os.sep, "/")] = path
    return found


def plan_tree(root, files, prune=False, keep=()):
    """What writing ``files`` below ``root`` changes: (contents, written, removed, carried).

    ``contents`` maps each relpath to bytes; ``written`` are the relpaths whose content is new or different;
    ``removed`` the current files that go away; ``carried`` the current files kept as they are.
    """
    contents = {}
    for relpath, text in files.items():
        check_relpath(relpath)
        if text is None:
            text = ""
        if not isinstance(text, (str, bytes)):
            # Ansible turns a template result that looks like JSON into data; a filter returning a dict of
            # files keeps text as text
            raise TreeError("the content of %r is %s, not text" % (relpath, type(text).__name__))
        contents[relpath] = text.encode("utf-8") if isinstance(text, str) else text
    _conflicts(contents)
    current = _current(root)
    written = sorted(p for p, data in contents.items() if p not in current or _read(current[p]) != data)
    kept = set(keep)
    removed, carried = [], []
    for relpath in sorted(current):
        if relpath in contents:
            continue
        if prune and relpath.split("/", 1)[0] not in kept:
            removed.append(relpath)
        else:
            carried.append(relpath)
    return contents, written, removed, carried


def _link_or_copy(src, dst):
    if os.path.islink(src):
        os.symlink(os.readlink(src), dst)
        return
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def _exchange(first, second):
    """Swap two paths in one rename; False when the kernel or the libc cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL):
        return False
    raise OSError(code, os.strerror(code), second)


def _swap(staging, root):
    """Put the staging folder in place of root; afterwards ``staging`` holds the old tree (if any)."""
    if not os.path.lexists(root):
        os.rename(staging, root)
        return
    if _exchange(staging, root):
        return
    old = staging + ".old"
    os.rename(root, old)
    try:
        os.rename(staging, root)
    except OSError:
        os.rename(old, root)
        raise
    os.rename(old, staging)


def _stage(root, staging, contents, written, carried, mode):
    changed = set(written)
    for relpath in sorted(contents):
        path = os.path.join(staging, relpath)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if relpath in changed:
            with open(path, "wb") as handle:
                handle.write(contents[relpath])
            os.chmod(path, mode)
        else:
            _link_or_copy(os.path.join(root, relpath), path)
    for relpath in carried:
        path = os.path.join(staging, relpath)
        parent = os.path.dirname(path)
        # a carried entry never replaces or goes below something this run wrote (no symlink to follow)
        if os.path.lexists(path) or (os.path.lexists(parent) and (os.path.islink(parent) or not os.path.isdir(parent))):
            continue
        os.makedirs(parent, exist_ok=True)
        _link_or_copy(os.path.join(root, relpath), path)


def _clean_leftovers(parent, name):
    """Staging folders a killed run left next to the target."""
    prefix = _STAGING % name
    for entry in os.listdir(parent):
        if entry.startswith(prefix):
            shutil.rmtree(os.path.join(parent, entry), ignore_errors=True)


def check_owned(root, removed, owned, variable="uc_output_dir", where=None):
    """Refuse to prune files whose top-level entry below ``root`` is not one of ``owned``: the folder is then not an
    output folder of ours (a project checkout, a home folder), and pruning would delete the operator's files."""
    foreign = sorted(set(path.split("/", 1)[0] for path in removed) - set(owned))
    if foreign:
        raise TreeError("%s%s: %s holds %s, which a render never writes: it is not an output folder, and the render "
                        "would delete them; set %s to a new or empty folder (or one an earlier render wrote)"
                        % ("%s: " % where if where else "", variable, root, ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else ""), variable))


def write_tree(root, files, prune=False, keep=(), mode=0o644, check=False, owned=None, variable="uc_output_dir",
               where=None):
    """Write ``files`` ({relpath: text}) below the folder ``root``, all or nothing.

    ``owned``: with ``prune``, the top-level names this writer may remove files from (None: any); a file to
    remove outside them is an error naming ``variable`` (the folder is not an output folder).
    Returns {"root", "written", "removed", "changed"}. Raises TreeError for a path that would leave the root or
    a root that is not a folder, OSError when the file system refuses; in both cases the root is unchanged.
    """
    root = os.path.realpath(os.path.expanduser(root))
    if root == os.path.dirname(root):
        raise TreeError("refusing to write a rendered tree over the file system root")
    if os.path.lexists(root) and not os.path.isdir(root):
        raise TreeError("%s exists and is not a folder" % root)
    contents, written, removed, carried = plan_tree(root, files, prune=prune, keep=keep)
    if owned is not None:
        check_owned(root, removed, owned, variable, where)
    result = {"root": root, "written": written, "removed": removed, "changed": bool(written or removed)}
    if check or not result["changed"]:
        return result
    parent, name = os.path.split(root)
    os.makedirs(parent, exist_ok=True)
    lock = os.open(parent, os.O_RDONLY)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one writer per folder at a time; no lock file left behind
        _clean_leftovers(parent, name)
        staging = tempfile.mkdtemp(prefix=_STAGING % name, dir=parent)
        try:
            os.chmod(staging, (os.stat(root).st_mode & 0o7777) if os.path.isdir(root) else 0o755)
            # re-read under the lock: another writer may have changed the folder since the plan
            contents, written, removed, carried = plan_tree(root, files, prune=prune, keep=keep)
            if owned is not None:
                check_owned(root, removed, owned, variable, where)
            _stage(root, staging, contents, written, carried, mode)
            _swap(staging, root)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    finally:
        os.close(lock)
    result.update(written=written, removed=removed, changed=bool(written or removed))
    return result


# plugins/plugin_utils/output/writer.py -> the collection's root folder
_COLLECTION = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def output_folder(path, cwd=None, variable="uc_output_dir"):
    """The absolute folder ``path`` names: ``~`` expanded, a relative path taken from ``cwd`` (the folder
    ansible-playbook runs from). Never the collection itself or a folder inside it."""
    if not isinstance(path, str) or not path.strip():
        raise TreeError("%s must be a folder path, got %r" % (variable, path))
    path = os.path.expanduser(path.strip())
    if not os.path.isabs(path):
        path = os.path.join(cwd or os.getcwd(), path)
    path = os.path.realpath(path)
    collection = os.path.realpath(_COLLECTION)
    if path == collection or path.startswith(collection + os.sep):
        raise TreeError("%s=%s is inside the collection collab.firewall (%s); set it to a folder of your own "
                        "project, for example -e %s=$PWD/out" % (variable, path, collection, variable))
    return path
