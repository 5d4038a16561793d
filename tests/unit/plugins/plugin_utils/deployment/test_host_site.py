# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Site entries of a host firewall: validated before anything is computed, merged into the node's policy
(denies before every UC rule, permits after), management and localhost-only ports kept."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import FlowError, build_flows
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.host_policy import host_policy

HOSTVARS = {
    "pub-a": {"ansible_host": "10.1.0.10", "uc_cluster": "a", "uc_address6": "2001:db8:1::10",
              "uc_cucm_services": ["callmanager"]},
    "imp-1": {"ansible_host": "10.1.1.10", "uc_cluster": "p"},
    "gw-1": {"ansible_host": "10.1.9.1"},
}
GROUPS = {"publisher": ["pub-a"], "subscriber": [], "imp": ["imp-1"], "gateways": ["gw-1"]}
ZONES = {"phone": ["10.20.0.0/16", "2001:db8:20::/48"], "admin_workstation": ["10.99.0.0/24"],
         "snmp_manager": ["10.99.1.10"]}

NMS = {"action": "permit", "protocol": "udp", "source": "snmp_manager", "ports": [161, "1161-1162"],
       "remark": "SNMP from the NMS"}
GUEST = {"action": "deny", "protocol": "tcp", "source": ["10.20.99.0/24", "2001:db8:20:99::/64"],
         "ports": [2000, "5060-5061"], "remark": "guest phones: no signalling"}
PING = {"action": "permit", "protocol": "icmp", "source": "any", "remark": "ping"}


@pytest.fixture(scope="module")
def result():
    return build_flows(load_catalog(), HOSTVARS, GROUPS, zones=ZONES)


def test_no_entries_change_nothing(result):
    plain = host_policy(result, "pub-a")
    assert host_policy(result, "pub-a", site_entries=[], group_site_entries=[]) == plain
    assert all("site" not in rule and "action" not in rule for rule in plain["rules"])


def test_denies_first_permits_last_group_before_host(result):
    plain = host_policy(result, "pub-a")
    policy = host_policy(result, "pub-a", site_entries=[GUEST, PING], group_site_entries=[NMS])
    rules = policy["rules"]
    assert rules[0] == {"sources": ["10.20.99.0/24", "2001:db8:20:99::/64"], "transport": "tcp",
                        "ports": [2000, "5060-5061"], "catalog_ids": [], "action": "deny",
                        "site": "host_firewall_site_entries[0]", "comment": "site deny: guest phones: no signalling"}
    assert rules[1:-2] == plain["rules"]  # the UC rules as they were
    assert [r["site"] for r in rules[-2:]] == ["host_firewall_group_site_entries[0]", "host_firewall_site_entries[1]"]
    nms = rules[-2]
    assert nms["sources"] == ["10.99.1.10/32"] and nms["ports"] == [161, "1161-1162"] and nms["action"] == "permit"
    assert rules[-1]["sources"] == ["0.0.0.0/0", "::/0"] and rules[-1]["ports"] == []
    assert policy["management"] == plain["management"]


def test_zone_names_nodes_and_groups_resolve(result):
    entries = [dict(NMS, source=["phone", "imp", "imp-1", "10.7.0.0/24"])]
    rule = host_policy(result, "pub-a", site_entries=entries)["rules"][-1]
    assert rule["sources"] == ["10.1.1.10/32", "10.7.0.0/24", "10.20.0.0/16", "2001:db8:20::/48"]


def test_a_deny_may_close_a_uc_flow(result):
    """The operator's explicit choice wins: a deny of a port the UC rules open is kept, ahead of them."""
    phone = dict(GUEST, source="phone")
    policy = host_policy(result, "pub-a", site_entries=[phone])
    assert policy["rules"][0]["action"] == "deny" and policy["rules"][0]["sources"] == ZONES["phone"]
    assert any(r["transport"] == "tcp" and 2000 in r["ports"] for r in policy["rules"][1:])


def entry(**changes):
    out = copy.deepcopy(NMS)
    out.update(changes)
    return dict((k, v) for k, v in out.items() if v is not None)


