# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for collab.firewall.write_tree: writes rendered files on the controller, in process."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_bytes, to_text
from ansible.plugins.action import ActionBase


def _read(path):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("dest", "files", "prune", "mode"))

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        args = self._task.args
        dest, files = args.get("dest"), args.get("files")
        if not isinstance(dest, str) or not dest:
            raise AnsibleActionFail("collab.firewall.write_tree: dest must be a folder path, got %r" % (dest,))
        if not isinstance(files, dict):
            raise AnsibleActionFail("collab.firewall.write_tree: files must map relative paths to content")
        try:
            mode = int(str(args.get("mode", "0644")), 8)
        except ValueError:
            raise AnsibleActionFail("collab.firewall.write_tree: mode %r is not octal" % (args.get("mode"),))
        root = os.path.realpath(os.path.expanduser(dest))
        wanted, diffs, written = {}, [], []
        for relpath in sorted(files):
            path = os.path.realpath(os.path.join(root, relpath))
            if os.path.isabs(relpath) or not path.startswith(root + os.sep):
                raise AnsibleActionFail("collab.firewall.write_tree: %r is not a relative path below dest" % (relpath,))
            wanted[path] = to_bytes(files[relpath] if files[relpath] is not None else "")
        for path, content in sorted(wanted.items()):
            before = _read(path)
            if before == content:
                continue
            written.append(os.path.relpath(path, root))
            diffs.append({"before_header": path, "after_header": path,
                          "before": to_text(before or b""), "after": to_text(content)})
            if not self._task.check_mode:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as handle:
                    handle.write(content)
                os.chmod(path, mode)
        removed = []
        if args.get("prune") and os.path.isdir(root):
            for folder, _dirs, names in os.walk(root):
                for name in names:
                    path = os.path.join(folder, name)
                    if path not in wanted:
                        removed.append(os.path.relpath(path, root))
                        diffs.append({"before_header": path, "after_header": "(removed)",
                                      "before": to_text(_read(path) or b""), "after": ""})
                        if not self._task.check_mode:
                            os.unlink(path)
        result.update(changed=bool(written or removed), written=written, removed=sorted(removed))
        if self._task.diff:
            result["diff"] = diffs
        return result
