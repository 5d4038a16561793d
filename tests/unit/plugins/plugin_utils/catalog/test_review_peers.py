# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Peers across documents (docs/catalog-format.md, direction model rules 9 and 12; docs/review/cvp.md,
cuc8.md, cucm.md "Peers across documents"): media towards a gateway follows the gateway's platform whichever
product sends it, a CVP call server and the Unified CM call-processing nodes are SIP peers of each other, and so
are IM and Presence (the presence trunk) and a SIP-integrated Unity Connection with the call-processing nodes of
their own Unified CM cluster (docs/review/imp.md, cuc8.md, cucm.md "SIP trunks across documents")."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import DEFAULT_PLATFORM, load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import port_ranges
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.explain import explain
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import build_flows

CATALOG = load_catalog()

# one Unified CM cluster (a call-processing subscriber, a TFTP-only subscriber, a publisher without call
# processing), a Unity Connection node, CVP servers by role, and a gateway of each platform and one without
HOSTVARS = {
    "pub": {"ansible_host": "10.1.0.10", "uc_cluster": "a", "uc_cucm_services": []},
    "sub": {"ansible_host": "10.1.0.11", "uc_cluster": "a", "uc_cucm_services": ["callmanager"]},
    "tftp": {"ansible_host": "10.1.0.12", "uc_cluster": "a", "uc_cucm_services": ["tftp"]},
    "cuc": {"ansible_host": "10.1.4.10", "uc_cluster": "u", "uc_cucm_cluster": "a"},
    "call": {"ansible_host": "10.1.5.10", "uc_cluster": "c", "uc_cvp_roles": ["call_server"]},
    "vxml": {"ansible_host": "10.1.5.11", "uc_cluster": "c", "uc_cvp_roles": ["vxml_server"]},
    "rpt": {"ansible_host": "10.1.5.20", "uc_cluster": "c", "uc_cvp_roles": ["reporting"]},
    "oamp": {"ansible_host": "10.1.5.30", "uc_cluster": "c", "uc_cvp_roles": ["oamp"]},
    "gw-g3": {"ansible_host": "10.1.9.3", "uc_gateway_platform": "asr_isr_g3"},
    "gw-g2": {"ansible_host": "10.1.9.2", "uc_gateway_platform": "isr_g2"},
    "gw": {"ansible_host": "10.1.9.1"},
}
GROUPS = {"publisher": ["pub"], "subscriber": ["sub", "tftp"], "unity": ["cuc"],
          "cvp": ["call", "vxml", "rpt", "oamp"], "gateways": ["gw-g3", "gw-g2", "gw"]}
ZONES = {"phone": ["10.20.0.0/16"], "admin_workstation": ["10.99.0.0/24"]}


def deployment(names=None, **kwargs):
    names = set(names or HOSTVARS)
    groups = dict((g, [h for h in hosts if h in names]) for g, hosts in GROUPS.items())
    return build_flows(CATALOG, dict((h, v) for h, v in HOSTVARS.items() if h in names),
                       dict((g, hosts) for g, hosts in groups.items() if hosts), zones=ZONES, **kwargs)


@pytest.fixture(scope="module")
def result():
    return deployment()


def _ids(answer):
    return answer.get("catalog_ids", [])


def _allowed(result, src, dst, port, transport="udp"):
    return explain(result, CATALOG, src, dst, port, transport)["allowed"]


# ---------------------------------------------------------------- media towards a gateway (decision 1)


