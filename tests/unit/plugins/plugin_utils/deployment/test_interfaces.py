# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which flows cross an interface in a direction; ACL names; the assembled device configuration."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import netaddr
import pytest

from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.interfaces import (
    AclFlowError,
    acl_name,
    behind_networks,
    crossing_flows,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.render.platforms import device_plan

RESULT = {
    "flows": [
        {"sources": ["10.20.0.0/16", "2001:db8:20::/48"], "destinations": ["10.1.0.10/32", "10.1.0.11/32"],
         "transport": "tcp", "ports": [2000], "catalog_ids": ["cucm-6-01-tcp"], "from_roles": ["phone"],
         "to_roles": ["cucm"], "src_names": ["phone"], "dst_names": ["pub-a", "sub-a"], "description": "phone to cucm: sccp"},
        {"sources": ["10.20.0.0/16", "10.40.0.0/16"], "destinations": ["10.1.0.10/32"], "transport": "udp",
         "ports": [69], "catalog_ids": ["cucm-2-06a-udp"], "from_roles": ["endpoint"], "to_roles": ["cucm_tftp"],
         "src_names": ["endpoint"], "dst_names": ["pub-a"], "description": "endpoint to cucm_tftp: tftp"},
        {"sources": ["10.1.0.10/32"], "destinations": ["10.1.0.11/32"], "transport": "tcp", "ports": [1500],
         "catalog_ids": ["cucm-1-03-tcp"], "from_roles": ["cucm"], "to_roles": ["cucm"], "src_names": ["pub-a"],
         "dst_names": ["sub-a"], "description": "cucm to cucm: database"},
        {"sources": ["10.1.0.10/32", "10.1.0.11/32"], "destinations": ["10.5.0.10/32"], "transport": "tcp",
         "ports": [389], "catalog_ids": ["cucm-5-01-tcp"], "from_roles": ["cucm"], "to_roles": ["ldap_directory"],
         "src_names": ["pub-a", "sub-a"], "dst_names": ["ldap_directory"], "description": "cucm to ldap: ldap"},
    ],
    "management": {"sources": ["10.99.0.0/24"], "transport": "tcp", "ports": [22]},
    "nodes": {
        "pub-a": {"name": "pub-a", "groups": ["publisher"], "addresses": ["10.1.0.10/32"]},
        "sub-a": {"name": "sub-a", "groups": ["subscriber"], "addresses": ["10.1.0.11/32"]},
    },
    "zones": {"phone": ["10.20.0.0/16", "2001:db8:20::/48"], "endpoint": ["10.20.0.0/16", "10.40.0.0/16"],
              "admin_workstation": ["10.99.0.0/24"], "ldap_directory": ["10.5.0.10/32"]},
}


@pytest.mark.parametrize("interface, direction, prefix, expected", [
    ("GigabitEthernet0/1", "in", "UC", "UC-GI0-1-IN"),
    ("GigabitEthernet0/1.100", "out", "UC", "UC-GI0-1-100-OUT"),
    ("TenGigabitEthernet1/0/1", "in", "UC", "UC-TE1-0-1-IN"),
    ("Port-channel10", "in", "UC", "UC-PO10-IN"),
    ("Vlan20", "out", "", "VL20-OUT"),
])
def test_acl_names_are_deterministic(interface, direction, prefix, expected):
    assert acl_name(interface, direction, prefix) == expected


def test_asa_names_keep_the_whole_nameif():
    assert acl_name("inside", "in", abbreviate=False) == "UC-INSIDE-IN"


@pytest.mark.parametrize("zones, cidrs", [
    (["phone"], ["10.20.0.0/16", "2001:db8:20::/48"]),
    (["publisher", "subscriber"], ["10.1.0.10/31"]),
    (["sub-a"], ["10.1.0.11/32"]),
    (["gateways"], []),
])
def test_behind_networks_resolve_groups_hosts_and_zones(zones, cidrs):
    assert behind_networks(RESULT, zones) == netaddr.IPSet(cidrs)


@pytest.mark.parametrize("zones, message", [
    (["phones"], "rtr-1: ios_acl_interfaces[0].zones: unknown zone 'phones'; valid names"),
    ([], "zones must be a non-empty list"),
    ("phone", "zones must be a non-empty list"),
])
def test_unknown_zone_names_the_host_and_variable(zones, message):
    with pytest.raises(AclFlowError) as exc:
        behind_networks(RESULT, zones, "rtr-1", "ios_acl_interfaces[0].zones")
    assert message in str(exc.value)
    if zones == ["phones"]:
        assert "phone, pub-a, publisher, sub-a, subscriber" in str(exc.value)


def test_in_keeps_flows_from_behind_and_cuts_sources():
    flows = crossing_flows(RESULT, behind_networks(RESULT, ["phone"]), "in")
    assert [f["description"] for f in flows] == ["phone to cucm: sccp", "endpoint to cucm_tftp: tftp"]
    assert flows[1]["sources"] == ["10.20.0.0/16"]
    assert flows[0]["sources"] == ["10.20.0.0/16", "2001:db8:20::/48"]


def test_out_is_the_mirror_and_drops_destinations_behind():
    behind = behind_networks(RESULT, ["publisher"])
    flows = crossing_flows(RESULT, behind, "out")
    assert [f["description"] for f in flows] == ["phone to cucm: sccp", "endpoint to cucm_tftp: tftp"]
    assert flows[0]["destinations"] == ["10.1.0.10/32"]
    inbound = crossing_flows(RESULT, behind, "in")
    # pub-a -> sub-a crosses (sub-a is not behind); pub-a+sub-a -> ldap keeps only pub-a as source
    assert [f["description"] for f in inbound] == ["cucm to cucm: database", "cucm to ldap: ldap"]
    assert inbound[1]["sources"] == ["10.1.0.10/32"]


def test_traffic_that_stays_behind_never_crosses():
    behind = behind_networks(RESULT, ["publisher", "subscriber"])
    assert [f["description"] for f in crossing_flows(RESULT, behind, "in")] == ["cucm to ldap: ldap"]


@pytest.mark.parametrize("interfaces, platform, message", [
    ([{"name": "Gi0/1", "zones": ["phone"], "direction": "sideways"}], "ios",
     "rtr-1: ios_acl_interfaces[0].direction: 'sideways' is not one of in, out, both"),
    ([{"name": "Gi0/1", "zones": ["phone"], "colour": "red"}], "ios", "unknown key(s) colour"),
    ([{"zones": ["phone"]}], "ios", "ios_acl_interfaces[0].name: must be the interface name"),
    ([{"name": "Gi0/1", "zones": ["phone"]}], "asa", "ios_acl_interfaces[0].nameif: an ASA interface needs its nameif"),
    ([{"name": "Gi0/1", "zones": ["phone"]}, {"name": "Gi0/1", "zones": ["endpoint"]}], "ios", "has two in ACLs"),
    ([{"name": "Gi0/1", "zones": ["phone"], "acl_name": "X"}, {"name": "Gi0/2", "zones": ["endpoint"], "acl_name": "X"}],
     "ios", "ACL name X is also the name for Gi0/1"),
    ("Gi0/1", "ios", "must be a list of interfaces"),
    ([{"name": "Gi0/1", "zones": ["nowhere"]}], "ios", "rtr-1: ios_acl_interfaces[0].zones: unknown zone 'nowhere'"),
])
def test_bad_interfaces_are_refused(interfaces, platform, message):
    with pytest.raises(AclFlowError) as exc:
        device_plan(RESULT, interfaces, "rtr-1", "ios_acl_interfaces", platform=platform)
    assert message in str(exc.value)


def test_input_must_be_a_uc_flows_result():
    with pytest.raises(AclFlowError) as exc:
        device_plan({"flows": []}, [{"name": "Gi0/1", "zones": ["phone"]}])
    assert "result of collab.firewall.uc_flows" in str(exc.value)