BAD = [
    ("not-a-list", {"site_entries": "permit all"}, "pub-a: host_firewall_site_entries: must be a list"),
    ("not-a-mapping", {"site_entries": [NMS, "udp 161"]}, "pub-a: host_firewall_site_entries[1]: must be a mapping"),
    ("bad-cidr", {"site_entries": [entry(source=["10.1.300.0/24"])]},
     "pub-a: host_firewall_site_entries[0].source: '10.1.300.0/24' is not 'any', a zone name or an address/CIDR"),
    ("host-bits", {"group_site_entries": [entry(source="10.1.2.3/16")]},
     "pub-a: host_firewall_group_site_entries[0].source: '10.1.2.3/16' has host bits set (network is 10.1.0.0/16)"),
    ("unknown-zone", {"site_entries": [NMS, entry(source=["no_such_zone"])]},
     "pub-a: host_firewall_site_entries[1].source: 'no_such_zone' is not 'any', a zone name or an address/CIDR"),
    ("empty-source", {"site_entries": [entry(source=[])]},
     "pub-a: host_firewall_site_entries[0].source: must name at least one zone, address or 'any'"),
    ("no-source", {"site_entries": [entry(source=None)]},
     "pub-a: host_firewall_site_entries[0].source: is required"),
    ("bad-port", {"site_entries": [entry(ports=[161, 70000])]},
     "pub-a: host_firewall_site_entries[0].ports: port 70000 is outside 1-65535"),
    ("port-zero", {"site_entries": [entry(ports=[0])]},
     "pub-a: host_firewall_site_entries[0].ports: port 0 is outside 1-65535"),
    ("reversed-range", {"site_entries": [entry(ports=["200-100"])]},
     "pub-a: host_firewall_site_entries[0].ports: port range '200-100' starts after it ends"),
    ("no-ports", {"site_entries": [entry(ports=[])]},
     "pub-a: host_firewall_site_entries[0].ports: a udp entry needs its ports (an empty list never means every port"),
    ("ports-on-icmp", {"site_entries": [dict(PING, ports=[8])]},
     "pub-a: host_firewall_site_entries[0].ports: only tcp and udp entries carry ports"),
    ("protocol-ip", {"site_entries": [entry(protocol="ip", ports=None)]},
     "pub-a: host_firewall_site_entries[0].protocol: 'ip' is not one of tcp, udp, icmp, gre, esp, ah"),
    ("no-protocol", {"site_entries": [entry(protocol=None)]},
     "pub-a: host_firewall_site_entries[0].protocol: None is not one of tcp, udp"),
    ("bad-action", {"site_entries": [entry(action="allow")]},
     "pub-a: host_firewall_site_entries[0].action: 'allow' is not permit or deny"),
    ("destination", {"site_entries": [entry(destination="any")]},
     "pub-a: host_firewall_site_entries[0].destination: a host firewall entry is inbound to the node itself"),
    ("log", {"site_entries": [entry(log=True)]}, "pub-a: host_firewall_site_entries[0].log: the host rulesets do not log"),
    ("unknown-key", {"site_entries": [entry(sources=["10.0.0.0/8"])]},
     "pub-a: host_firewall_site_entries[0]: unknown key(s) sources; valid: action, protocol, source, ports, remark"),
    ("long-remark", {"site_entries": [entry(remark="x" * 101)]},
     "pub-a: host_firewall_site_entries[0].remark: must be text of at most 100 characters"),
    ("confirm-not-bool", {"site_entries": [entry(confirm_localhost_ports="yes please")]},
     "pub-a: host_firewall_site_entries[0].confirm_localhost_ports: must be a boolean"),
    # a deny must never cut SSH from the management sources (firewalld runs drop rules before accept rules)
    ("deny-cuts-ssh", {"site_entries": [dict(GUEST, source="admin_workstation", ports=["1-1024"])]},
     "pub-a: host_firewall_site_entries[0]: denies tcp 22 from 10.99.0.0/24, which the management sources hold"),
    ("deny-any-ssh", {"group_site_entries": [dict(GUEST, source="any", ports=[22])]},
     "pub-a: host_firewall_group_site_entries[0]: denies tcp 22 from 10.99.0.0/24"),
]


@pytest.mark.parametrize("given, message", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_entries_name_host_variable_and_index(result, given, message):
    with pytest.raises(FlowError) as err:
        host_policy(result, "pub-a", **given)
    assert message in str(err.value)


def test_deny_checked_against_the_extra_management_sources(result):
    deny = dict(GUEST, source="192.0.2.0/24", ports=[22])
    host_policy(result, "pub-a", site_entries=[deny])  # nobody manages the node from there
    with pytest.raises(FlowError, match=r"denies tcp 22 from 192.0.2.7/32"):
        host_policy(result, "pub-a", management_sources=["192.0.2.7"], site_entries=[deny])


def test_localhost_only_ports_stay_closed_unless_confirmed(result):
    # IM and Presence keeps its certificate manager (7070) on the loopback
    certs = {"action": "permit", "protocol": "tcp", "source": "10.50.0.0/24", "ports": ["7000-7100"], "remark": "x"}
    with pytest.raises(FlowError) as err:
        host_policy(result, "imp-1", site_entries=[NMS, certs])
    assert "imp-1: host_firewall_site_entries[1]: would open tcp port(s) 7070, which the catalog keeps on the " \
        "node's loopback (imp-7-01-tcp)" in str(err.value)
    assert "confirm_localhost_ports: true" in str(err.value)
    rule = host_policy(result, "imp-1", site_entries=[dict(certs, confirm_localhost_ports="yes")])["rules"][-1]
    assert rule["ports"] == ["7000-7100"] and "confirm_localhost_ports" not in rule
    # a deny of a localhost-only port closes something already closed: allowed
    host_policy(result, "imp-1", site_entries=[dict(certs, action="deny")])
    # the same port on another product (Unified CM does not keep 7070 on its loopback) is not refused
    host_policy(result, "pub-a", site_entries=[certs])


def test_errors_come_before_any_result(result):
    """One bad entry among good ones: nothing is returned, the error names the bad one only."""
    with pytest.raises(FlowError, match=r"host_firewall_site_entries\[2\]\.ports"):
        host_policy(result, "pub-a", site_entries=[NMS, PING, entry(ports=["x"])], group_site_entries=[GUEST])
