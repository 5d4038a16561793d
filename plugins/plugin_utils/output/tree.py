# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every file a deployment renders, as one {relative path: text} tree.

The main job (action collab.firewall.render_deployment) writes ``deployment_tree`` in one pass; the roles'
``rendered`` state writes the part of one node or device (``host_files``, ``device_files``) through the
filters collab.firewall.uc_host_files and uc_device_files. Both call the same functions here, so the one-pass
tree and the per-host tree are the same bytes.

    catalog/catalog.{md,csv}                 the port catalog
    hosts/<node>/policy.json ...             one folder per UC node: policy.json, nftables.nft, iptables.rules and
                                             ip6tables.rules (with ipsets.restore unless host_firewall_iptables_ipset
                                             is false), firewalld/zones/<zone>.xml, firewalld/ipsets/*.xml
    devices/<router or firewall>/config.txt  one folder per IOS router / ASA firewall (DEVICE_FILES)
    devices/<gateway>/config.txt             one folder per voice gateway: its own inbound ACLs (when it lists
                                             interfaces) and its voice trusted list (gateway_files)
    report/flows.{csv,md,json,html}          the flow matrix of the deployment
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import time

from ansible.plugins.filter.core import to_nice_json, to_nice_yaml

from ansible_collections.collab.firewall.plugins.plugin_utils.acl.audit import management_cuts
from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import select_entries
from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.table import entries_table
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import CidrList, cidrs_key
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.gateways import (
    gateway_flows,
    gateway_index,
    gateway_view,
    trusted_list,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.host_policy import host_index, host_policy
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.interfaces import AclFlowError
from ansible_collections.collab.firewall.plugins.plugin_utils.output.writer import check_name
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.render.firewalld import (
    check_interface_names,
    check_zone_name,
    render_firewalld,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.render.host_common import memo
from ansible_collections.collab.firewall.plugins.plugin_utils.render.iptables import (
    render_iptables,
    render_iptables_ipset,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.render.ios_voice import render_trusted_list
from ansible_collections.collab.firewall.plugins.plugin_utils.render.nftables import check_table_name, render_nftables
from ansible_collections.collab.firewall.plugins.plugin_utils.render.platforms import device_plan as _device_plan
from ansible_collections.collab.firewall.plugins.plugin_utils.report.flow_report import flow_reports

# Options of a node's host rulesets, as the host_firewall role names them, with the role's defaults.
HOST_OPTIONS = {
    "management_sources": ("host_firewall_management_sources", []),
    "nftables_table": ("host_firewall_nftables_table", "collab_uc"),
    "firewalld_zone": ("host_firewall_firewalld_zone", "collab-uc"),
    "firewalld_interfaces": ("host_firewall_firewalld_interfaces", []),
    "iptables_ipset": ("host_firewall_iptables_ipset", True),
    # the operator's own inbound rules (deployment/host_site.py): the group's, then the node's own
    "group_site_entries": ("host_firewall_group_site_entries", []),
    "site_entries": ("host_firewall_site_entries", []),
}
# the options that shape the policy itself; the others shape how it is rendered
POLICY_OPTIONS = ("management_sources", "site_entries", "group_site_entries")
# Options of a device's ACLs per platform (role ios_acl / asa_acl), with the roles' defaults.
DEVICE_OPTIONS = dict(
    (platform, dict(
        [("interfaces", ("%s_acl_interfaces" % platform, [])), ("prefix", ("%s_acl_name_prefix" % platform, "UC")),
         ("management", ("%s_acl_management" % platform, True)), ("log_deny", ("%s_acl_log_deny" % platform, False)),
         ("scope", ("%s_acl_scope" % platform, "protect")),
         # the device's own management: its addresses (default: ansible_host), admin sources and ports
         ("device_addresses", ("%s_acl_device_addresses" % platform, [])), ("device_host", ("ansible_host", "")),
         ("admin_sources", ("%s_acl_admin_sources" % platform, [])),
         ("device_ports", ("%s_acl_device_ports" % platform, [22]))]
        + ([("use_object_groups", ("ios_acl_use_object_groups", True))] if platform == "ios" else [])))
    for platform in ("ios", "asa"))
REPORT_FILES = (("flows.csv", "csv"), ("flows.md", "markdown"), ("flows.json", "json"), ("flows.html", "html"))
CATALOG_FILES = (("catalog.md", "markdown"), ("catalog.csv", "csv"))


def _json(data):
    """``to_nice_json(data, indent=1, sort_keys=True)`` and a newline; plain data (dicts with string keys,
    lists, strings, numbers, booleans, None) through the fast encoder below, anything else through Ansible's."""
    try:
        return _fast_json(data) + "\n"
    except _NotPlain:
        return to_nice_json(data, indent=1, sort_keys=True) + "\n"


class _NotPlain(Exception):
    """Data the fast encoder leaves to Ansible's (tuples, non-string keys, objects)."""


_LISTS = {}
_SCALARS = (str, int, float, bool, type(None))


def _fast_json(data, level=0):
    """Exactly ``to_nice_json(data, indent=1, sort_keys=True)`` for plain data, fast: the pure-Python indenting
    JSON encoder is slow on policies, plans and gateway files holding thousands of phone subnets, and the
    same address lists recur on every node and gateway, so each list of strings is encoded once per
    indentation level."""
    pad, inner = "\n" + " " * level, "\n" + " " * (level + 1)
    if isinstance(data, dict):
        if not data:
            return "{}"
        if not all(isinstance(key, str) for key in data):
            raise _NotPlain()
        key = _flat_key(data, level)
        if key is not None:
            found = _DICTS.get(key)
            if found is not None:
                return found
        text = "{" + ",".join(inner + json.dumps(k) + ": " + _fast_json(data[k], level + 1)
                              for k in sorted(data)) + pad + "}"
        if key is not None:
            memo(_DICTS, key, lambda: text)
        return text
    if isinstance(data, list):
        if not data:
            return "[]"
        if isinstance(data[0], str):
            key = (level, cidrs_key(data))
            try:
                return _LISTS[key]
            except (KeyError, TypeError):
                pass
            if _all_strings(data):
                return memo(_LISTS, key, lambda: "[" + ",".join(inner + json.dumps(i) for i in data) + pad + "]")
        return "[" + ",".join(inner + _fast_json(item, level + 1) for item in data) + pad + "]"
    if not isinstance(data, _SCALARS):
        raise _NotPlain()
    return json.dumps(data)


_DICTS = {}


def _all_strings(items):
    """Every item is a string (a str subclass too); the item types are collected in C, not one by one."""
    return all(issubclass(kind, str) for kind in set(map(type, items)))


def _scalar_mark(value):
    """"s" for a string, "i" for an integer (never a boolean), None for anything else."""
    if isinstance(value, str):
        return "s"
    if isinstance(value, int) and not isinstance(value, bool):
        return "i"
    return None


def _flat_key(data, level):
    """A key for a dict of strings, integers and lists of them (the rules of a policy, which recur on many
    nodes), or None: the same key always encodes to the same text. Each value is marked with its kind (no
    boolean or float ever gets a key)."""
    items = []
    for name, value in data.items():
        mark = _scalar_mark(value)
        if mark is not None:
            items.append((name, mark, value))
        elif isinstance(value, CidrList):
            items.append((name, "strings", value.key))
        elif isinstance(value, list) and _all_strings(value):
            items.append((name, "strings", tuple(value)))
        elif isinstance(value, list):
            marks = tuple((_scalar_mark(item), item) for item in value)
            if any(mark is None for mark, _item in marks):
                return None
            items.append((name, "list", marks))
        else:
            return None
    return (level, frozenset(items))


def _policy_json(data):
    """A host policy as ``_json`` writes it, without the final newline."""
    try:
        return _fast_json(data)
    except _NotPlain:
        return to_nice_json(data, indent=1, sort_keys=True)


def _yaml(data):
    return to_nice_yaml(data, indent=2, sort_keys=False)


def host_files(deployment, host, **options):
    """{relpath: text} of one UC node's folder: its policy and the same policy for every host backend."""
    check_name(host, "inventory host")
    check_host_names(host, options)
    return _host_files(_policy(deployment, host, options), **options)


# the names a node's rulesets carry, each checked by its renderer's own rule
_NAME_CHECKS = (("nftables_table", check_table_name), ("firewalld_zone", check_zone_name),
                ("firewalld_interfaces", lambda value: check_interface_names(value or [])))


def check_host_names(host, options):
    """The table, zone and interface names of a node's rulesets, before anything is computed; an error names the
    host and the host_firewall role variable."""
    for option, check in _NAME_CHECKS:
        if option in options:
            try:
                check(options[option])
            except CollabFirewallError as exc:
                raise CollabFirewallError.at(host, HOST_OPTIONS[option][0], str(exc))


def _policy(deployment, host, options, index=None):
    """The node's host policy from the policy options, which are taken out of ``options``."""
    given = dict((name, options.pop(name, None)) for name in POLICY_OPTIONS)
    return host_policy(deployment, host, given["management_sources"] or [], site_entries=given["site_entries"],
                       group_site_entries=given["group_site_entries"], index=index)


def _host_files(policy, nftables_table="collab_uc", firewalld_zone="collab-uc", firewalld_interfaces=None,
                iptables_ipset=True):
    firewalld = render_firewalld(policy, zone=firewalld_zone, interfaces=list(firewalld_interfaces or []))
    iptables = render_iptables_ipset(policy) if iptables_ipset else render_iptables(policy)
    files = {
        "policy.json": _policy_json(policy) + "\n",
        "nftables.nft": render_nftables(policy, table=nftables_table),
        "iptables.rules": iptables["ipv4"],
        "ip6tables.rules": iptables["ipv6"],
        # named after the zone: firewalld takes a zone's name from its file name
        "firewalld/zones/%s.xml" % firewalld["zone"]: firewalld["zone_xml"],
    }
    if iptables_ipset:
        files["ipsets.restore"] = iptables["ipsets"]
    for name, xml in firewalld["ipsets"].items():
        files["firewalld/ipsets/%s.xml" % check_name(name, "ipset")] = xml
    return files


def _ios_files(plan):
    device = plan["device"]
    return {
        "config.txt": "\n".join(device["lines"]) + "\n",
        "ios_acls.yml": _yaml({"config": device["acls"]}),
        "ios_acl_interfaces.yml": _yaml({"config": device["acl_interfaces"]}),
        "object_groups.yml": _yaml({"object_groups": device["object_groups"]}),
        "plan.json": _json(plan["acls"]),
    }


def _asa_files(plan):
    device = plan["device"]
    return {
        "config.txt": "\n".join(device["lines"]) + "\n",
        "asa_ogs.yml": _yaml({"config": device["ogs"]}),
        "asa_acls.yml": _yaml({"config": device["acls"]}),
        "access_groups.txt": "\n".join(device["access_group_lines"]) + "\n",
        "plan.json": _json(plan["acls"]),
    }


DEVICE_FILES = {"ios": _ios_files, "asa": _asa_files}


def device_files(plan):
    """{relpath: text} of one device's folder, from its collab.firewall.uc_acl_flows plan (with platform)."""
    check_name(plan["host"], "inventory host")
    if plan.get("voice"):
        return gateway_files(plan)
    return DEVICE_FILES[plan["platform"]](plan)


def gateway_plan(deployment, gateway, interfaces=None, index=None, **options):
    """A gateway's own configuration: the ios plan of the interfaces it lists and its voice trusted list.

    The interfaces are planned like a router's (the same options, ``DEVICE_OPTIONS["ios"]``) over
    ``deployment.gateways.gateway_view``: only what reaches the gateway itself. No interfaces: no ACL, the
    trusted list still (an empty one is an error naming the gateway). ``index``: the deployment's
    ``deployment.gateways.gateway_index``, when several gateways are planned from the same deployment.
    """
    check_name(gateway, "inventory host")
    trusted = trusted_list(deployment, gateway, index)
    if interfaces:
        view = gateway_view(deployment, gateway, index)
        plan = device_plan(view, gateway, "ios", interfaces, **options)
    else:
        # no ACL to plan: the flows that reach the gateway are all the plan needs of its view
        view = gateway_flows(deployment, gateway, index)
        plan = {"host": gateway, "platform": "ios", "acls": [], "device": None}
    plan.update(gateway=True, trusted_list=trusted, voice=render_trusted_list(trusted),
                flows=view["flows"], excluded=view["excluded"])
    return plan


def gateway_files(plan):
    """{relpath: text} of a gateway's folder: config.txt (voice block, ACLs, bindings), voice.txt, gateway.json
    and, with interfaces, the ios_acls / ios_acl_interfaces structures of a router's folder."""
    files = _ios_files(plan) if plan["device"] else {}
    # the voice block first, as in a running-config: cisco.ios.ios_acl_interfaces reads the last interface
    # block up to the end of the text, and would take the voice block's "ip address trusted list" as its own
    acl_lines = ["!"] + plan["device"]["lines"] if plan["device"] else []
    files["config.txt"] = "\n".join(plan["voice"]["lines"] + acl_lines) + "\n"
    files["voice.txt"] = "\n".join(plan["voice"]["lines"]) + "\n"
    files["gateway.json"] = _json({"trusted_list": plan["trusted_list"], "flows": plan["flows"],
                                   "excluded": plan["excluded"], "acls": plan["acls"]})
    return files


def device_plan(deployment, host, platform, interfaces, device_addresses=None, device_host=None, admin_sources=None,
                device_ports=None, **options):
    """The ACL plan of one device, the way its role computes it (errors name the role's variable).

    A rendered ACL that would cut the device's own management is an error (``acl.audit.management_cuts``).
    """
    if not device_addresses:
        device_addresses = [device_host] if device_host else []
    device = {"addresses": device_addresses, "sources": admin_sources or [],
              "ports": [22] if device_ports is None else device_ports}
    variable = DEVICE_OPTIONS[platform]["interfaces"][0]
    plan = _device_plan(deployment, interfaces, host=host, variable=variable, platform=platform, device=device,
                        **options)
    cuts = management_cuts(plan)
    if cuts:
        raise AclFlowError.at(host, variable, "the ACLs would cut the management of the device: %s" % "; ".join(cuts[:5]))
    return plan


def report_files(deployment, catalog):
    texts = flow_reports(deployment, catalog, [fmt for _name, fmt in REPORT_FILES])
    return dict((name, texts[fmt]) for name, fmt in REPORT_FILES)


def catalog_files(catalog):
    entries = select_entries(catalog)
    return dict((name, entries_table(entries, fmt)) for name, fmt in CATALOG_FILES)


def deployment_tree(deployment, catalog, hosts, devices, stats=None, gateways=None):
    """The whole rendered tree of a deployment.

    ``hosts`` maps each UC node to its HOST_OPTIONS keyword arguments; ``devices`` maps each router or
    firewall to (platform, DEVICE_OPTIONS keyword arguments), ``gateways`` each voice gateway to its
    DEVICE_OPTIONS["ios"] keyword arguments (interfaces may be empty). Everything is computed before anything is
    returned, so a bad input stops the render before a file is written. A ``stats`` dict receives the
    number of rules per node and of ACLs and flows per device, and the seconds spent on the catalog and the
    hosts, the devices and the reports.
    """
    tree = {}
    stats = {} if stats is None else stats
    gateways = gateways or {}
    stats.update(nodes={}, devices={})
    for name in sorted(hosts) + sorted(devices) + sorted(gateways):
        check_name(name, "inventory host")  # before any work: an inventory name becomes a folder name
    for host in sorted(hosts):
        check_host_names(host, hosts[host])

    def add(folder, files):
        for relpath, text in files.items():
            tree["%s/%s" % (folder, relpath)] = text

    clock = time.perf_counter()
    add("catalog", catalog_files(catalog))
    index = host_index(deployment) if hosts else None  # the flows to each node, read once
    for host in sorted(hosts):
        options = dict(hosts[host])
        policy = _policy(deployment, host, options, index)
        files = _host_files(policy, **options)
        add("hosts/%s" % check_name(host, "inventory host"), files)
        stats["nodes"][host] = {"files": len(files), "rules": len(policy["rules"]) + 1}
    clock = _lap(stats, "hosts", clock)
    for device in sorted(devices):
        platform, options = devices[device]
        plan = device_plan(deployment, device, platform, **options)
        files = device_files(plan)
        add("devices/%s" % check_name(device, "inventory host"), files)
        stats["devices"][device] = {"platform": platform, "files": len(files), "acls": len(plan["acls"]),
                                    "flows": sum(len(acl["flows"]) for acl in plan["acls"])}
    index = gateway_index(deployment) if gateways else None  # what every gateway reads, read once
    for gateway in sorted(gateways):
        plan = gateway_plan(deployment, gateway, index=index, **gateways[gateway])
        files = gateway_files(plan)
        add("devices/%s" % check_name(gateway, "inventory host"), files)
        stats["devices"][gateway] = {"platform": "ios", "files": len(files), "acls": len(plan["acls"]),
                                     "flows": len(plan["flows"]), "trusted": len(plan["voice"]["entries"])}
    clock = _lap(stats, "devices", clock)
    add("report", report_files(deployment, catalog))
    _lap(stats, "reports", clock)
    return tree


def _lap(stats, part, since):
    now = time.perf_counter()
    stats.setdefault("seconds", {})[part] = round(now - since, 3)
    return now
