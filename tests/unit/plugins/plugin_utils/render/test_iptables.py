# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import subprocess
import tempfile

import netaddr
import pytest
from hypothesis import given, settings

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError
from ansible_collections.collab.firewall.plugins.plugin_utils.render.iptables import (
    multiport_chunks,
    render_iptables,
    render_iptables_ipset,
)

from ansible_collections.collab.firewall.tests.unit.plugins.plugin_utils.fixtures.render_samples import (
    POLICY,
    assert_same_permits,
    big_policy,
    expected_permits,
    need_tool,
    policies,
    policy,
    run_isolated,
)

BASE = ("--ctstate", " -i lo ", "--icmpv6-type", "default deny")


def parse(text, fam):
    """Back from iptables-restore text to expected_permits-like entries (base rules left out)."""
    jumps, chain_rules = {}, {}
    for line in text.splitlines():
        if not line.startswith("-A ") or any(b in line for b in BASE):
            continue
        chain = line.split()[1]
        src = re.search(r"-s (\S+)", line)
        target = line.rsplit("-j ", 1)[1]
        if target != "ACCEPT":
            jumps.setdefault(target, []).append(src.group(1))
            continue
        proto = "ah" if "-m ah" in line else re.search(r"-p (\S+)", line).group(1)
        proto = "icmp" if proto == "ipv6-icmp" else proto
        ports = re.search(r"--dports? (\S+)", line)
        ranges = None
        if ports:
            ranges = [tuple(int(x) for x in (p.split(":") * 2)[:2]) for p in ports.group(1).split(",")]
        chain_rules.setdefault(chain, []).append(([src.group(1)] if src else None, proto, ranges))
    out = []
    for chain, rules in chain_rules.items():
        for srcs, proto, ranges in rules:
            srcs = srcs or jumps[chain]  # port rules in a per-source chain inherit the jump's sources
            out.append((fam, netaddr.IPSet(srcs), proto, ranges))
    return out


def input_rules(text):
    return [line for line in text.splitlines() if line.startswith("-A INPUT")]


@pytest.mark.parametrize("pol", [POLICY, big_policy()], ids=["sample", "big"])
@pytest.mark.parametrize("fam,tool", [("ipv4", "iptables-restore"), ("ipv6", "ip6tables-restore")])
def test_real_restore_accepts(pol, fam, tool):
    result = run_isolated([tool, "--test"], render_iptables(pol)[fam])
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("fam", ["ipv4", "ipv6"])
def test_order_and_default_deny(fam):
    text = render_iptables(POLICY)[fam]
    rules = input_rules(text)
    assert ":INPUT DROP [0:0]" in text
    assert "--dport 22" in rules[0] and "management" in rules[0]
    assert "--ctstate RELATED,ESTABLISHED" in rules[1] and "-i lo" in rules[2]
    assert rules[-1] == '-A INPUT -m comment --comment "default deny (collab.firewall)" -j DROP'
    assert all("-m comment --comment" in line for line in rules)


def test_families_split_and_protocols():
    out = render_iptables(POLICY)
    assert ":" not in "".join(re.findall(r"-s (\S+)", out["ipv4"]))
    assert "." not in "".join(re.findall(r"-s (\S+)", out["ipv6"]))
    assert "-s 10.40.0.0/16 -p icmp " in out["ipv4"] and "-s 2001:db8:40::/48 -p ipv6-icmp " in out["ipv6"]
    assert "-p ah " in out["ipv4"] and "-m ah " in out["ipv6"]  # "-p ah" never matches in ip6tables
    assert "-p gre" in out["ipv4"] and "gre" not in out["ipv6"]


def test_deterministic_and_comment_has_ids():
    assert render_iptables(POLICY) == render_iptables(POLICY)
    assert '--comment "cucm-6-01-tcp cucm-6-04-tcp: phone: sccp, sip"' in render_iptables(POLICY)["ipv4"]


@pytest.mark.parametrize("ports,rules", [
    # non-adjacent ports: the renderer merges 5000 and 5001 into 5000-5001
    ([5000], 1), (list(range(5000, 5030, 2)), 1), (list(range(5000, 5032, 2)), 2), (list(range(5000, 5062, 2)), 3),
    (["%d-%d" % (p, p + 1) for p in range(5000, 5070, 10)] + [6000], 1),  # 7 ranges + 1 = 15 slots
    (["%d-%d" % (p, p + 1) for p in range(5000, 5080, 10)], 2),  # 8 ranges = 16 slots
    (["%d-%d" % (p, p + 1) for p in range(5000, 5150, 10)] + [6000], 3),  # 31 slots
])
def test_multiport_split(ports, rules):
    text = render_iptables(policy(sources=["10.9.0.0/16"], ports=ports))["ipv4"]
    lines = [line for line in input_rules(text) if "x-1-tcp" in line]
    assert len(lines) == rules
    seen = []
    for line in lines:
        items = re.search(r"--dports? (\S+)", line).group(1).split(",")
        assert sum(2 if ":" in i else 1 for i in items) <= 15
        seen += items
    assert seen == [str(p).replace("-", ":") for p in ports]
    assert run_isolated(["iptables-restore", "--test"], text).returncode == 0


