# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for collab.firewall.host_ruleset: render on the controller, one node call, commit-confirm."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import secrets
import time

from ansible.errors import AnsibleConnectionFailure
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.collab.firewall.plugins.module_utils.host_firewall.common import confirm_command
from ansible_collections.collab.firewall.plugins.plugin_utils.apply.host import (
    BACKENDS,
    ApplyError,
    check_timing,
    keepalive_args,
    local_address_towards,
    refusal,
    render,
    resolve,
    with_management,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import check_value

display = Display()
NODE_MODULE = "collab.firewall.host_ruleset_node"
STATE_DIR = "/var/lib/collab-firewall"

ARGUMENT_SPEC = dict(
    policy=dict(type="dict", required=True),
    backend=dict(type="str", choices=["auto"] + list(BACKENDS), default="auto"),
    nftables_table=dict(type="str", default="collab_uc"),
    firewalld_zone=dict(type="str", default="collab-uc"),
    firewalld_interfaces=dict(type="list", elements="str", default=[]),
    iptables_ipset=dict(type="bool", default=True),
    keep_controller_ssh=dict(type="bool", default=True),
    rollback_seconds=dict(type="int", default=120),
    confirm_timeout=dict(type="int", default=30),
    linux_host_confirmed=dict(type="bool", default=False),
    ssh_keepalive=dict(type="bool", default=True),
    fault_staged_suffix=dict(type="str", default=""),
    fault_after_activate=dict(type="str", default=""),
)

# The options the host_firewall role fills from its variables (roles/host_firewall/tasks/applied.yml): a bad
# value is named as the role variable when the role calls this action.
ROLE = "host_firewall"
ROLE_OPTIONS = ("backend", "nftables_table", "firewalld_zone", "firewalld_interfaces", "iptables_ipset",
                "rollback_seconds", "confirm_timeout", "linux_host_confirmed")


def check_types(args, host, role=False):
    """The arguments typed strictly (a list or mapping never becomes a string), before Ansible's own spec.

    Ansible's argument specs, the role's included, turn ``[t]`` into the string ``"['t']"`` for a ``str``
    option; here it is an error naming the host and the role variable (``role``) or the option.
    """
    for option in sorted(args):
        if option in ARGUMENT_SPEC and args[option] is not None:
            spec = dict((k, v) for k, v in ARGUMENT_SPEC[option].items() if k in ("type", "elements"))
            name = "%s_%s" % (ROLE, option) if role and option in ROLE_OPTIONS else option
            check_value(args[option], spec, host, name)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        task_vars = task_vars or {}
        host = task_vars.get("inventory_hostname", "?")
        role = getattr(self._task, "_role", None)
        try:
            check_types(self._task.args, host, role=bool(role) and role.get_name().endswith(ROLE))
        except CollabFirewallError as exc:
            result.update(failed=True, msg=str(exc))
            return result
        _valid, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        try:
            why = refusal(host, task_vars, confirmed=args["linux_host_confirmed"])
            if why:
                raise ApplyError(why)
            check_timing(host, args["rollback_seconds"], args["confirm_timeout"])
            backends = BACKENDS if args["backend"] == "auto" else (args["backend"],)
            address = resolve(self._play_context.remote_addr or task_vars.get("ansible_host") or host)
            guess = local_address_towards(address) if args["keep_controller_ssh"] and self._is_ssh() else None
            policy = with_management(args["policy"], [guess])
            rulesets = self._render(args, policy, backends)
        except CollabFirewallError as exc:
            result.update(failed=True, msg=str(exc) if str(exc).startswith(host) else "%s: %s" % (host, exc))
            return result
        if args["ssh_keepalive"]:
            self._keepalive()
        node_args = dict(step="apply", backend=args["backend"], rulesets=rulesets,
                         management_sources=policy["management"]["sources"] if guess else None,
                         table=args["nftables_table"], zone=args["firewalld_zone"],
                         interfaces=args["firewalld_interfaces"], address=address,
                         rollback_seconds=args["rollback_seconds"], token=secrets.token_hex(10),
                         after_activate=args["fault_after_activate"] or None, state_dir=STATE_DIR)
        # Reach the node before anything is sent. A connection that fails here (host key, credentials, address)
        # changed nothing and is the host's UNREACHABLE, not a session lost after activating (the except below).
        self._low_level_execute_command("true")
        try:
            applied = self._node(node_args, task_vars)
            if applied.get("uncovered"):
                # the node sees the controller under another address (NAT, jump host): keep that one for SSH
                policy = with_management(args["policy"], [guess, applied["uncovered"]])
                node_args.update(rulesets=self._render(args, policy, backends),
                                 management_sources=policy["management"]["sources"])
                applied = self._node(node_args, task_vars)
        except AnsibleConnectionFailure as exc:
            if self._task.check_mode:
                raise  # check mode activates nothing: the session was lost for another reason
            # the new ruleset may have cut this session after activating: the confirm below tells
            applied = {"activated": True, "backend": args["backend"], "lost": str(exc)}
        except CollabFirewallError as exc:
            result.update(failed=True, msg="%s: %s" % (host, exc))
            return result
        if applied.get("failed"):
            applied["msg"] = "%s: %s" % (host, applied.get("msg", "failed on the node"))
            result.update(applied)
            return result
        result.update({k: v for k, v in applied.items() if k in (
            "backend", "changed", "new_ruleset", "drift", "recorded", "persisted", "diff", "ssh_client", "staged",
            "ipsets")})
        if applied.get("drift") and applied.get("recorded") and not applied.get("new_ruleset"):
            result["drift_message"] = (
                "%s: the live %s ruleset differs from the one activated last time (flushed or edited by hand); it %s "
                "restored." % (host, applied["backend"], "would be" if self._task.check_mode else "will be"))
            # in the play output at every verbosity, without a task of its own (one task less per host)
            display.display(result["drift_message"], color="bright purple")
        if applied.get("activated"):
            result.update(self._confirm(host, node_args, applied, args, task_vars))
        if not self._task.diff:
            result.pop("diff", None)
        return result

    # ---- helpers
    def _is_ssh(self):
        return getattr(self._connection, "transport", None) in ("ssh", "ansible.builtin.ssh")

    def _render(self, args, policy, backends):
        return render(policy, backends, table=args["nftables_table"], zone=args["firewalld_zone"],
                      interfaces=args["firewalld_interfaces"], staged_suffix=args["fault_staged_suffix"],
                      ipset=args["iptables_ipset"])

    def _keepalive(self):
        """SSH keepalives on this host's connection, so a session the new ruleset drops ends in seconds."""
        if not self._is_ssh():
            return
        existing = [self._connection.get_option(name) or "" for name in ("ssh_args", "ssh_common_args")]
        added = False
        # file transfers (without pipelining) may open the ControlPersist master too
        for name in ("ssh_extra_args", "sftp_extra_args", "scp_extra_args"):
            own = self._connection.get_option(name) or ""
            extra = keepalive_args(existing + [own])
            if extra:
                self._connection.set_option(name, (own + " " + extra).strip())
                added = True
        if added:
            # a ControlPersist master started without them keeps its settings: start a new one
            self._connection.reset()

    def _node(self, node_args, task_vars):
        return self._execute_module(module_name=NODE_MODULE, module_args=node_args, task_vars=task_vars)

    def _confirm(self, host, node_args, applied, args, task_vars):
        """Prove a NEW SSH connection works and disarm the rollback through it, within confirm_timeout.

        The confirmation is one plain shell command (no module start-up on the node).
        """
        command = confirm_command(STATE_DIR, node_args["token"])
        backend = applied.get("backend") if applied.get("backend") != "auto" else None
        deadline = time.monotonic() + args["confirm_timeout"]
        last = applied.get("lost") or "no answer"
        ssh = self._is_ssh()
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self._connection.reset()
            if ssh:
                self._connection.set_option("timeout", max(1, min(10, int(remaining))))
            try:
                confirmed = self._low_level_execute_command(command)
            except AnsibleConnectionFailure as exc:
                last = str(exc).splitlines()[0] if str(exc) else "connection failed"
                time.sleep(min(1, max(0, deadline - time.monotonic())))
                continue
            if confirmed.get("rc") != 0:
                return dict(failed=True, changed=True, msg="%s: after activating the new %s ruleset: %s" % (
                    host, backend or "", (confirmed.get("stdout") or confirmed.get("stderr") or "").strip()))
            return dict(changed=True, confirmed=True)
        return dict(failed=True, changed=True, msg=(
            "%s: after activating the new %s ruleset the controller could not confirm a new SSH connection "
            "within %d s (%s). The node restores its previous ruleset by itself within %d seconds of activation "
            "(rollback script %s/rollback.sh). Nothing was confirmed." % (
                host, backend or args["backend"], args["confirm_timeout"], last,
                args["rollback_seconds"], STATE_DIR)))
