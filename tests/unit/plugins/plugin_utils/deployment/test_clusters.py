# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Clusters: the Unified CM cluster of IM and Presence and Unity Connection nodes (uc_cucm_cluster), and nodes
without uc_cluster (the cluster 'default' only while no node of the product names one)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re

import pytest

from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.explain import explain
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import FlowError, build_flows

CATALOG = load_catalog()

# two Unified CM clusters (a, b); an IM and Presence pair bound to a; a Unity Connection pair integrated with a
HOSTVARS = {
    "pub-a": {"ansible_host": "10.1.0.10", "uc_cluster": "a", "uc_cucm_services": []},
    "sub-a": {"ansible_host": "10.1.0.11", "uc_cluster": "a", "uc_cucm_services": ["callmanager", "tftp"]},
    "pub-b": {"ansible_host": "10.2.0.10", "uc_cluster": "b", "uc_cucm_services": ["callmanager", "tftp"]},
    "sub-b": {"ansible_host": "10.2.0.11", "uc_cluster": "b", "uc_cucm_services": ["callmanager"]},
    "imp-1": {"ansible_host": "10.1.1.10", "uc_cluster": "p", "uc_cucm_cluster": "a"},
    "imp-2": {"ansible_host": "10.1.1.11", "uc_cluster": "p", "uc_cucm_cluster": "a"},
    "cuc-1": {"ansible_host": "10.1.2.10", "uc_cluster": "u", "uc_cucm_cluster": "a"},
    "cuc-2": {"ansible_host": "10.1.2.11", "uc_cluster": "u", "uc_cucm_cluster": "a"},
}
GROUPS = {"publisher": ["pub-a", "pub-b"], "subscriber": ["sub-a", "sub-b"], "imp": ["imp-1", "imp-2"],
          "unity": ["cuc-1", "cuc-2"]}
ZONES = {"admin_workstation": ["10.99.0.0/24"]}
# every IM and Presence / Unity Connection row towards or from Unified CM, per release (the catalog's rows)
BOUND_ROWS = {
    "imp-17-01a-icmp": ("imp-1", "cucm", None), "imp-17-01b-icmp": ("cucm", "imp-1", None),
    "imp-18-01b-udp": ("imp-1", "cucm_publisher", 123), "cucm-1-04n-tcp": ("imp-1", "cucm_publisher", 22),
    "cuc8-1-1-04a-udp": ("cucm_callmanager", "cuc-1", 5060), "cuc8-1-2-03-udp": ("cuc-1", "cucm_tftp", 69),
    "cuc8-1-2-01-tcp": ("cuc-1", "cucm_callmanager", 2000), "cuc8-1-2-07b-tcp": ("cuc-1", "cucm", 8443),
    # SIP trunks across documents (rule 12): the presence trunk and Connection's own SIP to Unified CM
    "imp-2-01c-udp": ("cucm_callmanager", "imp-1", 5060), "imp-2-02b-tcp": ("cucm_callmanager", "imp-1", 5061),
    "cucm-7-15d-tcp": ("imp-1", "cucm_callmanager", 5060), "cucm-7-16d-tcp": ("imp-1", "cucm_callmanager", 5061),
    "cucm-7-15e-udp": ("cuc-1", "cucm_callmanager", 5060), "cucm-7-16e-tcp": ("cuc-1", "cucm_callmanager", 5061),
}
FEATURES = ["ntp", "sip_integration", "sccp_integration", "voice_encryption", "axl_sync", "secure_signaling"]


def deploy(hostvars=None, groups=None, **options):
    options.setdefault("zones", ZONES)
    options.setdefault("features", FEATURES)
    return build_flows(CATALOG, hostvars or HOSTVARS, groups or GROUPS, **options)


def changed(**changes):
    """HOSTVARS with some host variables set (a value of ``...`` removes the variable)."""
    hostvars = copy.deepcopy(HOSTVARS)
    for host, values in changes.items():
        for variable, value in values.items():
            if value is Ellipsis:
                hostvars[host].pop(variable, None)
            else:
                hostvars.setdefault(host, {})[variable] = value
    return hostvars


@pytest.fixture(scope="module")
def result():
    return deploy()


def _flows_of(result, entry_id):
    return [f for f in result["flows"] if entry_id in f["catalog_ids"]]