def test_chunks_count_ranges_as_two():
    assert multiport_chunks([(1, 1)] * 15) == [[(1, 1)] * 15]
    assert [len(c) for c in multiport_chunks([(1, 2)] * 8)] == [7, 1]


def test_many_sources_use_one_chain_per_source_list():
    text = render_iptables(big_policy(n_sources=60, n_ports=40))["ipv4"]
    chains = re.findall(r"^:(UC4-\w+) ", text, re.M)
    assert len(chains) == 1
    jumps = [line for line in input_rules(text) if line.endswith("-j " + chains[0])]
    assert len(jumps) == 60  # one jump per source ...
    port_rules = [line for line in text.splitlines() if line.startswith("-A " + chains[0])]
    assert len(port_rules) == 2 * 4 + 1  # ... and the port rules once: 58 slots -> 4 per transport, + icmp


def test_long_comment_truncated_keeps_ids():
    ids = ["very-long-catalog-id-%03d" % i for i in range(20)]
    text = render_iptables(policy(catalog_ids=ids, comment="ü" * 300))["ipv4"]
    comment = re.search(r'--comment "(very-long[^"]*)"', text).group(1)
    assert len(comment.encode("utf-8")) <= 255 and comment.startswith(ids[0] + " " + ids[1])
    assert run_isolated(["iptables-restore", "--test"], text).returncode == 0


def test_comment_cannot_break_quoting():
    text = render_iptables(policy(comment='evil" -j DROP\n-A INPUT \\'))["ipv4"]
    assert 'evil\' -j DROP -A INPUT /"' in text
    assert run_isolated(["iptables-restore", "--test"], text).returncode == 0


@settings(max_examples=60, deadline=None)
@given(policies())
def test_permits_exactly_the_policy(pol):
    out = render_iptables(pol)
    actual = parse(out["ipv4"], 4) + parse(out["ipv6"], 6)
    assert_same_permits(expected_permits(pol), actual)


BAD = [
    (dict(sources=["10.0.0.300/24"]), "invalid source '10.0.0.300/24' in rule x-1-tcp"),
    (dict(sources=["10.1.1.5/8"]), "source '10.1.1.5/8' has host bits set in rule x-1-tcp"),
    (dict(sources=["10"]), "invalid source '10' in rule x-1-tcp"),
    (dict(sources=[10]), "invalid source 10 in rule x-1-tcp"),
    (dict(sources=[]), "sources must be a non-empty list, got [] in rule x-1-tcp"),
    (dict(transport="sctp"), "invalid transport 'sctp' in rule x-1-tcp"),
    (dict(ports=[70000]), "invalid port 70000 in rule x-1-tcp"),
    (dict(ports=["5061-5060"]), "invalid port '5061-5060' in rule x-1-tcp"),
    (dict(ports=["22x"]), "invalid port '22x' in rule x-1-tcp"),
    (dict(ports=[True]), "invalid port True in rule x-1-tcp"),
    (dict(ports=[-1]), "invalid port -1 in rule x-1-tcp"),
    (dict(transport="icmp", ports=[8]), "ports [8] given for transport 'icmp' in rule x-1-tcp"),
    (dict(transport="esp", ports=[1]), "ports [1] given for transport 'esp' in rule x-1-tcp"),
    (dict(catalog_ids=[]), "rule needs non-empty catalog_ids, got []"),
]


@pytest.mark.parametrize("rule,message", BAD)
def test_invalid_rules(rule, message):
    with pytest.raises(PolicyError) as err:
        render_iptables(policy(**rule))
    assert message in str(err.value)


@pytest.mark.parametrize("pol,message", [
    ({"rules": []}, "policy needs management with non-empty sources, got None"),
    ({"management": {"sources": [], "transport": "tcp", "ports": [22]}, "rules": []}, "non-empty sources"),
    ({"management": {"sources": ["bad"], "transport": "tcp", "ports": [22]}}, "invalid source 'bad' in rule management"),
    (["not", "a", "dict"], "policy must be a mapping, got ['not', 'a', 'dict']"),
])
def test_invalid_policies(pol, message):
    with pytest.raises(PolicyError) as err:
        render_iptables(pol)
    assert message in str(err.value)


