# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every expectation of expectations.yml with real packets, on nftables, iptables and firewalld, IPv4 and IPv6.

One netns test host (tests/hosts) plays every UC node in turn: it gets the node's ruleset, rendered through
the public filters (uc_host_policy, to_nftables / to_iptables) and loaded with the real tools; a second host
of the same environment runs firewalld (with its own dbus) and gets the node's zone and ipsets from
to_firewalld, written to /etc/firewalld as the host_firewall role does and activated by
`firewall-cmd --reload`. One plain namespace holds every source address of the table. Inbound expectations (the destination is a UC node):
a listener on the test host, a client bound to the source address. Outbound expectations (a UC node towards
a zone): a listener on the zone's address, a client on the test host; the node's ruleset must let the
replies back in. Gateways are network devices without a host ruleset: their rows are covered by
test_acls.py. IPv6 rows (``family: 6``) go to the host's IPv6 address from the source namespace's fd00:198:19::/48
addresses (the iptables backend loads ``ip6tables-restore`` too); ICMP rows are echo requests sent from a raw
socket (there is no ping binary in the test hosts) and open when the echo reply comes back. Before a node's
IPv6 rows are probed the neighbour caches of both ends are flushed, so every IPv6 outcome also proves that
neighbour discovery gets through the ruleset just loaded. One environment for the three backends; run it under
`flock /tmp/cfw-netns.lock`."""

import functools
import json
import subprocess

import pytest

from ansible_collections.collab.firewall.plugins.filter.to_firewalld import to_firewalld
from ansible_collections.collab.firewall.plugins.filter.to_iptables import to_iptables
from ansible_collections.collab.firewall.plugins.filter.to_nftables import to_nftables
from ansible_collections.collab.firewall.plugins.filter.uc_host_policy import uc_host_policy
from acceptance_helpers import (  # registered by conftest.py
    addresses, family, is_host_node, load_expectations, sample_address)

import netns_hosts as nh  # tests/hosts, put on sys.path by the host fixtures conftest.py loads

EXPECTATIONS = load_expectations()
TIMEOUT = 1.0
RETRY_TIMEOUT = 4.0

# Listens on every (transport, port) it is given at each of its comma-separated addresses (IPv4, IPv6 only
# on its own socket), answers "ok" to each connection or datagram, prints
# "ready" and the ports it could not bind (a service of the host already listens there: sshd on 22).
_SERVER = r"""
import json, selectors, socket, sys, time
binds, wanted, duration = sys.argv[1].split(","), json.loads(sys.argv[2]), float(sys.argv[3])
sel, busy = selectors.DefaultSelector(), []
for bind, (transport, port) in [(b, w) for b in binds for w in wanted]:
    kind = socket.SOCK_STREAM if transport == "tcp" else socket.SOCK_DGRAM
    s = socket.socket(socket.AF_INET6 if ":" in bind else socket.AF_INET, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if ":" in bind:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    try:
        s.bind((bind, port))
    except OSError:
        busy.append([transport, port])
        continue
    if kind == socket.SOCK_STREAM:
        s.listen(16)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, transport)
print("ready " + json.dumps(busy), flush=True)
end = time.time() + duration
while time.time() < end:
    for key, _ in sel.select(timeout=0.2):
        try:
            if key.data == "tcp":
                conn, _ = key.fileobj.accept()
                conn.sendall(b"ok")
                conn.close()
            else:
                data, peer = key.fileobj.recvfrom(64)
                key.fileobj.sendto(b"ok", peer)
        except OSError:
            pass
"""

# Runs every check in parallel: [source address or "", destination, transport, port, busy] -> open/blocked.
# ICMP: an echo request from a raw socket (ICMPv6 type 128 for an IPv6 destination, the kernel fills in its
# checksum), open when the echo reply with this check's identifier comes back from the destination.
_CLIENT = r"""
import json, os, socket, struct, sys, threading, time
checks, timeout = json.loads(sys.argv[1]), float(sys.argv[2])
results = [None] * len(checks)
def checksum(data):
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    total = (total >> 16) + (total & 0xffff)
    return ~(total + (total >> 16)) & 0xffff
def echo(i, src, dst):
    v6 = ":" in dst
    ident = (os.getpid() * 64 + i) & 0xffff
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_RAW,
                      socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)
    try:
        if src:
            s.bind((src, 0))
        payload = b"collab-fw-probe!"
        request = struct.pack("!BBHHH", 128 if v6 else 8, 0, 0, ident, 1) + payload
        if not v6:
            request = request[:2] + struct.pack("!H", checksum(request)) + request[4:]
        s.sendto(request, (dst, 0))
        end = time.time() + timeout
        while time.time() < end:
            s.settimeout(max(0.01, end - time.time()))
            data, peer = s.recvfrom(2048)
            if not v6:
                data = data[(data[0] & 0x0f) * 4:]
            kind, _code, _sum, got_ident = struct.unpack("!BBHH", data[:6])
            if peer[0] == dst and kind == (129 if v6 else 0) and got_ident == ident:
                return b"ok"
    except OSError:
        pass
    finally:
        s.close()
    return b""
