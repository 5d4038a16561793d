# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write flows (docs/policy-model.md) as Aerleon input: YAML network and service definitions and a YAML policy.

``render_aerleon`` returns the contents of three files::

    {"networks": "<defs>/uc_networks.yaml", "services": "<defs>/uc_services.yaml", "policy": "<policies>/x.yaml"}

The policy has one filter holding every requested target (``cisco`` as a ``mixed`` IPv4 + IPv6 ACL,
``ciscoasa``, ``nftables`` as ``mixed input``, ``iptables`` as ``INPUT DROP inet``) and, when ``iptables``
is requested, a second filter with the same terms for ``INPUT DROP inet6`` (an Aerleon iptables filter
holds one address family). Terms: management SSH first (when management sources are known), one term per
flow (two for ICMP with both families: ``icmp`` and ``icmpv6``), then an explicit ``default-deny``.

Every network, service and term is preceded by a YAML comment citing its catalog ids; a term's own
``comment`` (rendered by Aerleon as remark / rule comment) holds the description and as many ids as fit in
120 characters (nftables refuses comments over 128). With ``host`` (and the ``uc_flows`` result as input)
only the flows towards that node are written, with the node's addresses as destinations: the Aerleon
counterpart of the host policy renderers.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import re

from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import check_name
from ansible_collections.collab.firewall.plugins.plugin_utils.render.cisco_common import (
    PolicyError,
    normalize_block,
)

__all__ = ["render_aerleon", "PolicyError", "TARGETS"]

TARGETS = ("cisco", "ciscoasa", "iptables", "nftables")
COMMENT_MAX = 120
TERM_NAME_MAX = 24  # Aerleon's iptables generator limits term names (chain names) to 24 characters
_SLUG = re.compile(r"[^A-Za-z0-9]+")
_TOKEN = re.compile(r"[^A-Za-z0-9-]+")


def _quote(text):
    """A YAML scalar: JSON strings are valid YAML and need no further escaping."""
    return json.dumps(text)


def _yaml_comment(text):
    return "# " + " ".join(str(text).split())


def _digest(parts):
    return hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()[:8].upper()


class _Names(object):
    """Readable, unique, deterministic definition names: a label, or label + digest on a clash."""

    def __init__(self):
        self.by_key = {}
        self.used = set()

    def get(self, key, label):
        if key in self.by_key:
            return self.by_key[key], False
        label = _TOKEN.sub("_", label).strip("_-").upper()[:40] or "UC"
        name = label if label not in self.used else "%s_%s" % (label, _digest(key))
        self.by_key[key] = name
        self.used.add(name)
        return name, True


def _term_comment(description, ids):
    """One line of at most COMMENT_MAX characters: description, then the ids that fit."""
    text = " ".join(description.replace('"', "'").split())
    shown = []
    for index, item in enumerate(ids):
        rest = len(ids) - index - 1
        candidate = "%s (%s%s)" % (text, " ".join(shown + [item]), " +%d more" % rest if rest else "")
        if len(candidate) > COMMENT_MAX:
            break
        shown.append(item)
    if not ids:
        return text[:COMMENT_MAX]
    more = len(ids) - len(shown)
    line = "%s (%s%s)" % (text, " ".join(shown), (" +%d more" % more) if more else "")
    if len(line) > COMMENT_MAX:
        line = "%s (%d catalog ids)" % (text[:COMMENT_MAX - 20], len(ids))
    return line


def _select(flows, host):
    """(flows, management) from a uc_flows result or a list; with ``host``: the flows towards that node."""
    management = None
    if isinstance(flows, dict) and "flows" in flows:
        management = flows.get("management")
        if host is not None:
            nodes = flows.get("nodes") or {}
            if host not in nodes:
                raise PolicyError("host %r is not a UC node of this deployment (known: %s)"
                                  % (host, ", ".join(sorted(nodes)) or "none"))
            addresses = list(nodes[host]["addresses"])
            selected = [dict(f, destinations=addresses, dst_names=[host]) for f in flows["flows"]
                        if host in (f.get("dst_names") or [])]
            return selected, management
        return flows["flows"], management
    if host is not None:
        raise PolicyError("host needs the uc_flows result (with its nodes), not a list of flows")
    if not isinstance(flows, (list, tuple)):
        raise PolicyError("flows %r must be the uc_flows result or a list of flow dicts" % (flows,))
    return flows, None


def _side_label(flow, names_key, roles_key):
    names = flow.get(names_key) or []
    if len(names) == 1:
        return names[0]
    roles = flow.get(roles_key) or []
    return "_".join(roles) if roles else "net"


def _net_key(block, side):
    return tuple(str(n.cidr) for version in (4, 6) for n in block[side][version])


