# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Site entries (host_firewall_site_entries) through the three host renderers: the real tools accept the output
(nft -c, iptables-restore --test with and without ipsets, firewalld's readers and firewall-offline-cmd), every
deny comes before every UC permit, and a first-match reading of the rendered text decides every probe packet the
way the policy says (a site deny wins over a UC permit; management is never denied)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import os
import re
import subprocess

import netaddr
import pytest

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.plugins.plugin_utils.render.firewalld import render_firewalld
from ansible_collections.collab.firewall.plugins.plugin_utils.render.iptables import render_iptables, render_iptables_ipset
from ansible_collections.collab.firewall.plugins.plugin_utils.render.nftables import render_nftables
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import parse_port_item

from ansible_collections.collab.firewall.tests.unit.plugins.plugin_utils.fixtures.render_samples import (
    POLICY,
    need_tool,
    run_isolated,
)
from ansible_collections.collab.firewall.tests.unit.plugins.plugin_utils.render.test_firewalld import (
    FIXTURES,
    SYSTEM_PYTHON,
    need_firewalld_python,
    write_config,
)
from ansible_collections.collab.firewall.tests.unit.plugins.plugin_utils.render.test_iptables import load_in_netns

# many guest networks and more ports than one multiport match holds: the plain iptables renderer then jumps
# into a chain of their own
GUESTS = ["10.20.%d.0/24" % (2 * i) for i in range(1, 6)] + ["2001:db8:20:5::/64"]


def site(label, action, transport, sources, ports):
    return {"sources": sources, "transport": transport, "ports": ports, "catalog_ids": [], "action": action,
            "site": "host_firewall_site_entries[%d]" % label, "comment": "site %s: entry %d" % (action, label)}


SITE_POLICY = copy.deepcopy(POLICY)
# as host_policy builds it: denies first, then the UC rules, then the permits; the renderers keep denies first
# even when a policy lists them later (the last deny below)
SITE_POLICY["rules"] = (
    [site(0, "deny", "tcp", GUESTS, [2000, "5060-5061"] + list(range(3000, 3028, 2))), site(1, "deny", "udp", ["10.20.2.0/24"], ["16384-16500"])]
    + SITE_POLICY["rules"]
    + [site(2, "permit", "udp", ["10.40.0.0/16", "2001:db8:40::/48"], [161]),
       site(3, "permit", "icmp", ["10.60.0.0/16"], []),
       site(4, "deny", "icmp", ["10.40.7.0/24"], [])])


def expected(pol, fam, src, transport, port):
    """What the policy means for one new packet: management, then site denies, then any permit, else drop."""
    def covers(rule):
        nets = [netaddr.IPNetwork(s) for s in rule["sources"] if netaddr.IPNetwork(s).version == fam]
        if rule["transport"] != transport or not any(src in n for n in nets):
            return False
        return not rule["ports"] or any(lo <= port <= hi for lo, hi in (parse_port_item(p) for p in rule["ports"]))
    if covers(pol["management"]):
        return "accept"
    if any(covers(r) for r in pol["rules"] if r.get("action") == "deny"):
        return "drop"
    return "accept" if any(covers(r) for r in pol["rules"] if r.get("action", "permit") == "permit") else "drop"


def probes(pol):
    """(family, address, transport, port): an address in and next to every source network, every port edge."""
    out = set()
    for rule in [pol["management"]] + pol["rules"]:
        ports = [0]
        for p in rule["ports"]:
            lo, hi = parse_port_item(p)
            ports += [lo - 1, lo, hi, hi + 1]
        for cidr in rule["sources"]:
            net = netaddr.IPNetwork(cidr)
            for address in (net.first, net.last, net.first - 1):
                for transport in ("tcp", "udp", "icmp"):
                    for port in (ports if transport != "icmp" else [0]):
                        out.add((net.version, netaddr.IPAddress(address, net.version), transport, port))
    return sorted(out)


# ---- first-match readings of the rendered text ------------------------------------------------------------
def _port_match(text, port):
    if text is None:
        return True
    items = text.strip("{} ").replace(" ", "").replace(":", "-").split(",")
    return any(int(a) <= port <= int(b) for a, b in ((item.split("-") * 2)[:2] for item in items))


def nft_verdict(text, fam, src, transport, port):
    sets = dict((name, netaddr.IPSet(e.strip() for e in elements.split(",")))
                for name, elements in re.findall(r"set (\w+) \{[^}]*?elements = \{ ([^}]*) \}", text))
    for line in text.splitlines():
        m = re.match(r"\s*(ip6?) saddr @(\w+) (?:meta l4proto (\S+)|(tcp|udp) dport (\{ [^}]* \}|\S+)) (accept|drop) ",
                     line)
        if not m:
            continue
        kw, name, proto, ported, ports, verdict = m.groups()
        proto = {"ipv6-icmp": "icmp"}.get(proto, proto) or ported
        if (6 if kw == "ip6" else 4) == fam and src in sets[name] and proto == transport and _port_match(ports, port):
            return verdict
    return "drop"  # policy drop


def iptables_verdict(text, src, transport, port, ipsets=""):
    sets = {}
    for name, cidr in re.findall(r"^add (\S+)-n (\S+)$", ipsets, re.M):
        sets.setdefault(name, netaddr.IPSet()).add(cidr)
    chains = {}
    for line in text.splitlines():
        if line.startswith("-A ") and not any(b in line for b in ("--ctstate", " -i lo ", "--icmpv6-type")):
            chains.setdefault(line.split()[1], []).append(line)

    def walk(chain):
        for line in chains.get(chain, []):
            source = re.search(r"-s (\S+)", line)
            match_set = re.search(r"--match-set (\S+) src", line)
            if source and src not in netaddr.IPNetwork(source.group(1)):
                continue
            if match_set and src not in sets[match_set.group(1)]:
                continue
            proto = re.search(r"-p (\S+)", line)
            proto = "ah" if " -m ah " in line else proto.group(1) if proto else None  # ip6tables: AH is a header
            if proto and {"ipv6-icmp": "icmp"}.get(proto, proto) != transport:
                continue
            ports = re.search(r"--dports? (\S+)", line)
            if not _port_match(ports.group(1) if ports else None, port):
                continue
            target = line.rsplit("-j ", 1)[1]
            if target in ("ACCEPT", "DROP"):
                return target.lower()
            verdict = walk(target)
            if verdict:
                return verdict
        return None
    return walk("INPUT") or "drop"


def test_every_backend_decides_every_probe_like_the_policy():
    nft = render_nftables(SITE_POLICY)
    plain, sets = render_iptables(SITE_POLICY), render_iptables_ipset(SITE_POLICY)
    assert ":DENY4-" in plain["ipv4"]  # the guest networks go through a chain of their own
    checked = {"accept": 0, "drop": 0}
    for fam, src, transport, port in probes(SITE_POLICY):
        want = expected(SITE_POLICY, fam, src, transport, port)
        key = "ipv4" if fam == 4 else "ipv6"
        got = (nft_verdict(nft, fam, src, transport, port), iptables_verdict(plain[key], src, transport, port),
               iptables_verdict(sets[key], src, transport, port, sets["ipsets"]))
        assert got == (want,) * 3, (fam, str(src), transport, port, want, got)
        checked[want] += 1
    # the denies really take something away from the UC permits
    assert expected(SITE_POLICY, 4, netaddr.IPAddress("10.20.2.1"), "tcp", 2000) == "drop"
    assert expected(SITE_POLICY, 4, netaddr.IPAddress("10.20.3.1"), "tcp", 2000) == "accept"
    assert expected(SITE_POLICY, 4, netaddr.IPAddress("10.40.7.1"), "icmp", 0) == "drop"
    assert checked["accept"] > 50 and checked["drop"] > 50


def test_denies_come_before_every_uc_rule_on_every_backend():
    nft = [line.strip() for line in render_nftables(SITE_POLICY).splitlines() if " saddr @" in line]
    assert [("drop" in line.split(" comment ")[0]) for line in nft] == \
        [False, False] + [True] * 4 + [False] * (len(nft) - 6)  # management (v4, v6), then the drops
    for text in list(render_iptables(SITE_POLICY).values()) + [render_iptables_ipset(SITE_POLICY)["ipv4"]]:
        rules = [line for line in text.splitlines() if line.startswith("-A INPUT") and "default deny" not in line]
        drops = [i for i, line in enumerate(rules) if "site_entries" in line and ("DENY" in line or "-j DROP" in line)]
        accepts = [i for i, line in enumerate(rules) if line.endswith("-j ACCEPT") and "site deny" not in line
                   and ("--comment \"management" not in line and "established" not in line and "loopback" not in line
                        and "neighbour" not in line)]
        assert drops and max(drops) < min(accepts), text
    zone = render_firewalld(SITE_POLICY)["zone_xml"]
    assert zone.count("<drop/>") == 2 * 16 + 2 and 'protocol value="icmp"/><drop/>' in zone
    assert "<!-- host_firewall_site_entries[0]: site deny: entry 0 -->" in zone


def test_real_tools_accept_the_site_rules(tmp_path):
    nft = render_nftables(SITE_POLICY)
    result = run_isolated(["nft", "-c", "-f", "-"], nft)
    assert result.returncode == 0, result.stderr
    assert 'drop comment "host_firewall_site_entries[0]: site deny: entry 0"' in nft
    for key, tool in (("ipv4", "iptables-restore"), ("ipv6", "ip6tables-restore")):
        result = run_isolated([tool, "--test"], render_iptables(SITE_POLICY)[key])
        assert result.returncode == 0, result.stderr
    out = render_iptables_ipset(SITE_POLICY)
    loaded = load_in_netns(("ipset restore", out["ipsets"]), ("iptables-restore --test", out["ipv4"]),
                           ("ip6tables-restore --test", out["ipv6"]))
    assert loaded.returncode == 0, loaded.stderr
    need_firewalld_python()
    fw = render_firewalld(SITE_POLICY, zone="collab-uc")
    root = write_config(tmp_path, fw)
    result = subprocess.run([SYSTEM_PYTHON, os.path.join(FIXTURES, "firewalld_check.py"), str(root), fw["zone"]],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    (root / "firewalld.conf").write_text("DefaultZone=public\n")
    result = subprocess.run([need_tool("firewall-offline-cmd"), "--system-config", str(root),
                             "--default-config", "/usr/lib/firewalld", "--check-config"],
                            capture_output=True, text=True, timeout=120, cwd=str(tmp_path), check=False)
    assert result.returncode == 0 and not re.search("WARNING|ERROR", result.stdout + result.stderr), \
        result.stdout + result.stderr


@pytest.mark.parametrize("rule, message", [
    (site(0, "deny", "tcp", ["192.0.2.128/25"], ["20-23"]),
     "rule host_firewall_site_entries[0] drops 192.0.2.128/25, which the management sources hold: SSH would be cut"),
    (site(0, "deny", "tcp", ["::/0"], [22]), "drops 2001:db8:ff::/48"),
    (dict(site(0, "deny", "tcp", ["10.9.0.0/16"], [22]), action="reject"), "invalid action 'reject'"),
    (dict(POLICY["rules"][0], action="deny"),
     "invalid action 'deny' in rule cucm-6-01-tcp, cucm-6-04-tcp (want permit, or deny on a site rule)"),
    (dict(site(0, "permit", "tcp", ["10.9.0.0/16"], [22]), catalog_ids=["x-1"]), "a site rule names its entry in site"),
])
def test_renderers_refuse_a_deny_of_management_and_odd_site_rules(rule, message):
    """The backstop behind host_policy's check: the controller's own address is added to management when
    applying, after the entries were validated."""
    pol = copy.deepcopy(POLICY)
    pol["rules"].append(rule)
    for render in (render_nftables, render_iptables, render_iptables_ipset, render_firewalld):
        with pytest.raises(PolicyError) as err:
            render(pol)
        assert message in str(err.value)
