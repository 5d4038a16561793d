# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The platforms the collection renders for, one row each, and the public entry points for devices.

A new platform is one module under ``render/`` and one row in ``PLATFORMS``:

- ``host`` rows render one node's inbound policy (``deployment.host_policy.host_policy``): ``render(policy)``;
- ``acl`` rows render a router's or firewall's interface ACLs: ``render_device(plans, ...)`` returns the
  whole device as data and CLI text, ``acl_names(plan)`` adds platform-specific ACL names to a plan, and
  ``binds_by`` says which interface field the ACL binds to (``name``, or ``nameif`` on ASA), and
  ``stateless`` whether the ACL must also permit the replies of connections started on the other side
  (IOS interface ACLs: yes; the ASA tracks connections and permits their replies itself).

``device_plan`` is what the roles, the render playbook and the benchmarks call: the ACL plan of every
interface of one device (the deployment stage) and, with a platform, its rendered configuration.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import require_netaddr
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.interfaces import AclFlowError, interface_acls, zone_labels
from ansible_collections.collab.firewall.plugins.plugin_utils.render import asa, firewalld, ios, iptables, nftables
from ansible_collections.collab.firewall.plugins.plugin_utils.render.cisco_common import GroupNamer

PLATFORMS = {
    "nftables": {"kind": "host", "render": nftables.render_nftables},
    "iptables": {"kind": "host", "render": iptables.render_iptables},
    "firewalld": {"kind": "host", "render": firewalld.render_firewalld},
    "ios": {"kind": "acl", "render_device": ios.render_device, "acl_names": ios.acl_names, "binds_by": "name",
            "stateless": True},
    "asa": {"kind": "acl", "render_device": asa.render_device, "acl_names": asa.acl_names, "binds_by": "nameif",
            "stateless": False},
}


def acl_platforms():
    """Names of the platforms that render interface ACLs, sorted."""
    return sorted(name for name, row in PLATFORMS.items() if row["kind"] == "acl")


def acl_platform(platform, host="device"):
    """The registry row of an ACL platform; an unknown name is an error naming the host."""
    row = PLATFORMS.get(platform) if isinstance(platform, str) else None
    if row is None or row["kind"] != "acl":
        raise AclFlowError.at(host, "platform", "%r is not one of %s" % (platform, ", ".join(acl_platforms())))
    return row


def render_device(plans, platform, log_deny=False, use_object_groups=True, host="device", variable="acl_interfaces",
                  names=None):
    """The whole configuration of one device from its interface ACL plans (see the platform's module).

    ``names``: a ``cisco_common.GroupNamer`` for readable object-group names (content hashes without it).
    """
    row = acl_platform(platform, host)
    try:
        return row["render_device"](plans, log_deny=log_deny, use_object_groups=use_object_groups, names=names)
    except PolicyError as exc:
        raise AclFlowError.at(host, variable, str(exc))


def device_plan(deployment, interfaces, host="device", variable="acl_interfaces", platform=None, prefix="UC",
                management=True, log_deny=False, use_object_groups=True, scope="protect", device=None):
    """The ACL plans of a device's interfaces and, with ``platform``, the rendered device configuration.

    ``scope``: default scope of the interfaces (``protect`` or ``strict``). ``device``: the device's own
    management, ``{addresses, sources, ports}``; empty ``sources`` means the deployment's management sources.
    Returns ``{"host", "platform", "acls": [plan per interface and direction], "device": data or None,
    "zones": {label: CIDRs} for reports}``.
    """
    require_netaddr()
    row = acl_platform(platform, host) if platform is not None else None
    binds_by = row["binds_by"] if row else None
    if isinstance(device, dict) and not device.get("sources"):
        device = dict(device, sources=list((deployment.get("management") or {}).get("sources") or []))
    plans = interface_acls(deployment, interfaces, host, variable, binds_by=binds_by, prefix=prefix,
                           management=management, scope=scope, device=device,
                           replies=bool(row and row["stateless"]))
    if row:
        for plan in plans:
            plan.update(row["acl_names"](plan))
    answer = {"host": host, "platform": platform, "acls": plans, "device": None, "zones": zone_labels(deployment)}
    if row:
        # a gateway's view holds the gateway alone; its object-groups are named from the whole deployment
        naming = deployment.get("naming") or deployment
        names = GroupNamer(naming.get("nodes"), naming.get("zones"), prefix)
        answer["device"] = render_device(plans, platform, log_deny, use_object_groups, host, variable, names)
    return answer
