# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The voice trusted list: rendered lines, read back from a configuration, and what a push changes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.plugins.plugin_utils.render.ios_voice import (
    parse_trusted_list,
    render_trusted_list,
    trusted_list_changes,
)

WANTED = {"ipv4": ["10.1.1.11/32", "10.1.1.12/32", "10.9.0.0/16"], "ipv6": ["2001:db8::11/128"]}

RUNNING = """hostname gw
!
voice service voip
 ip address trusted list
  ipv4 10.1.1.11
  ipv4 10.1.1.99
  ipv4 192.0.2.0 255.255.255.0
  ipv6 2001:DB8::11/128
 allow-connections sip to sip
 sip
  bind control source-interface GigabitEthernet0/0
  ipv4 10.77.0.1
!
interface GigabitEthernet0/0
 ipv4 10.66.0.1
!
"""


def test_rendered_block_and_entries():
    out = render_trusted_list(WANTED)
    assert out["lines"] == ["voice service voip", " ip address trusted list", "  ipv4 10.1.1.11", "  ipv4 10.1.1.12",
                            "  ipv4 10.9.0.0 255.255.0.0", "  ipv6 2001:db8::11/128"]
    assert out["blocks"] == [{"parents": ["voice service voip", "ip address trusted list"],
                              "lines": [line.strip() for line in out["lines"][2:]]}]


def test_rendered_lines_parse_back_to_the_same_list():
    parsed = parse_trusted_list("\n".join(render_trusted_list(WANTED)["lines"]))
    assert parsed == dict(WANTED, present=True)


def test_parse_reads_only_the_trusted_list_block():
    parsed = parse_trusted_list(RUNNING)
    assert parsed == {"ipv4": ["10.1.1.11/32", "10.1.1.99/32", "192.0.2.0/24"], "ipv6": ["2001:db8::11/128"],
                      "present": True}
    assert parse_trusted_list("hostname gw\n") == {"ipv4": [], "ipv6": [], "present": False}


def test_empty_list_is_refused():
    with pytest.raises(PolicyError, match="empty"):
        render_trusted_list({"ipv4": [], "ipv6": []})


def test_replaced_removes_only_stale_owned_entries():
    # 10.1.1.99 was pushed by the collection before and left the deployment; 192.0.2.0/24 is the operator's
    changes = trusted_list_changes(RUNNING, WANTED, owned=["10.1.1.11/32", "10.1.1.99"], state="replaced")
    assert changes["remove"] == ["10.1.1.99/32"]
    assert changes["add"] == ["10.1.1.12/32", "10.9.0.0/16"]
    assert changes["operator"] == ["192.0.2.0/24"]
    assert changes["commands"] == ["no ipv4 10.1.1.99", "ipv4 10.1.1.12", "ipv4 10.9.0.0 255.255.0.0"]
    assert changes["owned"] == ["10.1.1.11/32", "10.1.1.12/32", "10.9.0.0/16", "2001:db8::11/128"]


def test_merged_only_adds_and_keeps_owning_what_it_left():
    changes = trusted_list_changes(RUNNING, WANTED, owned=["10.1.1.99/32"], state="merged")
    assert changes["remove"] == [] and changes["commands"] == ["ipv4 10.1.1.12", "ipv4 10.9.0.0 255.255.0.0"]
    assert "10.1.1.99/32" in changes["owned"] and "192.0.2.0/24" not in changes["owned"]


def test_first_push_never_removes_the_operators_entries():
    changes = trusted_list_changes(RUNNING, WANTED, owned=[], state="replaced")
    assert changes["remove"] == [] and changes["operator"] == ["10.1.1.99/32", "192.0.2.0/24"]


def test_running_equal_to_rendered_is_no_change():
    running = "\n".join(render_trusted_list(WANTED)["lines"]) + "\n"
    changes = trusted_list_changes(running, WANTED, owned=WANTED["ipv4"] + WANTED["ipv6"])
    assert not changes["changed"] and changes["commands"] == []


@pytest.mark.parametrize("kwargs, message", [
    ({"state": "overridden"}, "neither merged nor replaced"),
    ({"owned": ["not-an-address"]}, "owned trusted-list entry 'not-an-address'"),
])
def test_bad_input(kwargs, message):
    with pytest.raises(PolicyError, match=message):
        trusted_list_changes(RUNNING, WANTED, **kwargs)
