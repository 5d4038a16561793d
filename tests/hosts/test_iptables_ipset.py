# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""iptables with ipsets on a real kernel, with real packets: a node loads collab.firewall's ipsets and rulesets
(ipset restore with swap, then iptables-restore / ip6tables-restore) in its own network namespace. Sources in a
set get through on the documented ports only; a source between the set's networks does not; a changed source
list goes live with its ruleset, the old set is destroyed afterwards, and a re-run changes nothing.

The test hosts' root filesystem has no ipset tool, so this machine's ipset and iptables binaries run inside the
node's network namespace (ipsets and netfilter rules belong to the namespace, not to the binary)."""
from __future__ import absolute_import, division, print_function

import os
import tempfile

import netns_hosts as nh
import probe

from ansible_collections.collab.firewall.plugins.plugin_utils.render.iptables import render_iptables_ipset

PHONES = ["198.19.10.0/24", "198.19.12.0/24", "198.19.14.0/24", "fd00:19:10::/64", "fd00:19:12::/64"]


def policy(env, sources):
    return {"host": "h1", "management": {"sources": [env.controller_ipv4 + "/32"], "transport": "tcp", "ports": [22]},
            "rules": [{"sources": sources, "transport": "tcp", "ports": [2000, "5060-5061"],
                       "catalog_ids": ["t-1-tcp"], "comment": "phone signalling"},
                      {"sources": sources, "transport": "udp", "ports": [5060], "catalog_ids": ["t-1-udp"],
                       "comment": "phone signalling"}]}


def in_node(env, script, *texts):
    """Run a shell script in the node's network namespace with this machine's tools; $1.. are the texts."""
    paths = []
    try:
        for text in texts:
            with tempfile.NamedTemporaryFile("w", delete=False, suffix=".txt") as handle:
                handle.write(text)
            paths.append(handle.name)
        return nh.ns_exec(env.host(1)["netns"], ["sh", "-ec", script, "node"] + paths, check=False, timeout=60)
    finally:
        for path in paths:
            os.unlink(path)


ACTIVATE = """
ipset restore < "$1"
iptables-restore < "$2"
ip6tables-restore < "$3"
# stale sets: ours, not used by the ruleset just loaded
for set in $(ipset list -n | grep -E '^cfw[46]-'); do
  grep -qx "$set" "$4" || ipset destroy "$set"
done
"""


# what is loaded, without the hash seed, member order and packet counters that differ between two loads
LOADED = "ipset save | grep -v '^create' | sort; iptables-save -t filter | grep -v '^#' | sed 's/\\[[0-9]*:[0-9]*\\]//'"


def activate(env, out):
    done = in_node(env, ACTIVATE, out["ipsets"], out["ipv4"], out["ipv6"], "\n".join(out["sets"]) + "\n")
    assert done.returncode == 0, done.stderr


def outcomes(env, checks):
    return [(src, family, transport, port, probe.probe(env.name, src, "h1", transport, port, family=family))
            for src, family, transport, port in checks]


def test_ipsets_filter_real_packets_and_change_in_one_step(netns_env_factory):
    env = netns_env_factory("ipst", 1)
    env.add_source(["198.19.10.10/24", "fd00:19:10::10/64"], "a")
    env.add_source(["198.19.12.10/24"], "b")
    env.add_source(["198.19.11.10/24", "fd00:19:11::10/64"], "c")

    first = render_iptables_ipset(policy(env, PHONES))
    checked = in_node(env, 'ipset restore < "$1"; iptables-restore --test < "$2"; ip6tables-restore --test < "$3"',
                      first["ipsets"], first["ipv4"], first["ipv6"])
    assert checked.returncode == 0, checked.stderr
    activate(env, first)
    assert in_node(env, "ipset list -n").stdout.split() == first["sets"]
    checks = [("a", 4, "tcp", 2000), ("a", 4, "udp", 5060), ("b", 4, "tcp", 5061), ("a", 6, "tcp", 2000),
              ("a", 4, "tcp", 2001), ("c", 4, "tcp", 2000), ("c", 6, "tcp", 5060)]
    expected = ["open", "open", "open", "open", "blocked", "blocked", "blocked"]
    assert [o[-1] for o in outcomes(env, checks)] == expected, outcomes(env, checks)

    # c's network joins the list: a new set (new name) goes live with the ruleset, the old one is destroyed
    second = render_iptables_ipset(policy(env, PHONES + ["198.19.11.0/24", "fd00:19:11::/64"]))
    assert set(second["sets"]).isdisjoint(first["sets"])
    activate(env, second)
    assert in_node(env, "ipset list -n").stdout.split() == second["sets"]
    assert [o[-1] for o in outcomes(env, [("c", 4, "tcp", 2000), ("c", 6, "tcp", 5060), ("c", 4, "tcp", 2001),
                                          ("b", 4, "udp", 5060)])] == ["open", "open", "blocked", "open"]
    rules = [in_node(env, "iptables-save -t filter").stdout, in_node(env, "ip6tables-save -t filter").stdout]
    assert sum(text.count("\n-A INPUT") for text in rules) == \
        sum(text.count("\n-A INPUT") for text in (first["ipv4"], first["ipv6"]))  # more networks, same rules

    # a re-run swaps each set with an identical one: nothing changes, packets still pass
    before = in_node(env, LOADED).stdout
    activate(env, second)
    assert in_node(env, LOADED).stdout == before
    assert probe.probe(env.name, "c", "h1", "tcp", 2000) == "open"

    # a ruleset naming a set that is not loaded is refused as a whole: the live rules stay
    broken = second["ipv4"].replace(second["sets"][0], "cfw4-00000000")
    refused = in_node(env, 'iptables-restore < "$1"', broken)
    assert refused.returncode != 0
    assert in_node(env, LOADED).stdout == before
