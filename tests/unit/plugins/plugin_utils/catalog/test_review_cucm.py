# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The direction review of the Unified CM document (docs/review/cucm.md): the review log covers every record,
and the corrected rows give the documented flows (listener, initiator, service binding, notes, ephemeral)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import pytest
import yaml

from ansible_collections.collab.firewall.plugins.plugin_utils.catalog import loader as catalog_mod
from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.explain import explain
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import build_flows

CATALOG = load_catalog()
REVIEW = os.path.join(os.path.dirname(catalog_mod.DATA_DIR), "..", "..", "..", "docs", "review", "cucm.md")

# cluster a: a call-processing publisher, a call-processing + TFTP + CTI subscriber, a TFTP-only subscriber;
# cluster b: one publisher with every service; an IM and Presence node; gateways without and with a platform.
HOSTVARS = {
    "pub-a": {"ansible_host": "10.1.0.10", "uc_cluster": "a", "uc_cucm_services": ["callmanager"]},
    "sub-a": {"ansible_host": "10.1.0.11", "uc_cluster": "a", "uc_cucm_services": ["callmanager", "tftp", "cti_manager"]},
    "tftp-a": {"ansible_host": "10.1.0.12", "uc_cluster": "a", "uc_cucm_services": ["tftp"]},
    "pub-b": {"ansible_host": "10.2.0.10", "uc_cluster": "b"},
    "imp-1": {"ansible_host": "10.1.1.10", "uc_cluster": "p", "uc_cucm_cluster": "a"},
    "gw-1": {"ansible_host": "10.1.9.1"},
    "gw-g3": {"ansible_host": "10.1.9.3", "uc_gateway_platform": "asr_isr_g3"},
    "gw-g2": {"ansible_host": "10.1.9.2", "uc_gateway_platform": "isr_g2"},
}
GROUPS = {"publisher": ["pub-a", "pub-b"], "subscriber": ["sub-a", "tftp-a"], "imp": ["imp-1"],
          "gateways": ["gw-1", "gw-g3", "gw-g2"]}
ZONES = {"phone": ["10.20.0.0/16"], "endpoint": ["10.30.0.0/16"], "cti_application": ["10.40.0.10"],
         "dns_server": ["10.5.0.53"], "admin_workstation": ["10.99.0.0/24"]}
PHONE, DEVICE, CTI_APP, DNS = "10.20.3.4", "10.30.1.1", "10.40.0.10", "10.5.0.53"


@pytest.fixture(scope="module")
def result():
    return build_flows(CATALOG, HOSTVARS, GROUPS, zones=ZONES,
                       features=["attendant_console", "cti", "dns", "h323", "call_recording", "secure_signaling"])


def _ids(answer):
    return answer.get("catalog_ids", [])


def test_review_log_lists_every_record_once():
    with open(os.path.join(catalog_mod.DATA_DIR, "cucm.yml")) as handle:
        records = [r["id"] for r in yaml.safe_load(handle)["records"]]
    with open(REVIEW) as handle:
        logged = re.findall(r"^\| `(cucm-[0-9a-z-]+)` \|", handle.read(), re.M)
    assert sorted(logged) == sorted(records)


def test_sip_trunk_peers_reach_call_processing_and_are_reached_from_it(result):
    answer = explain(result, CATALOG, "gw-1", "sub-a", 5060, "udp")
    assert "cucm-7-15-udp" in _ids(answer), answer
    assert "cucm-7-15b-udp" in _ids(explain(result, CATALOG, "sub-a", "gw-1", 5060, "udp"))
    assert "cucm-7-16b-tcp" in _ids(explain(result, CATALOG, "pub-b", "gw-1", 5061, "tcp"))
    assert not explain(result, CATALOG, "gw-1", "tftp-a", 5060, "udp")["allowed"]


def test_h323_second_listeners(result):
    assert "cucm-7-06b-tcp" in _ids(explain(result, CATALOG, "pub-a", "gw-1", 1720, "tcp"))
    assert "cucm-7-06c-tcp" in _ids(explain(result, CATALOG, "pub-a", "pub-b", 1720, "tcp"))
    assert "cucm-7-08b-tcp" in _ids(explain(result, CATALOG, "sub-a", "gw-1", 11050, "tcp"))
    assert not explain(result, CATALOG, "tftp-a", "pub-b", 1720, "tcp")["allowed"]


def test_sip_phones_listen_too(result):
    assert "cucm-6-07b-udp" in _ids(explain(result, CATALOG, "sub-a", PHONE, 5060, "udp"))
    assert not explain(result, CATALOG, "tftp-a", PHONE, 5060, "udp")["allowed"]


def test_imp_installation_note_opens_ssh_to_the_publisher_only(result):
    answer = explain(result, CATALOG, "imp-1", "pub-a", 22, "tcp")
    assert answer["allowed"] and "cucm-1-04n-tcp" in answer["catalog_ids"], answer
    assert answer["provenance"][answer["catalog_ids"].index("cucm-1-04n-tcp")]["kind"] == "note"
    assert not explain(result, CATALOG, "imp-1", "sub-a", 22, "tcp")["allowed"]


def test_attendant_console_callbacks_go_to_the_console(result):
    assert not explain(result, CATALOG, DEVICE, "sub-a", 1101, "tcp")["allowed"]
    assert "cucm-8-07-tcp" in _ids(explain(result, CATALOG, "sub-a", DEVICE, 1101, "tcp"))
    assert explain(result, CATALOG, DEVICE, "sub-a", 1102, "tcp")["allowed"]