@pytest.mark.parametrize("sender, g3_entry, row_entry", [
    ("cuc", "cuc8-1-2-02c-udp", "cuc8-1-2-02b-udp"),
    ("call", "cvp-1-21c-udp", "cvp-1-21b-udp"),
    ("rpt", "cvp-1-21c-udp", "cvp-1-21b-udp"),        # row 21 names no CVP role: every CVP server, as before
])
def test_media_to_a_gateway_follows_its_platform(result, sender, g3_entry, row_entry):
    # ASR/ISR G3: 8000-48200 (001 table 2 row 29), both ends beyond the row's 16384-32767
    for port in (8000, 16383, 32768, 48200):
        assert g3_entry in _ids(explain(result, CATALOG, sender, "gw-g3", port, "udp")), (sender, port)
    assert not _allowed(result, sender, "gw-g3", 7999)
    assert not _allowed(result, sender, "gw-g3", 48201)
    # ISR G2 and a gateway without platform: the row's range, nothing of the G3 range
    for gateway in ("gw-g2", "gw"):
        assert not _allowed(result, sender, gateway, 8000), gateway
        assert not _allowed(result, sender, gateway, 32768), gateway
        answer = explain(result, CATALOG, sender, gateway, 32767, "udp")
        assert row_entry in _ids(answer) and g3_entry not in _ids(answer), answer


@pytest.mark.parametrize("receiver, top", [("cuc", 21511), ("call", 32767)])
def test_media_from_a_gateway_stays_on_the_receivers_own_range(result, receiver, top):
    # the reverse direction is the Unity Connection / CVP listening range, whatever the gateway's platform
    for gateway in ("gw-g3", "gw-g2", "gw"):
        assert _allowed(result, gateway, receiver, 16384) and _allowed(result, gateway, receiver, top), gateway
        assert not _allowed(result, gateway, receiver, 8000), gateway
        assert not _allowed(result, gateway, receiver, top + 1), gateway


def _platform_ports(entries, sender, platform):
    """The port ranges a gateway of ``platform`` (None: unset) gets from ``sender`` by these entries."""
    def applies(entry):
        if entry["platform"] is None:
            return True
        if entry["platform"] == DEFAULT_PLATFORM:
            return platform is None
        return entry["platform"] == platform
    return port_ranges([p for e in entries if e["from"] == sender and applies(e) for p in e["ports"]])


def _covers(outer, inner):
    return all(any(a <= lo and hi <= b for a, b in outer) for lo, hi in inner)


def test_every_media_sender_reaches_each_platforms_documented_range():
    # rule 9: a gateway receives on its platform's range whoever sends it; the platform ranges are the
    # platform records of the catalog (001 table 2 rows 29-30), the generic range the `default` records
    media = [e for e in CATALOG.entries if e["to"] == "gateway" and e["protocol"] == "rtp"]
    platforms = sorted(set(e["platform"] for e in media if e["platform"] not in (None, DEFAULT_PLATFORM)))
    assert platforms == ["asr_isr_g3", "isr_g2"]
    senders = sorted(set(e["from"] for e in media))
    assert {"cucm", "phone", "unity", "cvp"} <= set(senders)
    for platform in platforms + [None]:
        documented = port_ranges([p for e in media for p in e["ports"]
                                  if e["platform"] == (platform or DEFAULT_PLATFORM)])
        assert documented, platform
        for sender in senders:
            assert _covers(_platform_ports(media, sender, platform), documented), (sender, platform)


# ---------------------------------------------------------------- CVP call server <-> Unified CM (decision 2)


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_unified_cm_call_processing_is_a_sip_endpoint_of_the_call_server(result, transport):
    assert "cvp-1-03c-%s" % transport in _ids(explain(result, CATALOG, "sub", "call", 5060, transport))
    for src in ("pub", "tftp"):                       # no CallManager service: no SIP
        assert not _allowed(result, src, "call", 5060, transport), src
    for dst in ("vxml", "rpt", "oamp"):               # only call-server role CVP nodes listen
        assert not _allowed(result, "sub", dst, 5060, transport), dst
    assert not _allowed(result, "sub", "call", 5061, "tcp")    # the CVP row lists 5060 only


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_the_call_server_is_a_sip_trunk_peer_of_unified_cm(result, transport):
    assert "cucm-7-15c-%s" % transport in _ids(explain(result, CATALOG, "call", "sub", 5060, transport))
    for dst in ("pub", "tftp"):
        assert not _allowed(result, "call", dst, 5060, transport), dst
    for src in ("vxml", "rpt", "oamp"):
        assert not _allowed(result, src, "sub", 5060, transport), src