def test_every_bound_row_is_in_the_catalog():
    # the rows between IM and Presence / Unity Connection and Unified CM: if the catalog gains one, list it here
    bound = set(("imp", "unity"))
    cucm = set(r for r in CATALOG.endpoints if r.startswith("cucm"))
    found = set(e["id"].rsplit("-", 1)[0] for e in CATALOG.entries
                if e["scope"] != "localhost" and e["release"] in ("11.5", "8.x", "14")
                and ((e["from"] in bound and e["to"] in cucm) or (e["from"] in cucm and e["to"] in bound)))
    assert found == set(b.rsplit("-", 1)[0] for b in BOUND_ROWS)


@pytest.mark.parametrize("entry_id", sorted(BOUND_ROWS))
def test_bound_rows_reach_only_the_own_unified_cm_cluster(result, entry_id):
    flows = _flows_of(result, entry_id)
    assert flows, entry_id
    for flow in flows:
        cucm = [n for n in flow["src_names"] + flow["dst_names"] if result["nodes"][n]["product"] == "cucm"]
        assert cucm and set(result["nodes"][n]["cluster"] for n in cucm) == {"a"}, (entry_id, flow)
        assert not [a for a in flow["sources"] + flow["destinations"] if a.startswith("10.2.")], flow


@pytest.mark.parametrize("entry_id", sorted(BOUND_ROWS))
def test_explain_refuses_the_other_cluster_and_says_why(result, entry_id):
    src, dst, port = BOUND_ROWS[entry_id]
    transport = entry_id.rsplit("-", 1)[1]
    other = {"cucm": "sub-b", "cucm_publisher": "pub-b", "cucm_callmanager": "sub-b", "cucm_tftp": "pub-b"}
    own = {"cucm": "sub-a", "cucm_publisher": "pub-a", "cucm_callmanager": "sub-a", "cucm_tftp": "sub-a"}
    assert explain(result, CATALOG, own.get(src, src), own.get(dst, dst), port, transport)["allowed"]
    answer = explain(result, CATALOG, other.get(src, src), other.get(dst, dst), port, transport)
    assert not answer["allowed"], answer
    reasons = dict((r["id"], r["reason"]) for r in answer["reasons"])
    assert reasons[entry_id].startswith("between "), reasons
    assert "the Unified CM cluster it belongs to only (uc_cucm_cluster: a)" in reasons[entry_id]
    assert reasons[entry_id].endswith("is in cluster b")


def test_unity_integrated_with_two_clusters_reaches_both():
    both = deploy(changed(**{"cuc-1": {"uc_cucm_cluster": ["b", "a"]}, "cuc-2": {"uc_cucm_cluster": ["a", "b"]}}))
    assert both["nodes"]["cuc-1"]["cucm_clusters"] == ["a", "b"]
    for src in ("sub-a", "sub-b"):
        assert explain(both, CATALOG, src, "cuc-2", 5060, "udp")["allowed"]
    assert not explain(both, CATALOG, "pub-a", "cuc-2", 5060, "udp")["allowed"]   # no call processing


def test_one_unified_cm_cluster_is_the_default():
    hostvars = dict((n, dict((k, v) for k, v in vars_.items() if k != "uc_cucm_cluster"))
                    for n, vars_ in HOSTVARS.items() if not n.endswith("-b"))
    groups = dict((g, [n for n in names if n in hostvars]) for g, names in GROUPS.items())
    single = deploy(hostvars, groups)
    assert single["nodes"]["imp-1"]["cucm_clusters"] == ["a"] and single["nodes"]["cuc-2"]["cucm_clusters"] == ["a"]
    assert explain(single, CATALOG, "imp-2", "pub-a", 123, "udp")["allowed"]


def test_no_unified_cm_node_leaves_the_rows_without_peer():
    hostvars = dict((n, dict((k, v) for k, v in vars_.items() if k != "uc_cucm_cluster"))
                    for n, vars_ in HOSTVARS.items() if n.startswith(("imp", "cuc")))
    groups = {"imp": ["imp-1", "imp-2"], "unity": ["cuc-1", "cuc-2"]}
    alone = deploy(hostvars, groups)
    assert alone["nodes"]["imp-1"]["cucm_clusters"] == []
    assert not any(set(f["catalog_ids"]) & set(BOUND_ROWS) for f in alone["flows"])


