# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Host firewall site entries with real packets, in one netns environment (h1 plain, h2 running firewalld).

The node is a Unified CM publisher that admits SCCP (tcp 2000) from the phone zone 198.19.0.0/16. Its site
entries: the group's (SNMP from the NMS zone, a zone name) and the node's own (a deny of the phone signalling
from the guest network, which lies inside the phone zone). Packets from the NMS, the guest network and an
ordinary phone, over IPv4 and IPv6, on nftables, iptables (plain and with ipsets) and firewalld loaded from the
public filters, and then through the host_firewall role (applied, nftables on h1 and firewalld on h2, where only
h1 has the deny). Run under `flock /tmp/cfw-netns.lock`."""
from __future__ import absolute_import, division, print_function

import json
import os
import subprocess
import tempfile

import pytest

import netns_hosts as nh
import probe

from ansible_collections.collab.firewall.plugins.filter.to_firewalld import to_firewalld
from ansible_collections.collab.firewall.plugins.filter.to_iptables import to_iptables
from ansible_collections.collab.firewall.plugins.filter.to_nftables import to_nftables
from ansible_collections.collab.firewall.plugins.filter.uc_flows import uc_flows
from ansible_collections.collab.firewall.plugins.filter.uc_host_policy import uc_host_policy
from ansible_collections.collab.firewall.plugins.plugin_utils.render.iptables import render_iptables_ipset

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOK = os.path.join(os.path.dirname(os.sys.executable), "ansible-playbook")
SOURCES = {"nms": ["198.19.20.10/24", "fd00:19:20::10/64"], "guest": ["198.19.30.10/24", "fd00:19:30::10/64"],
           "phone": ["198.19.40.10/24", "fd00:19:40::10/64"]}
ZONES = {"phone": ["198.19.0.0/16", "fd00:19::/32"], "snmp_manager": ["198.19.20.0/24", "fd00:19:20::/64"],
         "admin_workstation": ["198.19.99.0/24"]}
GROUP_ENTRIES = [{"action": "permit", "protocol": "udp", "source": "snmp_manager", "ports": [161],
                  "remark": "SNMP polling from the NMS"}]
HOST_ENTRIES = [{"action": "deny", "protocol": "tcp",
                 "source": ["198.19.30.0/24", "198.19.32.0/24", "fd00:19:30::/64", "fd00:19:32::/64"],
                 "ports": [2000], "remark": "guest network: no phone signalling"}]
# (source, family, transport, port, outcome with the node's entries)
CHECKS = [("nms", 4, "udp", 161, "open"), ("nms", 6, "udp", 161, "open"),
          ("guest", 4, "tcp", 2000, "blocked"), ("guest", 6, "tcp", 2000, "blocked"),
          ("phone", 4, "tcp", 2000, "open"), ("phone", 6, "tcp", 2000, "open"),
          ("phone", 4, "udp", 161, "blocked"), ("guest", 4, "udp", 161, "blocked")]


def outcomes(env, host, checks=None):
    return [probe.probe(env.name, src, host, transport, port, family=family)
            for src, family, transport, port, _want in (checks or CHECKS)]


@pytest.fixture(scope="module")
def lab(netns_env_factory):
    env = netns_env_factory("site", 2, firewalld=[2])
    for label, addresses in sorted(SOURCES.items()):
        env.add_source(addresses, label)
    host = env.host(1)
    hostvars = {"node": {"ansible_host": host["ipv4"], "uc_address6": host["ipv6"], "uc_cluster": "lab",
                         "uc_cucm_services": ["callmanager"], "uc_zones": dict(ZONES, admin_workstation=[
                             env.controller_ipv4 + "/32"]), "uc_features": []}}
    deployment = uc_flows(hostvars, {"publisher": ["node"], "uc": ["node"]})
    return env, deployment


def load_nftables(env, text):
    nh.host_exec(env.host(1), ["nft", "flush", "ruleset"])
    nh.host_exec(env.host(1), ["nft", "-f", "-"], input=text)


def in_node(env, script, *texts):
    """A shell script in h1's network namespace with this machine's ipset and iptables; $1.. are the texts."""
    paths = []
    try:
        for text in texts:
            with tempfile.NamedTemporaryFile("w", delete=False, suffix=".txt") as handle:
                handle.write(text)
            paths.append(handle.name)
        return nh.ns_exec(env.host(1)["netns"], ["sh", "-ec", script, "node"] + paths, check=True, timeout=60)
    finally:
        for path in paths:
            os.unlink(path)


def load_firewalld(env, rendered):
    host = env.host(2)
    nh.host_exec(host, ["sh", "-c", "rm -f /etc/firewalld/ipsets/*.xml /etc/firewalld/zones/collab-uc.xml"])
    files = [("/etc/firewalld/ipsets/%s.xml" % name, xml) for name, xml in sorted(rendered["ipsets"].items())]
    files.append(("/etc/firewalld/zones/collab-uc.xml", rendered["zone_xml"]))
    for path, text in files:
        nh.host_exec(host, ["sh", "-c", 'cat > "$1"', "sh", path], input=text)
    nh.host_exec(host, ["firewall-cmd", "--reload"], timeout=120)
    assert "collab-uc" in nh.host_exec(host, ["firewall-cmd", "--get-zone-of-interface=eth0"]).stdout


def test_site_entries_decide_real_packets_on_every_backend(lab):
    env, deployment = lab
    plain = uc_host_policy(deployment, "node")
    # the guest network is inside the phone zone: without the deny it reaches SCCP, the NMS gets no SNMP
    assert any(r["transport"] == "tcp" and 2000 in r["ports"] and "198.19.0.0/16" in r["sources"] for r in plain["rules"])
    load_nftables(env, to_nftables(plain))
    assert outcomes(env, "h1", [("guest", 4, "tcp", 2000, ""), ("nms", 4, "udp", 161, "")]) == ["open", "blocked"]

    policy = uc_host_policy(deployment, "node", site_entries=HOST_ENTRIES, group_site_entries=GROUP_ENTRIES)
    assert [r.get("site") for r in policy["rules"]][0] == "host_firewall_site_entries[0]"
    want = [c[-1] for c in CHECKS]
    got = {}
    load_nftables(env, to_nftables(policy))
    got["nftables"] = outcomes(env, "h1")
    plain_iptables = to_iptables(policy)
    in_node(env, 'nft flush ruleset; iptables-restore < "$1"; ip6tables-restore < "$2"',
            plain_iptables["ipv4"], plain_iptables["ipv6"])
    got["iptables"] = outcomes(env, "h1")
    with_sets = render_iptables_ipset(policy)
    in_node(env, 'nft flush ruleset; ipset restore < "$1"; iptables-restore < "$2"; ip6tables-restore < "$3"',
            with_sets["ipsets"], with_sets["ipv4"], with_sets["ipv6"])
    assert with_sets["ipv4"].count("--match-set") == with_sets["ipv6"].count("--match-set") == 1  # the guest networks
    got["iptables with ipsets"] = outcomes(env, "h1")
    in_node(env, "nft flush ruleset; ipset destroy")
    load_firewalld(env, to_firewalld(policy, zone="collab-uc", interfaces=["eth0"]))
    got["firewalld"] = outcomes(env, "h2")
    assert got == dict((backend, want) for backend in got), json.dumps(got)


OVERLAY = """
all:
  children:
    uc:
      children:
        publisher:
          hosts:
            {h1}: {{uc_address6: "{h1_6}", uc_cluster: lab, uc_cucm_services: [callmanager],
                   host_firewall_backend: nftables, host_firewall_site_entries: {host_entries}}}
            {h2}: {{uc_address6: "{h2_6}", uc_cluster: lab2, uc_cucm_services: [callmanager],
                   host_firewall_backend: firewalld}}
          vars:
            host_firewall_group_site_entries: {group_entries}
  vars:
    uc_zones: {zones}
    uc_features: []
    host_firewall_linux_host_confirmed: true
    host_firewall_rollback_seconds: 40
    host_firewall_confirm_timeout: 15
