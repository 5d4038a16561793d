# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rendered tree of a deployment: every file, names checked up front, the fast policy JSON exact."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import os

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from ansible.plugins.filter.core import to_nice_json

from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import build_flows
from ansible_collections.collab.firewall.plugins.plugin_utils.output import tree
from ansible_collections.collab.firewall.plugins.plugin_utils.output.writer import TreeError
from ansible_collections.collab.firewall.tests.unit.plugins.plugin_utils.fixtures.render_samples import (
    POLICY,
    big_policy,
    policies,
)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))))

DEPLOYMENT_HOSTVARS = {
    "pub": {"ansible_host": "10.1.1.10", "uc_cluster": "a", "uc_cucm_services": []},
    "sub": {"ansible_host": "10.1.1.11", "uc_cluster": "a"},
}
GROUPS = {"publisher": ["pub"], "subscriber": ["sub"]}
ZONES = {"phone": ["10.20.0.0/16", "10.32.0.0/16"], "admin_workstation": ["10.99.0.0/24"]}


@pytest.fixture(scope="module")
def deployment():
    return build_flows(load_catalog(), DEPLOYMENT_HOSTVARS, GROUPS, zones=ZONES)


@pytest.mark.parametrize("pol", [POLICY, big_policy()], ids=["sample", "big"])
def test_fast_policy_json_is_ansibles_to_nice_json(pol):
    assert tree._policy_json(pol) + "\n" == to_nice_json(pol, indent=1, sort_keys=True) + "\n"
    assert tree._policy_json(pol) == tree._policy_json(copy.deepcopy(pol))  # from the cache: the same


@settings(max_examples=30, deadline=None)
@given(policies())
def test_fast_policy_json_matches_on_random_policies(pol):
    assert tree._policy_json(pol) == to_nice_json(pol, indent=1, sort_keys=True)


_PLAIN = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8),
              st.sampled_from(["10.64.0.0/24", "2001:db8::/64", "5060-5061"])),
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=6), inner, max_size=5),
                            st.lists(st.sampled_from(["10.64.0.0/24", "10.64.2.0/24", "h\u00e9"]), max_size=4),
                            st.tuples(inner, inner)),
    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(_PLAIN)
def test_fast_json_is_ansibles_to_nice_json_on_any_data(data):
    """Plans and gateway files go through the fast encoder too: the same text as Ansible's for any JSON data
    (tuples and other types fall back to Ansible's own)."""
    assert tree._json(data) == to_nice_json(data, indent=1, sort_keys=True) + "\n"
    assert tree._json(data) == to_nice_json(data, indent=1, sort_keys=True) + "\n"  # from the cache: the same


def test_fast_json_keeps_numbers_booleans_and_text_apart():
    """Flat dicts are encoded once per content: 1, True, 1.0 and "1" never share a cached text."""
    for data in ({"a": 1, "p": [1, "2"]}, {"a": True, "p": [1, "2"]}, {"a": 1.0, "p": [1, "2"]}, {"a": "1", "p": [1, "2"]},
                 {"a": 1, "p": ["1", "2"]}, {"a": 1, "p": [True, "2"]}, {"a": 1, "p": [1, "2"]}):
        assert tree._json(data) == to_nice_json(data, indent=1, sort_keys=True) + "\n"
        assert tree._json({"rules": [data, data]}) == to_nice_json({"rules": [data, data]}, indent=1, sort_keys=True) + "\n"


def test_tree_holds_every_file_of_every_node(deployment):
    stats = {}
    files = tree.deployment_tree(deployment, load_catalog(), {"pub": {}, "sub": {"iptables_ipset": False}}, {},
                                 stats=stats)
    for node in ("pub", "sub"):
        for name in ("policy.json", "nftables.nft", "iptables.rules", "ip6tables.rules", "firewalld/zones/collab-uc.xml"):
            assert "hosts/%s/%s" % (node, name) in files
    assert "hosts/pub/ipsets.restore" in files and "hosts/sub/ipsets.restore" not in files
    # firewalld names a zone after its file: the file carries the zone's name, also a non-default one
    lab = tree.deployment_tree(deployment, load_catalog(), {"pub": {"firewalld_zone": "lab-uc"}}, {})
    zones = sorted(p for p in lab if p.startswith("hosts/pub/firewalld/zones/"))
    assert zones == ["hosts/pub/firewalld/zones/lab-uc.xml"]
    assert "<short>lab-uc</short>" in lab[zones[0]]
    assert "-m set --match-set" in files["hosts/pub/iptables.rules"]
    assert "--match-set" not in files["hosts/sub/iptables.rules"]
    assert sorted(p for p in files if p.startswith(("report/", "catalog/"))) == [
        "catalog/catalog.csv", "catalog/catalog.md", "report/flows.csv", "report/flows.html", "report/flows.json",
        "report/flows.md"]
    assert stats["nodes"]["pub"]["files"] == len([p for p in files if p.startswith("hosts/pub/")])


def test_example_devices_render_the_role_files():
    with open(os.path.join(ROOT, "inventory", "example", "host_vars", "rtr-core-1.yml")) as handle:
        router = yaml.safe_load(handle)
    hostvars = {"r1": {"ansible_host": "10.1.1.10", "uc_cluster": "a"}}
    deployment = build_flows(load_catalog(), hostvars, {"publisher": ["r1"]}, zones=ZONES)
    interfaces = [dict(i, zones=["phone"]) for i in router["ios_acl_interfaces"][:1]]
    files = tree.deployment_tree(deployment, load_catalog(), {}, {"rtr": ("ios", {"interfaces": interfaces})})
    assert sorted(p for p in files if p.startswith("devices/")) == [
        "devices/rtr/config.txt", "devices/rtr/ios_acl_interfaces.yml", "devices/rtr/ios_acls.yml",
        "devices/rtr/object_groups.yml", "devices/rtr/plan.json"]


@pytest.mark.parametrize("name", ["..", "a/b", "", "."])
def test_inventory_names_are_refused_before_any_work(deployment, name):
    with pytest.raises(TreeError, match="inventory host .* cannot be used as a file or folder name"):
        tree.deployment_tree(deployment, load_catalog(), {"pub": {}}, {name: ("ios", {"interfaces": []})})
    with pytest.raises(TreeError, match="cannot be used as a file or folder name"):
        tree.host_files(deployment, name)