def test_secure_sip_from_the_call_server_follows_secure_signaling():
    secure = deployment(features=["secure_signaling"])
    assert "cucm-7-16c-tcp" in _ids(explain(secure, CATALOG, "call", "sub", 5061, "tcp"))
    assert not _allowed(secure, "rpt", "sub", 5061, "tcp")
    assert not _allowed(deployment(features=[]), "call", "sub", 5061, "tcp")


@pytest.mark.parametrize("names", [
    ["pub", "sub", "tftp", "gw"],                     # Unified CM without CVP
    ["call", "vxml", "rpt", "oamp", "gw"],            # CVP without Unified CM
])
def test_call_server_sip_with_unified_cm_needs_both_products(names):
    opened = set(i for f in deployment(names)["flows"] for i in f["catalog_ids"])
    assert not opened & {"cvp-1-03c-udp", "cvp-1-03c-tcp", "cucm-7-15c-udp", "cucm-7-15c-tcp", "cucm-7-16c-tcp"}
    assert opened                                     # the products' own flows are there


# ---------------------------------------------------------------- SIP trunks of IM and Presence and Connection
# (worktree trunks, rule 12 with rule 11): the presence trunk Unified CM <-> IM and Presence, and Connection's
# own SIP towards Unified CM over its SIP integration; each only with the call-processing nodes of the node's own
# Unified CM cluster (uc_cucm_cluster)

# two Unified CM clusters (a: a publisher without call processing, a call-processing subscriber, a TFTP-only
# node; b: one call-processing publisher), IM and Presence and Connection bound to cluster a, a gateway
TRUNK_HOSTVARS = {
    "pub": {"ansible_host": "10.1.0.10", "uc_cluster": "a", "uc_cucm_services": []},
    "sub": {"ansible_host": "10.1.0.11", "uc_cluster": "a", "uc_cucm_services": ["callmanager"]},
    "tftp": {"ansible_host": "10.1.0.12", "uc_cluster": "a", "uc_cucm_services": ["tftp"]},
    "pub-b": {"ansible_host": "10.2.0.10", "uc_cluster": "b", "uc_cucm_services": ["callmanager", "tftp"]},
    "imp": {"ansible_host": "10.1.3.10", "uc_cluster": "p", "uc_cucm_cluster": "a"},
    "cuc": {"ansible_host": "10.1.4.10", "uc_cluster": "u", "uc_cucm_cluster": "a"},
    "gw": {"ansible_host": "10.1.9.1"},
}
TRUNK_GROUPS = {"publisher": ["pub", "pub-b"], "subscriber": ["sub", "tftp"], "imp": ["imp"], "unity": ["cuc"],
                "gateways": ["gw"]}
IMP_TO_CUCM = {"cucm-7-15d-udp", "cucm-7-15d-tcp", "cucm-7-16d-tcp"}
CUCM_TO_IMP = {"imp-2-01c-udp", "imp-2-01c-tcp", "imp-2-02b-tcp"}
CUC_TO_CUCM = {"cucm-7-15e-udp", "cucm-7-15e-tcp", "cucm-7-16e-tcp"}


def trunk_deployment(names=None, **kwargs):
    names = set(names or TRUNK_HOSTVARS)
    groups = dict((g, [h for h in hosts if h in names]) for g, hosts in TRUNK_GROUPS.items())
    return build_flows(CATALOG, dict((h, v) for h, v in TRUNK_HOSTVARS.items() if h in names),
                       dict((g, hosts) for g, hosts in groups.items() if hosts), zones=ZONES, **kwargs)


