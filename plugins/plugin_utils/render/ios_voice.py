# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The IOS voice trusted list of a gateway: rendering, reading back, and the change a push makes.

IOS accepts VoIP calls (SIP, H.323) only from the addresses of ``voice service voip`` /
``ip address trusted list`` (toll-fraud protection), one ``ipv4 <address> [<mask>]`` or
``ipv6 <prefix>/<length>`` line each. IOS keeps no description per line, so what the collection owns is what
it pushed before: ``trusted_list_changes`` removes only those of its earlier entries the deployment no longer
wants and never an entry the operator added.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import netaddr, require_netaddr

PARENTS = ["voice service voip", "ip address trusted list"]
_ENTRY = re.compile(r"^\s*(ipv4|ipv6)\s+(\S+)(?:\s+(\S+))?\s*$")


def _canonical(afi, address, mask=None):
    """One entry as a CIDR string; ``None`` when the text is not an address."""
    try:
        if afi == "ipv4":
            net = netaddr.IPNetwork("%s/%s" % (address, mask) if mask else address)
            if net.version != 4:
                return None
        else:
            net = netaddr.IPNetwork(address)
            if net.version != 6 or mask:
                return None
    except (netaddr.AddrFormatError, ValueError, TypeError):
        return None
    return str(net.cidr)


_LINES = {}


def entry_line(cidr):
    """The CLI entry of one CIDR: ``ipv4 10.1.1.1``, ``ipv4 10.1.0.0 255.255.0.0``, ``ipv6 2001:db8::1/128``
    (each CIDR worked out once: the gateways of a deployment trust the same call-control nodes)."""
    line = _LINES.get(cidr) if isinstance(cidr, str) else None
    if line is None:
        net = netaddr.IPNetwork(cidr)
        if net.version == 4:
            line = "ipv4 %s" % net.ip if net.prefixlen == 32 else "ipv4 %s %s" % (net.network, net.netmask)
        else:
            line = "ipv6 %s" % net.cidr
        if isinstance(cidr, str):
            if len(_LINES) >= 65536:  # bounded
                _LINES.clear()
            _LINES[cidr] = line
    return line


def render_trusted_list(trusted):
    """CLI of the voice block from ``deployment.gateways.trusted_list``: ``{"lines", "entries", "blocks"}``.

    ``lines``: the block as it reads in a configuration; ``entries``: the entry lines alone; ``blocks``:
    ``cisco.ios.ios_config`` arguments (parents + lines).
    """
    require_netaddr()
    cidrs = list(trusted.get("ipv4") or []) + list(trusted.get("ipv6") or [])
    if not cidrs:
        raise PolicyError("the trusted list is empty")
    entries = [entry_line(c) for c in cidrs]
    return {
        "lines": [PARENTS[0], " " + PARENTS[1]] + ["  " + e for e in entries],
        "entries": entries,
        "blocks": [{"parents": list(PARENTS), "lines": entries}],
    }


def parse_trusted_list(config):
    """The entries of ``voice service voip`` / ``ip address trusted list`` in a configuration, as CIDRs.

    Returns ``{"ipv4": [...], "ipv6": [...], "present": bool}`` in the order of the configuration
    (``present``: the configuration has the trusted-list block at all). Lines IOS would refuse are ignored.
    """
    require_netaddr()
    out = {"ipv4": [], "ipv6": [], "present": False}
    voice = trusted = False
    for raw in (config or "").splitlines():
        line = raw.rstrip()
        if not line.strip() or line.strip() == "!":
            continue
        indent = len(line) - len(line.lstrip())
        text = line.strip()
        if indent == 0:
            voice = text == PARENTS[0]
            trusted = False
            continue
        if not voice:
            continue
        if indent == 1:
            trusted = text == PARENTS[1]
            out["present"] = out["present"] or trusted
            continue
        if trusted:
            match = _ENTRY.match(text)
            if match:
                cidr = _canonical(*match.groups())
                if cidr and cidr not in out[match.group(1)]:
                    out[match.group(1)].append(cidr)
    return out


def _all(parsed):
    return list(parsed.get("ipv4") or []) + list(parsed.get("ipv6") or [])


def trusted_list_changes(running, wanted, owned=None, state="replaced"):
    """What a push changes in the trusted list of a running configuration.

    ``running``: the device's configuration text; ``wanted``: ``trusted_list`` data (ipv4, ipv6);
    ``owned``: the entries the collection pushed before (CIDRs; empty on the first push). ``merged`` only
    adds; ``replaced`` also removes the owned entries no longer wanted; the operator's own entries (neither
    wanted nor owned) stay. Returns ``{"add", "remove", "kept", "operator", "owned", "commands", "changed"}``:
    ``commands`` are the lines under the trusted list (``no ...`` first), ``owned`` the record to keep
    after the push (what the collection owns from then on).
    """
    if state not in ("merged", "replaced"):
        raise PolicyError("state %r is neither merged nor replaced" % (state,))
    have = _all(parse_trusted_list(running))
    want = _all(wanted)
    earlier = []
    for cidr in owned or []:
        net = _canonical("ipv6" if ":" in str(cidr) else "ipv4", str(cidr))
        if net is None:
            raise PolicyError("owned trusted-list entry %r is not an address or CIDR" % (cidr,))
        earlier.append(net)
    add = [c for c in want if c not in have]
    remove = [c for c in have if c in earlier and c not in want] if state == "replaced" else []
    operator = [c for c in have if c not in want and c not in earlier]
    commands = ["no " + entry_line(c) for c in remove] + [entry_line(c) for c in add]
    return {
        "add": add, "remove": remove, "kept": [c for c in have if c in want], "operator": operator,
        # merged keeps owning what it pushed before and did not remove
        "owned": want + ([c for c in earlier if c in have and c not in want] if state == "merged" else []),
        "commands": commands, "changed": bool(commands),
    }
