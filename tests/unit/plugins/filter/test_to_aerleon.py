# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The to_aerleon filter: registration, pass-through and error translation."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.filter import to_aerleon
from ansible_collections.collab.firewall.plugins.plugin_utils.render.aerleon import render_aerleon

FLOWS = [{"sources": ["10.20.0.0/16"], "destinations": ["10.10.1.10/32"], "transport": "udp", "ports": [5060],
          "catalog_ids": ["cucm-6-04-udp"], "description": "phone to cucm: sip"}]
RESULT = {"flows": FLOWS, "nodes": {"cucm-1": {"addresses": ["10.10.1.10/32"]}},
          "management": {"sources": ["192.0.2.0/24"], "transport": "tcp", "ports": [22]}}


def test_registered_and_documented():
    assert list(to_aerleon.FilterModule().filters()) == ["to_aerleon"]
    assert "name: to_aerleon" in to_aerleon.DOCUMENTATION and to_aerleon.EXAMPLES and to_aerleon.RETURN
    assert "author: collab.firewall developers (@collab-firewall)" in to_aerleon.DOCUMENTATION


def test_filter_calls_the_renderer():
    assert to_aerleon.to_aerleon(RESULT) == render_aerleon(RESULT)
    assert to_aerleon.to_aerleon(FLOWS, name="UC-IN", targets=["cisco"]) == render_aerleon(
        FLOWS, name="UC-IN", targets=["cisco"])
    assert to_aerleon.to_aerleon(RESULT, host="cucm-1") == render_aerleon(RESULT, host="cucm-1")


@pytest.mark.parametrize("args,kwargs,message", [
    (("text",), {}, "to_aerleon: input must be the uc_flows result or a list of flows, got 'text'"),
    ((FLOWS,), {"targets": ["pf"]}, "collab.firewall.to_aerleon: targets: 'pf' is not one of"),
    (([dict(FLOWS[0], transport="sctp")],), {}, "to_aerleon: flow transport 'sctp' is not one of"),
    ((RESULT,), {"host": "cucm-9"}, "to_aerleon: host 'cucm-9' is not a UC node"),
])
def test_errors_name_the_filter(args, kwargs, message):
    with pytest.raises(AnsibleFilterError) as err:
        to_aerleon.to_aerleon(*args, **kwargs)
    assert message in str(err.value)
