# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The three host-firewall filters: registration, pass-through and error translation."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.filter import to_firewalld, to_iptables, to_nftables
from ansible_collections.collab.firewall.plugins.plugin_utils.render.firewalld import render_firewalld
from ansible_collections.collab.firewall.plugins.plugin_utils.render.iptables import render_iptables
from ansible_collections.collab.firewall.plugins.plugin_utils.render.nftables import render_nftables

POLICY = {"host": "h1", "management": {"sources": ["192.0.2.0/24"], "transport": "tcp", "ports": [22]},
          "rules": [{"sources": ["10.0.0.0/8"], "transport": "udp", "ports": [5060],
                     "catalog_ids": ["sip-1-udp"], "comment": "sip"}]}
BAD = copy.deepcopy(POLICY)
BAD["rules"][0]["ports"] = [99999]


@pytest.mark.parametrize("module,name", [(to_iptables, "to_iptables"), (to_nftables, "to_nftables"),
                                         (to_firewalld, "to_firewalld")])
def test_registered_and_documented(module, name):
    assert list(module.FilterModule().filters()) == [name]
    assert "name: %s" % name in module.DOCUMENTATION and module.EXAMPLES and module.RETURN


def test_filters_call_the_renderers():
    assert to_iptables.to_iptables(POLICY) == render_iptables(POLICY)
    assert to_nftables.to_nftables(POLICY, table="x") == render_nftables(POLICY, table="x")
    assert to_firewalld.to_firewalld(POLICY, zone="z") == render_firewalld(POLICY, zone="z")


@pytest.mark.parametrize("call,message", [
    (lambda: to_iptables.to_iptables(BAD), "to_iptables: invalid port 99999 in rule sip-1-udp"),
    (lambda: to_nftables.to_nftables(BAD), "to_nftables: invalid port 99999 in rule sip-1-udp"),
    (lambda: to_firewalld.to_firewalld(BAD), "to_firewalld: invalid port 99999 in rule sip-1-udp"),
    (lambda: to_iptables.to_iptables("text"), "to_iptables: input must be a host policy dict, got 'text'"),
    (lambda: to_nftables.to_nftables(POLICY, table=[3]), "collab.firewall.to_nftables: table: must be a string, got a list [3]"),
    (lambda: to_nftables.to_nftables(POLICY, table="a-b"), "to_nftables: invalid nftables table name 'a-b'"),
    (lambda: to_firewalld.to_firewalld(POLICY, zone="x" * 20), "to_firewalld: invalid firewalld zone name 'xxxx"),
])
def test_errors_name_filter_and_value(call, message):
    with pytest.raises(AnsibleFilterError) as err:
        call()
    assert message in str(err.value)
