# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.filter.to_asa_acl import FilterModule, to_asa_acl
from ansible_collections.collab.firewall.plugins.plugin_utils.render.asa import render_asa

FLOW = {"sources": ["10.20.0.0/16", "2001:db8:20::/48"], "destinations": ["10.1.1.10/32"],
        "transport": "udp", "ports": [5060, "16384-32767"], "catalog_ids": ["rtp"]}


def test_registered_and_delegates():
    assert FilterModule().filters()["to_asa_acl"] is to_asa_acl
    out = to_asa_acl([FLOW], "UC", interface="outside")
    assert out == render_asa([FLOW], "UC", interface="outside")
    assert out["lines"][-1] == "access-group UC in interface outside"


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        (([FLOW],), {}, "collab.firewall.to_asa_acl: name: is required"),
        ((42, "UC"), {}, "to_asa_acl: input must be a list of flows, got 42"),
        (([dict(FLOW, transport="sctp")], "UC"), {}, "to_asa_acl: flow transport 'sctp'"),
        (([FLOW], "UC"), {"interface": "bad if"}, "to_asa_acl: interface name 'bad if'"),
        (([FLOW], "UC"), {"log_deny": "perhaps"}, "collab.firewall.to_asa_acl: log_deny: must be a boolean"),
    ],
)
def test_errors(args, kwargs, message):
    with pytest.raises(AnsibleFilterError) as err:
        to_asa_acl(*args, **kwargs)
    assert message in str(err.value)
