# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.plugins.plugin_utils.render.firewalld import render_firewalld

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures")
from ansible_collections.collab.firewall.tests.unit.plugins.plugin_utils.fixtures.render_samples import POLICY, big_policy, need_tool, policy

SYSTEM_PYTHON = "/usr/bin/python3"


def write_config(tmp_path, out):
    (tmp_path / "zones").mkdir()
    (tmp_path / "ipsets").mkdir()
    (tmp_path / "zones" / (out["zone"] + ".xml")).write_text(out["zone_xml"])
    for name, xml in out["ipsets"].items():
        (tmp_path / "ipsets" / (name + ".xml")).write_text(xml)
    return tmp_path


def need_firewalld_python():
    need_tool("firewall-offline-cmd")  # same package as the python module: fails under CI, skips locally
    if subprocess.run([SYSTEM_PYTHON, "-c", "import firewall.core.io.zone"], capture_output=True, check=False).returncode:
        pytest.fail("firewalld installed but %s cannot import firewall" % SYSTEM_PYTHON)


@pytest.mark.parametrize("pol", [POLICY, big_policy()], ids=["sample", "big"])
def test_firewalld_readers_accept(tmp_path, pol):
    """firewalld's own zone/ipset readers load the files; their warnings (bad port, entry...) are fatal."""
    need_firewalld_python()
    out = render_firewalld(pol, zone="collab-uc")
    root = write_config(tmp_path, out)
    result = subprocess.run([SYSTEM_PYTHON, os.path.join(FIXTURES, "firewalld_check.py"), str(root), out["zone"]],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK target=DROP") and "sources=0" in result.stdout


def test_firewalld_readers_catch_errors(tmp_path):
    """The checker is not a rubber stamp: a wrong port and a wrong ipset family are reported."""
    need_firewalld_python()
    out = render_firewalld(POLICY)
    out["zone_xml"] = out["zone_xml"].replace('port="22"', 'port="99999"', 1)
    result = subprocess.run([SYSTEM_PYTHON, os.path.join(FIXTURES, "firewalld_check.py"),
                             str(write_config(tmp_path, out)), out["zone"]], capture_output=True, text=True, check=False)
    assert result.returncode != 0 and "INVALID_PORT" in result.stdout + result.stderr


def test_firewall_offline_cmd_check_config(tmp_path):
    """firewall-offline-cmd --check-config against a temp dir: /etc/firewalld is never read or written."""
    need_tool("firewall-offline-cmd")
    root = write_config(tmp_path, render_firewalld(POLICY))
    (root / "firewalld.conf").write_text("DefaultZone=public\n")
    result = subprocess.run([need_tool("firewall-offline-cmd"), "--system-config", str(root),
                             "--default-config", "/usr/lib/firewalld", "--check-config"],
                            capture_output=True, text=True, timeout=120, cwd=str(tmp_path), check=False)
    assert result.returncode == 0 and not re.search("WARNING|ERROR", result.stdout + result.stderr), \
        result.stdout + result.stderr


def test_rule_equal_to_an_earlier_one_is_written_once(tmp_path):
    """A flow with the management sources and port (SSH from the admin zone) would repeat the management rich
    rule, and firewalld rejects a zone holding one rule twice; the first stays, nothing else is lost."""
    pol = policy(sources=["192.0.2.0/24", "2001:db8:ff::/48"], ports=[22, 8443], catalog_ids=["imp-4-03-tcp"])
    out = render_firewalld(pol)
    rules = re.findall(r"<rule .*?</rule>", out["zone_xml"])
    assert len(rules) == len(set(rules))
    assert sum('port="22"' in r for r in rules) == 2 and sum('port="8443"' in r for r in rules) == 2
    assert "imp-4-03-tcp" in out["zone_xml"]
    need_firewalld_python()
    result = subprocess.run([SYSTEM_PYTHON, os.path.join(FIXTURES, "firewalld_check.py"),
                             str(write_config(tmp_path, out)), out["zone"]], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zone_structure():
    out = render_firewalld(POLICY, zone="uc-zone")
    zone = ET.fromstring(out["zone_xml"].encode("utf-8"))
    assert out["zone"] == "uc-zone" and zone.get("target") == "DROP"
    assert zone.find("short").text == "uc-zone" and "cucm-pub-1" in zone.find("description").text
    assert zone.find("source") is None  # lockout guard: never bound to a source range
    assert zone.find("icmp-block-inversion") is None
    rules = zone.findall("rule")
    assert [(r.get("family"), r.find("port").get("port")) for r in rules[:2]] == [("ipv4", "22"), ("ipv6", "22")]
    for rule in rules:  # every rule takes its sources from an ipset of the same family
        name = rule.find("source").get("ipset")
        ipset = ET.fromstring(out["ipsets"][name].encode("utf-8"))
        family = ipset.find("option[@name='family']").get("value")
        assert (rule.get("family"), family) in (("ipv4", "inet"), ("ipv6", "inet6"))
        assert ipset.get("type") == "hash:net" and len(name) <= 31
    assert "<!-- cucm-6-01-tcp cucm-6-04-tcp: phone: sccp, sip -->" in out["zone_xml"]
    assert "No <source> elements on purpose" in out["zone_xml"]


def test_protocols_and_ports():
    xml = render_firewalld(POLICY)["zone_xml"]
    assert re.search(r'<rule family="ipv4"><source ipset="collab-uc-4-\w+"/><port port="5060-5061" '
                     r'protocol="tcp"/><accept/></rule>', xml)
    assert re.search(r'family="ipv4">.*<protocol value="icmp"/>', xml)
    assert re.search(r'family="ipv6">.*<protocol value="ipv6-icmp"/>', xml)
    for proto in ("esp", "ah", "gre"):
        assert '<protocol value="%s"/>' % proto in xml
    assert '<protocol value="tcp"/>' not in xml  # tcp and udp rules always match their ports


def test_one_ipset_per_source_list_and_family():
    out = render_firewalld(big_policy(n_sources=200))
    assert len(out["ipsets"]) == 4  # management v4/v6 + the big list v4/v6, however many sources
    assert render_firewalld(POLICY) == render_firewalld(POLICY)


@pytest.mark.parametrize("zone", ["", "x" * 18, "a/b", "a b", None])
def test_invalid_zone(zone):
    with pytest.raises(PolicyError) as err:
        render_firewalld(POLICY, zone=zone)
    assert "invalid firewalld zone name %r" % (zone,) in str(err.value)


def test_invalid_rule():
    with pytest.raises(PolicyError) as err:
        render_firewalld(policy(transport="gre", ports=["1-2"]))
    assert "ports ['1-2'] given for transport 'gre' in rule x-1-tcp" in str(err.value)
