# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller side of applying a host ruleset (action plugin collab.firewall.host_ruleset).

Pure functions: whether a host may be changed at all, the rulesets a backend needs, the controller's own
address for the management rule, and the SSH settings the lockout guard relies on.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.render.firewalld import render_firewalld
from ansible_collections.collab.firewall.plugins.plugin_utils.render.iptables import (
    render_iptables,
    render_iptables_ipset,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.render.nftables import render_nftables

# The product groups of docs/inventory.md: in production every one of them is a closed appliance (CUCM,
# IM and Presence, Unity Connection) or Windows (CVP).
PRODUCT_GROUPS = ("publisher", "subscriber", "imp", "unity", "cvp")
WINDOWS_CONNECTIONS = ("winrm", "psrp")
CONFIRM_VARIABLE = "host_firewall_linux_host_confirmed"
# ServerAliveInterval x ServerAliveCountMax: a session the new ruleset drops ends within 15 s, not after the
# TCP retransmission timeout (about 15 minutes).
KEEPALIVE = {"ServerAliveInterval": 5, "ServerAliveCountMax": 3}
BACKENDS = ("firewalld", "nftables", "iptables")


class ApplyError(CollabFirewallError):
    """The host must not be changed, or the settings make the change unsafe."""


def _fact(task_vars, name):
    facts = task_vars.get("ansible_facts") or {}
    return facts.get(name, task_vars.get("ansible_" + name))


def refusal(host, task_vars, confirmed=False):
    """Why ``applied`` must not touch this host (None when it may), from what Ansible knows before connecting.

    Windows (facts or a Windows connection) and appliance facts are always refused; membership of a UC
    product group is refused unless the host is confirmed as a Linux host the operator controls.
    """
    render_hint = ("Render its rulesets instead (host_firewall_state=rendered, or playbooks/render.yml) and "
                   "enforce them on the firewall in front of it.")
    os_family = _fact(task_vars, "os_family")
    system = _fact(task_vars, "system")
    connection = task_vars.get("ansible_connection")
    shell = task_vars.get("ansible_shell_type")
    if os_family == "Windows" or system == "Win32NT" or connection in WINDOWS_CONNECTIONS or \
            shell in ("powershell", "cmd"):
        return ("%s: host_firewall_state=applied refused: the host runs Windows (Unified CVP does), which this "
                "role cannot change. %s" % (host, render_hint))
    groups = sorted(set(task_vars.get("group_names") or ()) & set(PRODUCT_GROUPS))
    if groups and not confirmed:
        return ("%s: host_firewall_state=applied refused: the host is in the UC product group %s, and UC "
                "appliances (CUCM, IM and Presence, Unity Connection) manage their own firewall. %s If %s is a "
                "Linux host you control that takes this UC role (a lab replica or an adjunct server), set "
                "%s: true for it." % (host, ", ".join(groups), render_hint, host, CONFIRM_VARIABLE))
    return None


def check_timing(host, rollback_seconds, confirm_timeout):
    if confirm_timeout <= 0:
        raise ApplyError.at(host, "host_firewall_confirm_timeout", "%d is not a number of seconds above 0: the "
                            "controller would not try to reconnect before confirming" % confirm_timeout)
    if rollback_seconds <= confirm_timeout + 10:
        raise ApplyError.at(host, "host_firewall_rollback_seconds",
                            "%d must exceed host_firewall_confirm_timeout (%d) by more than 10 seconds, or the "
                            "node could roll back a change the controller is still confirming"
                            % (rollback_seconds, confirm_timeout))


def with_management(policy, addresses):
    """The policy with ``addresses`` (single hosts) added to its management sources."""
    if not isinstance(policy, dict) or not isinstance(policy.get("management"), dict):
        raise ApplyError("policy must be the result of collab.firewall.uc_host_policy (a dict with management "
                         "and rules), got %s" % type(policy).__name__)
    extra = ["%s/%d" % (a, 128 if ":" in a else 32) for a in addresses if a]
    if not extra:
        return policy
    management = dict(policy["management"])
    management["sources"] = list(management.get("sources") or []) + extra
    return dict(policy, management=management)


def render(policy, backends, table="collab_uc", zone="collab-uc", interfaces=(), staged_suffix="", ipset=False):
    """{backend: rendered} for the backends the node may pick.

    With ``ipset``, iptables comes twice: with ipsets (``iptables_ipset``, used when the node has the ipset tool)
    and plain (``iptables``, the fallback), so the node chooses without another round trip.
    """
    rulesets = {}
    if "nftables" in backends:
        rulesets["nftables"] = render_nftables(policy, table=table) + (staged_suffix or "")
    if "iptables" in backends:
        rulesets["iptables"] = render_iptables(policy)
        if ipset:
            rulesets["iptables_ipset"] = render_iptables_ipset(policy)
    if "firewalld" in backends:
        rulesets["firewalld"] = render_firewalld(policy, zone=zone, interfaces=list(interfaces))
    return rulesets


def resolve(host):
    """The first address of ``host`` (an address stays as it is), or None."""
    try:
        return socket.getaddrinfo(host, None)[0][4][0]
    except (socket.gaierror, UnicodeError, IndexError, TypeError):
        return None


def local_address_towards(address, port=22):
    """The source address this machine's routing picks to reach ``address`` (a UDP connect sends nothing)."""
    if not address:
        return None
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    try:
        sock.connect((address, port))
        return sock.getsockname()[0]
    except (OSError, socket.error):
        return None
    finally:
        sock.close()


def keepalive_args(existing, interval=KEEPALIVE["ServerAliveInterval"],
                   count=KEEPALIVE["ServerAliveCountMax"]):
    """SSH options to add so that a dropped session ends quickly; empty when the operator already set them."""
    text = " ".join(a for a in existing if a)
    added = []
    for option, value in (("ServerAliveInterval", interval), ("ServerAliveCountMax", count)):
        if option.lower() not in text.lower():
            added.append("-o %s=%d" % (option, value))
    return " ".join(added)
