# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Peers across documents (docs/catalog-format.md, direction model rules 9 and 12; docs/review/cvp.md,
cuc8.md, cucm.md "Peers across documents"): media towards a gateway follows the gateway's platform whichever
product sends it, and a CVP call server and the Unified CM call-processing nodes are SIP peers of each other."""

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


# ---------------------------------------------------------------- Connection's SIP to Unified CM (decision 3)


def test_connection_sip_towards_unified_cm_is_in_no_row(result):
    # the Unity Connection document prints SIP towards Connection only (table 1-1 row 4) and SCCP towards
    # Unified CM (table 1-2 row 1); nothing is invented for Connection's own SIP requests (docs/inventory.md)
    assert not [e["id"] for e in CATALOG.entries if e["from"] == "unity" and e["to"].startswith("cucm")
                and e["protocol"] in ("sip", "sips")]
    assert "cuc8-1-1-04a-udp" in _ids(explain(result, CATALOG, "sub", "cuc", 5060, "udp"))
    for transport in ("udp", "tcp"):
        assert not _allowed(result, "cuc", "sub", 5060, transport), transport
