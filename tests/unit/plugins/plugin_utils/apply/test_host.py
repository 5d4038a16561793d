# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.collab.firewall.plugins.plugin_utils.apply.host import (
    ApplyError,
    check_timing,
    keepalive_args,
    local_address_towards,
    refusal,
    render,
    resolve,
    with_management,
)
from ansible_collections.collab.firewall.tests.unit.plugins.plugin_utils.fixtures.render_samples import POLICY


@pytest.mark.parametrize("group", ["publisher", "subscriber", "imp", "unity", "cvp"])
def test_product_group_is_refused_unless_confirmed(group):
    task_vars = {"group_names": ["uc", group], "ansible_connection": "ssh"}
    why = refusal("cucm-pub-1", task_vars)
    assert why.startswith("cucm-pub-1: host_firewall_state=applied refused: the host is in the UC product group %s,"
                          % group)
    assert "host_firewall_state=rendered" in why and "playbooks/render.yml" in why
    assert "set host_firewall_linux_host_confirmed: true for it" in why
    assert refusal("cucm-pub-1", task_vars, confirmed=True) is None


def test_linux_host_outside_the_product_groups_is_accepted():
    assert refusal("sftp-1", {"group_names": ["uc_linux_hosts"], "ansible_facts": {"os_family": "Debian"}}) is None


@pytest.mark.parametrize("task_vars", [
    {"ansible_facts": {"os_family": "Windows"}},
    {"ansible_os_family": "Windows"},
    {"ansible_facts": {"system": "Win32NT"}},
    {"ansible_connection": "winrm"},
    {"ansible_connection": "psrp"},
    {"ansible_shell_type": "powershell"},
])
def test_windows_is_refused_even_when_confirmed(task_vars):
    why = refusal("cvp-1", dict(task_vars, group_names=["uc", "cvp"]), confirmed=True)
    assert why.startswith("cvp-1: host_firewall_state=applied refused: the host runs Windows (Unified CVP does)")
    assert "host_firewall_linux_host_confirmed" not in why


def test_timing():
    check_timing("n1", 120, 30)
    with pytest.raises(ApplyError) as err:
        check_timing("n1", 40, 30)
    assert str(err.value).startswith("n1: host_firewall_rollback_seconds: 40 must exceed host_firewall_confirm_timeout")
    with pytest.raises(ApplyError):
        check_timing("n1", 120, 0)


def test_with_management_adds_host_routes_and_keeps_the_input():
    pol = with_management(POLICY, ["198.18.1.1", None, "fd00::1"])
    assert pol["management"]["sources"][-2:] == ["198.18.1.1/32", "fd00::1/128"]
    assert POLICY["management"]["sources"] == ["192.0.2.0/24", "2001:db8:ff::/48"]
    assert with_management(POLICY, [None]) is POLICY
    with pytest.raises(ApplyError) as err:
        with_management({"rules": []}, ["198.18.1.1"])
    assert str(err.value).startswith("policy must be the result of collab.firewall.uc_host_policy")


def test_render_only_what_the_backend_needs():
    assert sorted(render(POLICY, ["nftables"])) == ["nftables"]
    every = render(POLICY, ["firewalld", "nftables", "iptables"], zone="z1", table="t1", staged_suffix="#x\n")
    assert every["firewalld"]["zone"] == "z1" and every["nftables"].endswith("#x\n")
    assert "table inet t1" in every["nftables"] and sorted(every["iptables"]) == ["ipv4", "ipv6"]


def test_keepalive_args_respect_what_the_operator_set():
    assert keepalive_args(["-C -o ControlMaster=auto -o ControlPersist=60s", "", ""]) == \
        "-o ServerAliveInterval=5 -o ServerAliveCountMax=3"
    assert keepalive_args(["-o serveraliveinterval=30", "", "-o ServerAliveCountMax=2"]) == ""
    assert keepalive_args(["", "-o ServerAliveInterval=10", None]) == "-o ServerAliveCountMax=3"


def test_addresses():
    assert resolve("127.0.0.1") == "127.0.0.1"
    assert local_address_towards("127.0.0.1") == "127.0.0.1"
    assert local_address_towards(None) is None
