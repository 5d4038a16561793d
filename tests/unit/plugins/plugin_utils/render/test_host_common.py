# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every host renderer refuses the same way (host_common.normalize_policy)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.plugins.plugin_utils.render.firewalld import render_firewalld
from ansible_collections.collab.firewall.plugins.plugin_utils.render.host_common import normalize_policy
from ansible_collections.collab.firewall.plugins.plugin_utils.render.iptables import render_iptables
from ansible_collections.collab.firewall.plugins.plugin_utils.render.nftables import render_nftables
from ansible_collections.collab.firewall.tests.unit.plugins.plugin_utils.fixtures.render_samples import policy

RENDERERS = [render_nftables, render_iptables, render_firewalld]


@pytest.mark.parametrize("render", RENDERERS)
@pytest.mark.parametrize("transport", ["tcp", "udp"])
@pytest.mark.parametrize("rule", [{"ports": []}, {"ports": None}, {}], ids=["empty", "null", "missing"])
def test_a_ported_rule_without_ports_is_refused_never_every_port(render, transport, rule):
    pol = policy(transport=transport)
    pol["rules"][-1].pop("ports")
    pol["rules"][-1].update(rule)
    with pytest.raises(PolicyError, match=r"^ports (is empty for transport '%s' in rule x-1-tcp: an empty list never "
                                          r"means every port|must be a list)" % transport):
        render(pol)


@pytest.mark.parametrize("render", RENDERERS)
def test_a_ported_management_rule_without_ports_is_refused(render):
    pol = policy()
    pol["management"]["ports"] = []
    with pytest.raises(PolicyError, match=r"^ports is empty for transport 'tcp' in rule management"):
        render(pol)


@pytest.mark.parametrize("render", RENDERERS)
def test_portless_transports_still_render(render):
    assert render(policy(transport="icmp", ports=[]))


def test_sources_are_merged_per_family_and_bad_ones_named():
    """normalize_policy merges a rule's sources on integers (canonical IPv4) or netaddr (the rest) alike."""
    pol = policy()
    pol["rules"][-1]["sources"] = ["2001:db8::/65", "10.0.1.0/24", "2001:db8:0:0:8000::/65", "10.0.0.0/24",
                                   "192.0.2.7"]
    rule = normalize_policy(pol)["rules"][-1]
    assert (rule["v4"], rule["v6"]) == (["10.0.0.0/23", "192.0.2.7/32"], ["2001:db8::/64"])
    for bad, message in (("10.0.0.1/24", "source '10.0.0.1/24' has host bits set in rule x-1-tcp"),
                         ("010.0.0.0/24", "invalid source '010.0.0.0/24' in rule x-1-tcp")):
        pol = policy()  # a new object: normalize_policy keeps the last answer per policy object
        pol["rules"][-1]["sources"] = ["10.9.0.0/16", bad]
        with pytest.raises(PolicyError, match=r"^%s$" % re.escape(message)):
            normalize_policy(pol)
