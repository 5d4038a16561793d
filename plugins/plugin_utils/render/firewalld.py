# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render a host policy as a firewalld zone XML plus ipset XMLs (for /etc/firewalld/zones, /ipsets).

Lockout guard: the zone has target DROP and NO <source> elements. firewalld sends a packet to the zone
bound to its source address before the zone of its interface, so a DROP zone bound to a source range
would drop the SSH of every host in that range that the rich rules do not list, typically the
controller. The role binds this zone to the interface only. Established/related and loopback traffic
are accepted by firewalld's own base chains before zone dispatch, so they need no rule here; the
management SSH rich rule is written first. ICMP is allowed only by rich rules, never through
icmp-block-inversion.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from xml.sax.saxutils import quoteattr, escape

from ansible_collections.collab.firewall.plugins.plugin_utils.render.host_common import (
    PolicyError,
    fmt_range,
    memo,
    normalize_policy,
    rule_comment,
    sanitize,
    set_id,
    source_groups,
)

FAMILIES = {"v4": ("ipv4", "inet", "icmp"), "v6": ("ipv6", "inet6", "ipv6-icmp")}
HEADER = '<?xml version="1.0" encoding="utf-8"?>'


def _ipset_name(zone, family, cidrs):
    # <= 17 + 3 + 8 = 28 chars: within the 31 usable chars of a kernel ipset name.
    return "%s-%s-%s" % (zone, family[1], set_id(cidrs))


def _targets(rule, family):
    """The element(s) naming what is accepted: one rich rule holds one port element."""
    proto = rule["transport"]
    if proto == "icmp":
        return ['<protocol value="%s"/>' % FAMILIES[family][2]]
    if not rule["ports"]:
        return ['<protocol value="%s"/>' % proto]
    return ['<port port="%s" protocol="%s"/>' % (fmt_range(lo, hi), proto) for lo, hi in rule["ports"]]


_ENTRIES = {}


def check_zone_name(zone):
    """A firewalld zone name (it is also the zone file's name), or PolicyError."""
    if not isinstance(zone, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,17}", zone):
        raise PolicyError("invalid firewalld zone name %r (1-17 of letters, digits, _ and -)" % (zone,))
    return zone


def check_interface_names(interfaces):
    """Linux interface names (1-15 of letters, digits, _ . @ -), or PolicyError."""
    for name in interfaces:
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_.@-]{1,15}", name):
            raise PolicyError("invalid interface name %r (1-15 of letters, digits, _ . @ -)" % (name,))
    return interfaces


def render_firewalld(policy, zone="collab-uc", interfaces=()):
    """Return {"zone": name, "zone_xml": text, "ipsets": {name: xml}}; raises PolicyError on bad input.

    ``interfaces`` binds the zone to those interfaces in the XML itself, so one file holds the whole zone.
    """
    check_zone_name(zone)
    check_interface_names(interfaces)
    pol = normalize_policy(policy)
    rules = pol["rules"]
    ipsets = {}
    for family in sorted(FAMILIES):
        for cidrs, members in source_groups(rules, family):
            name = _ipset_name(zone, family, cidrs)
            uses = " ".join(i for r in members for i in (r["ids"] or ["management"]))
            ipsets[name] = "\n".join(
                [HEADER, '<ipset type="hash:net">',
                 "  <short>%s</short>" % name,
                 "  <description>%s</description>" % escape("sources of %s" % sanitize(uses)),
                 '  <option name="family" value="%s"/>' % FAMILIES[family][1],
                 memo(_ENTRIES, cidrs, lambda: "\n".join("  <entry>%s</entry>" % c for c in cidrs)),
                 "</ipset>", ""])
    body = []
    written = set()  # firewalld refuses a zone that holds one rich rule twice ("already set")
    for rule in rules:
        body.append("  <!-- %s -->" % rule_comment(rule))
        for family in sorted(FAMILIES):
            if rule[family]:
                source = "<source ipset=%s/>" % quoteattr(_ipset_name(zone, family, rule[family]))
                for target in _targets(rule, family):
                    # firewalld runs a zone's drop rules before its accept rules, whatever their order here
                    line = '  <rule family="%s">%s%s<%s/></rule>' % (FAMILIES[family][0], source, target, rule["verdict"])
                    if line not in written:
                        written.add(line)
                        body.append(line)
    zone_xml = "\n".join(
        [HEADER,
         "<!-- collab.firewall host policy for %s; generated, do not edit. No <source> elements on purpose:"
         % sanitize(pol["host"]),
         "     a DROP zone bound to a source range would lock out SSH; bind this zone to the interface. -->",
         '<zone target="DROP">',
         "  <short>%s</short>" % zone,
         "  <description>%s</description>" % escape(
             "collab.firewall UC policy for %s: management SSH first, UC flows, default DROP"
             % sanitize(pol["host"]))] +
        ['  <interface name="%s"/>' % name for name in interfaces] + body + ["</zone>", ""])
    return {"zone": zone, "zone_xml": zone_xml, "ipsets": ipsets}
