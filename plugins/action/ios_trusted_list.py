# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for collab.firewall.ios_trusted_list: the change a push makes to a gateway's voice trusted
list, computed on the controller from a running configuration (render/ios_voice.trusted_list_changes)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.render.ios_voice import (
    PARENTS,
    entry_line,
    parse_trusted_list,
    trusted_list_changes,
)


def _block(cidrs):
    return "\n".join([PARENTS[0], " " + PARENTS[1]] + ["  " + entry_line(c) for c in cidrs]) + "\n"


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("running_config", "trusted", "owned", "state", "host"))

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        args = self._task.args
        host = args.get("host") or (task_vars or {}).get("inventory_hostname") or "gateway"
        running, trusted, owned = args.get("running_config"), args.get("trusted"), args.get("owned") or []
        if not isinstance(running, str):
            raise AnsibleActionFail("collab.firewall.ios_trusted_list: %s: running_config must be the configuration "
                                    "text, got %r" % (host, type(running).__name__))
        if not isinstance(trusted, dict) or not (trusted.get("ipv4") or trusted.get("ipv6")):
            raise AnsibleActionFail("collab.firewall.ios_trusted_list: %s: trusted must be the gateway's trusted list "
                                    "(ipv4, ipv6) and not empty, got %r" % (host, trusted))
        if not isinstance(owned, list):
            raise AnsibleActionFail("collab.firewall.ios_trusted_list: %s: owned must be a list of addresses, got %r"
                                    % (host, owned))
        try:
            changes = trusted_list_changes(running, trusted, owned=owned, state=args.get("state") or "replaced")
        except CollabFirewallError as exc:
            raise AnsibleActionFail("collab.firewall.ios_trusted_list: %s: %s" % (host, exc))
        have = parse_trusted_list(running)
        before = have["ipv4"] + have["ipv6"]
        after = [c for c in before if c not in changes["remove"]] + changes["add"]
        result.update(changed=changes["changed"], commands=changes["commands"], parents=list(PARENTS),
                      add=changes["add"], remove=changes["remove"], operator=changes["operator"],
                      owned=changes["owned"])
        if self._task.diff:
            result["diff"] = {"before_header": "%s: %s" % (host, PARENTS[1]), "after_header": "%s: %s" % (host, PARENTS[1]),
                              "before": _block(before) if before or have["present"] else "",
                              "after": _block(after)}
        return result