@pytest.fixture(scope="module")
def trunks():
    return trunk_deployment()


def _opened(result):
    return set(i for f in result["flows"] for i in f["catalog_ids"])


@pytest.mark.parametrize("port, transport, entry", [
    (5060, "udp", "imp-2-01c-udp"), (5060, "tcp", "imp-2-01c-tcp"), (5061, "tcp", "imp-2-02b-tcp")])
def test_unified_cm_reaches_the_presence_proxy_of_its_own_cluster(trunks, port, transport, entry):
    # 002 table 2 rows 1-2: the proxy's listeners, whose "SIP gateway" peer is read as Unified CM too
    assert entry in _ids(explain(trunks, CATALOG, "sub", "imp", port, transport))
    for src in ("pub", "tftp", "pub-b"):      # no CallManager, TFTP only, another cluster's call processing
        assert not _allowed(trunks, src, "imp", port, transport), src
    assert not _allowed(trunks, "sub", "imp", 5062, "tcp")      # row 3 (mutual TLS) is IM and Presence only


@pytest.mark.parametrize("port, transport, entry", [
    (5060, "udp", "cucm-7-15d-udp"), (5060, "tcp", "cucm-7-15d-tcp"), (5061, "tcp", "cucm-7-16d-tcp")])
def test_im_and_presence_is_a_sip_trunk_peer_of_its_own_cluster(trunks, port, transport, entry):
    # 001 table 7 rows 15-16: IM and Presence on the presence trunk
    assert entry in _ids(explain(trunks, CATALOG, "imp", "sub", port, transport))
    for dst in ("pub", "tftp", "pub-b"):
        assert not _allowed(trunks, "imp", dst, port, transport), dst


def test_presence_trunk_over_tls_follows_the_features():
    assert "cucm-7-16d-tcp" not in _opened(trunk_deployment(features=[]))
    assert "imp-2-02b-tcp" in _opened(trunk_deployment(features=[]))     # row 2 is behind no feature
    assert not _allowed(trunk_deployment(features=[]), "imp", "sub", 5061, "tcp")


@pytest.mark.parametrize("port, transport, entry", [
    (5060, "udp", "cucm-7-15e-udp"), (5060, "tcp", "cucm-7-15e-tcp"), (5061, "tcp", "cucm-7-16e-tcp")])
def test_a_sip_integrated_connection_is_a_sip_trunk_peer_of_its_own_cluster(trunks, port, transport, entry):
    # Connection's own SIP (outgoing calls, MWI) towards Unified CM: no Connection row, the trunk rows of 001
    assert entry in _ids(explain(trunks, CATALOG, "cuc", "sub", port, transport))
    for dst in ("pub", "tftp", "pub-b"):
        assert not _allowed(trunks, "cuc", dst, port, transport), dst
    # the other direction is still the Connection row (003 table 1-1 row 4), unchanged
    assert "cuc8-1-1-04a-%s" % transport in _ids(explain(trunks, CATALOG, "sub", "cuc", 5060, transport))


def test_connection_sip_to_unified_cm_follows_the_sip_integration_only():
    # gated as the Connection SIP row: an SCCP-integrated Connection gets no SIP towards Unified CM
    sccp = trunk_deployment(features=["sccp_integration", "secure_signaling"])
    assert not _opened(sccp) & CUC_TO_CUCM
    assert not _allowed(sccp, "cuc", "sub", 5060, "udp")
    assert _allowed(sccp, "cuc", "sub", 2000, "tcp")          # its SCCP registration (cuc8-1-2-01) instead
    secure = trunk_deployment(features=["sip_integration", "secure_signaling"])
    assert _opened(secure) & CUC_TO_CUCM == CUC_TO_CUCM
    for entry in CUC_TO_CUCM:
        assert CATALOG.by_id[entry]["feature"] == "sip_integration"


