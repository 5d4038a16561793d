# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every expectation of expectations.yml through collab.firewall.uc_explain: allowed or refused as the
documents say, and answered with the catalog entry of the document row that decides it."""

import pytest

from ansible_collections.collab.firewall.plugins.filter.uc_explain import uc_explain
from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import ports_contain
from acceptance_helpers import addresses, family, is_host_node, load_expectations  # registered by conftest.py

EXPECTATIONS = load_expectations()
CATALOG = load_catalog()


def _entry_ids(expectation):
    if not expectation["entry"]:
        return []
    return ["%s-%s" % (expectation["entry"], expectation["transport"])]


def test_the_table_is_large_and_covers_every_kind_of_expectation(deployment):
    assert len(EXPECTATIONS) >= 150
    assert len(set(e["id"] for e in EXPECTATIONS)) == len(EXPECTATIONS)
    allows = [e for e in EXPECTATIONS if e["expect"] == "allow"]
    denies = [e for e in EXPECTATIONS if e["expect"] == "deny"]
    assert len(allows) >= 60 and len(denies) >= 60
    scopes = set(CATALOG.by_id[i]["scope"] for e in EXPECTATIONS for i in _entry_ids(e))
    assert scopes == {"localhost", "cluster", "network"}
    assert any(CATALOG.by_id[i]["ephemeral"] for e in denies for i in _entry_ids(e))
    assert any(not e["entry"] for e in denies)                        # ports in no document
    assert any(not is_host_node(deployment, e["dst"]) for e in allows)  # outbound flows
    documents = set(e["doc"] for e in EXPECTATIONS) - {"none"}
    assert len(documents) == 4, documents                           # CUCM, IM and Presence, Unity, CVP


def test_ipv6_and_icmp_are_covered_like_ipv4(deployment):
    """IPv6 rows: allowed and refused, localhost-only, cluster-internal, cross-cluster, ephemeral, outbound,
    a gateway, a port in no document; ICMP echo rows in both families, allowed and refused."""
    v6 = [e for e in EXPECTATIONS if family(e) == 6]
    assert len(v6) >= 40
    assert set(e["transport"] for e in v6) == {"tcp", "udp", "icmp"}
    assert {"allow", "deny"} == set(e["expect"] for e in v6)
    scopes = set(CATALOG.by_id[i]["scope"] for e in v6 for i in _entry_ids(e))
    assert scopes == {"localhost", "cluster", "network"}
    assert any("different clusters" in e["why"] or "other cluster" in e["why"] for e in v6 if e["expect"] == "deny")
    assert any(CATALOG.by_id[i]["ephemeral"] for e in v6 if e["expect"] == "deny" for i in _entry_ids(e))
    assert any(not e["entry"] for e in v6)
    assert any(not is_host_node(deployment, e["dst"]) for e in v6 if e["expect"] == "allow")
    assert any(deployment["nodes"].get(e["src"], {}).get("product") == "gateway" for e in v6)
    icmp = [e for e in EXPECTATIONS if e["transport"] == "icmp"]
    assert set((family(e), e["expect"]) for e in icmp) == {(4, "allow"), (4, "deny"), (6, "allow"), (6, "deny")}


@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=[e["id"] for e in EXPECTATIONS])
def test_expectation_row_is_the_catalog_entry(expectation):
    for entry_id in _entry_ids(expectation):
        entry = CATALOG.by_id[entry_id]
        assert entry["source"]["document"] == expectation["doc"]
        assert (entry["source"]["table"], entry["source"]["row"]) == (expectation["table"], expectation["row"])


@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=[e["id"] for e in EXPECTATIONS])
def test_uc_explain_answers_with_the_deciding_entry(deployment, expectation):
    src, dst = addresses(deployment, expectation)
    answer = uc_explain(deployment, src, dst, expectation["port"], expectation["transport"])
    wanted = expectation["expect"] == "allow"
    assert answer["allowed"] is wanted, (expectation["why"], answer)
    ids = _entry_ids(expectation)
    if wanted:
        assert set(ids) <= set(answer["catalog_ids"]), answer
        provenance = dict((p["id"], p) for p in answer["provenance"])
        assert provenance[ids[0]]["table"] == expectation["table"]
        return
    reasons = dict((r["id"], r["reason"]) for r in answer["reasons"])
    if not ids:
        assert list(reasons) == [None] and "no catalog entry documents" in reasons[None], answer
        return
    entry = CATALOG.by_id[ids[0]]
    if entry["ports"] and not ports_contain(entry["ports"], expectation["port"]):
        assert ids[0] not in reasons    # the row documents other ports: nothing opens this one
    else:
        assert ids[0] in reasons, answer   # the row is answered with why it does not open here