"""


def test_the_role_applies_group_and_host_entries(lab, tmp_path):
    env, _deployment = lab
    h1, h2 = env.host(1), env.host(2)
    nh.host_exec(h1, ["nft", "flush", "ruleset"])
    overlay = tmp_path / "uc.yml"
    overlay.write_text(OVERLAY.format(h1=h1["id"], h2=h2["id"], h1_6=h1["ipv6"], h2_6=h2["ipv6"],
                                      host_entries=json.dumps(HOST_ENTRIES), group_entries=json.dumps(GROUP_ENTRIES),
                                      zones=json.dumps(ZONES)))
    result = subprocess.run([PLAYBOOK, "-i", env.inventory, "-i", str(overlay),
                             os.path.join(ROOT, "playbooks", "host_firewall.yml"), "-e", "host_firewall_hosts=uc"],
                            capture_output=True, text=True, timeout=600, cwd=ROOT, check=False,
                            env=dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1"))
    assert result.returncode == 0, result.stdout[-4000:]
    table = nh.host_exec(h1, ["nft", "list", "table", "inet", "collab_uc"]).stdout
    assert 'drop comment "host_firewall_site_entries[0]: site deny: guest network: no phone signalling"' in table
    assert outcomes(env, "h1") == [c[-1] for c in CHECKS]
    # h2 has the group's entry only: SNMP from the NMS, and the guest network still reaches SCCP
    assert outcomes(env, "h2", [("nms", 4, "udp", 161, ""), ("guest", 4, "tcp", 2000, ""),
                                ("guest", 6, "tcp", 2000, "")]) == ["open", "open", "open"]