def check(i, src, dst, transport, port, busy):
    if transport == "icmp":
        results[i] = "open" if echo(i, src, dst) == b"ok" else "blocked"
        return
    s = socket.socket(socket.AF_INET6 if ":" in dst else socket.AF_INET,
                      socket.SOCK_STREAM if transport == "tcp" else socket.SOCK_DGRAM)
    s.settimeout(timeout)
    try:
        if src:
            s.bind((src, 0))
        if transport == "tcp":
            s.connect((dst, port))
            answer = b"ok" if busy else s.recv(8)
        else:
            s.sendto(b"x", (dst, port))
            answer = s.recvfrom(8)[0]
    except OSError:
        answer = b""
    finally:
        s.close()
    results[i] = "open" if answer == b"ok" else "blocked"
threads = [threading.Thread(target=check, args=[i] + c) for i, c in enumerate(checks)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps(results))
"""


def _host_checks(deployment):
    """{node: {"in": [expectation...], "out": [...]}} for the rows a host ruleset decides."""
    plan = {}
    for expectation in EXPECTATIONS:
        if is_host_node(deployment, expectation["dst"]):
            plan.setdefault(expectation["dst"], {"in": [], "out": []})["in"].append(expectation)
        elif is_host_node(deployment, expectation["src"]) and expectation["expect"] == "allow":
            plan.setdefault(expectation["src"], {"in": [], "out": []})["out"].append(expectation)
    return plan


@pytest.fixture(scope="module")
def lab(netns_env_factory, deployment):
    env = netns_env_factory("accept", 2, firewalld=[2])  # h1: nftables/iptables, h2: firewalld
    wanted = sorted(set(sample_address(deployment, e[side], family(e)) for e in EXPECTATIONS for side in ("src", "dst")
                        if e[side] in deployment["zones"] or e[side] in deployment["nodes"]))
    source = env.add_source([a + ("/128" if ":" in a else "/32") for a in wanted], label="peers")
    return env, source


BACKEND_HOST = {"nftables": 1, "iptables": 1, "firewalld": 2}
FIREWALLD_ZONE = "collab-uc"


def _load_firewalld(host, policy):
    """The node's zone (bound to the host's only interface) and ipsets as files, then one reload; the files
    of the previous node go first so that no ipset of it lingers."""
    rendered = to_firewalld(policy, zone=FIREWALLD_ZONE, interfaces=["eth0"])
    nh.host_exec(host, ["sh", "-c", "rm -f /etc/firewalld/ipsets/*.xml /etc/firewalld/zones/%s.xml" % FIREWALLD_ZONE])
    files = [("/etc/firewalld/ipsets/%s.xml" % name, xml) for name, xml in sorted(rendered["ipsets"].items())]
    files.append(("/etc/firewalld/zones/%s.xml" % FIREWALLD_ZONE, rendered["zone_xml"]))
    for path, text in files:
        nh.host_exec(host, ["sh", "-c", 'cat > "$1"', "sh", path], input=text)
    nh.host_exec(host, ["firewall-cmd", "--reload"], timeout=120)
    # firewalld took the zone as written: bound to eth0, target DROP, every ipset loaded
    assert FIREWALLD_ZONE in nh.host_exec(host, ["firewall-cmd", "--get-zone-of-interface=eth0"]).stdout
    assert set(nh.host_exec(host, ["firewall-cmd", "--get-ipsets"]).stdout.split()) == set(rendered["ipsets"])


def _load(env, backend, policy):
    host = env.host(BACKEND_HOST[backend])
    if backend == "firewalld":
        _load_firewalld(host, policy)
        return
    nh.host_exec(host, ["nft", "flush", "ruleset"])
    if backend == "nftables":
        nh.host_exec(host, ["nft", "-f", "-"], input=to_nftables(policy))
    else:
        rendered = to_iptables(policy)
        nh.host_exec(host, ["iptables-restore"], input=rendered["ipv4"])
        nh.host_exec(host, ["ip6tables-restore"], input=rendered["ipv6"])


def _forget_neighbours(env, source, host_index):
    """Empty the IPv6 neighbour caches of the test host and of the source namespace: the next IPv6 packet
    between them needs a fresh neighbour solicitation and advertisement through the host's ruleset."""
    for netns in (env.host(host_index)["netns"], source["netns"]):
        nh.run(["ip", "-n", netns, "-6", "neigh", "flush", "all"])