@pytest.mark.parametrize("hostvars, message", [
    (changed(**{"imp-1": {"uc_cucm_cluster": ...}}),
     "imp-1: uc_cucm_cluster: is not set and the inventory has 2 Unified CM clusters (a, b); set the one this IM "
     "and Presence node belongs to"),
    (changed(**{"cuc-2": {"uc_cucm_cluster": ...}}),
     "cuc-2: uc_cucm_cluster: is not set and the inventory has 2 Unified CM clusters (a, b); set the one this "
     "Unity Connection node belongs to"),
    (changed(**{"imp-2": {"uc_cucm_cluster": "b"}}),
     "imp-2: uc_cucm_cluster: b differs from a on imp-1, which is in the same IM and Presence cluster 'p'"),
    (changed(**{"imp-1": {"uc_cucm_cluster": "c"}}),
     "imp-1: uc_cucm_cluster: 'c' is not a Unified CM cluster of the inventory (a, b)"),
    (changed(**{"imp-1": {"uc_cucm_cluster": ["a", "b"]}}),
     "imp-1: uc_cucm_cluster: must be a string, got a list ['a', 'b']"),
    (changed(**{"cuc-1": {"uc_cucm_cluster": ["a", None]}}), "cuc-1: uc_cucm_cluster[1]: is null"),
    (changed(**{"sub-a": {"uc_cucm_cluster": "a"}}),
     "sub-a: uc_cucm_cluster: is set on a cucm node, where it has no effect (only cvp, imp and unity nodes use it)"),
])
def test_bad_cucm_cluster_names_host_and_variable(hostvars, message):
    with pytest.raises(CollabFirewallError, match="^" + re.escape(message)):
        deploy(hostvars)


# ---- CVP call servers: uc_cucm_cluster optional, narrows the SIP trunk with Unified CM

CVP_HOSTVARS = {"cvp-1": {"ansible_host": "10.1.5.10", "uc_cluster": "cc", "uc_cvp_roles": ["call_server"]},
                "cvp-2": {"ansible_host": "10.1.5.11", "uc_cluster": "cc", "uc_cvp_roles": ["call_server"]}}
# the call server's SIP with Unified CM call processing, both ways (CVP table 1 row 3, CUCM table 7 rows 15-16)
CVP_SIP = [("cvp-1", "sub-a", 5060, "udp"), ("cvp-1", "sub-b", 5061, "tcp"), ("sub-a", "cvp-2", 5060, "tcp"),
           ("pub-b", "cvp-2", 5060, "udp")]


def deploy_cvp(**cvp_vars):
    hostvars = changed(**dict((name, dict(cvp_vars.get(name, {}), **vars_)) for name, vars_ in CVP_HOSTVARS.items()))
    return deploy(hostvars, dict(GROUPS, cvp=sorted(CVP_HOSTVARS)))


def test_cvp_without_uc_cucm_cluster_trunks_to_every_cluster():
    result = deploy_cvp()
    assert result["nodes"]["cvp-1"]["cucm_clusters"] == ["a", "b"]
    for src, dst, port, transport in CVP_SIP:
        assert explain(result, CATALOG, src, dst, port, transport)["allowed"], (src, dst, port)
    # call processing only: pub-a runs no callmanager
    assert not explain(result, CATALOG, "cvp-1", "pub-a", 5060, "udp")["allowed"]


def test_cvp_with_uc_cucm_cluster_trunks_to_that_cluster_only():
    result = deploy_cvp(**{"cvp-1": {"uc_cucm_cluster": "a"}, "cvp-2": {"uc_cucm_cluster": ["a"]}})
    for src, dst, port, transport in CVP_SIP:
        answer = explain(result, CATALOG, src, dst, port, transport)
        own = not (src.endswith("-b") or dst.endswith("-b"))
        assert answer["allowed"] is own, (src, dst, port, answer)
        if not own:
            reasons = " ".join(r["reason"] for r in answer["reasons"])
            assert "the Unified CM cluster it belongs to only (uc_cucm_cluster: a)" in reasons, answer
    for flow in result["flows"]:
        if set(flow["src_names"] + flow["dst_names"]) & set(CVP_HOSTVARS):
            assert not [a for a in flow["sources"] + flow["destinations"] if a.startswith("10.2.")], flow


def test_cvp_servers_of_one_cluster_may_trunk_to_different_clusters():
    result = deploy_cvp(**{"cvp-1": {"uc_cucm_cluster": "a"}, "cvp-2": {"uc_cucm_cluster": "b"}})
    assert explain(result, CATALOG, "cvp-2", "sub-b", 5060, "udp")["allowed"]
    assert not explain(result, CATALOG, "cvp-2", "sub-a", 5060, "udp")["allowed"]
    assert explain(result, CATALOG, "cvp-1", "sub-a", 5060, "udp")["allowed"]


