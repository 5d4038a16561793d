# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Audit the ACLs of a router or firewall exactly against what the collection renders for it.

Inputs: a device plan (``render.platforms.device_plan`` with a platform: per interface and direction the
rendered ACL) and the device's ACLs as the Cisco modules parse them (``cisco.ios.ios_acls`` state parsed
plus the running-config text for IOS object-groups and bindings; ``cisco.asa.asa_acls`` and
``cisco.asa.asa_ogs`` state parsed for ASA). Both sides are read by the same readers into ``matcher.Ace``
lists, and their permitted sets are computed exactly (first match, box subtraction):

- missing: packets the rendered ACL permits and the device denies, as boxes, grouped by the rendered ACE
  that permits them (the entry the device lacks), with the device ACE that denies them;
- extra: packets the device permits and the rendered ACL does not, grouped by the device ACE permitting them;
- both summarised per zone pair (uc_zones keys and UC node groups; ``other`` for the rest);
- shadowed: device ACEs that earlier ACEs cover entirely (duplicates included);
- bindings: whether each ACL is applied to its interface in its direction (from the running-config text).

Port names (``www``, ``sip``, ``tftp``) are compared by number. The comparison is exact: an empty list
proves the two permitted sets are equal.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import require_netaddr
from ansible_collections.collab.firewall.plugins.plugin_utils.acl.matcher import (
    STATE_ESTABLISHED,
    AclEvalError,
    address_ranges,
    analyse,
    canonical,
    describe_box,
    permitted,
    r_and,
    r_sub,
    ranges_cidrs,
    shadowed_aces,
    subtract,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.acl.readers import (
    asa_bindings,
    asa_device_acls,
    ios_bindings,
    ios_device_acls,
)

MAX_EXAMPLES = 3
MAX_PAIRS = 12


class AuditError(CollabFirewallError):
    """Device data or a plan the audit cannot read."""


# ---------------------------------------------------------------- zones


def _labels(plan):
    """``[(label, address intervals)]`` for the zone-pair summary, from the plan's ``zones``."""
    out = []
    for label, cidrs in sorted((plan.get("zones") or {}).items()):
        if cidrs:
            out.append((label, address_ranges(cidrs)))
    return out


def _names(ranges, labels):
    """The labels an address interval tuple touches, plus ``other`` for addresses no label holds."""
    names, rest = [], ranges
    for label, own in labels:
        if r_and(ranges, own):
            names.append(label)
            rest = r_sub(rest, own)
    if rest:
        names.append("other")
    return names


def _pairs(boxes, labels):
    pairs = set()
    for box in boxes:
        for src in _names(box[1], labels):
            for dst in _names(box[2], labels):
                pairs.add("%s -> %s" % (src, dst))
    return sorted(pairs)


# ---------------------------------------------------------------- comparison


def _example(box):
    """One packet inside a box, as text."""
    src, dst = ranges_cidrs(box[1], 1)[0].split("/")[0], ranges_cidrs(box[2], 1)[0].split("/")[0]
    proto = min(box[0])
    names = {6: "tcp", 17: "udp", 1: "icmp", 58: "icmp6", 47: "gre", 50: "esp", 51: "ah"}
    text = "%s -> %s %s" % (src, dst, names.get(proto, "proto %d" % proto))
    if proto in (6, 17) or (proto in (1, 58) and box[4] != ((0, 65535),)):
        text += "/%d" % box[4][0][0]
    if proto in (6, 17) and box[3] != ((0, 65535),):
        text += " from port %d" % box[3][0][0]
    if proto == 6 and box[5][0][0] == STATE_ESTABLISHED:
        text += " (established)"
    return text


def _first_decider(aces, box):
    """The ACE deciding the first packet of ``box`` (first match), as text."""
    sport = box[3][0][0] if box[3] != ((0, 65535),) else None
    for ace in aces:
        if ace.matches(box[1][0][0], box[2][0][0], min(box[0]), box[4][0][0], sport, box[5][0][0]):
            return ace.text
    return "implicit deny"


def _difference(left_aces, left_analysis, right_aces, right_analysis, labels, kind):
    """Permitted by ``left`` and not by ``right``: grouped by the left ACE responsible."""
    right = canonical([box for box, _index in permitted(right_aces, right_analysis)])
    by_ace = {}
    for box, index in permitted(left_aces, left_analysis):
        rest = subtract([box], right)
        if rest:
            by_ace.setdefault(index, []).extend(rest)
    out = []
    for index in sorted(by_ace):
        boxes = canonical(by_ace[index])
        ace = left_aces[index]
        item = {"ace": ace.text, "remark": getattr(ace, "remark", "") or "", "boxes": len(boxes),
                "pairs": _pairs(boxes, labels)[:MAX_PAIRS],
                "sets": [describe_box(b) for b in boxes[:MAX_EXAMPLES]],
                "examples": [_example(b) for b in boxes[:MAX_EXAMPLES]]}
        if kind == "missing":
            item["denied_by"] = sorted(set(_first_decider(right_aces, b) for b in boxes[:MAX_EXAMPLES]))
        out.append(item)
    return out


def compare_acls(wanted, device, labels=()):
    """Exact comparison of two first-match ACE lists: ``{"missing", "extra", "shadowed"}``."""
    wanted_analysis, device_analysis = analyse(wanted), analyse(device)
    shadowed = [{"ace": item["ace"], "index": item["index"], "shadowed_by": [device[j].text for j in item["shadowed_by"]],
                 "conflict": item["conflict"]} for item in shadowed_aces(device, device_analysis)]
    return {
        "missing": _difference(wanted, wanted_analysis, device, device_analysis, list(labels), "missing"),
        "extra": _difference(device, device_analysis, wanted, wanted_analysis, list(labels), "extra"),
        "shadowed": shadowed,
    }


def permitted_sets_equal(first, second):
    """True when two first-match ACE lists permit exactly the same packets."""
    a = canonical([box for box, _index in permitted(first)])
    b = canonical([box for box, _index in permitted(second)])
    return not subtract(a, b) and not subtract(b, a)


# ---------------------------------------------------------------- device


def _read(platform, parsed, running_config, ogs):
    if platform == "ios":
        return ios_device_acls(parsed, running_config or "")
    return asa_device_acls(parsed, ogs)


def _lists(platform, acls, plan_acl):
    """The (IPv4, IPv6) ACE lists of one planned ACL in read ACLs (same list twice on ASA; None = absent)."""
    if platform == "ios":
        return acls.get(("ipv4", plan_acl["name"])), acls.get(("ipv6", plan_acl["name6"]))
    one = acls.get(plan_acl["name"])
    return one, one


def audit_device(plan, platform, parsed, running_config=None, ogs=None):
    """Audit every ACL of ``plan`` (``device_plan`` with a platform) against the device's parsed ACLs."""
    require_netaddr()
    if not isinstance(plan, dict) or "acls" not in plan:
        raise AuditError("the plan must be the result of collab.firewall.uc_acl_flows, got %r" % (type(plan).__name__,))
    if platform not in ("ios", "asa"):
        raise AuditError("platform %r is not one of ios, asa" % (platform,))
    if not plan.get("device"):
        raise AuditError("the plan has no rendered device configuration: call uc_acl_flows with platform=%r" % (platform,))
    has_text = isinstance(running_config, str) and running_config.strip() != ""
    try:
        device = _read(platform, parsed, running_config, ogs)
        rendered = plan["device"]
        if platform == "ios":
            wanted = ios_device_acls(rendered["acls"], rendered["object_group_lines"])
        else:
            wanted = asa_device_acls(rendered["acls"], rendered["ogs"])
    except AclEvalError as exc:
        raise AuditError(str(exc))
    bindings = None
    if has_text:
        bindings = ios_bindings(running_config) if platform == "ios" else asa_bindings(running_config)
    names = sorted(set(name if platform == "asa" else name[1] for name in device))
    labels = _labels(plan)
    reports, owned = [], set()
    for acl in plan["acls"]:
        want = _lists(platform, wanted, acl)
        have = _lists(platform, device, acl)
        if platform == "ios":
            owned.update([acl["name"], acl["name6"]])
            bound = None if bindings is None else all(
                (acl["interface"], n, acl["direction"]) in bindings for n in (acl["name"], acl["name6"]))
            families = (("ipv4", 0), ("ipv6", 1))
        else:
            owned.add(acl["name"])
            bound = None if bindings is None else (acl["nameif"], acl["name"], acl["direction"]) in bindings
            families = (("ipv4+ipv6", 0),)
        report = {"name": acl["name"], "name6": acl.get("name6"), "interface": acl["interface"],
                  "nameif": acl.get("nameif"), "direction": acl["direction"],
                  "present": {4: have[0] is not None, 6: have[1] is not None}, "bound": bound,
                  "device_aces": {}, "missing": [], "extra": [], "shadowed": []}
        for family, position in families:
            result = compare_acls(want[position] or [], have[position] or [], labels)
            report["device_aces"][family] = len(have[position] or [])
            for key in ("missing", "extra", "shadowed"):
                for item in result[key]:
                    item["family"] = family
                    report[key].append(item)
        reports.append(report)
    summary = {
        "missing": sum(len(r["missing"]) for r in reports),
        "extra": sum(len(r["extra"]) for r in reports),
        "shadowed": sum(len(r["shadowed"]) for r in reports),
        "absent": sum(1 for r in reports for v in (4, 6) if not r["present"][v]),
        "unbound": sum(1 for r in reports if r["bound"] is False),
    }
    summary["clean"] = not any(summary.values())
    pairs = {}
    for report in reports:
        for key in ("missing", "extra"):
            for item in report[key]:
                for pair in item["pairs"]:
                    pairs.setdefault(pair, {"missing": 0, "extra": 0})[key] += 1
    result = {"host": plan.get("host"), "platform": platform, "exact": True, "summary": summary,
              "zone_pairs": dict(sorted(pairs.items())), "acls": reports,
              "other_acls": [n for n in names if n not in owned]}
    result["markdown"] = audit_markdown(result)
    return result


# ---------------------------------------------------------------- report


def _md(text):
    return str(text).replace("|", "\\|")


def audit_markdown(report):
    """The audit report as Markdown."""
    summary = report["summary"]
    lines = ["# ACL audit of %s (%s)" % (report.get("host") or "device", report["platform"]), ""]
    lines.append("| missing (ACEs) | extra (ACEs) | shadowed ACEs | absent ACLs | unbound ACLs |")
    lines.append("|---|---|---|---|---|")
    lines.append("| %(missing)d | %(extra)d | %(shadowed)d | %(absent)d | %(unbound)d |" % summary)
    lines.append("")
    lines.append("Exact comparison of the permitted packet sets of the rendered and the device ACLs: no finding "
                 "means the device permits exactly what the collection renders.")
    if report.get("zone_pairs"):
        lines += ["", "| zone pair | ACEs with missing packets | ACEs with extra packets |", "|---|---|---|"]
        for pair, counts in report["zone_pairs"].items():
            lines.append("| %s | %d | %d |" % (_md(pair), counts["missing"], counts["extra"]))
    if report.get("other_acls"):
        lines += ["", "ACLs on the device that this audit does not own: %s" % ", ".join(report["other_acls"])]
    for acl in report["acls"]:
        lines += ["", "## %s (%s %s)" % (acl["name"], acl["nameif"] or acl["interface"], acl["direction"]), ""]
        absent = [("ipv%d" % v) for v in (4, 6) if not acl["present"][v]]
        if absent:
            lines.append("- ACL absent on the device for: %s" % ", ".join(absent))
        if acl["bound"] is False:
            lines.append("- not applied to %s %s" % (acl["nameif"] or acl["interface"], acl["direction"]))
        lines.append("- device ACEs: %s" % ", ".join("%s %d" % kv for kv in sorted(acl["device_aces"].items())))
        lines += ["", "### Missing (rendered ACE the device does not honour)", ""]
        if acl["missing"]:
            lines += ["| rendered ACE | remark | zone pairs | denied on the device by | example |", "|---|---|---|---|---|"]
            for item in acl["missing"]:
                lines.append("| %s | %s | %s | %s | %s |" % (
                    _md(item["ace"]), _md(item["remark"]), _md(", ".join(item["pairs"])),
                    _md("; ".join(item["denied_by"])), _md(item["examples"][0])))
        else:
            lines.append("none")
        lines += ["", "### Extra (device ACE permitting more than rendered)", ""]
        if acl["extra"]:
            lines += ["| device ACE | zone pairs | extra packets (first sets) | example |", "|---|---|---|---|"]
            for item in acl["extra"]:
                lines.append("| %s | %s | %s | %s |" % (_md(item["ace"]), _md(", ".join(item["pairs"])),
                                                        _md("; ".join(item["sets"])), _md(item["examples"][0])))
        else:
            lines.append("none")
        lines += ["", "### Shadowed (never match)", ""]
        if acl["shadowed"]:
            lines += ["| ACE | family | covered by | conflicting action |", "|---|---|---|---|"]
            for item in acl["shadowed"]:
                row = (_md(item["ace"]), item["family"], _md("; ".join(item["shadowed_by"])),
                       "yes" if item["conflict"] else "no")
                lines.append("| %s | %s | %s | %s |" % row)
        else:
            lines.append("none")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the device's own management


def management_cuts(plan):
    """Where a rendered interface ACL would deny the device's own management: a list of messages.

    For every ACL with a ``device_management`` block (admin sources behind the interface), a packet from
    each admin network to each device address and port is evaluated first-match in the rendered ACL.
    """
    from ansible_collections.collab.firewall.plugins.plugin_utils.acl.matcher import evaluate, flow_probes

    if not plan.get("device") or not any(acl.get("device_management") for acl in plan["acls"]):
        return []  # nothing to check: no admin source is behind any interface
    if plan["platform"] == "ios":
        read = ios_device_acls(plan["device"]["acls"], plan["device"]["object_group_lines"])
    else:
        read = asa_device_acls(plan["device"]["acls"], plan["device"]["ogs"])
    problems = []
    for acl in plan["acls"]:
        block = acl.get("device_management")
        if not block:
            continue
        lists = _lists(plan["platform"], read, acl)
        for src, dst, transport, port in flow_probes(block, limit=256):
            aces = lists[0] if src.version == 4 else lists[1]
            action, index = evaluate(aces or [], src, dst, transport, port)
            if action != "permit":
                by = "the implicit deny" if index is None else aces[index].text
                problems.append("%s %s (%s): %s -> %s tcp/%s is denied by %s" % (
                    acl["name"], acl["direction"], acl["interface"], src, dst, port, by))
    return problems
