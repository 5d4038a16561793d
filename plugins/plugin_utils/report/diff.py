# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What one deployment adds, removes and changes against another.

Both sides are rendered trees ({relative path: text}, or a folder on disk holding one): ``report/flows.json``
(its ``deployment`` part: the flows with node and zone names, and every name's addresses),
``hosts/<node>/policy.json`` and ``devices/<device>/plan.json`` + ``config.txt``. Two inventories, two git
revisions of one inventory and two catalog releases all come down to two trees.

- flows: one item per (source name, destination name, transport), a name being a UC node or a uc_zones zone:
  ``added`` and ``removed`` when the pair opens (closes) altogether, ``changed`` with the ports, source and
  destination addresses and catalog ids it gains and loses. The comparison is exact: an empty diff means the
  same packets are allowed between the same names.
- hosts: per UC node, which (transport, ports, sources) its inbound policy gains and loses, exactly (address
  sets and port ranges, not rule text).
- devices: per router or firewall ACL the same pair comparison, plus the configuration lines (sequence
  numbers ignored) the change adds and removes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
from collections import Counter

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import (
    format_ranges,
    merge_ranges,
    netaddr,
    port_ranges,
    require_netaddr,
    subtract_intervals,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.report.flow_report import (
    diagram_of,
    documents_of,
    edges_of,
    node_index,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.report.pages import node_label, provenance, render

NO_PORTS = ((-1, -1),)   # the one "port range" of a portless transport (icmp, gre, esp, ah)
TREE_FILES = ("report/flows.json",)


class DiffError(CollabFirewallError):
    """A side of the diff that is not a rendered tree this version can read."""


# ---------------------------------------------------------------- reading a side


def read_tree(path):
    """The parts of a rendered tree on disk that the diff reads, as {relative path: text}."""
    if not os.path.isfile(os.path.join(path, "report", "flows.json")):
        raise DiffError("%s is not a rendered tree: report/flows.json is missing (render it with "
                        "playbooks/render.yml, or pass an inventory)" % path)
    tree = {}
    for folder, names in (("hosts", ("policy.json",)), ("devices", ("plan.json", "config.txt"))):
        base = os.path.join(path, folder)
        for item in sorted(os.listdir(base)) if os.path.isdir(base) else []:
            for name in names:
                full = os.path.join(base, item, name)
                if os.path.isfile(full):
                    with open(full) as handle:
                        tree["%s/%s/%s" % (folder, item, name)] = handle.read()
    with open(os.path.join(path, "report", "flows.json")) as handle:
        tree["report/flows.json"] = handle.read()
    return tree


def _load(text, where):
    try:
        return json.loads(text)
    except ValueError as exc:
        raise DiffError("%s: not JSON: %s" % (where, exc))


def _ports(items, transport):
    if not items:
        return NO_PORTS if transport not in ("tcp", "udp") else ()
    return tuple(port_ranges(items))


def _pairs(flows):
    """{(source name, destination name, transport): {"ports": ranges, "ids": set}} of a flow list."""
    pairs = {}
    for flow in flows:
        for src in flow["src_names"]:
            for dst in flow["dst_names"]:
                item = pairs.setdefault((src, dst, flow["transport"]), {"ports": [], "ids": set()})
                item["ports"] = merge_ranges(list(item["ports"]) + list(_ports(flow["ports"], flow["transport"])))
                item["ids"].update(flow["catalog_ids"])
    return pairs


def snapshot(tree):
    """One side of the diff, from a rendered tree ({path: text})."""
    if "report/flows.json" not in tree:
        raise DiffError("not a rendered tree: report/flows.json is missing")
    report = _load(tree["report/flows.json"], "report/flows.json")
    deployment = report.get("deployment") if isinstance(report, dict) else None
    if not isinstance(deployment, dict):
        raise DiffError("report/flows.json has no 'deployment' part: the tree was rendered by an older "
                        "collab.firewall; render it again, or pass its inventory")
    addresses = dict((name, list(node["addresses"])) for name, node in deployment["nodes"].items())
    addresses.update((name, list(cidrs)) for name, cidrs in deployment["zones"].items())
    hosts, devices = {}, {}
    for path, text in sorted(tree.items()):
        parts = path.split("/")
        if len(parts) == 3 and parts[0] == "hosts" and parts[2] == "policy.json":
            hosts[parts[1]] = _load(text, path)
        elif len(parts) == 3 and parts[0] == "devices" and parts[2] == "plan.json":
            devices.setdefault(parts[1], {})["acls"] = _load(text, path)
        elif len(parts) == 3 and parts[0] == "devices" and parts[2] == "config.txt":
            devices.setdefault(parts[1], {})["config"] = text
    return {
        "flows": _pairs(deployment["flows"]),
        "addresses": addresses,
        "nodes": deployment["nodes"],
        "releases": deployment.get("releases") or {},
        "features": deployment.get("features") or [],
        "hosts": hosts,
        "devices": devices,
    }


# ---------------------------------------------------------------- sets


def _ipset(cidrs):
    return netaddr.IPSet(list(cidrs))


def _cidrs(ipset):
    return [str(c) for c in sorted(ipset.iter_cidrs(), key=lambda c: (c.version, c.value, c.prefixlen))]


def _ranges_sub(first, second):
    """Port ranges in ``first`` and not in ``second``."""
    return list(subtract_intervals(merge_ranges(first), merge_ranges(second)))


def port_list(ranges):
    return ["-"] if tuple(ranges) == NO_PORTS else format_ranges(ranges)


# ---------------------------------------------------------------- flows (and ACLs): pairs of names


def _pair_item(key, item, addresses, nodes):
    src, dst, transport = key
    return {"from": src, "to": dst, "transport": transport, "ports": port_list(item["ports"]),
            "catalog_ids": sorted(item["ids"]), "sources": list(addresses.get(src, [])),
            "destinations": list(addresses.get(dst, [])), "from_kind": "node" if src in nodes else "zone",
            "to_kind": "node" if dst in nodes else "zone"}


def diff_pairs(old, new, old_side, new_side):
    """(added, removed, changed) between two pair maps (see ``_pairs``)."""
    added, removed, changed = [], [], []
    for key in sorted(set(old) | set(new)):
        if key not in old:
            added.append(_pair_item(key, new[key], new_side["addresses"], new_side["nodes"]))
            continue
        if key not in new:
            removed.append(_pair_item(key, old[key], old_side["addresses"], old_side["nodes"]))
            continue
        before, after = old[key], new[key]
        src, dst = key[0], key[1]
        old_src, new_src = _ipset(old_side["addresses"].get(src, [])), _ipset(new_side["addresses"].get(src, []))
        old_dst, new_dst = _ipset(old_side["addresses"].get(dst, [])), _ipset(new_side["addresses"].get(dst, []))
        delta = {
            "ports_added": port_list(_ranges_sub(after["ports"], before["ports"])) if after["ports"] else [],
            "ports_removed": port_list(_ranges_sub(before["ports"], after["ports"])) if before["ports"] else [],
            "sources_added": _cidrs(new_src - old_src), "sources_removed": _cidrs(old_src - new_src),
            "destinations_added": _cidrs(new_dst - old_dst), "destinations_removed": _cidrs(old_dst - new_dst),
            "catalog_ids_added": sorted(after["ids"] - before["ids"]),
            "catalog_ids_removed": sorted(before["ids"] - after["ids"]),
        }
        if tuple(after["ports"]) == tuple(before["ports"]):
            delta["ports_added"] = delta["ports_removed"] = []
        if any(delta.values()):
            item = _pair_item(key, after, new_side["addresses"], new_side["nodes"])
            item.update(delta)
            changed.append(item)
    return added, removed, changed


# ---------------------------------------------------------------- hosts: exact inbound coverage


def _rules(policy):
    rules = list(policy.get("rules") or [])
    management = policy.get("management")
    if management:
        rules.append(dict(management, catalog_ids=["management"]))
    return rules


def _coverage(rules, transport):
    """Permit rules as (port ranges, sources, ids); a site entry is cited by its variable and index."""
    return [(_ports(r["ports"], transport), _ipset(r["sources"]), r["catalog_ids"] or [r.get("site") or "site"])
            for r in rules if r["transport"] == transport and r.get("action", "permit") == "permit"]


def _denied(rules, transport):
    """Site deny rules (host_firewall site entries): they come before every permit, so they take away."""
    return [(_ports(r["ports"], transport), _ipset(r["sources"]), [r.get("site") or "site"]) for r in rules
            if r["transport"] == transport and r.get("action") == "deny"]


def _elementary(first, second):
    """The port intervals between every start and end of two coverages."""
    points = set()
    for coverage in (first, second):
        for ranges, _sources, _ids in coverage:
            for start, end in ranges:
                points.update((start, end + 1))
    points = sorted(points)
    return list(zip(points, [p - 1 for p in points[1:]]))


def _covering(coverage, start, end):
    return [(sources, ids) for ranges, sources, ids in coverage if any(a <= start and end <= b for a, b in ranges)]


def diff_policy(old, new):
    """(rules added, rules removed) between two inbound policies: exact, grouped by source set and ids."""
    old_rules, new_rules = _rules(old or {}), _rules(new or {})
    added, removed = {}, {}
    for transport in sorted(set(r["transport"] for r in old_rules + new_rules)):
        before, after = _coverage(old_rules, transport), _coverage(new_rules, transport)
        denied = (_denied(old_rules, transport), _denied(new_rules, transport))
        for start, end in _elementary(before + denied[0], after + denied[1]):
            was, now = _covering(before, start, end), _covering(after, start, end)
            if not was and not now:
                continue
            old_set = netaddr.IPSet()
            new_set = netaddr.IPSet()
            for sources, _ids in was:
                old_set |= sources
            for sources, _ids in now:
                new_set |= sources
            closed = (_covering(denied[0], start, end), _covering(denied[1], start, end))
            for sources, _ids in closed[0]:
                old_set -= sources
            for sources, _ids in closed[1]:
                new_set -= sources
            # a change a deny makes cites it: a removed deny opens, an added deny closes
            for gained, owners, target in ((new_set - old_set, now + closed[0], added),
                                           (old_set - new_set, was + closed[1], removed)):
                if not gained:
                    continue
                ids = sorted(set(i for sources, ids in owners if sources & gained for i in ids))
                key = (transport, tuple(_cidrs(gained)), tuple(ids))
                target.setdefault(key, []).append((start, end))
    return [[{"transport": t, "ports": port_list(merge_ranges(ranges)), "sources": list(sources), "catalog_ids": list(ids)}
             for (t, sources, ids), ranges in sorted(group.items())] for group in (added, removed)]


def diff_hosts(old_side, new_side):
    out = []
    for host in sorted(set(old_side["hosts"]) | set(new_side["hosts"])):
        before, after = old_side["hosts"].get(host), new_side["hosts"].get(host)
        added, removed = diff_policy(before, after)
        if not added and not removed:
            continue
        status = "added" if before is None else ("removed" if after is None else "changed")
        out.append({"host": host, "status": status, "rules_added": added, "rules_removed": removed,
                    "addresses": list((after or before).get("addresses") or [])})
    return out


# ---------------------------------------------------------------- devices: ACL pairs and configuration lines


def _acl_key(acl):
    return "%s (%s %s)" % (acl["name"], acl.get("nameif") or acl["interface"], acl["direction"])


def config_lines(text):
    """Configuration lines without sequence numbers and remarks, in order."""
    out = []
    for line in (text or "").splitlines():
        words = line.split()
        if not words:
            continue
        if words[0].isdigit():
            words = words[1:]
        if "remark" in words[:3]:
            continue
        out.append((" " if line.startswith(" ") else "") + " ".join(words))
    return out


def diff_lines(old_text, new_text):
    before, after = config_lines(old_text), config_lines(new_text)
    old_count, new_count = Counter(before), Counter(after)
    added = [line for line in after if new_count[line] > old_count.get(line, 0)]
    removed = [line for line in before if old_count[line] > new_count.get(line, 0)]
    return sorted(set(added), key=added.index), sorted(set(removed), key=removed.index)


def _acl_pairs(acl):
    flows = list(acl.get("flows") or [])
    management = acl.get("management")
    if management:
        flows.append(dict(management, src_names=["management"], dst_names=["uc nodes"], catalog_ids=["management"]))
    return _pairs(flows)


def diff_devices(old_side, new_side):
    out = []
    for device in sorted(set(old_side["devices"]) | set(new_side["devices"])):
        before = old_side["devices"].get(device) or {}
        after = new_side["devices"].get(device) or {}
        old_acls = dict((_acl_key(a), a) for a in before.get("acls") or [])
        new_acls = dict((_acl_key(a), a) for a in after.get("acls") or [])
        acls = []
        for name in sorted(set(old_acls) | set(new_acls)):
            added, removed, changed = diff_pairs(_acl_pairs(old_acls.get(name) or {}), _acl_pairs(new_acls.get(name) or {}),
                                                 old_side, new_side)
            if added or removed or changed:
                acls.append({"acl": name, "status": "added" if name not in old_acls else (
                    "removed" if name not in new_acls else "changed"),
                    "added": added, "removed": removed, "changed": changed})
        lines_added, lines_removed = diff_lines(before.get("config"), after.get("config"))
        if acls or lines_added or lines_removed:
            out.append({"device": device, "status": "added" if not before else ("removed" if not after else "changed"),
                        "acls": acls, "lines_added": lines_added, "lines_removed": lines_removed})
    return out


# ---------------------------------------------------------------- the whole diff


def diff_snapshots(old_side, new_side):
    require_netaddr()
    added, removed, changed = diff_pairs(old_side["flows"], new_side["flows"], old_side, new_side)
    releases = dict((product, {"old": old_side["releases"].get(product), "new": new_side["releases"].get(product)})
                    for product in sorted(set(old_side["releases"]) | set(new_side["releases"]))
                    if old_side["releases"].get(product) != new_side["releases"].get(product))
    names = dict((name, {"old": old_side["addresses"].get(name), "new": new_side["addresses"].get(name)})
                 for name in sorted(set(old_side["addresses"]) | set(new_side["addresses"]))
                 if _ipset(old_side["addresses"].get(name) or []) != _ipset(new_side["addresses"].get(name) or []))
    hosts = diff_hosts(old_side, new_side)
    devices = diff_devices(old_side, new_side)
    settings = {
        "releases": releases,
        "features_added": sorted(set(new_side["features"]) - set(old_side["features"])),
        "features_removed": sorted(set(old_side["features"]) - set(new_side["features"])),
        "nodes_added": sorted(set(new_side["nodes"]) - set(old_side["nodes"])),
        "nodes_removed": sorted(set(old_side["nodes"]) - set(new_side["nodes"])),
        "addresses": names,
    }
    return {
        "added": added, "removed": removed, "changed": changed, "hosts": hosts, "devices": devices,
        "settings": settings, "nodes": dict(old_side["nodes"], **new_side["nodes"]),
        "empty": not (added or removed or changed or hosts or devices),
    }


def diff_trees(old_tree, new_tree):
    """The diff of two rendered trees ({path: text}, or folders on disk)."""
    sides = []
    for tree in (old_tree, new_tree):
        if isinstance(tree, str):
            tree = read_tree(tree)
        sides.append(snapshot(tree))
    return diff_snapshots(sides[0], sides[1])


# ---------------------------------------------------------------- the diff as a report

DIFF_FORMATS = ("json", "markdown", "html")
_DELTA = ("ports_added", "ports_removed", "sources_added", "sources_removed", "destinations_added",
          "destinations_removed", "catalog_ids_added", "catalog_ids_removed")


def _merged(cidrs):
    return _cidrs(_ipset(cidrs)) if cidrs else []


def group_items(diff):
    """The flow changes for reading: pairs with the same ends (product[cluster] or zone), transport and change
    become one row naming every node."""
    nodes = diff["nodes"]
    groups = {}
    for status in ("added", "removed", "changed"):
        for item in diff[status]:
            signature = tuple(tuple(item.get(k) or ()) for k in ("ports", "catalog_ids") + _DELTA)
            key = (status, node_label(nodes, item["from"]), node_label(nodes, item["to"]), item["transport"], signature)
            group = groups.setdefault(key, dict((k, item.get(k, [])) for k in ("ports", "catalog_ids") + _DELTA))
            group.update(status=status, from_label=key[1], to_label=key[2], transport=item["transport"])
            for end, names, cidrs in (("from", "src_names", "sources"), ("to", "dst_names", "destinations")):
                group.setdefault(names, [])
                if item[end] not in group[names]:
                    group[names].append(item[end])
                group[cidrs] = _merged(group.get(cidrs, []) + item[cidrs])
    out = []
    for key in sorted(groups, key=lambda k: (("added", "removed", "changed").index(k[0]), k[1], k[2], k[3],
                                             json.dumps(k[4]))):
        group = groups[key]
        group["src_names"].sort()
        group["dst_names"].sort()
        out.append(group)
    return out


def _ids(diff):
    ids = set()
    for status in ("added", "removed", "changed"):
        for item in diff[status]:
            ids.update(item["catalog_ids"])
            ids.update(item.get("catalog_ids_removed") or [])
    for host in diff["hosts"]:
        for rule in host["rules_added"] + host["rules_removed"]:
            ids.update(rule["catalog_ids"])
    for device in diff["devices"]:
        for acl in device["acls"]:
            for status in ("added", "removed", "changed"):
                for item in acl[status]:
                    ids.update(item["catalog_ids"])
    return ids


def _summary(diff):
    if diff["empty"]:
        return "No change: both deployments allow the same flows, host rules and ACL entries."
    return "%d flows added, %d removed, %d changed (between individual nodes and zones); %d UC nodes and %d devices " \
           "affected" % (len(diff["added"]), len(diff["removed"]), len(diff["changed"]), len(diff["hosts"]),
                         len(diff["devices"]))


def diff_report(diff, catalog, fmt, old_name="old", new_name="new"):
    """``diff`` (``diff_trees``) as JSON, Markdown for a change ticket, or a self-contained HTML page."""
    if fmt not in DIFF_FORMATS:
        raise DiffError("format %r is not one of %s" % (fmt, ", ".join(DIFF_FORMATS)))
    origin = provenance(catalog, _ids(diff)) if catalog is not None else {}
    if fmt == "json":
        return json.dumps(dict(diff, catalog=origin, old=old_name, new=new_name), indent=1, sort_keys=True) + "\n"
    groups = group_items(diff)
    for group in groups:
        group["documents"] = documents_of(origin, group["catalog_ids"] + list(group.get("catalog_ids_removed") or []))
    context = dict(diff=diff, groups=groups, origin=origin, old=old_name, new=new_name, summary=_summary(diff),
                   title="UC firewall change: %s \u2192 %s" % (old_name, new_name))
    if fmt == "markdown":
        return render("diff.md.j2", **context)
    labels = set(node_label(diff["nodes"], n) for n in diff["nodes"])
    shown = [dict(g, ports=(g["ports_added"] + g["ports_removed"]) or g["ports"]) if g["status"] == "changed" else g
             for g in groups]
    edges, item_edges = edges_of(shown, lambda label: label in labels, lambda n: node_label(diff["nodes"], n),
                                 lambda i: "g%d" % i)
    for index, group in enumerate(groups):
        group.update(id="g%d" % index, edges=item_edges[index])
    used = set(e["from"] for e in edges.values()) | set(e["to"] for e in edges.values())
    data = {"edges": edges, "nodes": node_index(diff["nodes"]),
            "diagrams": {"layers": diagram_of(edges, [g for g in labels if g in used])}}
    return render("diff.html.j2", data=data, navigation=[("overview", "Layered view"), ("flows", "Flows"),
                                                         ("hosts", "Hosts"), ("devices", "Devices"),
                                                         ("catalog", "Catalog rows")], **context)