def render_aerleon(flows, name="UC-ACL", targets=TARGETS, management=None, host=None):
    """Return {"networks", "services", "policy"}: Aerleon YAML texts for the flows.

    ``flows``: the uc_flows result (its management sources are used unless ``management`` is given) or a
    list of flows. ``name``: the ACL name of the cisco / ciscoasa targets. ``targets``: a subset of TARGETS.
    Raises PolicyError on invalid input.
    """
    check_name(name)
    if isinstance(targets, str) or not isinstance(targets, (list, tuple)) or not targets:
        raise PolicyError("targets %r must be a non-empty list of %s" % (targets, ", ".join(TARGETS)))
    for target in targets:
        if target not in TARGETS:
            raise PolicyError("target %r is not one of %s" % (target, ", ".join(TARGETS)))
    selected, default_mgmt = _select(flows, host)
    if management is None:
        management = default_mgmt
    if management is not None and not isinstance(management, dict):
        raise PolicyError("management %r is not a dict" % (management,))

    networks, services = _Names(), _Names()
    net_defs, svc_defs, terms = {}, {}, []

    def network(key, label, cited):
        net_name, new = networks.get(key, label)
        if new:
            net_defs[net_name] = (set(), key, set())
        net_defs[net_name][0].add(label)
        net_defs[net_name][2].update(cited)
        return net_name

    def service(transport, ports, cited):
        key = (transport,) + tuple("%d-%d" % p for p in ports)
        label = "%s_%s" % (transport, "_".join(str(lo) if lo == hi else "%d-%d" % (lo, hi) for lo, hi in ports))
        svc_name, new = services.get(key, label if len(label) <= 40 else transport)
        if new:
            svc_defs[svc_name] = (label, transport, ports, set())
        svc_defs[svc_name][3].update(cited)
        return svc_name

    def term(label, block, source, destination, protocol, description):
        index = len(terms) + 1
        term_name = ("t%04d-%s" % (index, _SLUG.sub("-", label).strip("-").lower()))[:TERM_NAME_MAX].rstrip("-")
        lines = ["      %s" % _yaml_comment("%s: %s" % (description, " ".join(block["catalog_ids"]) or "no catalog id")),
                 "      - name: %s" % term_name,
                 "        comment: %s" % _quote(_term_comment(description, block["catalog_ids"]))]
        if source:
            lines.append("        source-address: %s" % source)
        if destination:
            lines.append("        destination-address: %s" % destination)
        lines.append("        protocol: %s" % protocol)
        if block["ports"]:
            lines.append("        destination-port: %s" % service(block["transport"], block["ports"], block["catalog_ids"]))
        lines.append("        action: accept")
        terms.append(lines)

    if management and management.get("sources"):
        mgmt = dict(management)
        mgmt.setdefault("transport", "tcp")
        mgmt.setdefault("ports", [22])
        block = normalize_block(mgmt, "management", default_destinations=["0.0.0.0/0", "::/0"])
        source = network(_net_key(block, "src"), "management", [])
        term("mgmt", block, source, None, block["transport"], "management: %s from the management sources"
             % block["transport"])

    for raw in selected:
        block = normalize_block(raw, "flow")
        versions = [v for v in (4, 6) if block["src"][v] and block["dst"][v]]
        if not versions:
            continue
        src_label = _side_label(raw, "src_names", "from_roles")
        dst_label = _side_label(raw, "dst_names", "to_roles")
        description = raw.get("description") or "%s to %s" % (src_label, dst_label)
        if block["transport"] == "icmp":
            protocols = [("icmp" if v == 4 else "icmpv6", (v,)) for v in versions]
        else:
            protocols = [(block["transport"], tuple(versions))]
        for protocol, fams in protocols:
            fam_block = dict(block, src=dict((v, block["src"][v] if v in fams else []) for v in (4, 6)),
                             dst=dict((v, block["dst"][v] if v in fams else []) for v in (4, 6)))
            source = network(_net_key(fam_block, "src"), src_label, block["catalog_ids"])
            destination = network(_net_key(fam_block, "dst"), dst_label, block["catalog_ids"])
            term("%s-%s" % (src_label, protocol), block, source, destination, protocol, description)

    deny = ["      # default deny (collab.firewall)",
            "      - name: default-deny",
            '        comment: "default deny (collab.firewall)"',
            "        action: deny"]
    term_lines = [line for lines in terms for line in lines] + deny
    header = {
        "cisco": "%s mixed" % name,
        "ciscoasa": name,
        "nftables": "mixed input",
        "iptables": "INPUT DROP inet",
    }
    policy = ["# collab.firewall: UC flows as an Aerleon policy; generated, do not edit.",
              "# Each term cites its catalog ids (comment above it, and in its comment as far as 120 characters allow).",
              "filters:",
              "  - header:",
              '      comment: "collab.firewall UC flows; generated, do not edit"',
              "      targets:"]
    policy += ["        %s: %s" % (target, header[target]) for target in TARGETS if target in targets]
    policy += ["    terms:"] + term_lines
    if "iptables" in targets:
        policy += ["  - header:",
                   '      comment: "collab.firewall UC flows (IPv6); generated, do not edit"',
                   "      targets:",
                   "        iptables: INPUT DROP inet6",
                   "    terms:"] + term_lines
    net_text, svc_text = [], []
    for net_name, (labels, cidrs, cited) in net_defs.items():
        net_text.append("  %s" % _yaml_comment("%s; catalog ids: %s" % (", ".join(sorted(labels)),
                                                                        " ".join(sorted(cited)) or "none")))
        net_text += ["  %s:" % net_name, "    values:"] + ["      - {address: %s}" % _quote(cidr) for cidr in cidrs]
    for svc_name, (label, transport, ports, cited) in svc_defs.items():
        svc_text.append("  %s" % _yaml_comment("%s; catalog ids: %s" % (label, " ".join(sorted(cited)) or "none")))
        svc_text.append("  %s:" % svc_name)
        svc_text += ["    - {port: %s, protocol: %s}" % (_quote(str(lo) if lo == hi else "%d-%d" % (lo, hi)), transport)
                     for lo, hi in ports]
    return {
        "networks": "\n".join(["# collab.firewall: networks of the UC flows; generated, do not edit.",
                               "networks:" + ("" if net_text else " {}")] + net_text) + "\n",
        "services": "\n".join(["# collab.firewall: services (destination ports) of the UC flows; generated, do not edit.",
                               "services:" + ("" if svc_text else " {}")] + svc_text) + "\n",
        "policy": "\n".join(policy) + "\n",
    }
