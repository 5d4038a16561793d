# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_explain weighs the destination node's own host firewall entries when it is given them: a site deny closes
a packet the flows allow, a site permit opens one they do not, anything else is answered by the flows alone."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.filter.uc_explain import uc_explain
from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import build_flows

HOSTVARS = {
    "pub-a": {"ansible_host": "10.1.0.10", "uc_cluster": "a", "uc_cucm_services": ["callmanager"]},
    "gw-1": {"ansible_host": "10.1.9.1"},
}
GROUPS = {"publisher": ["pub-a"], "subscriber": [], "gateways": ["gw-1"]}
ZONES = {"phone": ["10.20.0.0/16"], "admin_workstation": ["10.99.0.0/24"], "snmp_manager": ["10.99.1.10"]}
GUEST = {"action": "deny", "protocol": "tcp", "source": "10.20.99.0/24", "ports": [2000], "remark": "guest phones"}
PING = {"action": "permit", "protocol": "icmp", "source": "snmp_manager", "remark": "ping from the NMS"}


@pytest.fixture(scope="module")
def deployment():
    return build_flows(load_catalog(), HOSTVARS, GROUPS, zones=ZONES)


def test_without_site_entries_the_flows_answer(deployment):
    answer = uc_explain(deployment, "10.20.99.5", "pub-a", 2000, "tcp")
    assert answer["allowed"] and answer["catalog_ids"] and "site_entry" not in answer


def test_a_site_deny_closes_what_the_flows_allow_and_says_which_entry(deployment):
    answer = uc_explain(deployment, "10.20.99.5", "10.1.0.10", 2000, "tcp", site_entries=[GUEST])
    assert answer["allowed"] is False
    assert answer["catalog_ids"]  # what the flows would have allowed stays visible
    assert answer["site_entry"] == {"entry": "host_firewall_site_entries[0]", "action": "deny",
                                    "comment": "site deny: guest phones"}
    assert "host_firewall_site_entries[0]" in answer["reasons"][0]["reason"]
    # another phone VLAN and another port are not the entry's
    assert uc_explain(deployment, "10.20.1.5", "pub-a", 2000, "tcp", site_entries=[GUEST])["allowed"]
    assert "site_entry" not in uc_explain(deployment, "10.20.99.5", "pub-a", 5060, "tcp", site_entries=[GUEST])


def test_a_site_permit_opens_what_no_flow_does(deployment):
    without = uc_explain(deployment, "10.99.1.10", "pub-a", None, "icmp")
    given = uc_explain(deployment, "10.99.1.10", "pub-a", None, "icmp", group_site_entries=[PING])
    assert not without["allowed"]
    assert given["allowed"] and given["catalog_ids"] == []
    assert given["site_entry"]["entry"] == "host_firewall_group_site_entries[0]"


def test_site_entries_need_a_node_as_destination(deployment):
    with pytest.raises(AnsibleFilterError, match="explain: dst: '10.20.1.1' is not a UC node or the address of one"):
        uc_explain(deployment, "10.99.1.10", "10.20.1.1", 443, "tcp", site_entries=[GUEST])


def test_a_bad_site_entry_is_the_host_firewall_role_error(deployment):
    with pytest.raises(AnsibleFilterError, match=r"pub-a: host_firewall_site_entries\[0\]"):
        uc_explain(deployment, "10.20.99.5", "pub-a", 2000, "tcp", site_entries=[dict(GUEST, protocol="tpc")])