@pytest.mark.parametrize("value, message", [
    ("c", "cvp-1: uc_cucm_cluster: 'c' is not a Unified CM cluster of the inventory (a, b)"),
    ([], "cvp-1: uc_cucm_cluster: is an empty list; name the Unified CM cluster(s) this CVP server trunks to"),
    (["a", None], "cvp-1: uc_cucm_cluster[1]: is null"),
])
def test_bad_cvp_cucm_cluster_names_host_and_variable(value, message):
    with pytest.raises(CollabFirewallError, match="^" + re.escape(message)):
        deploy_cvp(**{"cvp-1": {"uc_cucm_cluster": value}})


# ---- uc_cluster left unset


def test_nodes_without_uc_cluster_share_default_while_no_node_of_the_product_names_one():
    hostvars = changed(**{"pub-a": {"uc_cluster": ...}, "sub-a": {"uc_cluster": ...}, "pub-b": {"uc_cluster": ...},
                          "sub-b": {"uc_cluster": ...}, "imp-1": {"uc_cucm_cluster": ...},
                          "imp-2": {"uc_cucm_cluster": ...}, "cuc-1": {"uc_cucm_cluster": ...},
                          "cuc-2": {"uc_cucm_cluster": ...}})
    one = deploy(hostvars)
    assert set(n["cluster"] for n in one["nodes"].values() if n["product"] == "cucm") == {"default"}
    assert one["nodes"]["imp-1"]["cluster"] == "p" and one["nodes"]["imp-1"]["cucm_clusters"] == ["default"]
    # the four Unified CM nodes are one cluster now: the database is open between the former a and b
    assert explain(one, CATALOG, "sub-b", "pub-a", 1500, "tcp")["allowed"]


@pytest.mark.parametrize("host, named", [("sub-b", "a, b"), ("pub-a", "a, b")])
def test_a_node_without_uc_cluster_among_named_clusters_is_an_error(host, named):
    message = ("%s: uc_cluster: is not set, but other cucm nodes are in clusters %s; set the cluster this node "
               "belongs to" % (host, named))
    with pytest.raises(FlowError, match="^" + re.escape(message)):
        deploy(changed(**{host: {"uc_cluster": ...}}))


def test_a_single_named_cluster_does_not_adopt_an_unset_node():
    hostvars = dict((n, v) for n, v in changed(**{"sub-a": {"uc_cluster": ...}}).items() if not n.endswith("-b"))
    groups = dict((g, [n for n in names if n in hostvars]) for g, names in GROUPS.items())
    with pytest.raises(FlowError, match=r"^sub-a: uc_cluster: is not set, but other cucm nodes are in cluster a;"):
        deploy(hostvars, groups)


def test_other_products_and_gateways_are_checked_on_their_own():
    # a Unity pair without uc_cluster is one cluster 'default', whatever the Unified CM clusters are called
    hostvars = changed(**{"cuc-1": {"uc_cluster": ...}, "cuc-2": {"uc_cluster": ...}},
                       **{"gw-1": {"ansible_host": "10.1.9.1"}, "gw-2": {"ansible_host": "10.1.9.2", "uc_cluster": "x"}})
    groups = dict(GROUPS, gateways=["gw-1", "gw-2"])
    result = deploy(hostvars, groups)
    assert result["nodes"]["cuc-1"]["cluster"] == result["nodes"]["cuc-2"]["cluster"] == "default"
    assert result["nodes"]["gw-1"]["cluster"] == "default"
    with pytest.raises(FlowError, match=r"^cuc-1: uc_cluster: is not set, but other unity nodes are in cluster u;"):
        deploy(changed(**{"cuc-1": {"uc_cluster": ...}}))


@pytest.mark.parametrize("entry_id", ["cup8-2-42a-icmp", "cup8-2-42b-icmp", "cup8-2-43b-udp", "cucm-1-04n-tcp"])
def test_unified_presence_8_rows_reach_only_the_own_cluster_too(entry_id):
    result = deploy(releases={"imp": "8.0"})
    flows = _flows_of(result, entry_id)
    assert flows
    for flow in flows:
        cucm = [n for n in flow["src_names"] + flow["dst_names"] if result["nodes"][n]["product"] == "cucm"]
        assert cucm and set(result["nodes"][n]["cluster"] for n in cucm) == {"a"}, flow
