# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ACL audit: missing, extra (sampled) and shadowed entries, bindings, ASA port names."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.collab.firewall.plugins.plugin_utils.acl.audit import AuditError, audit_device
from ansible_collections.collab.firewall.plugins.plugin_utils.acl.readers import (
    asa_acl_lines,
    asa_bindings,
    asa_og_lines,
    ios_bindings,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.render.platforms import device_plan
from ansible_collections.collab.firewall.tests.unit.plugins.plugin_utils.deployment.test_interfaces import RESULT

IOS_IFACES = [{"name": "GigabitEthernet0/1", "zones": ["phone"]}]
ASA_IFACES = [{"name": "Gi0/0", "nameif": "outside", "zones": ["phone"]}]


@pytest.fixture(scope="module")
def ios_plan():
    return device_plan(RESULT, IOS_IFACES, "rtr-1", platform="ios")


@pytest.fixture(scope="module")
def asa_plan():
    return device_plan(RESULT, ASA_IFACES, "fw-1", platform="asa")


def _ios_report(plan, mutate=None, bound=True):
    acls = copy.deepcopy(plan["device"]["acls"])
    if mutate:
        mutate(acls[0]["acls"][0]["aces"])
    text = "\n".join(["hostname rtr-1"] + plan["device"]["object_group_lines"] + (plan["device"]["binding_lines"] if bound else []))
    return audit_device(plan, "ios", acls, running_config=text)


def test_faithful_ios_config_is_clean(ios_plan):
    report = _ios_report(ios_plan)
    assert report["summary"] == {"missing": 0, "extra": 0, "shadowed": 0, "absent": 0, "unbound": 0, "clean": True}
    assert "| 0 | 0 | 0 | 0 | 0 |" in report["markdown"]


def _drop_sccp(aces):
    aces[:] = [a for a in aces if a.get("destination", {}).get("port_protocol") != {"eq": "2000"}]


def _extra_db(aces):
    aces.insert(0, {"sequence": 5, "grant": "permit", "protocol": "tcp", "source": {"address": "10.20.0.0",
                    "wildcard_bits": "0.0.255.255"}, "destination": {"host": "10.1.0.10", "port_protocol": {"eq": "1500"}}})


def _shadow(aces):
    _extra_db(aces)
    aces.insert(1, {"sequence": 6, "grant": "deny", "protocol": "tcp", "source": {"host": "10.20.1.1"},
                    "destination": {"host": "10.1.0.10", "port_protocol": {"eq": "1500"}}})


def _named_port(aces):
    for ace in aces:
        if ace.get("destination", {}).get("port_protocol") == {"eq": "69"}:
            ace["destination"]["port_protocol"] = {"eq": "tftp"}


@pytest.mark.parametrize("mutate, key, check", [
    (_drop_sccp, "missing", lambda item: item["remark"] == "phone to cucm: sccp: cucm-6-01-tcp"
     and item["denied_by"][0].split()[1] == "deny" and "phone -> publisher" in item["pairs"]),
    (_extra_db, "extra", lambda item: item["ace"].startswith("5 permit tcp 10.20.0.0 0.0.255.255 host 10.1.0.10 eq 1500")
     and item["examples"] == ["10.20.0.0 -> 10.1.0.10 tcp/1500"] and "phone -> publisher" in item["pairs"]),
    (_shadow, "shadowed", lambda item: item["ace"].startswith("6 deny tcp host 10.20.1.1") and item["conflict"]),
])
def test_ios_findings(ios_plan, mutate, key, check):
    report = _ios_report(ios_plan, mutate)
    items = report["acls"][0][key]
    assert len(items) == 1 and check(items[0]), items
    assert report["summary"][key] == 1 and not report["summary"]["clean"]


def test_port_names_are_compared_by_number(ios_plan):
    assert _ios_report(ios_plan, _named_port)["summary"]["clean"]


def test_unbound_and_absent_acls(ios_plan):
    report = _ios_report(ios_plan, bound=False)
    assert report["acls"][0]["bound"] is False and report["summary"]["unbound"] == 1
    empty = audit_device(ios_plan, "ios", [], running_config="hostname x")
    assert empty["summary"]["absent"] == 2
    missing = empty["acls"][0]["missing"]
    assert any("sccp" in m["remark"] for m in missing) and any("tftp" in m["remark"] for m in missing)
    # management does not come from the phones
    assert not any(m["remark"].startswith("management") for m in missing)
    assert audit_device(ios_plan, "ios", [])["acls"][0]["bound"] is None  # no text: unknown


def test_foreign_acls_are_listed_not_audited(ios_plan):
    acls = copy.deepcopy(ios_plan["device"]["acls"])
    acls[0]["acls"].append({"name": "MGMT-VTY", "aces": [{"sequence": 10, "grant": "permit", "protocol": "tcp",
                                                         "source": {"any": True}, "destination": {"any": True}}]})
    report = audit_device(ios_plan, "ios", acls, running_config="\n".join(ios_plan["device"]["lines"]))
    assert report["other_acls"] == ["MGMT-VTY"] and report["summary"]["clean"]


def test_asa_round_trip_with_port_names(asa_plan):
    device = copy.deepcopy(asa_plan["device"])
    for ace in device["acls"]["acls"][0]["aces"]:
        pp = ace.get("destination", {}).get("port_protocol")
        if pp == {"eq": "69"}:
            pp["eq"] = "tftp"
    text = "\n".join(device["lines"])
    assert audit_device(asa_plan, "asa", device["acls"], running_config=text, ogs=device["ogs"])["summary"]["clean"]
    device["acls"]["acls"][0]["aces"].insert(0, {"grant": "permit", "protocol": "tcp", "protocol_options": {"tcp": True},
                                                 "source": {"any4": True},
                                                 "destination": {"host": "10.1.0.10", "port_protocol": {"eq": "www"}}})
    report = audit_device(asa_plan, "asa", device["acls"], running_config="", ogs=device["ogs"])
    assert report["acls"][0]["extra"][0]["ace"] == \
        "access-list UC-OUTSIDE-IN extended permit tcp any4 host 10.1.0.10 eq www"
    assert "-> 10.1.0.10 tcp/80" in " ".join(report["acls"][0]["extra"][0]["examples"])


def test_asa_structures_to_cli():
    network = {"name": "N", "network_object": {
        "host": ["10.1.0.10"], "address": ["10.20.0.0 255.255.0.0"], "ipv6_address": ["2001:db8::/32"]}}
    service = {"name": "S", "protocol": "udp", "port_object": [{"eq": "sip"}, {"range": {"start": "16384", "end": "32767"}}]}
    ogs = [{"object_type": "network", "object_groups": [network]}, {"object_type": "service", "object_groups": [service]}]
    assert asa_og_lines(ogs) == ["object-group network N", " network-object host 10.1.0.10",
                                 " network-object 10.20.0.0 255.255.0.0", " network-object 2001:db8::/32",
                                 "object-group service S udp", " port-object eq sip", " port-object range 16384 32767"]
    acls = {"acls": [{"name": "A", "aces": [{"remark": "hello"}, {
        "grant": "deny", "protocol_options": {"ip": True}, "source": {"any": True}, "destination": {"any": True},
        "log": "informational", "inactive": True}]}]}
    assert asa_acl_lines(acls) == ["access-list A remark hello",
                                   "access-list A extended deny ip any any log informational inactive"]


def test_bindings_from_running_config_text():
    ios = "interface Gi0/1\n ip access-group A in\n ipv6 traffic-filter A-V6 out\n!\ninterface Gi0/2\n shutdown\n"
    assert ios_bindings(ios) == {("Gi0/1", "A", "in"), ("Gi0/1", "A-V6", "out")}
    assert asa_bindings("access-group X in interface outside\naccess-group Y out interface inside") == {
        ("outside", "X", "in"), ("inside", "Y", "out")}


@pytest.mark.parametrize("args, message", [
    (({"flows": []}, "ios", []), "the plan must be the result of collab.firewall.uc_acl_flows"),
    ((None, "junos", []), "platform 'junos' is not one of ios, asa"),
    ((None, "ios", {"acls": []}), "the ios_acls parsed config must be a list"),
    ((None, "asa", {"acls": [{"name": "A", "aces": [
        {"grant": "permit", "protocol": "tcp", "source": {"weird": 1}, "destination": {"any": True}}]}]}),
     "ASA ACE endpoint {'weird': 1} is not understood"),
    ((None, "ios", [{"afi": "ipv4", "acls": [{"name": "UC-GI0-1-IN", "aces": [
        {"grant": "permit", "source": {"object_group": "NOPE"}, "destination": {"any": True}}]}]}]),
     "cannot read the IOS ACLs: object-group 'NOPE' is not defined"),
])
def test_bad_input_is_refused(ios_plan, args, message):
    plan, platform, parsed = args
    with pytest.raises(AuditError) as exc:
        audit_device(plan or ios_plan, platform, parsed)
    assert message in str(exc.value)
