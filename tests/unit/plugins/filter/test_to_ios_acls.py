# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.filter.to_ios_acls import FilterModule, to_ios_acls
from ansible_collections.collab.firewall.plugins.plugin_utils.render.ios import render_ios

FLOW = {"sources": ["10.20.0.0/16", "2001:db8:20::/48"], "destinations": ["10.1.1.10/32"],
        "transport": "tcp", "ports": [5060], "catalog_ids": ["cucm-6-04-tcp"]}


def test_registered_and_delegates():
    assert FilterModule().filters()["to_ios_acls"] is to_ios_acls
    assert to_ios_acls([FLOW], "UC", log_deny=True) == render_ios([FLOW], "UC", log_deny=True)
    assert to_ios_acls({"flows": [FLOW], "unresolved": []}, "UC") == render_ios([FLOW], "UC")


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        (([FLOW],), {}, "collab.firewall.to_ios_acls: name: is required"),
        (("text", "UC"), {}, "to_ios_acls: input must be a list of flows, got 'text'"),
        (([dict(FLOW, ports=["sip"])], "UC"), {}, "to_ios_acls: port 'sip' is neither"),
        (([FLOW], "9UC"), {}, "to_ios_acls: ACL name '9UC'"),
        (([FLOW], "UC"), {"management": {"sources": ["300.0.0.0/8"]}}, "'300.0.0.0/8'"),
    ],
)
def test_errors(args, kwargs, message):
    with pytest.raises(AnsibleFilterError) as err:
        to_ios_acls(*args, **kwargs)
    assert message in str(err.value)
