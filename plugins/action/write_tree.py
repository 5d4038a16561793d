# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for collab.firewall.write_tree: writes rendered files on the controller, in process."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase

from ansible_collections.collab.firewall.plugins.plugin_utils.output.writer import (
    TreeError,
    output_folder,
    write_tree,
)


def tree_diff(root, files, result):
    """Ansible diff entries for what write_tree wrote or removed."""
    diffs = []
    for relpath in result["written"]:
        path = os.path.join(root, relpath)
        before = b""
        if os.path.isfile(path) and not os.path.islink(path):
            with open(path, "rb") as handle:
                before = handle.read()
        diffs.append({"before_header": path, "after_header": path, "before": to_text(before),
                      "after": to_text(files[relpath] or "")})
    for relpath in result["removed"]:
        diffs.append({"before_header": os.path.join(root, relpath), "after_header": "(removed)",
                      "before": "", "after": ""})
    return diffs


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("dest", "files", "prune", "keep", "mode"))

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        args = self._task.args
        dest, files, keep = args.get("dest"), args.get("files"), args.get("keep") or []
        if not isinstance(files, dict):
            raise AnsibleActionFail("collab.firewall.write_tree: files must map relative paths to content")
        if not isinstance(keep, list) or not all(isinstance(k, str) for k in keep):
            raise AnsibleActionFail("collab.firewall.write_tree: keep must be a list of names, got %r" % (keep,))
        try:
            mode = int(str(args.get("mode", "0644")), 8)
        except ValueError:
            raise AnsibleActionFail("collab.firewall.write_tree: mode %r is not octal" % (args.get("mode"),))
        try:
            root = output_folder(dest, variable="dest")
            # diffs need the files as they were, so they are read before anything is written
            diffs = None
            if self._task.diff:
                preview = write_tree(root, files, prune=bool(args.get("prune")), keep=keep, check=True)
                diffs = tree_diff(root, files, preview)
            done = write_tree(root, files, prune=bool(args.get("prune")), keep=keep, mode=mode,
                              check=self._task.check_mode)
        except (TreeError, OSError) as exc:
            raise AnsibleActionFail("collab.firewall.write_tree: %s (nothing was changed)" % exc)
        result.update(changed=done["changed"], dest=root, written=done["written"], removed=done["removed"])
        if diffs is not None:
            result["diff"] = diffs
        return result