# ---- iptables with ipsets ---------------------------------------------------------------------------------
def load_in_netns(*steps):
    """Run shell steps (each with its stdin text) in one fresh network namespace; ipsets are per namespace."""
    script, files = [], []
    for index, (command, text) in enumerate(steps):
        files.append(text)
        script.append('%s < "$%d"' % (command, index + 1))
    paths = []
    try:
        for text in files:
            handle = tempfile.NamedTemporaryFile("w", delete=False, suffix=".txt")
            handle.write(text)
            handle.close()
            paths.append(handle.name)
        return subprocess.run([need_tool("unshare"), "-n", "sh", "-ec", " && ".join(script) + " && ipset list -n",
                               "load"] + paths, capture_output=True, text=True, timeout=120, check=False)
    finally:
        for path in paths:
            os.unlink(path)


def activate(out):
    return [("ipset restore", out["ipsets"]), ("iptables-restore", out["ipv4"]), ("ip6tables-restore", out["ipv6"])]


@pytest.mark.parametrize("pol", [POLICY, big_policy()], ids=["sample", "big"])
def test_ipset_variant_loads_with_the_real_tools(pol):
    out = render_iptables_ipset(pol)
    checked = load_in_netns(("ipset restore", out["ipsets"]), ("iptables-restore --test", out["ipv4"]),
                            ("ip6tables-restore --test", out["ipv6"]))
    assert checked.returncode == 0, checked.stderr
    assert sorted(checked.stdout.split()) == out["sets"]  # the temporary twins are gone
    # loading the same files twice (a re-run) swaps each set with an identical one and still loads
    twice = load_in_netns(*(activate(out) + activate(out)))
    assert twice.returncode == 0, twice.stderr


def test_ipset_rules_need_their_sets_and_a_broken_file_changes_nothing():
    out = render_iptables_ipset(big_policy())
    missing = load_in_netns(("iptables-restore --test", out["ipv4"]))
    assert missing.returncode != 0 and "cfw4-" in missing.stderr
    broken = load_in_netns(("ipset restore", out["ipsets"].replace("add cfw4-", "add cfw4-x", 1)))
    assert broken.returncode != 0


def test_ipset_rule_count_is_flat_in_the_number_of_source_networks():
    counts = []
    for n_sources in (10, 100, 1000):
        out = render_iptables_ipset(big_policy(n_sources=n_sources))
        counts.append(len(input_rules(out["ipv4"])) + len(input_rules(out["ipv6"])))
        assert out["ipsets"].count("\nadd cfw4-") == n_sources
    assert counts[0] == counts[1] == counts[2]
    plain = [len(input_rules(render_iptables(big_policy(n_sources=n))["ipv4"])) for n in (10, 100)]
    assert plain[1] > plain[0]


def parse_sets(text):
    members = {}
    for line in text.splitlines():
        words = line.split()
        if words[:1] == ["add"]:
            members.setdefault(words[1][:-2] if words[1].endswith("-n") else words[1], []).append(words[2])
    return members


def parse_ipset_rules(out, fam):
    members = parse_sets(out["ipsets"])
    text = re.sub(r"-m set --match-set (\S+) src",
                  lambda m: " ".join("-s %s" % c for c in members[m.group(1)][:1]) + " SET=" + m.group(1),
                  out["ipv4" if fam == 4 else "ipv6"])
    entries = []
    for (family, sources, proto, ranges), line in zip(parse(text, fam), [
            line for line in text.splitlines() if line.startswith("-A ") and not any(b in line for b in BASE)]):
        name = re.search(r"SET=(\S+)", line)
        if name:
            sources = netaddr.IPSet(members[name.group(1)])
        entries.append((family, sources, proto, ranges))
    return entries


@settings(max_examples=40, deadline=None)
@given(policies())
def test_ipset_variant_permits_what_the_policy_says(pol):
    out = render_iptables_ipset(pol)
    assert_same_permits(expected_permits(pol), parse_ipset_rules(out, 4) + parse_ipset_rules(out, 6))


def test_ipset_names_fit_the_kernel_and_follow_the_content():
    out = render_iptables_ipset(big_policy(), prefix="collab_uc_fw")
    assert all(len(name + "-n") <= 31 for name in out["sets"])
    again = render_iptables_ipset(big_policy(n_sources=61), prefix="collab_uc_fw")
    assert set(out["sets"]).isdisjoint(again["sets"])  # a changed list is a new set


@pytest.mark.parametrize("prefix", ["", "1cfw", "way-too-long-prefix", "a b", None])
def test_ipset_prefix_is_checked(prefix):
    with pytest.raises(PolicyError, match="ipset prefix"):
        render_iptables_ipset(POLICY, prefix=prefix)
