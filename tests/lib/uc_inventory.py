# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one inventory loader of the tests and the benchmarks: a YAML inventory directory as Ansible reads it.

``load_inventory(path)`` returns ``(hostvars, groups)`` the way a playbook sees them (``all`` < parent groups <
child groups < host; group ``vars:`` and ``group_vars/<group>.yml``, host entries and ``host_vars/<host>.yml``),
``deployment(path)`` the uc_flows result of that inventory, exactly as the playbooks compute it.
tests/integration/test_report_html.py checks the merge against ``ansible-inventory``.

Import it by path (no package): the conftest.py files of tests/integration and tests/acceptance register it
as the module ``uc_inventory``; bench/ scripts put tests/lib on sys.path.
"""
import os

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "inventory", "example")
ACCEPTANCE = os.path.join(ROOT, "tests", "acceptance", "inventory")


def _yaml(path):
    if not os.path.exists(path):
        return {}
    with open(path) as handle:
        return yaml.safe_load(handle) or {}


def _walk(name, group, parents, tree):
    """Record every group's own hosts, children, depth and inline vars."""
    group = group or {}
    node = tree.setdefault(name, {"hosts": {}, "children": set(), "parents": set(), "vars": {}})
    node["parents"].update(parents)
    node["vars"].update(group.get("vars") or {})
    for host, host_vars in (group.get("hosts") or {}).items():
        node["hosts"].setdefault(host, {}).update(host_vars or {})
    for child, child_group in (group.get("children") or {}).items():
        node["children"].add(child)
        _walk(child, child_group, [name], tree)


def _depth(name, tree):
    parents = tree[name]["parents"]
    return 0 if not parents else 1 + max(_depth(p, tree) for p in parents)


def _members(name, tree):
    hosts = set(tree[name]["hosts"])
    for child in tree[name]["children"]:
        hosts |= _members(child, tree)
    return hosts


def load_inventory(path=EXAMPLE):
    """(hostvars, groups) of a YAML inventory: all < parent groups < child groups < host, like Ansible."""
    tree = {}
    for name, group in _yaml(os.path.join(path, "hosts.yml")).items():
        _walk(name, group, [], tree)
    tree.setdefault("all", {"hosts": {}, "children": set(), "parents": set(), "vars": {}})
    groups = dict((name, sorted(_members(name, tree))) for name in tree)
    groups["all"] = sorted(set(h for members in groups.values() for h in members))
    order = sorted(tree, key=lambda g: (_depth(g, tree), g))
    hostvars = {}
    for host in groups["all"]:
        merged = {}
        for group in order:
            if group == "all" or host in groups[group]:
                merged.update(tree[group]["vars"])
                merged.update(_yaml(os.path.join(path, "group_vars", group + ".yml")))
        for group in order:
            merged.update(tree[group]["hosts"].get(host) or {})
        merged.update(_yaml(os.path.join(path, "host_vars", host + ".yml")))
        merged["inventory_hostname"] = host
        merged["group_names"] = sorted(g for g in groups if g != "all" and host in groups[g])
        hostvars[host] = merged
    return hostvars, groups


def deployment(path=EXAMPLE, **options):
    """The uc_flows result of an inventory directory (the filter reads the uc_* settings itself)."""
    from ansible_collections.collab.firewall.plugins.filter.uc_flows import uc_flows

    hostvars, groups = load_inventory(path)
    return uc_flows(hostvars, groups, **options)