def _serve(popen, argv, wanted):
    server = popen(["python3", "-c", _SERVER] + argv + [json.dumps(wanted), "30"],
                   stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline().split(" ", 1)
    assert line[0] == "ready", "probe server did not start"
    return server, set(tuple(b) for b in json.loads(line[1]))


def _probe(run, checks, timeout=None):
    out = run(["python3", "-c", _CLIENT, json.dumps(checks), str(timeout or TIMEOUT)], timeout=120).stdout
    return json.loads(out)


def _outcomes(env, source, deployment, node, plan, host_index=1):
    """{expectation id: 'open'|'blocked'} for the inbound and outbound rows of one node."""
    host, outcomes = env.host(host_index), {}
    _forget_neighbours(env, source, host_index)
    inbound = plan["in"]
    if inbound:
        wanted = sorted(set((e["transport"], e["port"]) for e in inbound if e["transport"] != "icmp"))
        server, busy = _serve(functools.partial(nh.host_popen, host), ["0.0.0.0,::"], wanted)
        try:
            checks = [[addresses(deployment, e)[0], host["ipv6" if family(e) == 6 else "ipv4"], e["transport"],
                       e["port"], (e["transport"], e["port"]) in busy] for e in inbound]
            client = functools.partial(nh.ns_exec, source["netns"])
            got = _probe(client, checks)
            # a loaded machine can miss a one-second answer: re-probe what came back blocked but should
            # be open, one at a time with a longer timeout (an open outcome is never a timing accident)
            for i, expectation in enumerate(inbound):
                if got[i] == "blocked" and expectation["expect"] == "allow":
                    got[i] = _probe(client, [checks[i]], RETRY_TIMEOUT)[0]
        finally:
            server.kill()
            server.wait(timeout=10)
        outcomes.update(zip([e["id"] for e in inbound], got))
    for expectation in plan["out"]:
        address = addresses(deployment, expectation)[1]
        wanted = [(expectation["transport"], expectation["port"])] if expectation["transport"] != "icmp" else []
        server, _busy = _serve(functools.partial(nh.ns_popen, source["netns"]), [address], wanted)
        try:
            got = _probe(functools.partial(nh.host_exec, host),
                         [["", address, expectation["transport"], expectation["port"], False]], RETRY_TIMEOUT)
        finally:
            server.kill()
            server.wait(timeout=10)
        outcomes[expectation["id"]] = got[0]
    return outcomes


@pytest.mark.parametrize("backend", ["nftables", "iptables", "firewalld"])
def test_packets_follow_the_documents(lab, deployment, backend):
    env, source = lab
    plan = _host_checks(deployment)
    assert sum(len(p["in"]) + len(p["out"]) for p in plan.values()) >= 150
    wrong = []
    for node in sorted(plan):
        _load(env, backend, uc_host_policy(deployment, node))
        outcomes = _outcomes(env, source, deployment, node, plan[node], BACKEND_HOST[backend])
        for expectation in plan[node]["in"] + plan[node]["out"]:
            wanted = "open" if expectation["expect"] == "allow" else "blocked"
            if outcomes[expectation["id"]] != wanted:
                wrong.append("%s %s -> %s %s/%s: %s, expected %s (%s)" % (
                    expectation["id"], expectation["src"], expectation["dst"], expectation["transport"],
                    expectation["port"], outcomes[expectation["id"]], wanted, expectation["why"]))
    assert wrong == [], "\n".join(wrong)


def test_without_a_ruleset_everything_is_open(lab, deployment):
    """The harness itself: with no ruleset the denied rows do get through (IPv4 and IPv6, TCP, UDP and ICMP
    echo), so a blocked outcome above is the ruleset's doing."""
    env, source = lab
    nh.host_exec(env.host(1), ["nft", "flush", "ruleset"])
    plan = _host_checks(deployment)
    for node in ("cucm-hq-tftp", "cuc-1"):
        denied = [e for e in plan[node]["in"] if e["expect"] == "deny"]
        assert denied
        outcomes = _outcomes(env, source, deployment, node, {"in": denied, "out": []})
        assert set(outcomes.values()) == {"open"}, outcomes
        if node == "cuc-1":
            assert {(family(e), e["transport"]) for e in denied} >= {(4, "icmp"), (6, "icmp"), (6, "tcp")}


def test_without_neighbour_discovery_ipv6_stops(lab, deployment):
    """Every IPv6 outcome above proves neighbour discovery got through the ruleset, because the neighbour caches
    are emptied first: the same ruleset without its neighbour-discovery rule blocks allowed IPv6 flows of the
    phones (TCP and UDP), with the rule they are open again. (Not a row of a source whose ICMP the node accepts:
    the catalog's ICMP rows open every ICMPv6 type from that source, solicitations included.)"""
    env, source = lab
    host = env.host(1)
    node = "cucm-hq-sub1"
    rows = [e for e in EXPECTATIONS if e["id"] in ("V001", "V002")]
    ruleset = to_nftables(uc_host_policy(deployment, node))
    nd_rule = [line for line in ruleset.splitlines() if "nd-neighbor-solicit" in line]
    assert len(nd_rule) == 1
    seen = {}
    for label, text in (("without", ruleset.replace(nd_rule[0] + "\n", "")), ("with", ruleset)):
        assert (label == "with") is (nd_rule[0] in text)
        nh.host_exec(host, ["nft", "flush", "ruleset"])
        nh.host_exec(host, ["nft", "-f", "-"], input=text)
        seen[label] = _outcomes(env, source, deployment, node, {"in": rows, "out": []})
    assert seen == {"without": {"V001": "blocked", "V002": "blocked"}, "with": {"V001": "open", "V002": "open"}}
