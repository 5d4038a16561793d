# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin for collab.firewall.render_deployment: the main job's one-pass render on the controller."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleActionFail, AnsibleFilterError
from ansible.plugins.action import ActionBase

from ansible_collections.collab.firewall.plugins.filter import uc_acl_flows as _acl_flows_filter
from ansible_collections.collab.firewall.plugins.filter import uc_host_files as _host_files_filter
from ansible_collections.collab.firewall.plugins.filter.uc_flows import uc_flows
from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import check_value, option_specs
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import result_problem
from ansible_collections.collab.firewall.plugins.plugin_utils.output.publish import check_publish, publish
from ansible_collections.collab.firewall.plugins.plugin_utils.output.summary import render_summary
from ansible_collections.collab.firewall.plugins.plugin_utils.output.tree import (
    DEVICE_OPTIONS,
    HOST_OPTIONS,
    deployment_tree,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.output.writer import output_folder, write_tree

# the role variables are typed like the filter options they feed (interfaces: checked by the device plan)
_SPECS = dict(option_specs(_host_files_filter.DOCUMENTATION), **option_specs(_acl_flows_filter.DOCUMENTATION))
# the device's own management (roles ios_acl / asa_acl), given to uc_acl_flows as its ``device`` option
_SPECS.update(device_addresses={"type": "list", "elements": "str"}, device_host={"type": "str"},
              admin_sources={"type": "list", "elements": "str"}, device_ports={"type": "list", "elements": "raw"})
_PLATFORMS = (("routers", "ios"), ("firewalls", "asa"))


def _options(host_vars, table, host):
    """Keyword arguments from a host's variables, with the role's default where the variable is unset."""
    out = {}
    for option, (variable, default) in table.items():
        value = host_vars.get(variable, default)
        if option != "interfaces":
            try:
                if value is None:
                    raise CollabFirewallError.at(host, variable, "is null; remove it or give a value")
                value = check_value(value, _SPECS[option], host, variable)
            except CollabFirewallError as exc:
                raise AnsibleActionFail("collab.firewall.render_deployment: %s" % exc)
        out[option] = value
    return out


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("dest", "deployment", "hosts", "routers", "firewalls", "gateways", "keep", "publish"))

    def _arg_list(self, name, default):
        value = self._task.args.get(name)
        if value is None:
            return list(default)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise AnsibleActionFail("collab.firewall.render_deployment: %s must be a list of inventory names, got %r"
                                    % (name, value))
        return value

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        task_vars = task_vars or {}
        args = self._task.args
        hostvars, groups = task_vars["hostvars"], task_vars["groups"]
        deployment = args.get("deployment")
        try:
            if not deployment:
                deployment = uc_flows(hostvars, groups)
            elif result_problem(deployment):
                raise AnsibleActionFail("collab.firewall.render_deployment: deployment: must be the result of "
                                        "collab.firewall.uc_flows: %s" % result_problem(deployment))
            nodes = self._arg_list("hosts", sorted(name for name, node in deployment["nodes"].items()
                                                   if node["product"] != "gateway"))
            unknown = sorted(set(nodes) - set(deployment["nodes"]))
            if unknown:
                raise AnsibleActionFail("collab.firewall.render_deployment: hosts %s are not UC nodes of the "
                                        "deployment" % ", ".join(unknown))
            hosts = dict((name, _options(hostvars[name], HOST_OPTIONS, name)) for name in nodes)
            devices = {}
            for group, platform in _PLATFORMS:
                for name in self._arg_list(group, groups.get(group) or []):
                    if name in devices:
                        raise AnsibleActionFail("collab.firewall.render_deployment: %s is both a router and a "
                                                "firewall" % name)
                    options = _options(hostvars[name], DEVICE_OPTIONS[platform], name)
                    if not options["interfaces"]:
                        raise AnsibleActionFail(
                            "collab.firewall.render_deployment: %s: %s is empty; list the interfaces and the zones "
                            "behind each (see the %s_acl role's README)"
                            % (name, DEVICE_OPTIONS[platform]["interfaces"][0], platform))
                    devices[name] = (platform, options)
            gateways = {}
            for name in self._arg_list("gateways", groups.get("gateways") or []):
                if name in devices:
                    raise AnsibleActionFail("collab.firewall.render_deployment: %s is both a voice gateway and a router "
                                            "or firewall" % name)
                # every ios_acl option a router has (scope, the gateway's own management ...): uc_gateway_plan takes
                # them all, so the role's gateway flow writes the same bytes
                gateways[name] = _options(hostvars[name], DEVICE_OPTIONS["ios"], name)
            stats = {}
            tree = deployment_tree(deployment, load_catalog(), hosts, devices, stats=stats, gateways=gateways)
            dest = args.get("dest") or self._templar.template(task_vars.get("uc_output_dir")) or "out"
            root = output_folder(dest)
            # the publish options too: publishing runs after the tree is written
            check_publish(root, args.get("publish") or {}, where=task_vars.get("inventory_hostname") or "localhost")
            keep = self._arg_list("keep", ["audit", "diff"])
            # only the folders a render writes are pruned: a folder holding anything else is not an output folder
            owned = set(path.split("/", 1)[0] for path in tree) | {"catalog", "hosts", "devices", "report"}
            written = write_tree(root, tree, prune=True, keep=keep, check=self._task.check_mode, owned=owned,
                                 where=task_vars.get("inventory_hostname") or "localhost")
        except AnsibleFilterError as exc:
            raise AnsibleActionFail(str(exc))
        except (CollabFirewallError, OSError) as exc:
            raise AnsibleActionFail("collab.firewall.render_deployment: %s (the output folder was not changed)"
                                    % (exc,))
        summary = render_summary(tree, stats, written, deployment)
        spec = args.get("publish") or {}
        if not isinstance(spec, dict):
            raise AnsibleActionFail("collab.firewall.render_deployment: publish must be a dict, got %r" % (spec,))
        try:
            summary["published"] = publish(root, list(tree), spec, check=self._task.check_mode)
        except (CollabFirewallError, OSError) as exc:
            raise AnsibleActionFail("collab.firewall.render_deployment: the tree is written to %s, but publishing "
                                    "it failed: %s" % (root, exc))
        result.update(changed=written["changed"], dest=written["root"], written=written["written"],
                      removed=written["removed"], summary=summary)
        return result