def test_connection_sips_to_unified_cm_also_needs_secure_signaling():
    # 5061 is the TLS trunk port: like IM and Presence's cucm-7-16d it needs secure_signaling too
    plain = trunk_deployment(features=["sip_integration"])
    assert _opened(plain) & CUC_TO_CUCM == CUC_TO_CUCM - {"cucm-7-16e-tcp"}
    assert _allowed(plain, "cuc", "sub", 5060, "tcp")
    answer = explain(plain, CATALOG, "cuc", "sub", 5061, "tcp")
    assert not answer["allowed"]
    assert dict((r["id"], r["reason"]) for r in answer["reasons"])["cucm-7-16e-tcp"] == (
        "feature secure_signaling is not enabled (uc_features)")
    assert CATALOG.by_id["cucm-7-16e-tcp"]["also_requires"] == ["secure_signaling"]


@pytest.mark.parametrize("names, absent", [
    (["pub", "sub", "tftp", "pub-b", "gw"], IMP_TO_CUCM | CUCM_TO_IMP | CUC_TO_CUCM),   # Unified CM alone
    (["imp", "cuc", "gw"], IMP_TO_CUCM | CUCM_TO_IMP | CUC_TO_CUCM),                   # no Unified CM
])
def test_trunks_need_both_products(names, absent):
    hostvars = dict((h, dict(v)) for h, v in TRUNK_HOSTVARS.items())
    if "sub" not in names:                      # a node bound to a cluster needs one in the inventory
        for name in ("imp", "cuc"):
            hostvars[name].pop("uc_cucm_cluster")
    groups = dict((g, [h for h in hosts if h in names]) for g, hosts in TRUNK_GROUPS.items())
    result = build_flows(CATALOG, dict((h, v) for h, v in hostvars.items() if h in names),
                         dict((g, hosts) for g, hosts in groups.items() if hosts), zones=ZONES)
    assert result["flows"] and not _opened(result) & absent


def test_trunk_records_cite_the_other_documents_row():
    # rule 12: a lettered record of the listener's row; the other document's row in the missing_value anomaly
    for entry_id, document, table, row, cited in [
            ("imp-2-01c-tcp", "002_0f34838a36d660e4.txt", "2", 1, "001, table 7 rows 15-16"),
            ("imp-2-02b-tcp", "002_0f34838a36d660e4.txt", "2", 2, "001"),
            ("cup8-2-01c-tcp", "000_5a9a3fafe7b77bdc.txt", "2", 1, "001, table 7 rows 15-16"),
            ("cup8-2-02b-tcp", "000_5a9a3fafe7b77bdc.txt", "2", 2, "001"),
            ("cucm-7-15d-tcp", "001_f5a05621c64c5648.txt", "7", 15, "002 table 2 row 1"),
            ("cucm-7-16d-tcp", "001_f5a05621c64c5648.txt", "7", 16, "002 table 2 rows 1-2"),
            ("cucm-7-15e-tcp", "001_f5a05621c64c5648.txt", "7", 15, "003 table 1-1 row 4"),
            ("cucm-7-16e-tcp", "001_f5a05621c64c5648.txt", "7", 16, "003 table 1-1 row 4")]:
        entry = CATALOG.by_id[entry_id]
        assert (entry["source"]["document"], entry["source"]["table"], entry["source"]["row"]) == (
            document, table, row), entry_id
        assert any(a["kind"] == "missing_value" and cited in a["note"] for a in entry["anomalies"]), entry_id


def test_connection_sip_rows_keep_their_own_direction(trunks):
    # the Connection document itself still prints no SIP from Connection: the new records are Unified CM's
    assert not [e["id"] for e in CATALOG.entries if e["from"] == "unity" and e["to"].startswith("cucm")
                and e["protocol"] in ("sip", "sips") and e["product"] != "cucm"]
    assert "cuc8-1-1-04a-udp" in _ids(explain(trunks, CATALOG, "sub", "cuc", 5060, "udp"))