def test_jtapi_only_on_cti_manager_nodes(result):
    assert "cucm-8-04-tcp" in _ids(explain(result, CATALOG, CTI_APP, "sub-a", 2789, "tcp"))
    assert not explain(result, CATALOG, CTI_APP, "pub-a", 2789, "tcp")["allowed"]


def test_tftp_and_uds_come_from_phones_not_every_device(result):
    assert "cucm-2-06a-udp" in _ids(explain(result, CATALOG, PHONE, "tftp-a", 6969, "udp"))
    assert not explain(result, CATALOG, DEVICE, "tftp-a", 6969, "udp")["allowed"]
    assert "cucm-2-21-tcp" in _ids(explain(result, CATALOG, PHONE, "pub-a", 8443, "tcp"))


def test_unified_cm_queries_the_dns_server_on_53(result):
    assert "cucm-2-03b-udp" in _ids(explain(result, CATALOG, "pub-a", DNS, 53, "udp"))


def test_ephemeral_parts_open_only_on_request(result):
    assert not explain(result, CATALOG, PHONE, "tftp-a", 40000, "udp")["allowed"]
    opened = build_flows(CATALOG, HOSTVARS, GROUPS, zones=ZONES, open_ephemeral=True)
    ids = _ids(explain(opened, CATALOG, PHONE, "tftp-a", 40000, "udp"))
    assert "cucm-6-02b-udp" in ids and "cucm-2-06c-udp" in ids
    # the note on phone registration binds to the call-processing nodes, which a TFTP-only node is not
    assert "cucm-1-03n-tcp" in _ids(explain(opened, CATALOG, PHONE, "pub-a", 40000, "tcp"))
    assert not explain(opened, CATALOG, PHONE, "tftp-a", 40000, "tcp")["allowed"]


def test_unified_cm_media_reaches_the_platform_range_of_each_gateway(result):
    answer = explain(result, CATALOG, "pub-a", "gw-g3", 10000, "udp")
    assert "cucm-2-29b-udp" in _ids(answer), answer
    assert not explain(result, CATALOG, "pub-a", "gw-g2", 10000, "udp")["allowed"]
    assert not explain(result, CATALOG, "pub-a", "gw-1", 10000, "udp")["allowed"]
    assert "cucm-7-17a-udp" in _ids(explain(result, CATALOG, "pub-a", "gw-1", 20000, "udp"))
    assert "cucm-2-30b-udp" in _ids(explain(result, CATALOG, "pub-a", "gw-g2", 20000, "udp"))


def test_cop_install_https_only_between_a_subscriber_and_its_publisher(result):
    # table 1 row 3 names the subscriber and the publisher: no subscriber-to-subscriber 443, no other cluster
    assert "cucm-1-03-tcp" in _ids(explain(result, CATALOG, "sub-a", "pub-a", 443, "tcp"))
    assert "cucm-1-03b-tcp" in _ids(explain(result, CATALOG, "pub-a", "tftp-a", 443, "tcp"))
    assert not explain(result, CATALOG, "sub-a", "tftp-a", 443, "tcp")["allowed"]
    assert not explain(result, CATALOG, "tftp-a", "sub-a", 443, "tcp")["allowed"]
    assert not explain(result, CATALOG, "pub-b", "sub-a", 443, "tcp")["allowed"]
    assert not explain(result, CATALOG, "sub-a", "pub-b", 443, "tcp")["allowed"]


def test_unified_cm_media_to_a_platform_gateway_stays_in_the_platform_range(result):
    # the generic range of table 7 row 17 is only for gateways without uc_gateway_platform (rule 9)
    assert not explain(result, CATALOG, "pub-a", "gw-g2", 32767, "udp")["allowed"]
    assert "cucm-2-30b-udp" in _ids(explain(result, CATALOG, "pub-a", "gw-g2", 32766, "udp"))
    answer = explain(result, CATALOG, "pub-a", "gw-g3", 20000, "udp")
    assert "cucm-2-29b-udp" in _ids(answer) and "cucm-7-17a-udp" not in _ids(answer), answer
    assert "cucm-7-17a-udp" in _ids(explain(result, CATALOG, "pub-a", "gw-1", 32767, "udp"))
    assert not explain(result, CATALOG, "pub-a", "gw-1", 32768, "udp")["allowed"]


def test_unified_cm_as_dns_server_is_its_own_feature():
    # table 2 row 3 advises against Unified CM as DNS server: the day-one `dns` (its own queries) does not open it
    opened = build_flows(CATALOG, HOSTVARS, GROUPS, zones=ZONES, open_ephemeral=True)
    assert "dns" in opened["features"]
    answer = explain(opened, CATALOG, DEVICE, "pub-a", 40000, "udp")
    assert not answer["allowed"], answer
    assert "cucm-2-03b-udp" in _ids(explain(opened, CATALOG, "pub-a", DNS, 53, "udp"))
    server = build_flows(CATALOG, HOSTVARS, GROUPS, zones=ZONES, open_ephemeral=True, features=["dns_server"])
    assert "cucm-2-03a-udp" in _ids(explain(server, CATALOG, DEVICE, "pub-a", 40000, "udp"))
